"""`apicfa cfa configurer` : fichier 0600, clés masquées."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.client import configuration as conf

CLE = "cle-tres-secrete-0123456789abcdef"


@pytest.fixture
def fichier_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    chemin = tmp_path / "config" / "client.json"
    monkeypatch.setenv(conf.VARIABLE_CHEMIN, str(chemin))
    return chemin


def test_configurer_ecrit_en_0600_et_masque_les_cles(fichier_config: Path) -> None:
    resultat = CliRunner().invoke(
        app,
        [
            "cfa", "configurer", "--opco", "akto", "--url", "https://akto.test/api",
            "--cle", CLE, "--oauth-url", "https://akto.test/token", "--client-id", "logiciel",
            "--client-secret", "secret-oauth-123456", "--siret-cfa", "36624039800219",
        ],
    )  # fmt: skip
    assert resultat.exit_code == 0, resultat.output
    assert CLE not in resultat.output and "secret-oauth-123456" not in resultat.output
    assert "cdef" in resultat.output
    assert stat.S_IMODE(fichier_config.stat().st_mode) == 0o600
    reglages = conf.charger()
    assert reglages.opcos["akto"].cle == CLE
    oauth = reglages.opcos["akto"].oauth()
    assert oauth is not None and oauth.client_id == "logiciel"
    assert reglages.cfa.siret == "36624039800219"
    # Une seconde configuration garde la clé quand on ne change que l'URL.
    resultat = CliRunner().invoke(
        app, ["cfa", "configurer", "--opco", "akto", "--url", "https://akto.test/v2"]
    )
    assert resultat.exit_code == 0, resultat.output
    assert orjson.loads(fichier_config.read_bytes())["opcos"]["akto"]["cle"] == CLE


def test_configurer_refuse_opco_inconnu_et_oauth_incomplet(fichier_config: Path) -> None:
    resultat = CliRunner().invoke(
        app, ["cfa", "configurer", "--opco", "opcox", "--url", "u", "--cle", "c"]
    )
    assert resultat.exit_code == 2 and "inconnu" in resultat.output
    resultat = CliRunner().invoke(
        app,
        ["cfa", "configurer", "--opco", "atlas", "--url", "u", "--cle", "c", "--oauth-url", "t"],
    )
    assert resultat.exit_code == 2 and "--client-id" in resultat.output
    assert not fichier_config.exists()


def test_opco_non_configure_message_explicite() -> None:
    with pytest.raises(conf.ErreurConfiguration, match="apicfa cfa configurer --opco atlas"):
        conf.Configuration().reglage("atlas")


def test_masquer() -> None:
    assert conf.masquer(CLE) == "••••••••cdef"
    assert conf.masquer("court") == "••••••••"
    assert conf.masquer(None) == "—"


def test_envoyer_sans_opco_configure_s_arrete_avant_tout_envoi(
    fichier_config: Path, tmp_path: Path
) -> None:
    (tmp_path / "d.json").write_text("{}", encoding="utf-8")
    journal = tmp_path / "j.sqlite"
    resultat = CliRunner().invoke(
        app, ["cfa", "envoyer", str(tmp_path / "d.json"), "--journal", str(journal)]
    )
    assert resultat.exit_code == 2 and "Aucun OPCO configuré" in resultat.output
    resultat = CliRunner().invoke(
        app,
        ["cfa", "envoyer", str(tmp_path / "d.json"), "--opco", "akto", "--journal", str(journal)],
    )
    assert resultat.exit_code == 2 and "configurer --opco akto" in resultat.output
    assert not journal.exists()


def test_editeur_accentue_refuse_en_francais_avant_tout_envoi(fichier_config: Path) -> None:
    from apicfa.client.opco import Logiciel

    with pytest.raises(ValueError, match=r"EDITEUR « Mon éditeur » .* « Mon editeur »"):
        Logiciel("Mon éditeur", "Gestion", "1.0")
    with pytest.raises(ValueError, match=r"VERSION : valeur vide"):
        Logiciel("Editeur", "Gestion", " ")
    assert Logiciel("Mon editeur", "Gestion CFA", "4.2").editeur == "Mon editeur"

    resultat = CliRunner().invoke(
        app,
        [
            "cfa", "configurer", "--opco", "atlas", "--url", "https://atlas.test",
            "--cle", CLE, "--logiciel", "Gestion des contrats à distance",
        ],
    )  # fmt: skip
    assert resultat.exit_code == 2
    assert "LOGICIEL « Gestion des contrats à distance »" in resultat.output
    assert "« Gestion des contrats a distance »" in resultat.output
    assert not fichier_config.exists()


def test_configurer_enregistre_editeur_et_logiciel_valables(fichier_config: Path) -> None:
    resultat = CliRunner().invoke(
        app, ["cfa", "configurer", "--editeur", "Mon editeur", "--logiciel", "Gestion CFA"]
    )
    assert resultat.exit_code == 0, resultat.output
    reglages = conf.charger()
    assert (reglages.editeur, reglages.logiciel) == ("Mon editeur", "Gestion CFA")
    vide = CliRunner().invoke(app, ["cfa", "configurer", "--editeur", "  "])
    assert vide.exit_code == 2 and "EDITEUR : valeur vide" in vide.output
    assert conf.charger().editeur == "Mon editeur"


def test_editeur_accentue_d_un_ancien_fichier_donne_une_erreur_de_configuration(
    fichier_config: Path,
) -> None:
    reglages = conf.Configuration(
        opcos={"atlas": conf.ReglageOpco("atlas", "https://atlas.test", CLE)},
        editeur="Mon éditeur",
    )
    with pytest.raises(
        conf.ErreurConfiguration, match=r"EDITEUR « Mon éditeur » .* « Mon editeur »"
    ):
        reglages.client("atlas")
    conf.enregistrer(reglages)
    journal = fichier_config.parent / "journal.sqlite"
    resultat = CliRunner().invoke(app, ["cfa", "synchroniser", "--journal", str(journal)])
    assert resultat.exit_code != 0
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
    assert "atlas : EDITEUR « Mon éditeur »" in resultat.output
