"""Le chemin rapide (motif tiré des tables par date de début, années complètes par NPEC) rend
exactement le calcul année par année (plan, engagement)."""

from __future__ import annotations

import calendar
import dataclasses
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings

from apicfa.financement.calendrier import ajouter_annees, ajouter_mois
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.engagement import calculer_engagement
from apicfa.financement.modeles import Echeance, Echeancier, Explication
from apicfa.financement.motif import motif_echeancier
from apicfa.financement.serialisation import echeance_en_json

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


def test_motif_partage_le_prefixe_et_numerote_dans_l_ordre() -> None:
    debut = date(2025, 9, 1)
    fin = date(2028, 10, 11)  # trois années complètes, puis 41 jours
    motif = motif_echeancier("2025", debut, fin)
    nombre, repetitions, complets, numerateur, denominateur, reste, queues = motif
    assert (nombre, repetitions) == (4, 3)
    assert complets == (40, 30, 20, 0)
    assert (numerateur, denominateur) == (41, 365)
    assert reste == (40, 0)
    assert len(queues) == 14
    assert [queue[-1] for queue in queues] == [False] * 13 + [True]
    # Les queues des années complètes sont celles de tout contrat qui commence le même jour.
    autre = motif_echeancier("2025", debut, date(2029, 1, 20))
    assert all(a is b for a, b in zip(autre[-1][:12], queues[:12], strict=True))
    assert motif_echeancier("2025", debut, fin) == motif


def test_derniere_annee_complete_chiffree_comme_les_autres() -> None:
    # Deux ans pile, régime 2020 : six échéances 40/30/30, les deux années au NPEC.
    motif = motif_echeancier("2020", date(2023, 9, 1), date(2025, 8, 31))
    nombre, repetitions, complets, _numerateur, _denominateur, reste, queues = motif
    assert (nombre, repetitions, complets, reste) == (2, 2, (40, 30, 0), ())
    assert len(queues) == 6
    assert queues[-1][2] == date(2025, 6, 1)  # le reste de la 2e année s'ouvre au 10e mois
    assert not any(queue[-1] for queue in queues)


def _echeancier_annee_par_annee(contrat: ContratFinance) -> Echeancier:
    """L'échéancier tel que le plan le décrit, sans motif ni cache de montants : chaque part
    d'une année = montant de l'année × pourcentage arrondi au centime (demi vers le haut), le
    reste pour la part sans pourcentage ; la participation déduite des premières échéances."""
    calcul = calculer_engagement(contrat, contrat.date_fin)
    bruts: list[int] = []
    for numero_annee, montant in enumerate(calcul.montants, start=1):
        parts = [part for part in calcul.plan.parts if part.annee == numero_annee]
        pris = 0
        for part in parts:
            if part.pourcentage:
                centimes = int(
                    (Decimal(montant) * part.pourcentage / 100).quantize(
                        Decimal(1), rounding=ROUND_HALF_UP
                    )
                )
                pris += centimes
                bruts.append(centimes)
            else:
                bruts.append(montant - pris)
    reste = calcul.participation
    nets = []
    for brut in bruts:
        prise = min(brut, reste)
        reste -= prise
        nets.append(brut - prise)
    zero = Decimal("0.00")
    return Echeancier(
        calcul.regime,
        Decimal(calcul.npec).scaleb(-2),
        Decimal(calcul.engagement).scaleb(-2),
        tuple(
            Echeance(
                numero,
                f"E{numero}",
                Decimal(net).scaleb(-2),
                zero,
                zero,
                part.ouverture,
                part.debut,
                part.fin,
                part.annee,
                part.ouverture > contrat.date_fin,
            )
            for numero, (part, net) in enumerate(zip(calcul.plan.parts, nets, strict=True), 1)
        ),
        Decimal(calcul.participation).scaleb(-2) if calcul.participation else zero,
        (),
        zero,
        Explication.fixe(()),
    )


def _contrats_generes(graine: int) -> list[ContratFinance]:
    """Des milliers de contrats : débuts au hasard et débuts des 28, 29, 30, 31 de chaque mois
    (29 février compris), fins au hasard, à k mois ou k ans pile, à un jour près, d'un jour à
    huit ans, plus deux contrats de vingt ans ; les deux régimes, avec et sans minoration, tous
    les niveaux."""
    rng = random.Random(graine)
    debuts = [date(2023, 1, 1) + timedelta(days=rng.randrange(6 * 365)) for _ in range(1500)]
    debuts += [
        date(annee, mois, jour)
        for annee in (2023, 2024, 2025, 2027, 2028)
        for mois in range(1, 13)
        for jour in (28, 29, 30, 31)
        if jour <= calendar.monthrange(annee, mois)[1]
    ]
    contrats = []
    for debut in debuts:
        for _ in range(3):
            tirage = rng.random()
            if tirage < 0.4:
                fin = debut + timedelta(days=rng.randrange(8 * 366))
            elif tirage < 0.7:
                fin = ajouter_mois(debut, rng.randrange(1, 97)) - timedelta(
                    days=rng.choice((0, 1, 2))
                )
            else:
                fin = ajouter_annees(debut, rng.randrange(1, 9)) - timedelta(
                    days=rng.choice((0, 1, 2))
                )
            fin = max(fin, debut)
            duree = rng.choice((None, 0, rng.randrange(1, 2000)))
            distanciel = None if duree is None else rng.randrange(0, duree + 1)
            contrats.append(
                ContratFinance(
                    date_conclusion=debut - timedelta(days=rng.randrange(0, 90)),
                    date_debut=debut,
                    date_fin=fin,
                    npec=Decimal(rng.randrange(0, 25_000_00)).scaleb(-2),
                    niveau=rng.choice((0, 3, 4, 5, 6, 7, 8)),
                    duree_formation=duree,
                    heures_distanciel=distanciel,
                )
            )
    # Au-delà de 63 échéances (plus de quinze ans) : numéros hors des tables.
    for conclusion in (date(2024, 2, 29), date(2025, 8, 31)):
        contrats.append(
            ContratFinance(
                date_conclusion=conclusion,
                date_debut=conclusion,
                date_fin=ajouter_annees(conclusion, 20) - timedelta(days=40),
                npec=Decimal("9999.99"),
                niveau=7,
            )
        )
    return contrats


def test_chemin_rapide_egal_au_calcul_annee_par_annee_sur_des_milliers_de_cas() -> None:
    contrats = _contrats_generes(2026)
    assert len(contrats) > 4000
    regimes = {contrat.regime for contrat in contrats}
    assert regimes == {"2020", "2025"}
    for contrat in contrats:
        # Deux fois : motif calculé, puis lu dans le cache.
        for _ in range(2):
            rapide = calculer_echeancier(contrat)
            attendu = _echeancier_annee_par_annee(contrat)
            assert type(rapide) is Echeancier
            assert rapide == attendu, contrat
            # Même écriture des montants (deux décimales) et mêmes types d'échéances.
            assert [echeance_en_json(e) for e in rapide.echeances] == [
                echeance_en_json(e) for e in attendu.echeances
            ]
            assert all(type(e) is Echeance for e in rapide.echeances)
            assert (str(rapide.npec), str(rapide.engagement)) == (
                str(attendu.npec),
                str(attendu.engagement),
            )
            assert str(rapide.participation_employeur) == str(attendu.participation_employeur)


def test_nouvel_echeancier_est_un_echeancier_gele_comme_les_autres() -> None:
    contrat = _contrats_generes(7)[0]
    rapide = calculer_echeancier(contrat)
    construit = Echeancier(
        rapide.regime,
        rapide.npec,
        rapide.engagement,
        rapide.echeances,
        rapide.participation_employeur,
        rapide.engagements_frais_annexe,
        rapide.trop_percu,
        rapide.explication,
    )
    assert rapide == construit and hash(rapide) == hash(construit)
    assert repr(rapide) == repr(construit)
    assert [f.name for f in dataclasses.fields(rapide)] == [
        f.name for f in dataclasses.fields(construit)
    ]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rapide.engagement = Decimal(0)  # type: ignore[misc]
    assert rapide.detail == construit.detail
