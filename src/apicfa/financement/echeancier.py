"""`calculer_echeancier` : l'engagement d'un contrat découpé en échéances numérotées.

Chemin rapide (un portefeuille entier se recalcule) : le motif du contrat (mis en cache par
régime et dates) et des additions en centimes. Le détail en français, rédigé seulement quand on
le lit, repasse par le calcul de l'engagement année par année (`engagement.calculer_engagement`),
celui de la rupture.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import add

from apicfa.financement import regime2025
from apicfa.financement.contrat import DEBUT_REGIME_2025, ContratFinance
from apicfa.financement.engagement import calculer_engagement
from apicfa.financement.explication import phrases_echeances, phrases_engagement
from apicfa.financement.frais_annexes import calculer_frais_annexes
from apicfa.financement.modeles import (
    Echeance,
    Echeancier,
    EngagementFraisAnnexe,
    Explication,
    Regime,
)
from apicfa.financement.montants import centimes_npec, euros, texte_euros
from apicfa.financement.motif import MOTIFS, ZERO, Motif, Pourcentages, motif_echeancier
from apicfa.financement.participation import NIVEAU_MINIMUM, deduire, montant_participation

_nouvelle_echeance = tuple.__new__
# Les parts d'une année complète, par régime puis par NPEC (en centimes) : en centimes, et en
# euros dans des 1-uplets prêts à compléter une `Echeance`.
_ANNEES_COMPLETES: dict[Regime, dict[int, tuple[list[int], list[tuple[Decimal]]]]] = {
    "2020": {},
    "2025": {},
}
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


def _annee_complete(
    regime: Regime, pourcentages: Pourcentages, npec: int
) -> tuple[list[int], list[tuple[Decimal]]]:
    """Les parts d'une année complète (en cache : un référentiel n'a que quelques milliers de
    NPEC ; le découpage d'une année complète ne dépend que du régime)."""
    cache = _ANNEES_COMPLETES[regime]
    parts = cache.get(npec)
    if parts is None:
        if len(cache) >= _TAILLE_MAX_CACHE:
            cache.clear()
        centimes = parts_d_une_annee(npec, pourcentages)
        parts = cache[npec] = (centimes, [(euros(part),) for part in centimes])
    return parts


def chiffrer(motif: Motif, npec: int, regime: Regime) -> tuple[list[int], list[tuple[Decimal]]]:
    """Le montant brut de chaque échéance, dans l'ordre des numéros, en centimes et en euros
    (1-uplets) : les années complètes valent le NPEC, une dernière année incomplète NPEC ×
    numérateur / dénominateur (arrondi demi vers le haut)."""
    _nombre, repetitions, complets, numerateur, denominateur, reste, _tetes, _queues = motif
    if repetitions:
        centimes, en_euros = _ANNEES_COMPLETES[regime].get(npec) or _annee_complete(
            regime, complets, npec
        )
        bruts = centimes * repetitions
        montants = en_euros * repetitions
    else:
        bruts, montants = [], []
    if reste:
        derniere = (2 * npec * numerateur + denominateur) // (2 * denominateur)
        parts = parts_d_une_annee(derniere, reste)
        bruts += parts
        # Montants propres au contrat (prorata) : convertis sans passer par le cache d'`euros`.
        montants += [(Decimal(part).scaleb(-2),) for part in parts]
    return bruts, montants


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
    motif = motif_echeancier(calcul.regime, contrat.date_debut, contrat.date_fin)
    bruts, _montants = chiffrer(motif, calcul.npec, calcul.regime)
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
    regime: Regime = "2020" if contrat.date_conclusion < DEBUT_REGIME_2025 else "2025"
    npec = centimes_npec(contrat.npec)
    if regime == "2025" and regime2025.minoration_due(
        contrat.duree_formation, contrat.heures_distanciel
    ):
        npec = regime2025.npec_minore(npec)
    motif = MOTIFS.get((regime, debut, fin)) or motif_echeancier(regime, debut, fin)
    bruts, montants = chiffrer(motif, npec, regime)
    engagement = sum(bruts)
    participation = 0
    if regime == "2025" and contrat.niveau >= NIVEAU_MINIMUM:
        participation = montant_participation(engagement, dans_periode_essai=False)
        for indice, _deduit in deduire(bruts, participation):
            montants[indice] = (euros(bruts[indice]),)
        engagement -= participation
    # Chaque échéance = tête (numéro, codification) + (montant,) + queue, assemblée en C.
    echeances = tuple(
        map(_nouvelle_echeance, repeat(Echeance), map(add, map(add, motif[6], montants), motif[7]))
    )
    if contrat.couts is None:
        frais: tuple[EngagementFraisAnnexe, ...] = ()
        detail_frais: tuple[str, ...] = ()
    else:
        frais, detail_frais = _frais(contrat, motif[0])
    return Echeancier(
        regime,
        euros(npec),
        euros(engagement),
        echeances,
        euros(participation) if participation else ZERO,
        frais,
        ZERO,
        Explication(partial(rediger_detail, contrat, detail_frais)),
    )
