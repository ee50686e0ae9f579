"""Constructeurs partagés des tests du financement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.modeles import Echeancier


def contrat(
    debut: str,
    fin: str,
    npec: str,
    *,
    conclusion: str | None = None,
    niveau: int = 4,
    duree: int | None = None,
    distanciel: int | None = None,
) -> ContratFinance:
    """Un contrat ; conclu par défaut le 1er août 2025 (régime 2025)."""
    return ContratFinance(
        date_conclusion=date.fromisoformat(conclusion or "2025-08-01"),
        date_debut=date.fromisoformat(debut),
        date_fin=date.fromisoformat(fin),
        npec=Decimal(npec),
        niveau=niveau,
        duree_formation=duree,
        heures_distanciel=distanciel,
    )


def resume(echeancier: Echeancier) -> list[tuple[str, str]]:
    """(montant, date d'ouverture) de chaque échéance, dans l'ordre des numéros."""
    return [(str(e.montant_total), e.date_ouverture.isoformat()) for e in echeancier.echeances]
