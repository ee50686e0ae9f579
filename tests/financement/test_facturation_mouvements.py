"""Mouvements d'une facture sur les échéances et invariant réglé + en cours ≤ total."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.facturation import (
    DossierFacture,
    controler_facture,
    est_entierement_regle,
    liberer,
    mettre_en_instruction,
    regler,
)
from apicfa.financement.modeles import Echeance

Mouvement = Callable[[Sequence[Echeance], Mapping[int, Decimal]], tuple[Echeance, ...]]

ECHEANCES = calculer_echeancier(
    ContratFinance(
        date_conclusion=date(2023, 9, 1),
        date_debut=date(2023, 10, 1),
        date_fin=date(2024, 9, 30),
        npec=Decimal("6825"),
    )
).echeances  # Exemple A : 2 730,00 ; 2 047,50 ; 2 047,50


def test_cycle_complet_jusqu_au_solde() -> None:
    assert [e.montant_total for e in ECHEANCES] == [
        Decimal("2730.00"),
        Decimal("2047.50"),
        Decimal("2047.50"),
    ]
    echeances = mettre_en_instruction(ECHEANCES, {1: Decimal("2730.00"), 2: Decimal("1000.00")})
    assert echeances[0].montant_en_cours_instruction == Decimal("2730.00")
    assert echeances[1].montant_en_cours_instruction == Decimal("1000.00")
    echeances = regler(echeances, {1: Decimal("2730.00"), 2: Decimal("1000.00")})
    assert echeances[0].montant_regle == Decimal("2730.00")
    assert echeances[0].montant_en_cours_instruction == Decimal("0.00")
    assert not est_entierement_regle(echeances)
    echeances = mettre_en_instruction(echeances, {2: Decimal("1047.50"), 3: Decimal("2047.50")})
    echeances = regler(echeances, {2: Decimal("1047.50"), 3: Decimal("2047.50")})
    assert est_entierement_regle(echeances)
    assert sum(e.montant_regle for e in echeances) == Decimal("6825.00")


def test_liberer_rend_le_montant_facturable() -> None:
    echeances = mettre_en_instruction(ECHEANCES, {1: Decimal("500.00")})
    echeances = liberer(echeances, {1: Decimal("500.00")})
    assert echeances == ECHEANCES


@pytest.mark.parametrize(
    ("mouvement", "depart", "montants", "extrait"),
    [
        (mettre_en_instruction, ECHEANCES, {1: Decimal("2730.01")}, "dépasseraient montantTotal"),
        (regler, ECHEANCES, {1: Decimal("1.00")}, "seulement 0.00 € en cours"),
        (liberer, ECHEANCES, {2: Decimal("1.00")}, "seulement 0.00 € en cours"),
        (mettre_en_instruction, ECHEANCES, {9: Decimal("1.00")}, "inconnue(s) : 9"),
        (mettre_en_instruction, ECHEANCES, {1: Decimal("-1.00")}, "négatif"),
    ],
)
def test_mouvement_impossible_refuse(
    mouvement: Mouvement,
    depart: tuple[Echeance, ...],
    montants: dict[int, Decimal],
    extrait: str,
) -> None:
    with pytest.raises(ValueError, match=extrait.replace("(", r"\(").replace(")", r"\)")):
        mouvement(depart, montants)


def _invariant(echeances: tuple[Echeance, ...]) -> None:
    for e in echeances:
        assert e.montant_regle >= 0
        assert e.montant_en_cours_instruction >= 0
        assert e.montant_regle + e.montant_en_cours_instruction <= e.montant_total


operation = st.tuples(
    st.sampled_from(["facturer", "payer", "liberer"]),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=1, max_value=500_000),  # centimes
)


@settings(max_examples=60, deadline=None)
@given(
    npec=st.integers(min_value=100_000, max_value=1_500_000),
    debut=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    duree=st.integers(min_value=183, max_value=1095),
    operations=st.lists(operation, max_size=25),
)
def test_invariant_sous_toute_suite_de_factures(
    npec: int, debut: date, duree: int, operations: list[tuple[str, int, int]]
) -> None:
    echeancier = calculer_echeancier(
        ContratFinance(
            date_conclusion=debut - timedelta(days=10),
            date_debut=debut,
            date_fin=debut + timedelta(days=duree),
            npec=Decimal(npec).scaleb(-2),
            niveau=6,
        )
    )
    echeances = echeancier.echeances
    reception = debut + timedelta(days=duree + 1)  # toutes ouvertes
    for action, numero, centimes in operations:
        montant = Decimal(centimes).scaleb(-2)
        if numero > len(echeances):
            continue
        if action == "facturer":
            dossier = DossierFacture(
                etat="ENGAGE", echeances=echeances, certificats_finals=(reception,)
            )
            f = {
                "numero": "F1",
                "dateEmission": debut.isoformat(),
                "ibanEmetteur": "FR7630006000011234567890189",
                "siretEmetteur": "73282932000074",
                "montantTotal": str(montant),
                "lignes": [
                    {
                        "montant": str(montant),
                        "natureLigne": "PEDAGOGIE",
                        "numeroEcheance": numero,
                        "numeroDossier": "D",
                    }
                ],
            }
            resultat = controler_facture(f, dossiers={"D": dossier}, date_reception=reception)
            echeance = echeances[numero - 1]
            attendu = (
                echeance.montant_en_cours_instruction == 0
                and montant
                <= echeance.montant_total
                - echeance.montant_regle
                - echeance.montant_en_cours_instruction
            )
            assert resultat.valide is attendu, resultat.commentaire
            if resultat.valide:
                echeances = mettre_en_instruction(echeances, resultat.montants_par_echeance("D"))
        else:
            en_cours = echeances[numero - 1].montant_en_cours_instruction
            if en_cours:
                mouvement = regler if action == "payer" else liberer
                echeances = mouvement(echeances, {numero: en_cours})
        _invariant(echeances)
    assert sum(e.montant_regle for e in echeances) <= echeancier.engagement
