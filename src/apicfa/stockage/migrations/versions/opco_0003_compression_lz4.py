"""PostgreSQL : charges utiles des dossiers compressées en LZ4 plutôt qu'en pglz.

Une charge utile de dossier (≈ 2,8 Kio de JSON) dépasse le seuil de compression de PostgreSQL
(≈ 2 Kio) : elle est compressée à chaque insertion. Mesuré ici (COPY de 20 000 charges du banc
de dépôt, PostgreSQL 15) : pglz coûte ≈ 30 µs de CPU de PostgreSQL de plus par ligne que LZ4,
pour la même taille stockée (41 contre 42 Mo). Les valeurs déjà stockées restent lisibles telles
quelles (chaque valeur garde sa méthode). Sans effet sur SQLite, ni sur un PostgreSQL compilé
sans LZ4 (la migration ne fait alors rien).

Revision ID: opco_0003
Revises: opco_0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "opco_0003"
down_revision = "opco_0002"
branch_labels = None
depends_on = None

_LZ4_DISPONIBLE = sa.text(
    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
)


def _postgresql_avec_lz4() -> bool:
    connexion = op.get_bind()
    return connexion.dialect.name == "postgresql" and bool(
        connexion.execute(_LZ4_DISPONIBLE).scalar()
    )


def upgrade() -> None:
    if _postgresql_avec_lz4():
        op.execute("ALTER TABLE dossier ALTER COLUMN charge_utile SET COMPRESSION lz4")


def downgrade() -> None:
    if _postgresql_avec_lz4():
        op.execute("ALTER TABLE dossier ALTER COLUMN charge_utile SET COMPRESSION pglz")
