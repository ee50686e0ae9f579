"""Arithmétique des mois et années (écrêtage), mois commencés, niveaux de certification."""

from __future__ import annotations

from datetime import date

import pytest

from apicfa.financement.calendrier import ajouter_annees, ajouter_mois, mois_commences
from apicfa.financement.niveau import niveau_certification


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # exemple de la SPEC
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # février bissextile
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 31), 2, date(2025, 3, 31)),  # toujours depuis le jour d'origine
        (date(2025, 5, 31), 9, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
    ],
)
def test_ajouter_mois_ecrete_au_dernier_jour(jour: date, mois: int, attendu: date) -> None:
    assert ajouter_mois(jour, mois) == attendu


def test_ajouter_annees_un_29_fevrier() -> None:
    assert ajouter_annees(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert ajouter_annees(date(2028, 2, 29), 4) == date(2032, 2, 29)


@pytest.mark.parametrize(
    ("debut", "fin", "attendu"),
    [
        (date(2023, 10, 1), date(2023, 10, 1), 1),
        (date(2023, 10, 1), date(2023, 10, 31), 1),
        (date(2023, 10, 1), date(2023, 11, 1), 2),
        (date(2024, 1, 31), date(2024, 2, 28), 1),  # 2e mois commence le 29/02
        (date(2024, 1, 31), date(2024, 2, 29), 2),
        (date(2023, 9, 15), date(2024, 3, 16), 7),
        (date(2023, 10, 1), date(2024, 9, 30), 12),
    ],
)
def test_mois_commences(debut: date, fin: date, attendu: int) -> None:
    assert mois_commences(debut, fin) == attendu


@pytest.mark.parametrize(
    ("type_diplome", "niveau"),
    [
        ("80", 8),
        (73, 7),
        ("69", 6),
        ("54", 5),
        (41, 4),
        ("33", 3),
        ("25", 0),
        ("13", 0),
        (None, 0),
        ("abc", 0),
        ("81", 0),
    ],
)
def test_niveau_de_certification(type_diplome: object, niveau: int) -> None:
    assert niveau_certification(type_diplome) == niveau  # type: ignore[arg-type]
