"""Le montant engagé d'un contrat jusqu'à une date de fin (fin prévue ou rupture), expliqué."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from apicfa.financement import regime2020, regime2025
from apicfa.financement.annees import AnneeExecution, annees_execution
from apicfa.financement.calendrier import jours_inclus, mois_commences, texte_date
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.modeles import Regime
from apicfa.financement.montants import en_centimes, texte_euros
from apicfa.financement.participation import montant_participation, participation_due


class CalculEngagement(NamedTuple):
    """Montants d'un contrat arrêté à une date : par année, brut, participation, explications."""

    regime: Regime
    npec_centimes: int
    annees: tuple[AnneeExecution, ...]
    montants: tuple[int, ...]
    participation: int
    detail: tuple[str, ...]

    @property
    def brut(self) -> int:
        return sum(self.montants)

    @property
    def engagement(self) -> int:
        return sum(self.montants) - self.participation


def _phrase_annee(regime: Regime, npec: int, annee: AnneeExecution, montant: int) -> str:
    periode = f"Année {annee.numero} (du {texte_date(annee.debut)} au {texte_date(annee.fin)})"
    if annee.complete:
        return f"{periode}, complète : {texte_euros(montant)} (le NPEC)."
    if regime == "2025":
        jours = jours_inclus(annee.debut, annee.fin)
        return (
            f"{periode}, incomplète : {texte_euros(npec)} × {jours} jours / 365 = "
            f"{texte_euros(montant)}."
        )
    mois = mois_commences(annee.debut, annee.fin)
    return (
        f"{periode}, incomplète : {texte_euros(npec)} × {mois} mois commencés / 12 = "
        f"{texte_euros(montant)}."
    )


def calculer_engagement(
    contrat: ContratFinance, fin: date, *, dans_periode_essai: bool = False
) -> CalculEngagement:
    """Le financement de `contrat` s'il s'arrête le `fin` (inclus)."""
    regime = contrat.regime
    npec_initial = en_centimes(contrat.npec)
    detail: list[str] = []
    npec = npec_initial
    if regime == "2025" and regime2025.minoration_due(
        contrat.duree_formation, contrat.heures_distanciel
    ):
        npec = regime2025.npec_minore(npec_initial)
        phrase = (
            f"Minoration de 20 % : {contrat.heures_distanciel} h à distance sur "
            f"{contrat.duree_formation} h de formation (≥ 80 %), NPEC "
            f"{texte_euros(npec_initial)} → {texte_euros(npec)}"
        )
        if npec > regime2025.npec_minore_sans_plancher(npec_initial):
            phrase += (
                f" (la minoration ne fait pas descendre sous "
                f"{texte_euros(regime2025.PLANCHER_MINORATION_CENTIMES)})"
            )
        detail.append(phrase + ".")
    calcul_annee = regime2025.montant_annee if regime == "2025" else regime2020.montant_annee
    annees = annees_execution(contrat.date_debut, fin)
    montants = tuple(calcul_annee(npec, annee) for annee in annees)
    detail.extend(
        _phrase_annee(regime, npec, annee, montant)
        for annee, montant in zip(annees, montants, strict=True)
    )
    participation = 0
    if regime == "2025" and participation_due(contrat.niveau):
        brut = sum(montants)
        participation = montant_participation(brut, dans_periode_essai=dans_periode_essai)
        if dans_periode_essai:
            detail.append(
                f"Participation de l'employeur (niveau {contrat.niveau}, rupture pendant la "
                f"période d'essai) : 50 % de {texte_euros(brut)}, au plus 750,00 € = "
                f"{texte_euros(participation)}."
            )
        else:
            detail.append(
                f"Participation de l'employeur (certification de niveau {contrat.niveau}) : "
                f"{texte_euros(participation)} déduits de l'engagement."
            )
    return CalculEngagement(regime, npec, annees, montants, participation, tuple(detail))
