"""Dates de la norme : lecture « telle qu'écrite » et calendrier (SPEC §2, §6.4)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ].*)?", re.DOTALL | re.ASCII)


def lire_date(valeur: Any) -> date | None:
    """Date calendaire telle qu'écrite : `YYYY-MM-DD` ou date-heure avec décalage.

    `2025-09-01T00:00:00+02:00` donne le 1er septembre : la date n'est jamais ramenée en UTC.
    Rend `None` pour tout ce qui n'est pas une date possible (type, forme, 30 février).
    """
    if valeur.__class__ is not str or len(valeur) < 10:
        return None
    if valeur[4] != "-" or valeur[7] != "-":
        return None
    if len(valeur) > 10 and not _DATE.fullmatch(valeur):
        return None
    try:
        # date.fromisoformat n'admet ici que AAAA-MM-JJ en chiffres ASCII (tirets imposés)
        return date.fromisoformat(valeur[:10])
    except ValueError:
        return None


_JOURS_PAR_MOIS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def ajouter_mois(jour: date, mois: int) -> date:
    """`jour` + `mois` mois, le quantième ramené au dernier jour du mois visé (31/08 + 6 → 28/02)."""
    total = jour.month - 1 + mois
    annee, mois_cible = jour.year + total // 12, total % 12 + 1
    quantieme = jour.day
    if quantieme > 28:
        dernier = _JOURS_PAR_MOIS[mois_cible - 1]
        if mois_cible == 2 and calendar.isleap(annee):
            dernier = 29
        quantieme = min(quantieme, dernier)
    return date(annee, mois_cible, quantieme)


def ajouter_annees(jour: date, annees: int) -> date:
    return ajouter_mois(jour, 12 * annees)


def age_au(naissance: date, jour: date) -> int:
    """Âge révolu au `jour` (un né un 29 février a un an de plus le 1er mars)."""
    # (mois, jour) du `jour` avant ceux de la naissance : l'anniversaire n'est pas encore passé
    mois = jour.month - naissance.month
    return jour.year - naissance.year - (mois < 0 or (mois == 0 and jour.day < naissance.day))


def veille(jour: date) -> date:
    return jour - timedelta(days=1)
