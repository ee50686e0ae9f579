"""Date de paiement d'une facture validée et sélection des factures payables à une date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from apicfa.norme.etats import EtatFacture
from apicfa.paiements import FactureAPayer, date_paiement, factures_payables

IBAN = "FR7630006000011234567890189"


def facture(numero: str, recue: date, **autres: Any) -> FactureAPayer:
    base = FactureAPayer(
        numero_interne=numero,
        reference_cfa=f"F-{numero}",
        montant=Decimal("100.00"),
        iban=IBAN,
        beneficiaire="CFA des Métiers",
        date_reception=recue,
    )
    return replace(base, **autres)


@pytest.mark.parametrize(
    ("recue", "delai", "attendue"),
    [
        (date(2026, 1, 1), 15, date(2026, 1, 16)),
        (date(2026, 2, 20), 15, date(2026, 3, 7)),
        (date(2026, 1, 31), 30, date(2026, 3, 2)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
    ],
)
def test_date_de_paiement(recue: date, delai: int, attendue: date) -> None:
    assert date_paiement(recue, delai) == attendue


def test_delai_par_defaut_quinze_jours() -> None:
    assert date_paiement(date(2026, 3, 1)) == date(2026, 3, 16)


@pytest.mark.parametrize("delai", [31, 45, -1])
def test_delai_au_dela_du_maximum_reglementaire(delai: int) -> None:
    with pytest.raises(ValueError, match="maximum réglementaire"):
        date_paiement(date(2026, 1, 1), delai)


def test_selection_des_factures_payables() -> None:
    factures = [
        facture("3", date(2026, 1, 5)),  # payable le 20/01
        facture("1", date(2026, 1, 6)),  # payable le 21/01 : pas encore
        facture("2", date(2026, 1, 1)),  # payable le 16/01
        facture("4", date(2026, 1, 1), etat=EtatFacture.REJETE),
        facture("5", date(2026, 1, 1), etat=EtatFacture.REGLE),
        facture("6", date(2026, 1, 1), etat=EtatFacture.TRANSMIS),
        facture("7", date(2026, 1, 1), montant=Decimal("0.00")),
    ]
    payables = factures_payables(factures, jour=date(2026, 1, 20))
    assert [f.numero_interne for f in payables] == ["2", "3"]
    plus_court = factures_payables(factures, jour=date(2026, 1, 20), delai_jours=10)
    assert [f.numero_interne for f in plus_court] == ["2", "3", "1"]


def test_selection_refuse_un_delai_hors_bornes() -> None:
    with pytest.raises(ValueError, match="31 jours invalide"):
        factures_payables([], jour=date(2026, 1, 20), delai_jours=31)
