"""Import d'un export CSV/XLSX en dossiers CERFA."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.client.importation import ErreurImport, convertir, importer, placer
from apicfa.demo.generateur import generer_dossiers


def aplatir(objet: Any, prefixe: str = "") -> dict[str, str]:
    """Un cerfa en colonnes pointées, comme l'écrirait un tableur."""
    colonnes: dict[str, str] = {}
    if isinstance(objet, dict):
        for cle, valeur in objet.items():
            colonnes.update(aplatir(valeur, f"{prefixe}{cle}."))
    elif isinstance(objet, list):
        for rang, valeur in enumerate(objet):
            colonnes.update(aplatir(valeur, f"{prefixe}{rang}."))
    elif isinstance(objet, bool):
        colonnes[prefixe[:-1]] = "oui" if objet else "non"
    elif objet is not None:
        colonnes[prefixe[:-1]] = (
            str(objet).replace(".", ",") if isinstance(objet, float) else str(objet)
        )
    return colonnes


def _ecrire_csv(chemin: Path, lignes: list[dict[str, str]]) -> None:
    entetes = sorted({c for ligne in lignes for c in ligne})
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.DictWriter(fichier, entetes, delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lignes)


def test_aller_retour_dossiers_de_demo_par_colonnes_pointees(tmp_path: Path) -> None:
    dossiers = [d["cerfa"] for d in generer_dossiers(5, 11)]
    chemin = tmp_path / "export.csv"
    _ecrire_csv(chemin, [aplatir(d) for d in dossiers])
    ignorees, lignes = importer(chemin)
    lus = list(lignes)
    assert ignorees == []
    assert [ligne.problemes for ligne in lus] == [()] * 5
    for original, ligne in zip(dossiers, lus, strict=True):
        assert ligne.cerfa == original


def test_intitules_lisibles_xlsx_conversions(tmp_path: Path) -> None:
    from openpyxl import Workbook

    classeur = Workbook()
    feuille = classeur.active
    assert feuille is not None
    feuille.append(
        ["Employeur IDCC", "Apprenti RQTH", "Contrat date début", "Contrat salaire embauche",
         "Rémunération 1 taux", "Employeur code postal", "Colonne perso"]
    )  # fmt: skip
    feuille.append([843, "Oui", "01/09/2025", "1 234,50", 53, 1000, "x"])
    feuille.append([None, None, None, None, None, None, None])
    chemin = tmp_path / "export.xlsx"
    classeur.save(chemin)
    ignorees, lignes = importer(chemin)
    (ligne,) = list(lignes)
    assert ignorees == ["Colonne perso"]
    assert ligne.numero == 2 and ligne.problemes == ()
    assert ligne.cerfa["employeur"] == {"codeIdcc": "0843", "adresse": {"codePostal": "01000"}}
    assert ligne.cerfa["apprenti"] == {"handicap": True}
    assert ligne.cerfa["contrat"]["dateDebutContrat"] == "2025-09-01"
    assert ligne.cerfa["contrat"]["salaireEmbauche"] == 1234.5
    assert ligne.cerfa["contrat"]["remunerationsAnnuelles"] == [{"taux": 53}]


def test_valeur_inconvertible_nomme_le_champ() -> None:
    with pytest.raises(ValueError, match=r"apprenti\.handicap : « peut-être »"):
        convertir("apprenti.handicap", "peut-être")
    with pytest.raises(ValueError, match=r"contrat\.typeContratApp"):
        convertir("contrat.typeContratApp", "onze")
    cible: dict[str, Any] = {}
    placer(cible, "a.0.b", 1)
    placer(cible, "a.1.b", 2)
    assert cible == {"a": [{"b": 1}, {"b": 2}]}


def test_fichier_sans_colonne_reconnue(tmp_path: Path) -> None:
    chemin = tmp_path / "x.csv"
    chemin.write_text("foo;bar\n1;2\n", encoding="utf-8")
    with pytest.raises(ErreurImport, match="aucune colonne reconnue"):
        importer(chemin)
    with pytest.raises(ErreurImport, match="CSV ou XLSX"):
        importer(tmp_path / "x.pdf")


def test_commande_importer_ecrit_les_valides_et_signale_les_autres(tmp_path: Path) -> None:
    dossiers = [d["cerfa"] for d in generer_dossiers(3, 5)]
    lignes = [aplatir(d) for d in dossiers]
    lignes[1]["employeur.siret"] = "12345678901234"
    chemin = tmp_path / "export.csv"
    _ecrire_csv(chemin, lignes)
    sortie = tmp_path / "dossiers"
    resultat = CliRunner().invoke(app, ["cfa", "importer", str(chemin), "--sortie", str(sortie)])
    assert resultat.exit_code == 1, resultat.output
    assert "ligne 3 : non importée" in resultat.output
    assert "cerfa.employeur.siret" in resultat.output
    assert "2 dossier(s) écrit(s)" in resultat.output
    ecrits = sorted(sortie.glob("*.json"))
    assert [p.name for p in ecrits] == ["export-ligne-00002.json", "export-ligne-00004.json"]
    assert orjson.loads(ecrits[0].read_bytes()) == {"cerfa": dossiers[0]}
