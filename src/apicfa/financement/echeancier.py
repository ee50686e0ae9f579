"""`calculer_echeancier` : l'engagement d'un contrat découpé en échéances numérotées."""

from __future__ import annotations

from decimal import Decimal

from apicfa.financement import regime2020, regime2025
from apicfa.financement.calendrier import texte_date
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.engagement import CalculEngagement, calculer_engagement
from apicfa.financement.frais_annexes import calculer_frais_annexes
from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe
from apicfa.financement.montants import en_euros, texte_euros
from apicfa.financement.participation import deduire
from apicfa.financement.tranches import Tranche

ZERO = Decimal("0.00")


def _tranches(calcul: CalculEngagement) -> list[Tranche]:
    annees = calcul.annees
    if calcul.regime == "2020" and len(annees) == 1 and not annees[0].complete:
        return regime2020.tranches_contrat_court(annees[0], calcul.montants[0])
    decouper = regime2025.tranches_annee if calcul.regime == "2025" else regime2020.tranches_annee
    tranches: list[Tranche] = []
    for annee, montant in zip(annees, calcul.montants, strict=True):
        tranches.extend(decouper(annee, montant))
    tranches.sort()
    return tranches


def _phrases_tranches(tranches: list[Tranche], montants: list[int]) -> list[str]:
    phrases = []
    for numero, (tranche, montant) in enumerate(zip(tranches, montants, strict=True), start=1):
        phrases.append(
            f"E{numero} : année {tranche.annee}, {tranche.libelle} = {texte_euros(tranche.centimes)}"
            + (
                f", {texte_euros(montant)} après participation"
                if montant != tranche.centimes
                else ""
            )
            + f", ouverte le {texte_date(tranche.ouverture)}."
        )
    return phrases


def _frais(
    contrat: ContratFinance, nombre_annees: int
) -> tuple[tuple[EngagementFraisAnnexe, ...], tuple[str, ...]]:
    if contrat.couts is None:
        return (), ()
    return calculer_frais_annexes(
        contrat.couts, nombre_annees=nombre_annees, forfait_mobilite=contrat.forfait_mobilite
    )


def calculer_echeancier(contrat: ContratFinance) -> Echeancier:
    """L'échéancier d'un contrat selon son régime (SPEC §6.4), chaque montant expliqué."""
    calcul = calculer_engagement(contrat, contrat.date_fin)
    tranches = _tranches(calcul)
    montants = [tranche.centimes for tranche in tranches]
    detail = list(calcul.detail)
    if calcul.participation:
        for indice, prise in deduire(montants, calcul.participation):
            detail.append(
                f"Participation de l'employeur : {texte_euros(prise)} déduits de E{indice + 1}."
            )
    detail.extend(_phrases_tranches(tranches, montants))
    fin = contrat.date_fin
    echeances = tuple(
        Echeance(
            numero,
            f"E{numero}",
            en_euros(montant),
            ZERO,
            ZERO,
            tranche.ouverture,
            tranche.debut,
            tranche.fin,
            tranche.annee,
            tranche.ouverture > fin,
        )
        for numero, (tranche, montant) in enumerate(zip(tranches, montants, strict=True), start=1)
    )
    frais, detail_frais = _frais(contrat, len(calcul.annees))
    detail.extend(detail_frais)
    engagement = calcul.engagement
    detail.append(f"Engagement : {texte_euros(engagement)}.")
    return Echeancier(
        regime=calcul.regime,
        npec=en_euros(calcul.npec_centimes),
        engagement=en_euros(engagement),
        echeances=echeances,
        participation_employeur=en_euros(calcul.participation),
        engagements_frais_annexe=frais,
        trop_percu=ZERO,
        detail=tuple(detail),
    )
