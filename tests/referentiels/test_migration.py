"""La migration de la branche `referentiels` crée exactement les tables des modèles."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.referentiels import (
    CpneTable,
    IdccCpneTable,
    IdccOpcoTable,
    ValeurNpecTable,
    VersionNpecTable,
)

TABLES = (VersionNpecTable, ValeurNpecTable, CpneTable, IdccCpneTable, IdccOpcoTable)


def test_modeles_et_migration_concordent(url_base: str) -> None:
    modeles = MetaData()
    for table in TABLES:
        table.__table__.to_metadata(modeles)
    moteur = creer_moteur(url_base)
    noms = {table.__tablename__ for table in TABLES}
    with moteur.connect() as connexion:
        contexte = MigrationContext.configure(
            connexion,
            opts={"include_name": lambda nom, genre, _p: genre != "table" or nom in noms},
        )
        differences = compare_metadata(contexte, modeles)
    moteur.dispose()
    assert differences == []
