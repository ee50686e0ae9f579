"""Création du moteur SQLAlchemy et migration de la base au démarrage.

L'URL vient de `--base`, sinon de `APICFA_BASE`, sinon d'un fichier SQLite
embarqué `var/apicfa.db` (relatif au dossier courant).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

URL_PAR_DEFAUT = "sqlite:///var/apicfa.db"
VARIABLE_BASE = "APICFA_BASE"
POOL_SQLITE = 16


def url_base(url: str | None = None) -> str:
    """L'URL de base effective : argument, puis variable d'environnement, puis SQLite."""
    return url or os.environ.get(VARIABLE_BASE) or URL_PAR_DEFAUT


def est_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _preparer_fichier_sqlite(url: str) -> None:
    chemin = url.split(":///", 1)[1] if ":///" in url else ""
    if chemin and chemin != ":memory:":
        Path(chemin).parent.mkdir(parents=True, exist_ok=True)


def creer_moteur(url: str | None = None, **options: object) -> Engine:
    """Un moteur prêt à l'emploi. Sur SQLite : WAL, `synchronous=FULL` (chaque
    validation est durable), clés étrangères et attente de verrou de 30 s. Les messages
    d'erreur SQL ne contiennent jamais les valeurs liées (`hide_parameters`) : une charge utile,
    un NIR ou une empreinte de clé ne peuvent pas finir dans un journal."""
    url = url_base(url)
    if est_sqlite(url):
        _preparer_fichier_sqlite(url)
        connect_args = {"timeout": 30, **dict(options.pop("connect_args", {}) or {})}  # type: ignore[call-overload]
        connect_args.pop("connect_timeout", None)
        if "poolclass" not in options and ":memory:" not in url:
            # Une connexion SQLite ouverte coûte ses PRAGMA : en garder assez pour les fils de
            # lecture simultanés plutôt que d'ouvrir et fermer des connexions de débordement.
            options.setdefault("pool_size", POOL_SQLITE)
            options.setdefault("max_overflow", POOL_SQLITE)
        moteur = create_engine(url, connect_args=connect_args, hide_parameters=True, **options)

        @event.listens_for(moteur, "connect")
        def _pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            curseur = dbapi_connection.cursor()
            curseur.execute("PRAGMA journal_mode=WAL")
            curseur.execute("PRAGMA synchronous=FULL")
            curseur.execute("PRAGMA foreign_keys=ON")
            curseur.execute("PRAGMA busy_timeout=30000")
            curseur.close()

        return moteur
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **options)


def migrer(url: str | None = None) -> None:
    """Crée ou met à jour le schéma avec Alembic (toutes les branches : `heads`)."""
    from alembic import command
    from alembic.config import Config

    url = url_base(url)
    if est_sqlite(url):
        _preparer_fichier_sqlite(url)
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "heads")
