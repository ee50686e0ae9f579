"""Numéros DECA donnés à l'engagement : forme de l'application de l'État, séquence."""

from __future__ import annotations

from datetime import date

import pytest

from apicfa.instruction.deca import FORME_DECA, departement_deca, numero_deca


@pytest.mark.parametrize(
    ("departement", "attendu"),
    [
        ("75", "075"),
        ("01", "001"),
        ("2A", "02A"),
        ("2b", "02B"),
        ("971", "971"),
        ("976", "976"),
        ("95", "095"),
        ("975", "013"),  # Saint-Pierre-et-Miquelon n'entre pas dans la forme DECA
        ("988", "013"),
        (None, "013"),
    ],
)
def test_departement_deca(departement: str | None, attendu: str) -> None:
    assert departement_deca(departement, "013") == attendu


def test_departement_par_defaut_invalide() -> None:
    with pytest.raises(ValueError, match="département DECA par défaut"):
        departement_deca(None, "75")


@pytest.mark.parametrize(
    ("sequence", "attendu"),
    [
        (1, "075202611000001"),
        (9_999, "075202611009999"),
        (10_000, "075202611010000"),
        (999_999, "075202611999999"),
    ],
)
def test_numero_deca(sequence: int, attendu: str) -> None:
    numero = numero_deca("075", date(2026, 11, 28), sequence)
    assert numero == attendu
    assert FORME_DECA.match(numero)


@pytest.mark.parametrize("sequence", [0, -3, 1_000_000])
def test_sequence_hors_bornes(sequence: int) -> None:
    with pytest.raises(ValueError, match="séquence DECA hors bornes"):
        numero_deca("075", date(2026, 11, 28), sequence)


def test_numeros_distincts_pour_des_sequences_distinctes() -> None:
    numeros = {numero_deca("02A", date(2027, 1, 3), s) for s in range(1, 2001)}
    assert len(numeros) == 2000
    assert all(FORME_DECA.match(n) for n in numeros)
