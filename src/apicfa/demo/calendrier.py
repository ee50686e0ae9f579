"""Arithmétique de dates du générateur (mois et années écrêtés, âges)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

UN_JOUR = timedelta(days=1)
_JOURS_PAR_MOIS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def ajouter_mois(jour: date, mois: int) -> date:
    """`jour` + `mois` mois, le quantième écrêté au dernier jour du mois visé."""
    index = jour.year * 12 + jour.month - 1 + mois
    annee, mois_vise = divmod(index, 12)
    dernier = _JOURS_PAR_MOIS[mois_vise]
    if mois_vise == 1 and calendar.isleap(annee):
        dernier = 29
    return date(annee, mois_vise + 1, min(jour.day, dernier))


def ajouter_annees(jour: date, annees: int) -> date:
    """`jour` + `annees` ans (un 29 février devient un 28 février)."""
    return ajouter_mois(jour, 12 * annees)


def age(naissance: date, jour: date) -> int:
    """Âge révolu le `jour` d'une personne née le `naissance`."""
    return jour.year - naissance.year - ((jour.month, jour.day) < (naissance.month, naissance.day))
