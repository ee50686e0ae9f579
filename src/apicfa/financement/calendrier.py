"""Arithmétique de dates de l'échéancier : mois et années ajoutés avec écrêtage.

« Début + n mois » garde le numéro du jour, ramené au dernier jour du mois visé quand il n'existe
pas (2025-08-31 + 6 mois = 2026-02-28) ; les années de même (un 29 février donne un 28 février).
Les résultats sont mis en cache : un portefeuille ne contient que quelques milliers de dates de
début distinctes.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

UN_JOUR = timedelta(days=1)


@lru_cache(maxsize=65536)
def ajouter_mois(jour: date, mois: int) -> date:
    """`jour` + `mois` mois, le jour écrêté au dernier jour du mois visé."""
    rang = jour.year * 12 + (jour.month - 1) + mois
    annee, mois_vise = divmod(rang, 12)
    mois_vise += 1
    dernier = calendar.monthrange(annee, mois_vise)[1]
    return date(annee, mois_vise, min(jour.day, dernier))


@lru_cache(maxsize=65536)
def ajouter_annees(jour: date, annees: int) -> date:
    """`jour` + `annees` ans (un 29 février tombe le 28 février d'une année non bissextile)."""
    return ajouter_mois(jour, 12 * annees)


@lru_cache(maxsize=65536)
def mois_commences(debut: date, fin: date) -> int:
    """Nombre de mois commencés entre `debut` et `fin` inclus (« tout mois commencé est dû »).

    Le mois m court de `debut` + (m − 1) mois à la veille de `debut` + m mois.
    """
    if fin < debut:
        return 0
    mois = (fin.year - debut.year) * 12 + fin.month - debut.month
    # `mois` est une borne basse ou égale : on avance jusqu'à dépasser `fin`.
    mois = max(mois, 0)
    while ajouter_mois(debut, mois) <= fin:
        mois += 1
    return mois


def jours_inclus(debut: date, fin: date) -> int:
    """Jours calendaires de `debut` à `fin`, les deux bornes comprises."""
    return (fin - debut).days + 1


def texte_date(jour: date) -> str:
    """Écriture française d'une date : 01/09/2025."""
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year}"
