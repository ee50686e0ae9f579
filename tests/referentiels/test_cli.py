"""`apicfa referentiel …` de bout en bout avec le CliRunner de typer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.referentiels import exemples

runner = CliRunner()


def test_importer_npec_puis_interroger(url_base: str, donnees_partagees: Path) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2024-04-09.xlsx"
    resultat = runner.invoke(app, ["referentiel", "importer-npec", str(chemin), "--base", url_base])
    assert resultat.exit_code == 0, resultat.output
    assert "version n° 1 (mise en page 2024), applicable au 15/10/2023" in resultat.output
    assert "lignes sans valeur (NC, NR, vide) : 1" in resultat.output

    encore = runner.invoke(app, ["referentiel", "importer-npec", str(chemin), "--base", url_base])
    assert encore.exit_code == 0 and "déjà importé" in encore.output

    texte = runner.invoke(
        app,
        [
            "referentiel",
            "npec",
            "--rncp",
            "RNCP36989",
            "--idcc",
            "478",
            "--date",
            "2024-01-01",
            "--base",
            url_base,
        ],
    )
    assert texte.exit_code == 0, texte.output
    assert "8\u202f502,00 €" in texte.output and "CPNE 2" in texte.output

    brut = runner.invoke(
        app,
        [
            "referentiel",
            "npec",
            "--rncp",
            "36989",
            "--idcc",
            "0478",
            "--date",
            "2024-01-01",
            "--json",
            "--base",
            url_base,
        ],
    )
    assert brut.exit_code == 0, brut.output
    contenu = json.loads(brut.output)
    assert contenu["npec"] == "8502.00"
    assert contenu["origine"] == "referentiel"
    assert contenu["dateVersion"] == "2023-10-15"
    assert (contenu["codeCpne"], contenu["statut"]) == ("2", "A")


def test_npec_amorcage_ou_rien(url_base: str) -> None:
    commande = ["referentiel", "npec", "--rncp", "RNCP35340", "--idcc", "1486"]
    commande += ["--date", "2025-09-01", "--base", url_base]
    sans_niveau = runner.invoke(app, commande)
    assert sans_niveau.exit_code == 1
    assert "--niveau" in sans_niveau.output
    avec_niveau = runner.invoke(app, [*commande, "--niveau", "7", "--json"])
    assert avec_niveau.exit_code == 0, avec_niveau.output
    contenu = json.loads(avec_niveau.output)
    assert (contenu["npec"], contenu["origine"], contenu["niveau"]) == ("7000.00", "amorcage", 7)


def test_importer_idcc_opco(url_base: str) -> None:
    resultat = runner.invoke(
        app,
        ["referentiel", "importer-idcc-opco", exemples.chemin_idcc_opco(), "--base", url_base],
    )
    assert resultat.exit_code == 0, resultat.output
    assert "30 IDCC lus ; 30 ajoutés, 0 modifiés, 0 inchangés" in resultat.output


def test_fichier_faux_message_francais(url_base: str, tmp_path: Path) -> None:
    faux = tmp_path / "npec.xlsx"
    faux.write_text("pas un classeur", encoding="utf-8")
    resultat = runner.invoke(app, ["referentiel", "importer-npec", str(faux), "--base", url_base])
    assert resultat.exit_code == 2
    assert "Erreur : npec.xlsx n'est pas un classeur Excel lisible" in resultat.output


def test_date_invalide(url_base: str, tmp_path: Path) -> None:
    resultat = runner.invoke(
        app,
        [
            "referentiel",
            "importer-npec",
            str(tmp_path / "x.xlsx"),
            "--date-applicabilite",
            "01/07/2025",
            "--base",
            url_base,
        ],
    )
    assert resultat.exit_code == 2
    assert "--date-applicabilite : date AAAA-MM-JJ attendue" in resultat.output


def test_base_par_defaut_depuis_la_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, donnees_partagees: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'variable.db'}"
    monkeypatch.setenv("APICFA_BASE", url)
    resultat = runner.invoke(
        app, ["referentiel", "importer-idcc-opco", str(donnees_partagees / "idcc-opco.csv")]
    )
    assert resultat.exit_code == 0, resultat.output
    assert (tmp_path / "variable.db").exists()


def test_versions(url_base: str) -> None:
    vide = runner.invoke(app, ["referentiel", "versions", "--base", url_base])
    assert vide.exit_code == 0 and "Aucune version" in vide.output
    from apicfa.referentiels.depot import charger_exemples

    charger_exemples(url_base)
    liste = runner.invoke(app, ["referentiel", "versions", "--base", url_base])
    assert liste.exit_code == 0, liste.output
    lignes = liste.output.strip().splitlines()
    assert len(lignes) == 2
    assert "applicable au 01/01/2019" in lignes[0] and "applicable au 01/07/2025" in lignes[1]
    assert "414 valeurs" in lignes[0]


def test_retirer_npec_demande_confirmation(url_base: str, donnees_partagees: Path) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2024-04-09.xlsx"
    assert runner.invoke(app, ["referentiel", "importer-npec", str(chemin), "--base", url_base])
    commande = ["referentiel", "retirer-npec", "1", "--base", url_base]

    refus = runner.invoke(app, commande, input="n\n")
    assert refus.exit_code == 1 and "retrait annulé" in refus.output
    assert "n° 1" in runner.invoke(app, ["referentiel", "versions", "--base", url_base]).output

    accord = runner.invoke(app, commande, input="o\n")
    assert accord.exit_code == 0, accord.output
    assert "Version n° 1 retirée : referentiel-npec-2024-04-09.xlsx" in accord.output
    vide = runner.invoke(app, ["referentiel", "versions", "--base", url_base])
    assert "Aucune version du référentiel NPEC" in vide.output

    absente = runner.invoke(app, [*commande, "--oui"])
    assert absente.exit_code == 2
    assert "aucune version n° 1" in absente.output
