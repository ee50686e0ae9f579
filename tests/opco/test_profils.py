"""Profils OPCO : matrice des routes (501), objet inconnu (400 chez OPCO EP), orthographe de la
rupture, format des dates, fichiers de profils."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from opco_banc import Banc, deposer, dossier, envoyer_piece, facture, ouvrir_banc

from apicfa.opco.profils import (
    CAPACITES,
    FICHIER_INSTANTANE,
    ProfilInvalide,
    charger_profils,
    lire_profils,
)


@pytest.fixture
def banc_instantane(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base, charger_profils(FICHIER_INSTANTANE))


def test_reference_toutes_les_routes_partout() -> None:
    profils = charger_profils()
    assert len(profils) == 11
    assert all(p.routes == frozenset(CAPACITES) for p in profils.values())


def test_instantane_reproduit_spec_1() -> None:
    p = charger_profils(FICHIER_INSTANTANE)
    offrent = {c: {o for o, pr in p.items() if pr.offre(c)} for c in CAPACITES}
    assert offrent["dossiers_v1"] == set(p) - {"sante"}
    assert offrent["dossiers_v2"] == {"akto", "atlas", "opcommerce", "ocapiat", "mobilites"}
    assert offrent["factures"] == set(p) - {"uniformation"}
    assert offrent["factures_etats"] == {"akto", "atlas", "opcommerce", "ocapiat", "mobilites"}
    assert offrent["conventions"] == set(p) - {"sante"}
    assert offrent["certificats"] == {"afdas"}
    assert p["akto"].oauth_obligatoire and not p["atlas"].oauth_obligatoire
    assert p["opcoep"].statut_objet_inconnu == 400
    assert p["atlas"].delai_paiement_jours == 15


def test_route_non_offerte_501(banc_instantane: Banc) -> None:
    banc = banc_instantane
    v2 = banc.client.post("/afdas/v2/dossiers", json=dossier(1), headers=banc.a.entetes("afdas"))
    assert v2.status_code == 501
    assert v2.json()["errors"][0]["code"] == "NON_SUPPORTE"
    cert = envoyer_piece(banc, "v2/certificats", "certificat", {}, opco="atlas")
    assert cert.status_code == 501
    assert (
        banc.client.post(
            "/afdas/v1/dossiers", json=dossier(1), headers=banc.a.entetes("afdas")
        ).status_code
        == 200
    )
    sante = banc.client.get("/sante/v1/dossiers/etats", headers=banc.a.entetes("sante"))
    assert sante.status_code == 501


def test_objet_inconnu_400_chez_opco_ep(banc_instantane: Banc) -> None:
    banc = banc_instantane
    reponse = banc.client.get(
        "/opcoep/v1/dossiers", params={"numeroInterne": "0" * 32}, headers=banc.a.entetes("opcoep")
    )
    assert reponse.status_code == 400
    assert reponse.json()["errors"][0]["code"] == "OBJET_INCONNU"
    facture_inconnue = envoyer_piece(
        banc, "v1/factures", "facture", facture("OEP-2099-000001"), opco="opcoep"
    )
    assert facture_inconnue.status_code == 400


@pytest.fixture
def banc_dates(url_base: str) -> Iterator[Banc]:
    profils = charger_profils()
    profils["atlas"] = replace(profils["atlas"], format_dates="datetime", etat_rupture="RUPTU")
    yield from ouvrir_banc(url_base, profils)


def test_format_des_dates_du_profil(banc_dates: Banc) -> None:
    accuse = deposer(banc_dates)
    relu = banc_dates.client.get(
        "/atlas/v2/dossiers",
        params={"numeroInterne": accuse["numeroInterne"]},
        headers=banc_dates.a.entetes(),
    ).json()
    assert relu["cerfa"]["contrat"]["dateDebutContrat"].endswith("T00:00:00")


def test_fichier_de_profils_invalide(tmp_path: Path) -> None:
    with pytest.raises(ProfilInvalide, match="réglage inconnu"):
        lire_profils("[defaut]\nroutes = []\ninconnu = 1\n")
    with pytest.raises(ProfilInvalide, match="OPCO inconnue"):
        lire_profils(FICHIER_INSTANTANE.read_text() + "\n[opco.zz]\nroutes = []\n")
    with pytest.raises(ProfilInvalide, match="etat_rupture"):
        lire_profils(FICHIER_INSTANTANE.read_text().replace('"RUPTURE"', '"ROMPU"'))
    with pytest.raises(ProfilInvalide, match="illisible"):
        charger_profils(tmp_path / "absent.toml")


def test_profils_par_variable_d_environnement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APICFA_PROFILS", str(FICHIER_INSTANTANE))
    assert not charger_profils()["sante"].offre("dossiers_v1")
