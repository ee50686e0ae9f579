"""Stockage : modèles SQLAlchemy, moteur, migrations Alembic (SQLite ou PostgreSQL)."""
