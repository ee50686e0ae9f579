"""Une tranche : une part d'une année d'exécution avant numérotation (interne au moteur)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class Tranche(NamedTuple):
    """Part d'une année : triée par (ouverture, année, rang), puis numérotée en échéance.

    `libelle` dit ce qu'elle représente (« 40 % », « solde 10 % + 30 % ») pour le détail.
    """

    ouverture: date
    annee: int
    rang: int
    debut: date
    fin: date
    centimes: int
    libelle: str
