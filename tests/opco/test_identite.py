"""Identité des appelants : OPCO, en-têtes du logiciel, clé d'API, jeton OAuth2, limite de débit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

import pytest
from opco_banc import Banc, creer_compte, dossier, ouvrir_banc
from sqlalchemy.orm import Session

from apicfa.opco.profils import charger_profils
from apicfa.portail.comptes import revoquer
from apicfa.portail.logiciels import creer_logiciel
from apicfa.stockage.moteur import creer_moteur


def test_opco_inconnue_404(banc: Banc) -> None:
    reponse = banc.client.get("/inconnue/v2/dossiers/etats", headers=banc.a.entetes())
    assert reponse.status_code == 404
    assert reponse.json()["errors"][0]["code"] == "OPCO_INCONNUE"


@pytest.mark.parametrize("absent", ["EDITEUR", "LOGICIEL", "VERSION"])
def test_entete_logiciel_manquant_400_le_nomme(banc: Banc, absent: str) -> None:
    entetes = banc.a.entetes()
    del entetes[absent]
    reponse = banc.client.get("/atlas/v2/dossiers/etats", headers=entetes)
    assert reponse.status_code == 400
    assert [e["champ"] for e in reponse.json()["errors"]] == [absent]
    assert absent in reponse.json()["errors"][0]["description"]


def test_nom_d_entete_de_cle_insensible_a_la_casse(banc: Banc) -> None:
    entetes = banc.a.entetes()
    cle = entetes.pop("X-API-KEY")
    for nom in ("X-Api-Key", "x-api-key"):
        reponse = banc.client.get("/atlas/v2/dossiers/etats", headers={**entetes, nom: cle})
        assert reponse.status_code == 200


@pytest.mark.parametrize(
    ("cle", "code"),
    [(None, "CLE_ABSENTE"), ("cfa_atlas_inconnue", "CLE_INVALIDE")],
)
def test_cle_absente_ou_inconnue_403(banc: Banc, cle: str | None, code: str) -> None:
    entetes = banc.a.entetes()
    del entetes["X-API-KEY"]
    if cle:
        entetes["X-API-KEY"] = cle
    reponse = banc.client.get("/atlas/v2/dossiers/etats", headers=entetes)
    assert reponse.status_code == 403
    assert reponse.json()["errors"][0]["code"] == code


def test_cle_d_une_autre_opco_403(banc: Banc) -> None:
    entetes = banc.a.entetes("akto")
    reponse = banc.client.get("/atlas/v2/dossiers/etats", headers=entetes)
    assert reponse.status_code == 403
    assert reponse.json()["errors"][0]["code"] == "CLE_AUTRE_OPCO"


def test_cle_revoquee_403(banc: Banc) -> None:
    assert banc.client.get("/atlas/v2/dossiers/etats", headers=banc.a.entetes()).status_code == 200
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        assert revoquer(session, banc.a.siret, "atlas", datetime(2026, 2, 1)) == 1
    moteur.dispose()
    assert banc.client.get("/atlas/v2/dossiers/etats", headers=banc.a.entetes()).status_code == 403
    # les clés des autres OPCO restent valides
    assert (
        banc.client.get("/akto/v2/dossiers/etats", headers=banc.a.entetes("akto")).status_code
        == 200
    )


def test_cle_expiree_403(banc: Banc) -> None:
    expire = creer_compte(banc.url, "73282932000074", "0751234J", expire_le=date(2020, 1, 1))
    reponse = banc.client.get("/atlas/v2/dossiers/etats", headers=expire.entetes())
    assert reponse.status_code == 403


def test_cfakeyinfo(banc: Banc) -> None:
    entetes = {k: v for k, v in banc.a.entetes().items() if k != "X-API-KEY"}
    bonne = banc.client.get(
        "/atlas/v2/cfakeyinfo",
        params={"siren": banc.a.siret[:9], "XAPIKEY": banc.a.cles["atlas"]},
        headers=entetes,
    ).json()
    assert bonne["status"] == "success" and set(bonne) == {"status", "dateFinValidite", "comment"}
    autre_siren = banc.client.get(
        "/atlas/v2/cfakeyinfo",
        params={"siren": banc.b.siret[:9], "XAPIKEY": banc.a.cles["atlas"]},
        headers=entetes,
    ).json()
    assert autre_siren["status"] == "error"
    mauvaise = banc.client.get(
        "/atlas/v2/cfakeyinfo",
        params={"siren": banc.a.siret[:9], "XAPIKEY": "faux"},
        headers=entetes,
    ).json()
    assert mauvaise["status"] == "error"


@pytest.fixture
def banc_oauth(url_base: str) -> Iterator[Banc]:
    profils = charger_profils()
    profils["akto"] = replace(profils["akto"], oauth_obligatoire=True)
    yield from ouvrir_banc(url_base, profils)


def _identifiants(url: str, opcos: list[str]) -> tuple[str, str]:
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        cree = creer_logiciel(
            session, editeur="Ed", logiciel="Lo", opcos=opcos, maintenant=datetime.now()
        )
    moteur.dispose()
    return cree.client_id, cree.client_secret


def test_oauth_obligatoire_401_sans_jeton_puis_200(banc_oauth: Banc) -> None:
    banc = banc_oauth
    sans = banc.client.post("/akto/v2/dossiers", json=dossier(11), headers=banc.a.entetes("akto"))
    assert sans.status_code == 401
    assert sans.headers["www-authenticate"].startswith("Bearer")
    client_id, secret = _identifiants(banc.url, ["akto"])
    jeton = banc.client.post(
        "/akto/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": secret,
            "scope": "api.read api.write",
        },
    )
    assert jeton.status_code == 200
    corps = jeton.json()
    assert corps["token_type"] == "Bearer" and corps["expires_in"] > 0
    avec = banc.client.post(
        "/akto/v2/dossiers",
        json=dossier(11),
        headers=banc.a.entetes("akto", Authorization=f"Bearer {corps['access_token']}"),
    )
    assert avec.status_code == 200
    faux = banc.client.get(
        "/akto/v2/dossiers/etats", headers=banc.a.entetes("akto", Authorization="Bearer faux")
    )
    assert faux.status_code == 401
    # une OPCO sans OAuth ne demande pas de jeton
    assert banc.client.get("/atlas/v2/dossiers/etats", headers=banc.a.entetes()).status_code == 200


def test_oauth_identifiants_invalides_ou_opco_non_permise(banc_oauth: Banc) -> None:
    client_id, secret = _identifiants(banc_oauth.url, ["atlas"])
    formulaire = {"grant_type": "client_credentials", "client_id": client_id}
    mauvais = banc_oauth.client.post(
        "/akto/oauth/token", data={**formulaire, "client_secret": "faux"}
    )
    assert mauvais.status_code == 401
    non_permise = banc_oauth.client.post(
        "/akto/oauth/token", data={**formulaire, "client_secret": secret}
    )
    assert non_permise.status_code == 401
    manquant = banc_oauth.client.post("/akto/oauth/token", data={"grant_type": "password"})
    assert manquant.status_code == 400
    assert {e["champ"] for e in manquant.json()["errors"]} == {"client_id", "client_secret"}


@pytest.fixture
def banc_limite(url_base: str) -> Iterator[Banc]:
    profils = charger_profils()
    profils["atlas"] = replace(profils["atlas"], limite_requetes_par_minute=3)
    yield from ouvrir_banc(url_base, profils)


def test_limite_de_debit_429_avec_retry_after(banc_limite: Banc) -> None:
    statuts = [
        banc_limite.client.get("/atlas/v2/dossiers/etats", headers=banc_limite.a.entetes())
        for _ in range(4)
    ]
    assert [r.status_code for r in statuts] == [200, 200, 200, 429]
    assert int(statuts[-1].headers["retry-after"]) >= 1
    assert statuts[-1].json()["errors"][0]["code"] == "TROP_DE_REQUETES"
    # la limite est par clé : l'autre CFA passe encore
    autre = banc_limite.client.get("/atlas/v2/dossiers/etats", headers=banc_limite.b.entetes())
    assert autre.status_code == 200
