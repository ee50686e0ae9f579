"""Instruction dans le serveur : NPEC retenue sur le dossier, index des dossiers à instruire.

Revision ID: opco_0002
Revises: opco_0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "opco_0002"
down_revision = "opco_0001"
branch_labels = None
depends_on = None

_A_INSTRUIRE = sa.text("etat = 'TRANSMIS'")


def upgrade() -> None:
    op.add_column("dossier", sa.Column("npec_centimes", sa.BigInteger(), nullable=True))
    op.create_index(
        "ix_dossier_a_instruire",
        "dossier",
        ["id"],
        sqlite_where=_A_INSTRUIRE,
        postgresql_where=_A_INSTRUIRE,
    )
    op.create_index("ix_facture_opco_etat", "facture", ["opco", "etat"])


def downgrade() -> None:
    op.drop_index("ix_facture_opco_etat", table_name="facture")
    op.drop_index("ix_dossier_a_instruire", table_name="dossier")
    op.drop_column("dossier", "npec_centimes")
