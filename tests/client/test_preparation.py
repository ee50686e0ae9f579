"""Préparation des dossiers : lecture, contrôle, routage IDCC, journal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from apicfa.client.journal import Envoi, Journal
from apicfa.client.preparation import fichiers_json, preparer_dossiers
from apicfa.client.resultats import DEJA_ENVOYE, INVALIDE, VALIDE, Resultat
from apicfa.client.routage import ErreurRoutage, Routeur
from apicfa.demo.generateur import generer_dossiers

JOUR = date(2026, 6, 1)


def _ecrire(dossier: Path, nom: str, contenu: object) -> Path:
    chemin = dossier / nom
    chemin.write_bytes(orjson.dumps(contenu))
    return chemin


def test_routage_par_idcc_et_cas_sans_convention() -> None:
    routeur = Routeur({"1486": "atlas", "843": "akto"})
    assert routeur.opco({"employeur": {"codeIdcc": "1486"}}) == "atlas"
    assert routeur.opco({"employeur": {"codeIdcc": 843}}) == "akto"
    with pytest.raises(ErreurRoutage, match="sans convention collective"):
        routeur.opco({"employeur": {"codeIdcc": "9999"}})
    with pytest.raises(ErreurRoutage, match="absent de la table"):
        routeur.opco({"employeur": {"codeIdcc": "0001"}})
    with pytest.raises(ErreurRoutage, match="codeIdcc absent"):
        routeur.opco({})
    assert Routeur({}, "sante").opco({}) == "sante"


def test_table_exemple_route_les_dossiers_de_demo() -> None:
    routeur = Routeur.depuis(None, None)
    for dossier in generer_dossiers(20, 4):
        assert routeur.opco(dossier["cerfa"])


def test_fichiers_json_parcourt_les_dossiers_dans_l_ordre(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for nom in ("b/2.json", "a.json", "b/1.JSON", "notes.txt"):
        (tmp_path / nom).write_text("{}")
    noms = [p.relative_to(tmp_path).as_posix() for p in fichiers_json([tmp_path])]
    assert noms == ["a.json", "b/1.JSON", "b/2.json"]


def test_preparer_essai_a_blanc_puis_journal(tmp_path: Path) -> None:
    (cerfa,) = [d["cerfa"] for d in generer_dossiers(1, 9)]
    sans_convention = {**cerfa, "employeur": {**cerfa["employeur"], "codeIdcc": "9999"}}
    chemins = [
        _ecrire(tmp_path, "ok.json", {"cerfa": cerfa}),
        _ecrire(tmp_path, "nu.json", cerfa),
        _ecrire(tmp_path, "9999.json", {"cerfa": sans_convention}),
        _ecrire(tmp_path, "liste.json", [1, 2]),
    ]
    routeur = Routeur.depuis(None, None)
    essai = list(preparer_dossiers(chemins, routeur=routeur, journal=None, aujourd_hui=JOUR))
    assert all(isinstance(r, Resultat) for r in essai)
    assert [r.issue for r in essai if isinstance(r, Resultat)] == [
        VALIDE,
        VALIDE,
        INVALIDE,
        INVALIDE,
    ]
    assert isinstance(essai[2], Resultat) and "précisez l'OPCO" in essai[2].motifs[-1]
    versions = {routeur.opco(cerfa): 1}
    with Journal(tmp_path / "j.sqlite") as journal:
        premier, second = preparer_dossiers(
            chemins[:2], routeur=routeur, journal=journal, aujourd_hui=JOUR, versions=versions
        )
        # Même contenu, enveloppé ou nu : un seul envoi, route v1 pour cet OPCO.
        assert isinstance(premier, Envoi) and isinstance(second, Envoi)
        assert premier.id == second.id and premier.nature == "dossier-v1"
        journal.marquer_accepte(premier.id, numero_interne="N1", numero_externe="E1", reponse={})
        (deja,) = preparer_dossiers(
            chemins[:1], routeur=routeur, journal=journal, aujourd_hui=JOUR, versions=versions
        )
        assert isinstance(deja, Resultat) and deja.issue == DEJA_ENVOYE
        assert deja.numero_interne == "N1"
