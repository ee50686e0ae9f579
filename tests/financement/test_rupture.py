"""Rupture : dates hors contrat, montants incohérents, échéance déjà payée après la rupture."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.rupture import appliquer_rupture

from .aides import contrat, resume

CONTRAT = contrat("2025-09-01", "2027-08-31", "9000", niveau=5)


@pytest.mark.parametrize(
    ("jour", "message"),
    [
        (date(2025, 8, 31), r"dateRupture \(2025-08-31\) est antérieure"),
        (date(2027, 9, 1), r"dateRupture \(2027-09-01\) est postérieure"),
    ],
)
def test_date_hors_du_contrat_refusee(jour: date, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        appliquer_rupture(calculer_echeancier(CONTRAT), CONTRAT, jour)


def test_regle_plus_grand_que_l_echeance_refuse() -> None:
    with pytest.raises(ValueError, match=r"E1 : réglé \+ en cours d'instruction"):
        appliquer_rupture(
            calculer_echeancier(CONTRAT),
            CONTRAT,
            date(2026, 1, 20),
            montants_regles={1: Decimal("3000")},
            montants_en_cours={1: Decimal("700")},
        )


def test_echeance_deja_payee_apres_la_rupture_ramenee_a_ce_montant() -> None:
    # Rupture déclarée tard : E2 (ouverte le 2026-03-01) a été payée 1000, R = 2026-01-20.
    # E' = 3501.37 ; gardées E1 3600 (rien de réglé) et E2 ramenée à 1000 = 4600 ; excès 1098.63
    # pris d'abord sur E2 (plus tardive, plancher 1000 : rien) puis sur E1 → 2501.37.
    coupe = appliquer_rupture(
        calculer_echeancier(CONTRAT),
        CONTRAT,
        date(2026, 1, 20),
        montants_regles={2: Decimal("1000")},
    )
    assert resume(coupe) == [("2501.37", "2025-09-01"), ("1000.00", "2026-03-01")]
    assert coupe.trop_percu == Decimal("0.00")
    assert coupe.engagement == Decimal("3501.37")
    assert any("E3, E4, E5, E6, E7, E8" in phrase for phrase in coupe.detail)


def test_periodes_coupees_a_la_rupture_et_solde_de_rupture() -> None:
    un_an = contrat("2025-09-01", "2026-08-31", "8000")
    coupe = appliquer_rupture(calculer_echeancier(un_an), un_an, date(2026, 8, 31))
    derniere = coupe.echeances[-1]
    assert (derniere.numero, derniere.codification, derniere.solde) == (5, "E5", True)
    assert (derniere.date_debut, derniere.date_fin) == (date(2025, 9, 1), date(2026, 8, 31))
    assert all(e.date_fin <= date(2026, 8, 31) for e in coupe.echeances)
