"""Propriétés de l'échéancier et de la rupture (hypothesis, peu d'exemples, sans délai)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.modeles import Echeancier
from apicfa.financement.rupture import appliquer_rupture

REGLAGES = settings(max_examples=150, deadline=None)


@st.composite
def contrats(draw: st.DrawFn) -> ContratFinance:
    conclusion = draw(st.dates(date(2020, 1, 1), date(2028, 12, 31)))
    debut = conclusion + timedelta(days=draw(st.integers(0, 90)))
    duree = draw(st.integers(1, 4 * 366))
    duree_formation = draw(st.none() | st.integers(1, 2000))
    distanciel = None if duree_formation is None else draw(st.integers(0, duree_formation))
    return ContratFinance(
        date_conclusion=conclusion,
        date_debut=debut,
        date_fin=debut + timedelta(days=duree - 1),
        npec=Decimal(draw(st.integers(100_00, 20_000_00))).scaleb(-2),
        niveau=draw(st.sampled_from([0, 3, 4, 5, 6, 7, 8])),
        duree_formation=duree_formation,
        heures_distanciel=distanciel,
    )


@st.composite
def ruptures(draw: st.DrawFn) -> tuple[ContratFinance, Echeancier, Echeancier]:
    contrat = draw(contrats())
    initial = calculer_echeancier(contrat)
    jours = (contrat.date_fin - contrat.date_debut).days
    rupture = contrat.date_debut + timedelta(days=draw(st.integers(0, jours)))
    regles: dict[int, Decimal] = {}
    en_cours: dict[int, Decimal] = {}
    for echeance in initial.echeances:
        if echeance.date_ouverture > rupture:
            continue
        centimes = int(echeance.montant_total * 100)
        regle = draw(st.integers(0, centimes))
        regles[echeance.numero] = Decimal(regle).scaleb(-2)
        en_cours[echeance.numero] = Decimal(draw(st.integers(0, centimes - regle))).scaleb(-2)
    coupe = appliquer_rupture(
        initial,
        contrat,
        rupture,
        dans_periode_essai=draw(st.booleans()),
        montants_regles=regles,
        montants_en_cours=en_cours,
    )
    return contrat, initial, coupe


def _verifier_invariants(echeancier: Echeancier) -> None:
    total = sum((e.montant_total for e in echeancier.echeances), Decimal(0))
    assert total == echeancier.engagement + echeancier.trop_percu
    assert echeancier.engagement >= 0
    assert echeancier.trop_percu >= 0
    for echeance in echeancier.echeances:
        assert echeance.montant_total >= 0
        assert echeance.montant_regle >= 0
        assert echeance.montant_en_cours_instruction >= 0
        assert (
            echeance.montant_regle + echeance.montant_en_cours_instruction <= echeance.montant_total
        )
        assert echeance.montant_total == echeance.montant_total.quantize(Decimal("0.01"))
    soldes = [e.date_ouverture for e in echeancier.echeances if e.solde]
    if soldes:
        assert max(e.date_ouverture for e in echeancier.echeances) <= min(soldes)
    numeros = [e.numero for e in echeancier.echeances]
    assert len(set(numeros)) == len(numeros)


@REGLAGES
@given(contrats())
def test_echeancier_somme_exacte_sans_negatif_rien_apres_le_solde(contrat: ContratFinance) -> None:
    echeancier = calculer_echeancier(contrat)
    _verifier_invariants(echeancier)
    assert echeancier.trop_percu == 0
    ouvertures = [(e.date_ouverture, e.annee) for e in echeancier.echeances]
    assert ouvertures == sorted(ouvertures)
    assert [e.numero for e in echeancier.echeances] == list(range(1, len(ouvertures) + 1))


@REGLAGES
@given(ruptures())
def test_rupture_somme_exacte_et_engagement_jamais_augmente(
    cas: tuple[ContratFinance, Echeancier, Echeancier],
) -> None:
    _contrat, initial, coupe = cas
    _verifier_invariants(coupe)
    assert coupe.engagement <= initial.engagement


@REGLAGES
@given(contrats(), st.integers(1, 400))
def test_engagement_ne_baisse_pas_quand_la_fin_recule(
    contrat: ContratFinance, jours_de_plus: int
) -> None:
    fin_plus_tard = contrat.date_fin + timedelta(days=jours_de_plus)
    prolonge = ContratFinance(
        date_conclusion=contrat.date_conclusion,
        date_debut=contrat.date_debut,
        date_fin=fin_plus_tard,
        npec=contrat.npec,
        niveau=contrat.niveau,
        duree_formation=contrat.duree_formation,
        heures_distanciel=contrat.heures_distanciel,
    )
    assert calculer_echeancier(prolonge).engagement >= calculer_echeancier(contrat).engagement
