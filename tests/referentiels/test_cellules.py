"""Lecture des cellules des classeurs : montants, dates, codes, en-têtes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from apicfa.referentiels import cellules


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (8000.0, Decimal("8000")),
        (8000, Decimal("8000")),
        (6079.3333, Decimal("6079.3333")),
        ("8 000 €", Decimal("8000")),
        ("8\u00a0000\u00a0€", Decimal("8000")),
        ("8\u202f000,50 €", Decimal("8000.50")),
        (" 7500 ", Decimal("7500")),
        ("7 500 EUR", Decimal("7500")),
        ("NC", None),
        ("NR", None),
        ("nc", None),
        ("", None),
        (None, None),
    ],
)
def test_montant(brut: object, attendu: Decimal | None) -> None:
    assert cellules.montant(brut) == attendu


def test_un_montant_entier_garde_une_forme_lisible() -> None:
    assert str(cellules.montant(8000.0)) == "8000"


@pytest.mark.parametrize("brut", ["abc", "12 000 € HT", "-5", True])
def test_montant_illisible(brut: object) -> None:
    with pytest.raises(ValueError, match="montant"):
        cellules.montant(brut)


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (date(2024, 7, 15), date(2024, 7, 15)),
        (datetime(2024, 7, 15, 0, 0), date(2024, 7, 15)),
        ("15/07/2024", date(2024, 7, 15)),
        ("2024-07-15", date(2024, 7, 15)),
        ("", None),
    ],
)
def test_jour(brut: object, attendu: date | None) -> None:
    assert cellules.jour(brut) == attendu


def test_jour_illisible() -> None:
    with pytest.raises(ValueError, match="date illisible"):
        cellules.jour("15 juillet")


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("RNCP1002", ("RNCP1002",)),
        ("RNCP1006/RNCP37239", ("RNCP1006", "RNCP37239")),
        ("RNCP1006 / RNCP37239", ("RNCP1006", "RNCP37239")),
        ("rncp35340", ("RNCP35340",)),
        ("35340", ("RNCP35340",)),
        (1022001.0, ("01022001",)),
        ("50033001", ("50033001",)),
        ("RNCP1/RNCP1", ("RNCP1",)),
        ("", ()),
    ],
)
def test_codes_certification(brut: object, attendu: tuple[str, ...]) -> None:
    assert cellules.codes_certification(brut) == attendu


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        (478.0, ("0478",)),
        ("627, 749, 1597", ("0627", "0749", "1597")),
        ("NA", ()),
        ("", ()),
    ],
)
def test_codes_idcc(brut: object, attendu: tuple[str, ...]) -> None:
    assert cellules.codes_idcc(brut) == attendu


def test_cle_entete_ignore_accents_casse_et_renvois() -> None:
    assert (
        cellules.cle_entete("Date d'applicabilité des NPEC** \n(**hors contrats …)")
        == "date d'applicabilite des npec"
    )
    assert cellules.cle_entete("Certificateur* \n(*liste non exhaustive)") == "certificateur"
    assert cellules.cle_entete("  Code   CPNE ") == "code cpne"
    assert cellules.cle_entete(2.0) == "2"
