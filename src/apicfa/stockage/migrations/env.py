"""Environnement Alembic d'apicfa : une branche de migrations par domaine,
appliquées ensemble avec `upgrade heads`."""

from __future__ import annotations

from alembic import context

from apicfa.stockage.moteur import creer_moteur

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    moteur = creer_moteur(url)
    sqlite = moteur.dialect.name == "sqlite"
    with moteur.connect() as connexion:
        if sqlite:
            # Une migration « batch » recrée la table (copie, suppression, renommage) ; clés
            # étrangères actives, la suppression d'une table référencée (les échéances
            # référencent `dossier`) échouerait. Procédure de SQLite pour les changements de
            # schéma : clés étrangères coupées le temps des migrations (hors transaction, sur la
            # connexion du pilote), vérifiées avant la validation.
            connexion.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        context.configure(connection=connexion, render_as_batch=sqlite)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                fautes = connexion.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fautes:
                    raise RuntimeError(
                        f"migration refusée : {len(fautes)} lignes violent une clé étrangère "
                        f"(première : table {fautes[0][0]}, ligne {fautes[0][1]})"
                    )
    moteur.dispose()


run_migrations_online()
