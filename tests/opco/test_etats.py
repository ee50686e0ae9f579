"""Pages des états des dossiers : 100 par page, filtres `etat` et `modifieDepuis`."""

from __future__ import annotations

from datetime import datetime

import pytest
from opco_banc import Banc, deposer
from sqlalchemy.orm import Session

from apicfa.stockage.espace import EspaceCfa, NouveauDossier
from apicfa.stockage.moteur import creer_moteur


@pytest.fixture
def banc(banc_sans_instruction: Banc) -> Banc:
    """Les listes d'états sont éprouvées sans instruction : les dossiers restent TRANSMIS."""
    return banc_sans_instruction


def _remplir(banc: Banc, nombre: int) -> list[str]:
    """`nombre` dossiers insérés directement (rapide), dates de modification croissantes."""
    moteur = creer_moteur(banc.url)
    numeros = []
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", banc.a.id)
        for i in range(nombre):
            nouveau = NouveauDossier(1, b"{}", f"e{i}", None, None, None, None, None, None)
            dossier = espace.inserer_dossier(nouveau, datetime(2026, 1, 1, 0, 0, i % 60, i))
            numeros.append(dossier.numero_interne)
    moteur.dispose()
    return numeros


def _page(banc: Banc, **parametres: object) -> dict:
    reponse = banc.client.get(
        "/atlas/v2/dossiers/etats", params=parametres, headers=banc.a.entetes()
    )
    assert reponse.status_code == 200, reponse.text
    return reponse.json()


def test_pages_de_100_dans_l_ordre_du_depot(banc: Banc) -> None:
    numeros = _remplir(banc, 250)
    pages = [_page(banc, numeroPage=p) for p in (1, 2, 3, 4)]
    assert [p["count"] for p in pages] == [100, 100, 50, 0]
    assert all(p["total"] == 250 for p in pages)
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    lus = [d["numeroInterne"] for p in pages for d in p["EtatDossierResult"]]
    assert lus == numeros
    ligne = pages[0]["EtatDossierResult"][0]
    assert set(ligne) == {
        "numeroInterne",
        "numeroExterne",
        "numeroDeca",
        "etat",
        "commentaireEtat",
        "dateModification",
    }
    assert ligne["dateModification"].endswith("+00:00")


def test_page_par_defaut_et_numero_invalide(banc: Banc) -> None:
    _remplir(banc, 3)
    assert _page(banc)["page"] == 1
    for mauvais in ("0", "-1", "abc"):
        reponse = banc.client.get(
            "/atlas/v2/dossiers/etats", params={"numeroPage": mauvais}, headers=banc.a.entetes()
        )
        assert reponse.status_code == 400
        assert reponse.json()["errors"][0]["champ"] == "numeroPage"


def test_filtre_etat(banc: Banc) -> None:
    numeros = _remplir(banc, 5)
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", banc.a.id)
        for numero in numeros[:2]:
            espace.changer_etat(
                espace.dossier(numero), "EN_COURS_INSTRUCTION", datetime(2026, 2, 1)
            )
    moteur.dispose()
    en_cours = _page(banc, etat="EN_COURS_INSTRUCTION")
    assert en_cours["total"] == 2
    assert [d["numeroInterne"] for d in en_cours["EtatDossierResult"]] == numeros[:2]
    assert _page(banc, etat="transmis")["total"] == 3
    mauvais = banc.client.get(
        "/atlas/v2/dossiers/etats", params={"etat": "PERDU"}, headers=banc.a.entetes()
    )
    assert mauvais.status_code == 400 and mauvais.json()["errors"][0]["champ"] == "etat"


def test_filtre_modifie_depuis(banc: Banc) -> None:
    anciens = _remplir(banc, 3)
    recent = deposer(banc)
    depuis = _page(banc, modifieDepuis="2026-01-02")
    assert [d["numeroInterne"] for d in depuis["EtatDossierResult"]] == [recent["numeroInterne"]]
    assert depuis["total"] == 1
    tous = _page(banc, modifieDepuis="2025-12-31T23:00:00+01:00")
    assert tous["total"] == 4
    assert [d["numeroInterne"] for d in tous["EtatDossierResult"]][:3] == anciens
    mauvais = banc.client.get(
        "/atlas/v2/dossiers/etats", params={"modifieDepuis": "hier"}, headers=banc.a.entetes()
    )
    assert mauvais.status_code == 400
    assert mauvais.json()["errors"][0]["champ"] == "modifieDepuis"
