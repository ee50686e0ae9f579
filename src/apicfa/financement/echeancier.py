"""`calculer_echeancier` : l'engagement d'un contrat découpé en échéances numérotées.

Chemin rapide (un portefeuille entier se recalcule) : le motif du contrat (mis en cache par
régime et dates) et des additions en centimes. Le détail en français, rédigé seulement quand on
le lit, repasse par le calcul de l'engagement année par année (`engagement.calculer_engagement`),
celui de la rupture.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from apicfa.financement import regime2025
from apicfa.financement.contrat import DEBUT_REGIME_2025, ContratFinance
from apicfa.financement.engagement import calculer_engagement
from apicfa.financement.explication import phrases_echeances, phrases_engagement
from apicfa.financement.frais_annexes import calculer_frais_annexes
from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe, Explication
from apicfa.financement.montants import EUROS_CONNUS, centimes_npec, euros, texte_euros
from apicfa.financement.motif import MOTIFS, Motif, Pourcentages, motif_echeancier
from apicfa.financement.participation import NIVEAU_MINIMUM, deduire, montant_participation

ZERO = Decimal("0.00")
_nouvelle_echeance = tuple.__new__
_PARTS_COMPLETES: dict[tuple[Pourcentages, int], list[int]] = {}
_TAILLE_MAX_CACHE = 100_000


def parts_d_une_annee(montant: int, pourcentages: Pourcentages) -> list[int]:
    """Les parts d'une année de `montant` centimes : chaque pourcentage arrondi (demi vers le
    haut), la part 0 (le reste) prend ce qui manque pour que l'année tombe juste."""
    parts = []
    pris = 0
    for pourcentage in pourcentages:
        if pourcentage:
            centimes = (montant * pourcentage * 2 + 100) // 200
            pris += centimes
        else:
            centimes = montant - pris
        parts.append(centimes)
    return parts


def montants_des_parts(motif: Motif, npec: int) -> list[int]:
    """Le montant brut de chaque échéance, dans l'ordre des numéros : les années complètes
    valent le NPEC, la dernière NPEC × numérateur / dénominateur (arrondi demi vers le haut)."""
    completes, pourcentages_complets, numerateur, denominateur, pourcentages, _gabarits = motif
    if completes:
        cle = (pourcentages_complets, npec)
        parts = _PARTS_COMPLETES.get(cle)
        if parts is None:
            if len(_PARTS_COMPLETES) >= _TAILLE_MAX_CACHE:
                _PARTS_COMPLETES.clear()
            parts = _PARTS_COMPLETES[cle] = parts_d_une_annee(npec, pourcentages_complets)
        bruts = parts * completes
    else:
        bruts = []
    if numerateur == denominateur:
        derniere = npec
    else:
        derniere = (2 * npec * numerateur + denominateur) // (2 * denominateur)
    bruts += parts_d_une_annee(derniere, pourcentages)
    return bruts


def _frais(
    contrat: ContratFinance, nombre_annees: int
) -> tuple[tuple[EngagementFraisAnnexe, ...], tuple[str, ...]]:
    if contrat.couts is None:
        return (), ()
    return calculer_frais_annexes(
        contrat.couts, nombre_annees=nombre_annees, forfait_mobilite=contrat.forfait_mobilite
    )


def rediger_detail(contrat: ContratFinance, detail_frais: tuple[str, ...]) -> list[str]:
    """Les phrases du détail d'un échéancier (année par année, échéance par échéance)."""
    calcul = calculer_engagement(contrat, contrat.date_fin)
    bruts = montants_des_parts(
        motif_echeancier(calcul.regime, contrat.date_debut, contrat.date_fin), calcul.npec
    )
    nets = list(bruts)
    deduire(nets, calcul.participation)
    return [
        *phrases_engagement(calcul, contrat),
        *phrases_echeances(calcul, bruts, nets),
        *detail_frais,
        f"Engagement : {texte_euros(calcul.engagement)}.",
    ]


def calculer_echeancier(contrat: ContratFinance) -> Echeancier:
    """L'échéancier d'un contrat selon son régime (SPEC §6.4), chaque montant expliqué."""
    debut, fin = contrat.date_debut, contrat.date_fin
    regime = "2020" if contrat.date_conclusion < DEBUT_REGIME_2025 else "2025"
    npec = centimes_npec(contrat.npec)
    participation = 0
    if regime == "2025" and regime2025.minoration_due(
        contrat.duree_formation, contrat.heures_distanciel
    ):
        npec = regime2025.npec_minore(npec)
    motif = MOTIFS.get((regime, debut, fin)) or motif_echeancier(regime, debut, fin)
    bruts = montants_des_parts(motif, npec)
    engagement = sum(bruts)
    if regime == "2025" and contrat.niveau >= NIVEAU_MINIMUM:
        participation = montant_participation(engagement, dans_periode_essai=False)
        deduire(bruts, participation)
        engagement -= participation
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
                    debut_periode,
                    fin_periode,
                    annee,
                    solde,
                ),
            )
            for (numero, code, ouverture, debut_periode, fin_periode, annee, solde), net in zip(
                motif[5], bruts, strict=True
            )
        ]
    )
    if contrat.couts is None:
        frais: tuple[EngagementFraisAnnexe, ...] = ()
        detail_frais: tuple[str, ...] = ()
    else:
        frais, detail_frais = _frais(contrat, motif[0] + 1)
    return Echeancier(
        regime,
        euros(npec),
        euros(engagement),
        echeances,
        euros(participation),
        frais,
        ZERO,
        Explication(partial(rediger_detail, contrat, detail_frais)),
    )
