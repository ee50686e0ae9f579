"""Les phrases françaises qui expliquent chaque montant d'un échéancier."""

from __future__ import annotations

from apicfa.financement import regime2025
from apicfa.financement.calendrier import texte_date
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.engagement import CalculEngagement
from apicfa.financement.montants import texte_euros
from apicfa.financement.participation import PARTICIPATION_CENTIMES
from apicfa.financement.plan import AnneePlan


def _phrase_annee(calcul: CalculEngagement, annee_plan: AnneePlan, montant: int) -> str:
    annee, numerateur, _denominateur = annee_plan
    periode = f"Année {annee.numero} (du {texte_date(annee.debut)} au {texte_date(annee.fin)})"
    if annee.complete:
        return f"{periode}, complète : {texte_euros(montant)} (le NPEC)."
    unite = "jours / 365" if calcul.regime == "2025" else "mois commencés / 12"
    return (
        f"{periode}, incomplète : {texte_euros(calcul.npec)} × {numerateur} {unite} = "
        f"{texte_euros(montant)}."
    )


def phrases_engagement(calcul: CalculEngagement, contrat: ContratFinance) -> list[str]:
    """Minoration, montant de chaque année, participation de l'employeur."""
    phrases = []
    if calcul.npec != calcul.npec_initial:
        phrase = (
            f"Minoration de 20 % : {contrat.heures_distanciel} h à distance sur "
            f"{contrat.duree_formation} h de formation (≥ 80 %), NPEC "
            f"{texte_euros(calcul.npec_initial)} → {texte_euros(calcul.npec)}"
        )
        if calcul.npec > regime2025.npec_minore_sans_plancher(calcul.npec_initial):
            phrase += (
                " (la minoration ne fait pas descendre sous "
                f"{texte_euros(regime2025.PLANCHER_MINORATION_CENTIMES)})"
            )
        phrases.append(phrase + ".")
    phrases.extend(
        _phrase_annee(calcul, annee_plan, montant)
        for annee_plan, montant in zip(calcul.plan.annees, calcul.montants, strict=True)
    )
    if calcul.participation:
        if calcul.dans_periode_essai:
            phrases.append(
                f"Participation de l'employeur (niveau {contrat.niveau}, rupture pendant la "
                f"période d'essai) : 50 % de {texte_euros(calcul.brut)}, au plus "
                f"{texte_euros(PARTICIPATION_CENTIMES)} = {texte_euros(calcul.participation)}."
            )
        else:
            phrases.append(
                f"Participation de l'employeur (certification de niveau {contrat.niveau}) : "
                f"{texte_euros(calcul.participation)} déduits de l'engagement."
            )
    return phrases


def phrases_echeances(calcul: CalculEngagement, bruts: list[int], nets: list[int]) -> list[str]:
    """Une phrase par échéance : année, part, montant (après participation), ouverture."""
    phrases = []
    for numero, (part, brut, net) in enumerate(
        zip(calcul.plan.parts, bruts, nets, strict=True), start=1
    ):
        apres = f", {texte_euros(net)} après participation" if net != brut else ""
        phrases.append(
            f"E{numero} : année {part.annee}, {part.libelle} = {texte_euros(brut)}{apres}, "
            f"ouverte le {texte_date(part.ouverture)}."
        )
    return phrases
