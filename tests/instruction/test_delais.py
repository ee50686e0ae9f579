"""Jours ouvrés, date limite de dépôt (fériés français), délai de décision, refus tacite."""

from __future__ import annotations

from datetime import date

import pytest

from apicfa.instruction.delais import (
    ajouter_jours_ouvres,
    date_limite_decision,
    date_limite_depot,
    est_jour_ouvre,
    est_refus_tacite,
)


@pytest.mark.parametrize(
    ("jour", "departement", "ouvre"),
    [
        (date(2026, 11, 27), None, True),  # vendredi ordinaire
        (date(2026, 11, 28), None, False),  # samedi
        (date(2026, 11, 29), None, False),  # dimanche
        (date(2026, 5, 1), None, False),  # fête du travail
        (date(2026, 5, 14), None, False),  # Ascension
        (date(2026, 4, 3), None, True),  # Vendredi saint : ouvré en métropole…
        (date(2026, 4, 3), "57", False),  # … férié en Moselle
        (date(2026, 4, 3), "67", False),  # … et en Alsace
        (date(2026, 12, 26), "68", False),  # Saint-Étienne (samedi de toute façon)
        (date(2026, 5, 22), "972", False),  # abolition de l'esclavage en Martinique
        (date(2026, 5, 22), "75", True),
    ],
)
def test_jour_ouvre(jour: date, departement: str | None, ouvre: bool) -> None:
    assert est_jour_ouvre(jour, departement) is ouvre


@pytest.mark.parametrize(
    ("debut", "departement", "limite"),
    [
        # Lundi → 5 jours ouvrés plus tard : le lundi suivant.
        (date(2026, 11, 23), None, date(2026, 11, 30)),
        # Jeudi 30 avril : 1er mai et 8 mai (vendredis) fériés → lundi 11 mai.
        (date(2026, 4, 30), None, date(2026, 5, 11)),
        # Début un samedi : le lundi est le 1er jour ouvré.
        (date(2026, 11, 28), None, date(2026, 12, 4)),
        # Jeudi 2 avril 2026 : lundi de Pâques férié partout, vendredi saint en Alsace-Moselle.
        (date(2026, 4, 2), None, date(2026, 4, 10)),
        (date(2026, 4, 2), "57", date(2026, 4, 13)),
        # Fin d'année : 25 décembre et 1er janvier.
        (date(2025, 12, 24), None, date(2026, 1, 2)),
    ],
)
def test_date_limite_depot(debut: date, departement: str | None, limite: date) -> None:
    assert date_limite_depot(debut, 5, departement) == limite


def test_zero_jour_ouvre_rend_le_jour_meme() -> None:
    assert ajouter_jours_ouvres(date(2026, 11, 28), 0) == date(2026, 11, 28)


def test_nombre_negatif_refuse() -> None:
    with pytest.raises(ValueError, match="négatif"):
        ajouter_jours_ouvres(date(2026, 1, 5), -1)


def test_delai_de_decision_et_refus_tacite() -> None:
    limite = date_limite_decision(date(2026, 1, 20))
    assert limite == date(2026, 2, 9)
    assert not est_refus_tacite(limite, date(2026, 2, 9))
    assert est_refus_tacite(limite, date(2026, 2, 10))


def test_prechauffer_charge_les_calendriers_de_l_annee() -> None:
    from apicfa.instruction.delais import _calendrier, prechauffer

    prechauffer(2031)
    for subdivision in (None, "57", "6AE", "971", "976"):
        assert 2031 in _calendrier(subdivision).years
    assert not est_jour_ouvre(date(2031, 5, 1))  # 1er mai, jeudi
    assert not est_jour_ouvre(date(2031, 12, 26), "57")  # Saint-Étienne en Moselle
    assert est_jour_ouvre(date(2031, 12, 26), "75")
