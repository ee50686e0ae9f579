"""Petits appels HTTP vers un vrai `apicfa serveur` (processus) pour les tests de bout en bout."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import httpx
import orjson
from opco_banc import PDF

COMMANDE_APICFA = [sys.executable, "-c", "from apicfa.cli import main; main()"]


def entetes(cle: str) -> dict[str, str]:
    return {"X-API-KEY": cle, "EDITEUR": "Editeur test", "LOGICIEL": "Bout en bout", "VERSION": "1"}


def piece(
    client: httpx.Client, cle: str, route: str, partie: str, contenu: dict[str, Any]
) -> httpx.Response:
    return client.post(
        f"/atlas/{route}",
        files={
            partie: (None, orjson.dumps(contenu), "application/json"),
            "fichier": ("piece.pdf", PDF, "application/pdf"),
        },
        headers=entetes(cle),
    )


def relire(client: httpx.Client, cle: str, numero_interne: str) -> dict[str, Any]:
    reponse = client.get(
        "/atlas/v2/dossiers", params={"numeroInterne": numero_interne}, headers=entetes(cle)
    )
    assert reponse.status_code == 200, reponse.text
    return reponse.json()


def attendre_instruction(
    client: httpx.Client, cle: str, numero_interne: str, delai_s: float = 5.0
) -> tuple[dict[str, Any], float]:
    """Le dossier relu dès qu'il a quitté TRANSMIS, et le temps d'attente en secondes."""
    debut = time.monotonic()
    while True:
        relu = relire(client, cle, numero_interne)
        ecoule = time.monotonic() - debut
        if relu["cerfa"]["etat"] != "TRANSMIS" or ecoule > delai_s:
            return relu, ecoule
        time.sleep(0.01)


def etats_factures(client: httpx.Client, cle: str) -> dict[str, dict[str, Any]]:
    page = client.get("/atlas/v2/factures/etats", headers=entetes(cle))
    assert page.status_code == 200, page.text
    return {f["numeroInterneFacture"]: f for f in page.json()["factures"]}


def apicfa(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMANDE_APICFA, *arguments], capture_output=True, text=True, timeout=120
    )


def facture_pedagogie(
    numero_externe: str, echeance: dict[str, Any], numero: str, **autres: Any
) -> dict[str, Any]:
    """Une facture d'une ligne qui demande tout le reste dû d'une échéance."""
    reste = round(
        echeance["montantTotal"] - echeance["montantRegle"] - echeance["montantEnCoursInstruction"],
        2,
    )
    return {
        "numero": numero,
        "dateEmission": time.strftime("%Y-%m-%d"),
        "montantTotal": reste,
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "44306184100047",
        "estCertificatRealisation": False,
        "lignes": [
            {
                "montant": reste,
                "natureLigne": "PEDAGOGIE",
                "quantite": 1,
                "numeroEcheance": echeance["numero"],
                "codificationEcheance": echeance["codification"],
                "numeroDossier": numero_externe,
            }
        ],
    } | autres
