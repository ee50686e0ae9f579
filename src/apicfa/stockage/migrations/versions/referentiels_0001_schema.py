"""Référentiels : versions NPEC, valeurs, CPNE, rattachements IDCC → CPNE, IDCC → OPCO.

Revision ID: referentiels_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "referentiels_0001"
down_revision = None
branch_labels = ("referentiels",)
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _version_id(table: str) -> sa.Column:
    return sa.Column(
        "version_id",
        _ID,
        sa.ForeignKey(
            "referentiel_npec_version.id",
            name=f"fk_{table}_version",  # ≤ 63 caractères (PostgreSQL)
            ondelete="CASCADE",
        ),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "referentiel_npec_version",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("date_applicabilite", sa.Date(), nullable=False),
        sa.Column("fichier", sa.String(length=255), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("mise_en_page", sa.String(length=8), nullable=False),
        sa.Column("nombre_valeurs", sa.Integer(), nullable=False),
        sa.Column("date_import", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_referentiel_npec_version"),
        sa.UniqueConstraint("empreinte", name="uq_referentiel_npec_version_empreinte"),
    )
    op.create_index(
        "ix_referentiel_npec_version_date_applicabilite",
        "referentiel_npec_version",
        ["date_applicabilite"],
    )
    op.create_table(
        "referentiel_npec_valeur",
        _version_id("referentiel_npec_valeur"),
        sa.Column("numero_ligne", sa.Integer(), nullable=False),
        sa.Column("code_certification", sa.String(length=20), nullable=False),
        sa.Column("code_cpne", sa.String(length=12), nullable=False),
        sa.Column("valeur", sa.Numeric(14, 4), nullable=False),
        sa.Column("statut", sa.String(length=12), nullable=False),
        sa.Column("date_applicabilite", sa.Date(), nullable=True),
        sa.Column("partage", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "version_id",
            "numero_ligne",
            "code_certification",
            name="pk_referentiel_npec_valeur",
        ),
    )
    op.create_index(
        "ix_referentiel_npec_valeur_recherche",
        "referentiel_npec_valeur",
        ["code_certification", "code_cpne", "version_id"],
    )
    op.create_table(
        "referentiel_npec_cpne",
        _version_id("referentiel_npec_cpne"),
        sa.Column("code_cpne", sa.String(length=12), nullable=False),
        sa.Column("libelle", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("version_id", "code_cpne", name="pk_referentiel_npec_cpne"),
    )
    op.create_table(
        "referentiel_npec_idcc_cpne",
        _version_id("referentiel_npec_idcc_cpne"),
        sa.Column("idcc", sa.String(length=8), nullable=False),
        sa.Column("code_cpne", sa.String(length=12), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "version_id", "idcc", "code_cpne", name="pk_referentiel_npec_idcc_cpne"
        ),
    )
    op.create_table(
        "referentiel_idcc_opco",
        sa.Column("idcc", sa.String(length=8), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("libelle_idcc", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("idcc", name="pk_referentiel_idcc_opco"),
    )
    op.create_index("ix_referentiel_idcc_opco_opco", "referentiel_idcc_opco", ["opco"])


def downgrade() -> None:
    op.drop_index("ix_referentiel_idcc_opco_opco", table_name="referentiel_idcc_opco")
    op.drop_table("referentiel_idcc_opco")
    op.drop_table("referentiel_npec_idcc_cpne")
    op.drop_table("referentiel_npec_cpne")
    op.drop_index("ix_referentiel_npec_valeur_recherche", table_name="referentiel_npec_valeur")
    op.drop_table("referentiel_npec_valeur")
    op.drop_index(
        "ix_referentiel_npec_version_date_applicabilite", table_name="referentiel_npec_version"
    )
    op.drop_table("referentiel_npec_version")
