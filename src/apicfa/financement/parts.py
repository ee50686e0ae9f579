"""Une part d'année d'exécution, sans montant (élément du plan d'un échéancier)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

RESTE = 0  # pourcentage d'une part qui prend le reste de l'année

# Une part réduite à ce qui fixe son montant et ses dates : (ouverture, début et fin de la période
# payée, pourcentage ou RESTE). Les découpages des régimes rendent ces tuples simples.
Decoupe = tuple[date, date, date, int]


class PartPlan(NamedTuple):
    """Une part d'année : `pourcentage` (40, 30, 20, 50) ou `RESTE` (ce qui reste de l'année).

    Triées par (ouverture, année, rang) : l'ordre de numérotation des échéances.
    `libelle` dit ce qu'elle représente (« 40 % », « solde 10 % + 30 % ») pour le détail.
    """

    ouverture: date
    annee: int
    rang: int
    debut: date
    fin: date
    pourcentage: int
    libelle: str
