"""`apicfa valider` : sorties, codes de retour, fichiers illisibles sans trace d'exception."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from norme_fabrique import enveloppe, poser
from typer.testing import CliRunner

from apicfa.cli import app

runner = CliRunner()


def _ecrire(dossier: Path, nom: str, contenu: bytes) -> Path:
    chemin = dossier / nom
    chemin.write_bytes(contenu)
    return chemin


def _invoquer(*args: str) -> tuple[int, str]:
    resultat = runner.invoke(app, ["valider", *args, "--aujourd-hui", "2025-09-05"])
    assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
    assert "Traceback" not in resultat.output
    return resultat.exit_code, resultat.output


def test_valide_sort_zero(tmp_path: Path) -> None:
    fichier = _ecrire(tmp_path, "ok.json", orjson.dumps(enveloppe()))
    code, sortie = _invoquer(str(fichier))
    assert code == 0
    assert "aucun constat" in sortie


def test_bloquant_sort_un_et_ligne_code_champ_message(tmp_path: Path) -> None:
    donnees = poser(enveloppe(), "cerfa.employeur.siret", "44320618000013")
    fichier = _ecrire(tmp_path, "ko.json", orjson.dumps(donnees))
    code, sortie = _invoquer(str(fichier))
    assert code == 1
    assert (
        "EMPLOYEUR_SIRET_CLE · cerfa.employeur.siret · Le SIRET de l'employeur "
        "443 206 180 00013 est invalide" in sortie
    )


def test_instruction_seule_sort_zero(tmp_path: Path) -> None:
    donnees = poser(enveloppe(), "cerfa.contrat.dureeTravailHebdoHeures", 42)
    fichier = _ecrire(tmp_path, "instr.json", orjson.dumps(donnees))
    code, sortie = _invoquer(str(fichier))
    assert code == 0
    assert "CONTRAT_DUREE_HEBDO_MAXIMUM" in sortie


def test_dossier_et_sortie_json(tmp_path: Path) -> None:
    _ecrire(tmp_path, "a.json", orjson.dumps(enveloppe()))
    donnees = poser(enveloppe(), "cerfa.organismeFormation.uaiCfa", "0751234K")
    _ecrire(tmp_path, "b.json", orjson.dumps(donnees))
    _ecrire(tmp_path, "ignore.txt", b"pas du json")
    code, sortie = _invoquer(str(tmp_path), "--json")
    assert code == 1
    rapport = orjson.loads(sortie)
    assert [Path(r["fichier"]).name for r in rapport] == ["a.json", "b.json"]
    assert rapport[0]["constats"] == []
    (constat,) = rapport[1]["constats"]
    assert constat == {
        "code": "ORGANISME_FORMATION_UAI_CFA_CLE",
        "champ": "cerfa.organismeFormation.uaiCfa",
        "message": constat["message"],
        "niveau": "bloquant",
    }


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        (b'{"cerfa": ', "n'est pas du JSON valide (ligne 1"),
        (bytes(range(256)) * 4, "binaire"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_fichiers_illisibles(tmp_path: Path, contenu: bytes, attendu: str) -> None:
    fichier = _ecrire(tmp_path, "mauvais.json", contenu)
    code, sortie = _invoquer(str(fichier))
    assert code == 2
    assert attendu in sortie


def test_fichier_de_50_mo(tmp_path: Path) -> None:
    fichier = tmp_path / "gros.json"
    with fichier.open("wb") as f:
        f.write(b'{"cerfa": {"commentaireEtat": "')
        f.write(b"a" * (50 * 1024 * 1024))
        f.write(b'"}}')
    code, sortie = _invoquer(str(fichier))
    assert code == 2
    assert "trop volumineux" in sortie


def test_types_faux_partout(tmp_path: Path) -> None:
    donnees = {
        "cerfa": {
            "employeur": [],
            "apprenti": {"nom": 1, "dateNaissance": True, "nir": {"a": 1}},
            "maitre1": "x",
            "contrat": {"remunerationsAnnuelles": {"ordre": 1}, "dateDebutContrat": 20250901},
            "formation": {"rncp": [], "dureeFormation": "beaucoup"},
            "organismeFormation": None,
        }
    }
    fichier = _ecrire(tmp_path, "types.json", orjson.dumps(donnees))
    code, sortie = _invoquer(str(fichier), "--json")
    assert code == 1
    champs = {c["champ"] for c in orjson.loads(sortie)[0]["constats"]}
    assert {
        "cerfa.employeur",
        "cerfa.apprenti.nom",
        "cerfa.apprenti.nir",
        "cerfa.contrat.remunerationsAnnuelles",
        "cerfa.contrat.dateDebutContrat",
        "cerfa.formation.dureeFormation",
        "cerfa.organismeFormation",
    } <= champs


def test_json_non_objet(tmp_path: Path) -> None:
    fichier = _ecrire(tmp_path, "liste.json", b"[1, 2, 3]")
    code, sortie = _invoquer(str(fichier))
    assert code == 1
    assert "CERFA_FORMAT" in sortie


def test_fichier_introuvable(tmp_path: Path) -> None:
    code, sortie = _invoquer(str(tmp_path / "absent.json"))
    assert code == 2
    assert "introuvable" in sortie


def test_autre_objet_reconnu_par_son_enveloppe(tmp_path: Path) -> None:
    rupture = {"rupture": {"numeroInterne": "D1", "dateRupture": "2026-01-20"}}
    fichier = _ecrire(tmp_path, "rupture.json", orjson.dumps(rupture))
    code, sortie = _invoquer(str(fichier))
    assert code == 1
    assert "RUPTURE_INITIATIVE_ABSENT · rupture.initiative" in sortie


def test_regles_liste_le_catalogue() -> None:
    from apicfa.norme.regles import CATALOGUE_PAR_OBJET

    resultat = runner.invoke(app, ["regles", "--objet", "facture", "--json"])
    assert resultat.exit_code == 0
    codes = [r["code"] for r in orjson.loads(resultat.output)]
    assert codes == list(CATALOGUE_PAR_OBJET["facture"])
    texte = runner.invoke(app, ["regles"])
    assert "EMPLOYEUR_SIRET_CLE · bloquant · cerfa.employeur.siret · " in texte.output
    inconnu = runner.invoke(app, ["regles", "--objet", "facturette"])
    assert inconnu.exit_code == 2
