"""Le chemin rapide (motif en cache) rend exactement le calcul année par année (plan, engagement)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.engagement import calculer_engagement
from apicfa.financement.motif import motif_echeancier

from .test_proprietes import contrats


@settings(max_examples=150, deadline=None)
@given(contrats())
def test_motif_et_plan_disent_la_meme_chose(contrat: ContratFinance) -> None:
    echeancier = calculer_echeancier(contrat)
    calcul = calculer_engagement(contrat, contrat.date_fin)
    assert echeancier.regime == calcul.regime
    assert echeancier.engagement == Decimal(calcul.engagement).scaleb(-2)
    assert echeancier.participation_employeur == Decimal(calcul.participation).scaleb(-2)
    assert len(echeancier.echeances) == len(calcul.plan.parts)
    par_annee = [0] * len(calcul.montants)
    for echeance, part in zip(echeancier.echeances, calcul.plan.parts, strict=True):
        assert (echeance.date_ouverture, echeance.date_debut, echeance.date_fin) == (
            part.ouverture,
            part.debut,
            part.fin,
        )
        assert echeance.annee == part.annee
        assert echeance.solde == (part.ouverture > contrat.date_fin)
        par_annee[part.annee - 1] += int(echeance.montant_total * 100)
    # Après participation : la somme des années moins la participation.
    assert sum(par_annee) == calcul.brut - calcul.participation
    if not calcul.participation:
        assert tuple(par_annee) == calcul.montants


def test_motif_partage_et_numerote_dans_l_ordre() -> None:
    debut = date(2025, 9, 1)
    fin = date(2028, 10, 11)  # trois années complètes, puis 41 jours
    motif = motif_echeancier("2025", debut, fin)
    assert motif is motif_echeancier("2025", debut, fin)
    nombre, repetitions, complets, numerateur, denominateur, reste, tetes, queues = motif
    assert (nombre, repetitions) == (4, 3)
    assert complets == (40, 30, 20, 0)
    assert (numerateur, denominateur) == (41, 365)
    assert reste == (40, 0)
    assert tetes == tuple((n, f"E{n}") for n in range(1, 15))
    assert [queue[-1] for queue in queues] == [False] * 13 + [True]


def test_derniere_annee_complete_chiffree_comme_les_autres() -> None:
    # Deux ans pile, régime 2020 : six échéances 40/30/30, les deux années au NPEC.
    motif = motif_echeancier("2020", date(2023, 9, 1), date(2025, 8, 31))
    nombre, repetitions, complets, _numerateur, _denominateur, reste, tetes, queues = motif
    assert (nombre, repetitions, complets, reste) == (2, 2, (40, 30, 0), ())
    assert len(tetes) == len(queues) == 6
    assert queues[-1][2] == date(2025, 6, 1)  # le reste de la 2e année s'ouvre au 10e mois
    assert not any(queue[-1] for queue in queues)
