"""Types de colonnes communs aux tables (identiques sur SQLite et PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer

# Clé primaire entière : BIGINT sur PostgreSQL, INTEGER (rowid) sur SQLite pour l'auto-incrément.
IdAuto = BigInteger().with_variant(Integer(), "sqlite")
