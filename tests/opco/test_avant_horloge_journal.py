"""Raccourcis du processus HTTP (issue #3, session 4) comparés à ce qu'ils remplacent :
l'horloge du serveur contre `datetime.now(UTC).replace(tzinfo=None)`, la conversion des
horodatages du journal d'audit sous SQLite contre celle de SQLAlchemy, l'écriture du journal
(COPY sur PostgreSQL) contre l'insertion de SQLAlchemy (cas générés)."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from opco_banc import journal_par_sqlalchemy_et_par_le_pilote
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from apicfa.opco.journal import LIGNES_PAR_INSTRUCTION, _conversions
from apicfa.opco.services import maintenant_utc


def test_horloge_du_serveur_comme_now_utc_sans_fuseau(monkeypatch: pytest.MonkeyPatch) -> None:
    # un fuseau local loin d'UTC : une horloge locale se verrait
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    try:
        assert abs(datetime.now() - datetime.now(UTC).replace(tzinfo=None)) > timedelta(hours=1)
        for _ in range(2000):
            avant = datetime.now(UTC).replace(tzinfo=None)
            instant = maintenant_utc()
            apres = datetime.now(UTC).replace(tzinfo=None)
            assert type(instant) is datetime and instant.tzinfo is None
            assert avant <= instant <= apres
    finally:
        monkeypatch.undo()
        time.tzset()


def _instants(graine: int) -> list[Any]:
    hasard = random.Random(graine)
    instants: list[Any] = []
    for _ in range(300):
        instant = datetime(1, 1, 1) + timedelta(
            seconds=hasard.randrange(0, 315_000_000_000),
            microseconds=hasard.choice([0, 1, 10, 999_999, hasard.randrange(10**6)]),
        )
        nature = hasard.random()
        if nature < 0.1:
            instant = instant.replace(tzinfo=timezone(timedelta(hours=hasard.randrange(-12, 13))))
        elif nature < 0.15:
            instant = instant.date()
        elif nature < 0.18:
            instant = None
        instants.append(instant)
    return instants


@pytest.mark.parametrize("graine", range(20))
def test_journal_horodatage_sqlite_comme_sqlalchemy(graine: int) -> None:
    dialecte = sqlite.dialect()
    reference = DateTime().dialect_impl(dialecte).bind_processor(dialecte)
    ((rang, conversion),) = _conversions(dialecte)
    assert rang == 0 and conversion is not reference  # le raccourci est bien en place
    for instant in _instants(graine):
        if instant is None:
            continue  # `inserer_lignes` ne convertit pas les valeurs absentes
        assert conversion(instant) == reference(instant)


def test_journal_horodatage_sqlite_refuse_comme_sqlalchemy() -> None:
    dialecte = sqlite.dialect()
    reference = DateTime().dialect_impl(dialecte).bind_processor(dialecte)
    ((_, conversion),) = _conversions(dialecte)
    for valeur in ("2026-12-06", 3):
        with pytest.raises(TypeError) as attendue:
            reference(valeur)
        with pytest.raises(TypeError) as obtenue:
            conversion(valeur)
        assert str(obtenue.value) == str(attendue.value)


def _lignes_speciales(graine: int, nombre: int) -> list[Any]:
    """Des lignes de journal dont les textes portent ce que le format texte de COPY échappe
    (tabulation, fins de ligne, barre oblique inverse, `\\N`) et des chaînes vides."""
    hasard = random.Random(graine)
    depart = datetime(2026, 12, 6, 5, 30, 0)

    def texte(longueur: int) -> str | None:
        if hasard.random() < 0.15:
            return None
        return "".join(
            hasard.choice(["a", "é", "€", "\t", "\n", "\r", "\\", "\\N", "N", "'", '"', "%s", " "])
            for _ in range(hasard.randrange(longueur))
        )[: longueur - 1]

    return [
        (
            depart + timedelta(microseconds=hasard.choice([0, 1, hasard.randrange(10**9)])),
            texte(16),
            hasard.choice([None, 0, 1, 2**31 - 1]),
            texte(30),
            texte(30),
            texte(10),
            hasard.choice(["POST", "GET", ""]),
            texte(40) or "",
            hasard.choice([200, 404, 503]),
            texte(64) or "x",
            texte(64),
            hasard.randrange(100_000),
        )
        for _ in range(nombre)
    ]


@pytest.mark.parametrize("graine", range(3))
def test_journal_textes_a_echapper_stockes_comme_par_sqlalchemy(url_base: str, graine: int) -> None:
    """Mêmes valeurs stockées (type et texte) que l'insertion de SQLAlchemy, y compris pour les
    caractères que COPY (PostgreSQL) doit échapper."""
    lignes = _lignes_speciales(graine, 2 * LIGNES_PAR_INSTRUCTION + 7)
    avant, apres = journal_par_sqlalchemy_et_par_le_pilote(url_base, lignes)
    assert len(avant) == len(lignes) and apres == avant
