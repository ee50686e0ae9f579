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


def test_erreurs_d_usage_en_francais() -> None:
    """Les messages d'usage écrits en dur dans Typer/Click et pydantic sortent en français."""
    cas = {
        ("cfa-comptes", "creer", "--siret", "1"): "Option obligatoire manquante : '--uai'.",
        ("cfa-comptes", "creer", "--bidule"): "Option inconnue : --bidule",
        ("cfa-comptes", "creer", "--siret"): "L'option '--siret' attend une valeur.",
        ("commande-inexistante",): "Commande inconnue : 'commande-inexistante'.",
        ("serveur", "--port", "abc"): "Valeur invalide pour '--port' : un nombre entier",
        ("serveur", "--workers", "0"): "une valeur ≥ 1 est attendue",
        ("simuler",): "Argument obligatoire manquant : 'fichier'.",
    }
    for arguments, attendu in cas.items():
        resultat = CliRunner().invoke(app, list(arguments), terminal_width=200)
        assert resultat.exit_code == 2, arguments
        assert attendu in resultat.output, (arguments, resultat.output)
        if arguments[-1] != "--siret":  # une option sans valeur n'affiche pas d'usage
            assert "Utilisation : apicfa" in resultat.output
        for anglais in ("Missing", "No such", "Invalid value", "Input should", "Usage:"):
            assert anglais not in resultat.output, (arguments, resultat.output)


def test_traduction_des_messages_connus_et_inconnus() -> None:
    from apicfa.cli._francais import traduire

    assert traduire("Got unexpected extra argument (x)") == "Argument(s) en trop : x"
    assert traduire("Got unexpected extra arguments (x y)") == "Argument(s) en trop : x y"
    assert (
        traduire("Invalid value for 'f': file '/a b' does not exist.")
        == "Valeur invalide pour 'f' : Fichier '/a b' introuvable."
    )
    assert traduire("No such option: --x (Possible options: --xa, --xb)") == (
        "Option inconnue : --x (options possibles : --xa, --xb)"
    )
    assert traduire("Invalid value: Input should be 'a' or 'b'") == (
        "Valeur invalide : valeur attendue : 'a' ou 'b'"
    )
    # Un message que la table ne connaît pas passe tel quel plutôt que d'être perdu.
    assert traduire("Quelque chose d'inattendu.") == "Quelque chose d'inattendu."
