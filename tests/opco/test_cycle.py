"""Cycle de vie d'un dossier (SPEC §6.1) : transitions permises, rupture, refus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime

import pytest
from opco_banc import (
    Banc,
    attendre_etat,
    deposer,
    dossier,
    dossier_recent,
    ouvrir_banc,
    rupture,
)
from sqlalchemy.orm import Session

from apicfa.opco.profils import charger_profils
from apicfa.stockage.erreurs import TransitionRefusee
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.moteur import creer_moteur


def passer(banc: Banc, numero: str, *etats: str, commentaire: str | None = None) -> None:
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", banc.a.id)
        for etat in etats:
            espace.changer_etat(espace.dossier(numero), etat, datetime(2026, 3, 1), commentaire)
    moteur.dispose()


def _deposer_pour_rupture(banc: Banc, n: int) -> tuple[str, dict]:
    """Un dossier récent déposé (engagé par l'instruction automatique quand le serveur
    instruit), et une rupture datée d'aujourd'hui."""
    envoye = dossier_recent(n)
    numero = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes()).json()[
        "numeroInterne"
    ]
    return numero, rupture(numero) | {"dateRupture": date.today().isoformat()}


def _relire(banc: Banc, numero: str) -> dict:
    return banc.client.get(
        "/atlas/v2/dossiers", params={"numeroInterne": numero}, headers=banc.a.entetes()
    ).json()


def test_transition_interdite_levee(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    accuse = deposer(banc)
    with pytest.raises(TransitionRefusee, match="transmis"):
        passer(banc, accuse["numeroInterne"], "ENGAGE")
    assert _relire(banc, accuse["numeroInterne"])["cerfa"]["etat"] == "TRANSMIS"


def test_rupture_d_un_dossier_engage(banc: Banc) -> None:
    numero, corps = _deposer_pour_rupture(banc, 2)
    assert attendre_etat(banc, numero)["cerfa"]["etat"] == "ENGAGE"
    reponse = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur", json=corps, headers=banc.a.entetes()
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["cerfa"]["etat"] == "RUPTURE"
    assert set(reponse.json()) >= {"cerfa", "engagement", "echeances", "tropPercu"}
    encore = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur", json=corps, headers=banc.a.entetes()
    )
    assert encore.status_code == 400
    assert encore.json()["errors"][0]["code"] == "TRANSITION_REFUSEE"


def test_rupture_d_un_dossier_non_engage_refusee(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    _, corps = _deposer_pour_rupture(banc, 3)
    reponse = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur", json=corps, headers=banc.a.entetes()
    )
    assert reponse.status_code == 400
    erreur = reponse.json()["errors"][0]
    assert erreur["code"] == "TRANSITION_REFUSEE" and "transmis" in erreur["description"]


def test_rupture_invalide_liste_ses_erreurs(banc: Banc) -> None:
    reponse = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur", json={"motif": 3}, headers=banc.a.entetes()
    )
    assert reponse.status_code == 400
    assert len(reponse.json()["errors"]) >= 2


def test_dossier_refuse_peut_etre_depose_a_nouveau(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    envoye = dossier(20)
    premier = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes()).json()
    passer(banc, premier["numeroInterne"], "EN_COURS_INSTRUCTION", "REFUSE", commentaire="NPEC")
    relu = _relire(banc, premier["numeroInterne"])
    assert relu["cerfa"]["etat"] == "REFUSE" and relu["cerfa"]["commentaireEtat"] == "NPEC"
    second = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes()).json()
    assert second["numeroInterne"] != premier["numeroInterne"]


@pytest.fixture
def banc_ruptu(url_base: str) -> Iterator[Banc]:
    profils = charger_profils()
    profils["atlas"] = replace(profils["atlas"], etat_rupture="RUPTU")
    yield from ouvrir_banc(url_base, profils)


def test_orthographe_ruptu_du_profil(banc_ruptu: Banc) -> None:
    banc = banc_ruptu
    numero, corps = _deposer_pour_rupture(banc, 4)
    assert attendre_etat(banc, numero)["cerfa"]["etat"] == "ENGAGE"
    reponse = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur", json=corps, headers=banc.a.entetes()
    )
    assert reponse.status_code == 200, reponse.text
    assert reponse.json()["cerfa"]["etat"] == "RUPTU"
    for filtre in ("RUPTU", "RUPTURE"):
        page = banc.client.get(
            "/atlas/v2/dossiers/etats", params={"etat": filtre}, headers=banc.a.entetes()
        ).json()
        assert page["total"] == 1 and page["EtatDossierResult"][0]["etat"] == "RUPTU"
