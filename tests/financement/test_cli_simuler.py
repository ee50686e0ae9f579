"""`apicfa simuler` de bout en bout avec CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from apicfa.cli import app


def _ecrire(chemin: Path, donnees: dict[str, Any]) -> Path:
    chemin.write_text(json.dumps(donnees), encoding="utf-8")
    return chemin


@pytest.fixture
def cerfa(tmp_path: Path) -> Path:
    """Le contrat de l'exemple B : 2025-09-01 → 2027-08-31, licence (typeDiplome 69, niveau 6)."""
    return _ecrire(
        tmp_path / "cerfa.json",
        {
            "cerfa": {
                "employeur": {"codeIdcc": "1979"},
                "contrat": {
                    "dateConclusion": "2025-08-20",
                    "dateDebutContrat": "2025-09-01",
                    "dateFinContrat": "2027-08-31",
                },
                "formation": {"typeDiplome": "69", "rncp": "RNCP90001"},
            }
        },
    )


def _json(arguments: list[str]) -> dict[str, Any]:
    resultat = CliRunner().invoke(app, arguments)
    assert resultat.exit_code == 0, resultat.output
    return json.loads(resultat.stdout)


def test_json_de_l_exemple_b(cerfa: Path) -> None:
    sortie = _json(["simuler", str(cerfa), "--npec", "8000", "--json"])
    assert sortie["regime"] == "2025"
    assert sortie["npec"] == "8000.00"
    assert sortie["engagement"] == "15250.00"
    assert sortie["tropPercu"] == "0.00"
    assert sortie["engagementsFraisAnnexe"] == []
    premiere = sortie["echeances"][0]
    assert premiere["numero"] == 1
    assert premiere["codification"] == "E1"
    assert premiere["montantTotal"] == "2450.00"
    assert premiere["dateOuverture"] == "2025-09-01"
    assert premiere["dateDebut"] == "2025-09-01"
    assert premiere["dateFin"] == "2026-02-28"
    assert [e["montantTotal"] for e in sortie["echeances"]] == [
        "2450.00", "2400.00", "1600.00", "800.00", "3200.00", "2400.00", "1600.00", "800.00",
    ]  # fmt: skip
    assert any("750,00 €" in phrase for phrase in sortie["detail"])


def test_rupture_avec_montant_regle_donne_un_trop_percu(cerfa: Path) -> None:
    # NPEC 9000, niveau 6 : E1 = 3600 − 750 = 2850 réglée ; 142 j → 3501.37 − 750 = 2751.37.
    sortie = _json(
        [
            "simuler",
            str(cerfa),
            "--npec",
            "9000",
            "--rupture",
            "2026-01-20",
            "--regle",
            "1=2850",
            "--json",
        ]
    )
    assert sortie["engagement"] == "2751.37"
    assert sortie["tropPercu"] == "98.63"
    assert [e["montantRegle"] for e in sortie["echeances"]] == ["2850.00"]


def test_rupture_en_periode_d_essai(cerfa: Path) -> None:
    # 40 j → 876.71 ; participation 438.36 ; E' = 438.35.
    sortie = _json(
        [
            "simuler",
            str(cerfa),
            "--npec",
            "8000",
            "--rupture",
            "2025-10-10",
            "--dans-periode-essai",
            "--json",
        ]
    )
    assert sortie["engagement"] == "438.35"
    assert sortie["participationEmployeur"] == "438.36"


def test_convention_donne_les_frais_annexes(cerfa: Path, tmp_path: Path) -> None:
    convention = _ecrire(
        tmp_path / "convention.json",
        {
            "convention": {
                "couts": {
                    "nombreRepasTotaux": 100,
                    "montantPremierEquipement": "650",
                    "mentionMobiliteInternationale": True,
                }
            }
        },
    )
    sortie = _json(
        [
            "simuler",
            str(cerfa),
            "--npec",
            "8000",
            "--convention",
            str(convention),
            "--forfait-mobilite",
            "400",
            "--json",
        ]
    )
    assert sortie["engagementsFraisAnnexe"] == [
        {"natureFrais": "RESTAURATION", "quantite": 100, "prixUnitaire": "3.00", "montantTotal": "300.00"},
        {"natureFrais": "PREMIEREQUIPEMENT", "quantite": 1, "prixUnitaire": "500.00", "montantTotal": "500.00"},
        {"natureFrais": "MOBILITE", "quantite": 1, "prixUnitaire": "400.00", "montantTotal": "400.00"},
    ]  # fmt: skip
    assert sortie["engagement"] == "15250.00"


def test_tableau_lisible_en_francais(cerfa: Path) -> None:
    resultat = CliRunner().invoke(app, ["simuler", str(cerfa), "--npec", "8000"])
    assert resultat.exit_code == 0, resultat.output
    assert "Régime 2025" in resultat.output
    assert "15250.00" in resultat.output
    assert "Échéancier" in resultat.output
    assert "E8" in resultat.output


def test_sans_npec_lu_dans_le_referentiel(cerfa: Path, url_base: str) -> None:
    from apicfa.referentiels.depot import charger_exemples

    assert charger_exemples(url_base)
    # Échantillon livré : RNCP90001 × IDCC 1979 (CPNE 903) vaut 6 912 € au 2025-07-01.
    sortie = _json(["simuler", str(cerfa), "--base", url_base, "--json"])
    assert sortie["npec"] == "6912.00"
    assert sortie["engagement"] == str(2 * 6912 - 750) + ".00"
    assert "6\u202f912,00" in sortie["detail"][0]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--npec", "abc"], "--npec : montant illisible"),
        (["--npec", "8000", "--rupture", "2026-13-01"], "--rupture : date AAAA-MM-JJ"),
        (["--npec", "8000", "--rupture", "2024-01-01"], "antérieure à contrat.dateDebutContrat"),
        (["--npec", "8000", "--dans-periode-essai"], "n'ont de sens qu'avec --rupture"),
        (["--npec", "8000", "--rupture", "2026-01-01", "--regle", "x"], "NUMERO=MONTANT"),
    ],
)
def test_erreurs_claires(cerfa: Path, arguments: list[str], message: str) -> None:
    resultat = CliRunner().invoke(app, ["simuler", str(cerfa), *arguments])
    assert resultat.exit_code == 1
    assert message in resultat.stderr


def test_fichier_absent_ou_illisible(tmp_path: Path) -> None:
    resultat = CliRunner().invoke(app, ["simuler", str(tmp_path / "rien.json"), "--npec", "1"])
    assert resultat.exit_code == 1
    assert "introuvable" in resultat.stderr
    casse = tmp_path / "casse.json"
    casse.write_text("{", encoding="utf-8")
    resultat = CliRunner().invoke(app, ["simuler", str(casse), "--npec", "1"])
    assert "n'est pas un JSON lisible" in resultat.stderr


def test_champ_manquant_nomme(tmp_path: Path) -> None:
    fichier = _ecrire(
        tmp_path / "c.json",
        {"contrat": {"dateConclusion": "2025-08-01", "dateDebutContrat": "2025-09-01"}},
    )
    resultat = CliRunner().invoke(app, ["simuler", str(fichier), "--npec", "8000"])
    assert resultat.exit_code == 1
    assert "cerfa.contrat.dateFinContrat : date manquante" in resultat.stderr
