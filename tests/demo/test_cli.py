"""`apicfa demo-donnees` : fichiers écrits, contenu identique au générateur, erreurs en français."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.demo.generateur import generer_dossiers
from apicfa.demo.invalides import EXCLUSIONS, regles_du_cerfa
from apicfa.norme.validation import valider_cerfa

runner = CliRunner()


def test_ecrit_un_fichier_par_dossier(tmp_path: Path) -> None:
    sortie = tmp_path / "demo"
    resultat = runner.invoke(
        app, ["demo-donnees", "--nombre", "12", "--graine", "5", "--sortie", str(sortie)]
    )
    assert resultat.exit_code == 0, resultat.output
    assert "12 dossiers valides écrits" in resultat.output
    fichiers = sorted(p.name for p in sortie.iterdir())
    assert fichiers == [f"dossier-{n:05d}.json" for n in range(1, 13)]
    attendus = list(generer_dossiers(12, 5))
    lus = [orjson.loads((sortie / nom).read_bytes()) for nom in fichiers]
    assert lus == attendus


def test_meme_graine_memes_fichiers(tmp_path: Path) -> None:
    for nom in ("a", "b"):
        runner.invoke(
            app, ["demo-donnees", "--nombre", "3", "--graine", "9", "--sortie", str(tmp_path / nom)]
        )
    for fichier in (tmp_path / "a").iterdir():
        assert fichier.read_bytes() == (tmp_path / "b" / fichier.name).read_bytes()


def test_reference_choisie(tmp_path: Path) -> None:
    resultat = runner.invoke(
        app,
        ["demo-donnees", "--nombre", "20", "--sortie", str(tmp_path), "--reference", "2024-05-31"],
    )
    assert resultat.exit_code == 0, resultat.output
    for fichier in tmp_path.glob("dossier-*.json"):
        contrat = orjson.loads(fichier.read_bytes())["cerfa"]["contrat"]
        assert date.fromisoformat(contrat["dateConclusion"]) <= date(2024, 5, 31)


def test_reference_illisible_ou_trop_ancienne(tmp_path: Path) -> None:
    illisible = runner.invoke(
        app, ["demo-donnees", "--sortie", str(tmp_path), "--reference", "31/05/2024"]
    )
    assert illisible.exit_code == 2
    assert "--reference : date AAAA-MM-JJ attendue" in illisible.output
    ancienne = runner.invoke(
        app, ["demo-donnees", "--sortie", str(tmp_path), "--reference", "2019-06-01"]
    )
    assert ancienne.exit_code == 2
    assert "jour de référence" in ancienne.output
    assert not list(tmp_path.iterdir())


def test_invalides_un_fichier_par_regle(tmp_path: Path) -> None:
    resultat = runner.invoke(
        app, ["demo-donnees", "--nombre", "2", "--sortie", str(tmp_path), "--invalides"]
    )
    assert resultat.exit_code == 0, resultat.output
    ecrits = {p.stem for p in (tmp_path / "invalides").glob("*.json")}
    assert ecrits == set(regles_du_cerfa()) - set(EXCLUSIONS)
    assert f"{len(ecrits)} dossiers invalides écrits" in resultat.output
    for code in EXCLUSIONS:
        assert code in resultat.output
    siret = orjson.loads((tmp_path / "invalides" / "EMPLOYEUR_SIRET_CLE.json").read_bytes())
    assert [c.code for c in valider_cerfa(siret)] == ["EMPLOYEUR_SIRET_CLE"]
    # Les dossiers valides restent seuls à la racine de la sortie.
    assert sorted(p.name for p in tmp_path.glob("*.json")) == [
        "dossier-00001.json",
        "dossier-00002.json",
    ]


def test_noms_de_fichiers_triables() -> None:
    from apicfa.demo.ecriture import nom_fichier

    assert nom_fichier(1, 10) == "dossier-00001.json"
    assert nom_fichier(42, 1_000_000) == "dossier-0000042.json"
    assert nom_fichier(1_000_000, 1_000_000) == "dossier-1000000.json"


def test_barre_de_progression_pour_un_grand_nombre(tmp_path: Path) -> None:
    resultat = runner.invoke(
        app, ["demo-donnees", "--nombre", "1000", "--graine", "3", "--sortie", str(tmp_path)]
    )
    assert resultat.exit_code == 0, resultat.output
    assert len(list(tmp_path.glob("dossier-*.json"))) == 1000
