"""`calculer_echeancier` : l'engagement d'un contrat découpé en échéances numérotées.

Chemin rapide (un portefeuille entier se recalcule) : le motif du contrat (lu dans les tables
de sa date de début, voir `motif.py`), les échéances des années complètes toutes faites par
NPEC, et des additions en centimes. Le détail en français, rédigé seulement quand on
le lit, repasse par le calcul de l'engagement année par année (`engagement.calculer_engagement`),
celui de la rupture.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import repeat
from operator import add
from typing import NamedTuple

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
    nouvel_echeancier,
)
from apicfa.financement.montants import (
    NPEC_CONNUS,
    centimes_npec,
    en_euros,
    euros,
    texte_euros,
)
from apicfa.financement.motif import (
    CODIFICATIONS,
    ZERO,
    Motif,
    Pourcentages,
    motif_echeancier,
    tetes,
)
from apicfa.financement.participation import NIVEAU_MINIMUM, deduire, montant_participation

_nouvelle_echeance = tuple.__new__
_NUMEROS = len(CODIFICATIONS)
_ANNEES_EN_TABLE = 4


class AnneeComplete(NamedTuple):
    """Une année complète chiffrée pour un NPEC : ses parts en centimes, et pour les échéances
    numérotées 1, 2, … des `annees` premières années complètes, les champs d'une `Echeance`
    jusqu'au montant compris (numéro, codification, montant en euros)."""

    centimes: list[int]
    annees: int
    tetes: list[tuple[int, str, Decimal]]


# Les années complètes, par régime puis par NPEC (en centimes).
_ANNEES_COMPLETES: dict[Regime, dict[int, AnneeComplete]] = {"2020": {}, "2025": {}}
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


def annee_complete(
    regime: Regime, pourcentages: Pourcentages, npec: int, annees: int = _ANNEES_EN_TABLE
) -> AnneeComplete:
    """Les parts d'une année complète et les têtes d'échéances de ses répétitions (en cache : un
    référentiel n'a que quelques milliers de NPEC ; le découpage d'une année complète ne dépend
    que du régime). La table couvre au moins `annees` années complètes."""
    cache = _ANNEES_COMPLETES[regime]
    annee = cache.get(npec)
    if annee is None or annee.annees < annees:
        if len(cache) >= _TAILLE_MAX_CACHE:
            cache.clear()
        centimes = parts_d_une_annee(npec, pourcentages)
        montants = [euros(part) for part in centimes]
        annees = max(annees, _ANNEES_EN_TABLE)
        numeros = tetes(annees * len(centimes))
        annee = cache[npec] = AnneeComplete(
            centimes,
            annees,
            [
                (numero, codification, montants[indice % len(montants)])
                for indice, (numero, codification) in enumerate(numeros)
            ],
        )
    return annee


def montants_bruts(motif: Motif, npec: int, regime: Regime) -> list[int]:
    """Le montant brut (avant participation) de chaque échéance, dans l'ordre des numéros, en
    centimes : les années complètes valent le NPEC, une dernière année incomplète NPEC ×
    numérateur / dénominateur (arrondi demi vers le haut)."""
    _nombre, repetitions, complets, numerateur, denominateur, reste, _queues = motif
    bruts = annee_complete(regime, complets, npec).centimes * repetitions if repetitions else []
    if reste:
        derniere = (2 * npec * numerateur + denominateur) // (2 * denominateur)
        bruts += parts_d_une_annee(derniere, reste)
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
    motif = motif_echeancier(calcul.regime, contrat.date_debut, contrat.date_fin)
    bruts = montants_bruts(motif, calcul.npec, calcul.regime)
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
    npec = NPEC_CONNUS.get(contrat.npec) or centimes_npec(contrat.npec)
    if contrat.date_conclusion < DEBUT_REGIME_2025:
        regime: Regime = "2020"
    else:
        regime = "2025"
        if regime2025.minoration_due(contrat.duree_formation, contrat.heures_distanciel):
            npec = regime2025.npec_minore(npec)
    motif = motif_echeancier(regime, debut, fin)
    nombre, repetitions, complets, numerateur, denominateur, reste, queues = motif
    # Les champs de chaque échéance jusqu'au montant : ceux des années complètes viennent tout
    # faits du cache du NPEC ; ceux de la dernière année incomplète sont propres au contrat.
    if repetitions:
        annee = _ANNEES_COMPLETES[regime].get(npec)
        if annee is None or annee.annees < repetitions:
            annee = annee_complete(regime, complets, npec, repetitions)
        tete = annee.tetes[: repetitions * len(complets)]
        engagement = repetitions * npec
    else:
        tete = []
        engagement = 0
    parts: list[int] = []
    if reste:
        derniere = (2 * npec * numerateur + denominateur) // (2 * denominateur)
        engagement += derniere
        parts = parts_d_une_annee(derniere, reste)
        tete += [
            (
                numero,
                CODIFICATIONS[numero] if numero < _NUMEROS else f"E{numero}",
                Decimal(part).scaleb(-2),
            )
            for numero, part in enumerate(parts, len(tete) + 1)
        ]
    participation = 0
    if regime == "2025" and contrat.niveau >= NIVEAU_MINIMUM:
        participation = montant_participation(engagement, dans_periode_essai=False)
        if participation:
            bruts = annee.centimes * repetitions + parts if repetitions else parts
            for indice, _deduit in deduire(bruts, participation):
                numero, codification, _brut = tete[indice]
                tete[indice] = (numero, codification, euros(bruts[indice]))
            engagement -= participation
    # Chaque échéance = (numéro, codification, montant) + queue, assemblée en C.
    echeances = tuple(map(_nouvelle_echeance, repeat(Echeance), map(add, tete, queues)))
    if contrat.couts is None:
        frais: tuple[EngagementFraisAnnexe, ...] = ()
        detail_frais: tuple[str, ...] = ()
    else:
        frais, detail_frais = _frais(contrat, nombre)
    return nouvel_echeancier(
        regime,
        euros(npec),
        en_euros(engagement),  # propre au contrat : pas de cache
        echeances,
        euros(participation) if participation else ZERO,
        frais,
        ZERO,
        Explication(rediger_detail, contrat, detail_frais),
    )
