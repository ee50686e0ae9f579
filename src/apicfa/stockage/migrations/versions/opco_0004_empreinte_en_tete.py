"""Index anti-doublon des dossiers : l'empreinte en tête, (empreinte, opco, cfa_id).

La recherche des doublons d'un lot de dépôts (`EspaceCfa.dossiers_par_empreinte`) filtrait sur
(opco, cfa_id, empreinte). Sur une base PostgreSQL encore sans statistiques (base neuve, ou
entre deux passages de l'autovacuum), le planificateur estime ces trois conditions aussi
sélectives que les deux premières et choisit parfois l'index (opco, cfa_id, etat, rang) : il lit
alors TOUS les dossiers du CFA à chaque lot (mesuré : 3,5 ms par lot à 6 557 dossiers, au lieu de
0,07 ms). Avec l'empreinte en tête, la recherche ne filtre que sur l'empreinte : un seul index
peut la servir. La contrainte d'unicité est la même (mêmes colonnes, autre ordre).

SQLite ne sait pas retirer une contrainte d'unicité : la table est recréée (mode « batch »
d'Alembic), une fois, à la migration.

Revision ID: opco_0004
Revises: opco_0003
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "opco_0004"
down_revision = "opco_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as table:
        table.drop_constraint("uq_dossier_opco_cfa_id_empreinte", type_="unique")
        table.create_unique_constraint(
            "uq_dossier_empreinte_opco_cfa_id", ["empreinte", "opco", "cfa_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier") as table:
        table.drop_constraint("uq_dossier_empreinte_opco_cfa_id", type_="unique")
        table.create_unique_constraint(
            "uq_dossier_opco_cfa_id_empreinte", ["opco", "cfa_id", "empreinte"]
        )
