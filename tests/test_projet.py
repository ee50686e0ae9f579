"""Le projet s'installe, la commande `apicfa` répond, le schéma se crée."""

from __future__ import annotations

from sqlalchemy import inspect
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.stockage.moteur import creer_moteur


def test_aide_de_la_commande_en_francais() -> None:
    resultat = CliRunner().invoke(app, ["--help"])
    assert resultat.exit_code == 0
    assert "norme d'échange API CFA" in resultat.output


def test_migration_cree_la_table_de_version(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    assert "alembic_version" in inspect(moteur).get_table_names()
    moteur.dispose()


def test_aide_des_options_en_francais() -> None:
    resultat = CliRunner().invoke(app, ["cfa", "--help"])
    assert resultat.exit_code == 0
    assert "Affiche cette aide et quitte." in resultat.output
    assert "Commandes" in resultat.output
    assert "Show this message" not in resultat.output
