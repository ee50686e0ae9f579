"""Environnement Alembic d'apicfa : une branche de migrations par domaine,
appliquées ensemble avec `upgrade heads`."""

from __future__ import annotations

from alembic import context

from apicfa.stockage.moteur import creer_moteur

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    moteur = creer_moteur(url)
    with moteur.connect() as connexion:
        context.configure(connection=connexion, render_as_batch=moteur.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    moteur.dispose()


run_migrations_online()
