"""Les quatre exemples chiffrés de SPEC §6.4, reproduits exactement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.rupture import appliquer_rupture

from .aides import contrat, resume


def test_exemple_a_regime_2020_6825_euros() -> None:
    echeancier = calculer_echeancier(
        contrat("2023-10-01", "2024-09-30", "6825", conclusion="2023-09-15")
    )
    assert echeancier.regime == "2020"
    assert resume(echeancier) == [
        ("2730.00", "2023-10-01"),
        ("2047.50", "2024-04-01"),
        ("2047.50", "2024-07-01"),
    ]
    assert echeancier.engagement == Decimal("6825.00")


def test_exemple_b_regime_2025_deux_ans_niveau_6() -> None:
    echeancier = calculer_echeancier(contrat("2025-09-01", "2027-08-31", "8000", niveau=6))
    assert echeancier.regime == "2025"
    assert resume(echeancier) == [
        ("2450.00", "2025-09-01"),
        ("2400.00", "2026-03-01"),
        ("1600.00", "2026-06-01"),
        ("800.00", "2026-09-01"),
        ("3200.00", "2026-09-01"),
        ("2400.00", "2027-03-01"),
        ("1600.00", "2027-06-01"),
        ("800.00", "2027-09-01"),
    ]
    assert [e.annee for e in echeancier.echeances] == [1, 1, 1, 1, 2, 2, 2, 2]
    assert [e.codification for e in echeancier.echeances] == [f"E{n}" for n in range(1, 9)]
    assert echeancier.engagement == Decimal("15250.00")
    assert echeancier.participation_employeur == Decimal("750.00")
    assert [e.solde for e in echeancier.echeances] == [False] * 7 + [True]


def test_exemple_c_regime_2025_deuxieme_annee_de_289_jours() -> None:
    echeancier = calculer_echeancier(contrat("2025-09-15", "2027-06-30", "8000"))
    annee_1 = sum(e.montant_total for e in echeancier.echeances if e.annee == 1)
    annee_2 = sum(e.montant_total for e in echeancier.echeances if e.annee == 2)
    assert annee_1 == Decimal("8000.00")
    assert annee_2 == Decimal("6334.25")
    assert echeancier.engagement == Decimal("14334.25")
    assert any("289 jours / 365 = 6\u202f334,25 €" in phrase for phrase in echeancier.detail)


def test_exemple_d_rupture_142_jours_trop_percu() -> None:
    le_contrat = contrat("2025-09-01", "2027-08-31", "9000", niveau=5)
    initial = calculer_echeancier(le_contrat)
    assert initial.echeances[0].montant_total == Decimal("3600.00")
    coupe = appliquer_rupture(
        initial,
        le_contrat,
        date(2026, 1, 20),
        dans_periode_essai=False,
        montants_regles={1: Decimal("3600.00")},
    )
    assert coupe.engagement == Decimal("3501.37")
    assert coupe.trop_percu == Decimal("98.63")
    assert resume(coupe) == [("3600.00", "2025-09-01")]
    assert any("142 jours / 365 = 3\u202f501,37 €" in phrase for phrase in coupe.detail)
