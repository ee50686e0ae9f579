"""Années d'exécution (SPEC §6.4).

L'année k court de `dateDebutContrat` + (k − 1) ans à la veille de `dateDebutContrat` + k ans ;
la dernière s'arrête à `dateFinContrat` (ou à la date de rupture).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from apicfa.financement.calendrier import UN_JOUR, ajouter_annees


class AnneeExecution(NamedTuple):
    """Une année d'exécution : `fin` est la fin effective, `complete` si elle dure un an entier."""

    numero: int
    debut: date
    fin: date
    complete: bool


def annees_execution(debut: date, fin: date) -> tuple[AnneeExecution, ...]:
    """Les années d'exécution d'un contrat courant de `debut` à `fin` inclus."""
    annees: list[AnneeExecution] = []
    numero = 1
    debut_annee = debut
    while debut_annee <= fin:
        debut_suivante = ajouter_annees(debut, numero)
        fin_theorique = debut_suivante - UN_JOUR
        if fin >= fin_theorique:
            annees.append(AnneeExecution(numero, debut_annee, fin_theorique, True))
        else:
            annees.append(AnneeExecution(numero, debut_annee, fin, False))
        numero += 1
        debut_annee = debut_suivante
    return tuple(annees)
