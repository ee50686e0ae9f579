"""Deux factures (et plus) pour la même échéance, envoyées au même instant à un vrai serveur :
une seule passe (SQLite et PostgreSQL, selon APICFA_TEST_BASE)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from opco_banc import dossier_recent
from serveur_http import attendre_instruction, entetes, etats_factures, facture_pedagogie, piece

CONCURRENTES = 6


def test_une_seule_facture_passe_pour_une_echeance(serveur_opco: Any) -> None:
    cfa = serveur_opco.creer_cfa("44306184100047", "0691234A", "CFA Lyon", "atlas")
    cle = cfa["cles"]["atlas"]
    with httpx.Client(base_url=serveur_opco.url, timeout=30) as client:
        accuse = client.post("/atlas/v2/dossiers", json=dossier_recent(1), headers=entetes(cle))
        assert accuse.status_code == 200, accuse.text
        relu, _ = attendre_instruction(client, cle, accuse.json()["numeroInterne"])
        assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
        e1 = relu["echeances"][0]
        numero_externe = relu["cerfa"]["numeroExterne"]

    depart = threading.Barrier(CONCURRENTES)

    def envoyer(rang: int) -> int:
        with httpx.Client(base_url=serveur_opco.url, timeout=30) as client:
            corps = facture_pedagogie(numero_externe, e1, f"F-CONC-{rang}")
            depart.wait()
            return piece(client, cle, "v1/factures", "facture", corps).status_code

    with ThreadPoolExecutor(CONCURRENTES) as groupe:
        statuts = list(groupe.map(envoyer, range(CONCURRENTES)))
    assert statuts == [200] * CONCURRENTES
    with httpx.Client(base_url=serveur_opco.url, timeout=30) as client:
        factures = etats_factures(client, cle).values()
        relu_apres = client.get(
            "/atlas/v2/dossiers",
            params={"numeroInterne": relu["cerfa"]["numeroInterne"]},
            headers=entetes(cle),
        ).json()
    etats = sorted(f["etatFacture"] for f in factures)
    assert etats == ["REJETE"] * (CONCURRENTES - 1) + ["VALIDE"]
    for rejetee in (f for f in factures if f["etatFacture"] == "REJETE"):
        assert "facture.lignes[0].numeroEcheance" in rejetee["commentaire"]
    assert relu_apres["echeances"][0]["montantEnCoursInstruction"] == e1["montantTotal"]
