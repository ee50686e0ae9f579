"""Lecture et écriture des dates et montants de l'API (SPEC §2).

Dates reçues : `AAAA-MM-JJ` ou date-heure avec décalage ; on garde la date calendaire ÉCRITE,
sans jamais passer par UTC. Montants : nombres JSON en euros (2 décimales au plus), gardés en
centimes entiers, jamais en flottant pour calculer.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from apicfa.norme.dates import lire_date as lire_date_norme

_DATE_SEULE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_HEURE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def lire_date(valeur: Any) -> date | None:
    """La date calendaire écrite (`2025-09-01T00:00:00+02:00` → 2025-09-01), ou None.

    La règle est celle de la norme (`apicfa.norme.dates.lire_date`) ; le serveur tolère en plus
    des espaces autour de la valeur (paramètres de requête)."""
    if not isinstance(valeur, str):
        return None
    return lire_date_norme(valeur.strip())


def lire_instant(valeur: str) -> datetime | None:
    """Un instant (filtre `modifieDepuis`) en UTC naïf ; une date seule = minuit UTC."""
    texte = valeur.strip().replace(" ", "+")
    if _DATE_SEULE.match(texte):
        jour = lire_date(texte)
        return datetime(jour.year, jour.month, jour.day) if jour else None
    if not _DATE_HEURE.match(texte):
        return None
    if texte.endswith("Z"):
        texte = texte[:-1] + "+00:00"
    elif re.search(r"[+-]\d{4}$", texte):
        texte = texte[:-2] + ":" + texte[-2:]
    try:
        instant = datetime.fromisoformat(texte)
    except ValueError:
        return None
    if instant.tzinfo is not None:
        instant = instant.astimezone(UTC).replace(tzinfo=None)
    return instant


def ecrire_date(jour: date | None, format_dates: str) -> str | None:
    if jour is None:
        return None
    texte = jour.isoformat()
    return f"{texte}T00:00:00" if format_dates == "datetime" else texte


def ecrire_instant(instant: datetime) -> str:
    """Horodatage (dateModification) : ISO 8601 en UTC avec décalage explicite."""
    return instant.replace(tzinfo=UTC).isoformat()


def convertir_dates(valeur: Any, format_dates: str) -> Any:
    """Réécrit les dates d'une charge utile au format de sortie du profil."""
    if isinstance(valeur, dict):
        return {cle: convertir_dates(v, format_dates) for cle, v in valeur.items()}
    if isinstance(valeur, list):
        return [convertir_dates(v, format_dates) for v in valeur]
    if isinstance(valeur, str) and (_DATE_SEULE.match(valeur) or _DATE_HEURE.match(valeur)):
        jour = lire_date(valeur)
        return ecrire_date(jour, format_dates) if jour else valeur
    return valeur


def lire_centimes(valeur: Any) -> int | None:
    """Montant en euros (nombre ou texte) → centimes entiers (arrondi au plus proche), ou None."""
    if isinstance(valeur, bool) or valeur is None:
        return None
    try:
        texte = repr(valeur) if isinstance(valeur, float) else str(valeur).strip()
        montant = Decimal(texte.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    if not montant.is_finite():
        return None
    return int((montant * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ecrire_montant(centimes: int | None) -> float | None:
    """Centimes → nombre JSON en euros (au plus 2 décimales exactes à l'écriture)."""
    return None if centimes is None else centimes / 100
