"""`calculer_echeancier` : l'engagement d'un contrat découpé en échéances numérotées."""

from __future__ import annotations

from decimal import Decimal

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.engagement import CalculEngagement, calculer_engagement
from apicfa.financement.explication import phrases_echeances, phrases_engagement
from apicfa.financement.frais_annexes import calculer_frais_annexes
from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe, Explication
from apicfa.financement.montants import EUROS_CONNUS, euros, texte_euros
from apicfa.financement.participation import deduire

ZERO = Decimal("0.00")
_nouvelle_echeance = tuple.__new__


def montants_des_parts(calcul: CalculEngagement) -> list[int]:
    """Le montant brut de chaque part, dans l'ordre du plan : les pourcentages sont arrondis, la
    dernière part de chaque année (son reste) prend ce qui manque pour que l'année tombe juste."""
    montants_annees = calcul.montants
    deja_pris = [0] * len(montants_annees)
    bruts = []
    for indice, pourcentage in calcul.plan.repartition:
        if pourcentage:
            centimes = (montants_annees[indice] * pourcentage * 2 + 100) // 200
            deja_pris[indice] += centimes
        else:
            centimes = montants_annees[indice] - deja_pris[indice]
        bruts.append(centimes)
    return bruts


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
    bruts = montants_des_parts(calcul)
    nets = bruts
    if calcul.participation:
        nets = list(bruts)
        deduire(nets, calcul.participation)
    deja_vus = EUROS_CONNUS.get
    echeances = tuple(
        [
            _nouvelle_echeance(
                Echeance,
                (
                    numero,
                    code,
                    deja_vus(net) or euros(net),
                    ZERO,
                    ZERO,
                    ouverture,
                    debut,
                    fin,
                    annee,
                    solde,
                ),
            )
            for (numero, code, ouverture, debut, fin, annee, solde), net in zip(
                calcul.plan.gabarits, nets, strict=True
            )
        ]
    )
    frais, detail_frais = _frais(contrat, len(calcul.plan.annees))
    engagement = calcul.engagement

    def rediger() -> list[str]:
        return [
            *phrases_engagement(calcul, contrat),
            *phrases_echeances(calcul, bruts, nets),
            *detail_frais,
            f"Engagement : {texte_euros(engagement)}.",
        ]

    return Echeancier(
        calcul.regime,
        euros(calcul.npec),
        euros(engagement),
        echeances,
        euros(calcul.participation),
        frais,
        ZERO,
        Explication(rediger),
    )
