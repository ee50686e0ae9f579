"""Le montant engagé d'un contrat jusqu'à une date de fin (fin prévue ou rupture)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from apicfa.financement import regime2025
from apicfa.financement.annees import AnneeExecution
from apicfa.financement.contrat import DEBUT_REGIME_2025, ContratFinance
from apicfa.financement.modeles import Regime
from apicfa.financement.montants import centimes_npec
from apicfa.financement.participation import NIVEAU_MINIMUM, montant_participation
from apicfa.financement.plan import Plan, plan_echeancier


class CalculEngagement(NamedTuple):
    """Montants d'un contrat arrêté à une date : NPEC appliqué, montant par année, participation."""

    regime: Regime
    npec_initial: int
    npec: int
    plan: Plan
    montants: tuple[int, ...]
    participation: int
    dans_periode_essai: bool

    @property
    def annees(self) -> tuple[AnneeExecution, ...]:
        return tuple(annee_plan.annee for annee_plan in self.plan.annees)

    @property
    def brut(self) -> int:
        return sum(self.montants)

    @property
    def engagement(self) -> int:
        return sum(self.montants) - self.participation


def calculer_engagement(
    contrat: ContratFinance, fin: date, *, dans_periode_essai: bool = False
) -> CalculEngagement:
    """Le financement de `contrat` s'il s'arrête le `fin` (inclus), en centimes."""
    regime: Regime = "2020" if contrat.date_conclusion < DEBUT_REGIME_2025 else "2025"
    npec_initial = npec = centimes_npec(contrat.npec)
    if regime == "2025" and regime2025.minoration_due(
        contrat.duree_formation, contrat.heures_distanciel
    ):
        npec = regime2025.npec_minore(npec_initial)
    plan = plan_echeancier(regime, contrat.date_debut, fin)
    # Montant d'une année = NPEC × numérateur / dénominateur, arrondi demi vers le haut.
    montants = tuple(
        [
            npec
            if numerateur == denominateur
            else (2 * npec * numerateur + denominateur) // (2 * denominateur)
            for _annee, numerateur, denominateur in plan.annees
        ]
    )
    participation = 0
    if regime == "2025" and contrat.niveau >= NIVEAU_MINIMUM:
        participation = montant_participation(sum(montants), dans_periode_essai=dans_periode_essai)
    return CalculEngagement(
        regime, npec_initial, npec, plan, montants, participation, dans_periode_essai
    )
