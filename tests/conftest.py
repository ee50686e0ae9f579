"""Fixtures communes.

`url_base` donne une base migrée et vide pour un test : un fichier SQLite neuf,
ou, quand `APICFA_TEST_BASE` désigne PostgreSQL, la base de test remise à zéro
une fois par session puis vidée (TRUNCATE) avant chaque test. Tout test qui
l'utilise reçoit le marqueur `base` : `make test` rejoue ces tests sur PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from apicfa.stockage.moteur import creer_moteur, migrer

DONNEES_PARTAGEES = Path(__file__).resolve().parents[2] / "shared" / "data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "url_base" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.base)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "base: test qui utilise une base de données")


@pytest.fixture(scope="session")
def _postgres_pret() -> Iterator[str | None]:
    url = os.environ.get("APICFA_TEST_BASE")
    if not url:
        yield None
        return
    moteur = creer_moteur(url)
    with moteur.begin() as connexion:
        connexion.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connexion.execute(text("CREATE SCHEMA public"))
    moteur.dispose()
    migrer(url)
    yield url


@pytest.fixture
def url_base(tmp_path: Path, _postgres_pret: str | None) -> str:
    if _postgres_pret is None:
        url = f"sqlite:///{tmp_path / 'apicfa.db'}"
        migrer(url)
        return url
    moteur = creer_moteur(_postgres_pret)
    with moteur.begin() as connexion:
        tables = (
            connexion.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            noms = ", ".join(f'"{t}"' for t in tables)
            connexion.execute(text(f"TRUNCATE {noms} RESTART IDENTITY CASCADE"))
    moteur.dispose()
    return _postgres_pret


@pytest.fixture(scope="session")
def donnees_partagees() -> Path:
    """Le dossier `../shared/data` (données publiques de référence), ou un saut motivé."""
    if not DONNEES_PARTAGEES.is_dir():
        pytest.skip(f"données publiques absentes ({DONNEES_PARTAGEES}) : test ignoré")
    return DONNEES_PARTAGEES
