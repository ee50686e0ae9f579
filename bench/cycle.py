"""Banc : du dépôt à l'engagement visible, et contrôle des factures, sur un vrai serveur.

Un serveur apicfa (uvicorn, fabrique ASGI, SQLite neuf en WAL ; PostgreSQL si APICFA_BENCH_PG
est une URL) reçoit :
1. « à vide » : des dépôts un par un ; pour chacun, le temps entre l'envoi du dépôt et la
   première relecture `GET /atlas/v2/dossiers?numeroInterne=` qui montre `ENGAGE` (relecture
   toutes les 2 ms) ;
2. « en charge » : la même sonde pendant qu'un flux soutenu de dépôts (APICFA_BENCH_CONNEXIONS
   connexions, 16 par défaut) arrive en continu ;
3. des factures envoyées par 16 connexions sur les dossiers engagés (la première pour une
   échéance passe, les suivantes sont rejetées : chacune est contrôlée en entier).
Objectifs : p99 ≤ 50 ms à vide, ≤ 1 s en charge. Dernière ligne : un objet JSON.

Variables : APICFA_BENCH_DUREE (s de charge, défaut 8), APICFA_BENCH_SONDES (défaut 60),
APICFA_BENCH_CONNEXIONS (défaut 16), APICFA_BENCH_PG (URL PostgreSQL ; absent = SQLite).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import os
import string
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).parent))

from depot import arreter, creer_cfa_du_banc, lancer_apicfa, preparer_postgres

DUREE = float(os.environ.get("APICFA_BENCH_DUREE", "8"))
SONDES = int(os.environ.get("APICFA_BENCH_SONDES", "60"))
CONNEXIONS = int(os.environ.get("APICFA_BENCH_CONNEXIONS", "16"))
URL_PG = os.environ.get("APICFA_BENCH_PG")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def preparer_base(url: str) -> str:
    """Base migrée (toutes branches), référentiels d'exemple, un CFA ; rend sa clé ATLAS."""
    from apicfa.referentiels.depot import charger_exemples
    from apicfa.stockage.moteur import migrer

    if not url.startswith("sqlite"):
        preparer_postgres(url)  # crée la base du banc si besoin, puis la vide
    migrer(url)
    charger_exemples(url)
    return creer_cfa_du_banc(url)


def dossiers_engageables() -> Any:
    """Dossiers valides tous distincts, contrat commencé il y a 30 jours (E1 ouverte)."""
    from apicfa.demo.generateur import generer_dossiers
    from apicfa.norme.validation import valider_cerfa

    debut = date.today() - timedelta(days=30)
    bases = []
    for envoye in generer_dossiers(200, 2026):
        cerfa = envoye["cerfa"]
        ecart = debut - date.fromisoformat(cerfa["contrat"]["dateDebutContrat"][:10])
        for bloc in ("contrat", "formation"):
            for cle, valeur in list(cerfa.get(bloc, {}).items()):
                if cle.startswith("date") and isinstance(valeur, str) and valeur[4:5] == "-":
                    jour = date.fromisoformat(valeur[:10]) + ecart
                    cerfa[bloc][cle] = jour.isoformat() + valeur[10:]
        constats = valider_cerfa(envoye, aujourd_hui=date.today())
        if not any(c.niveau in ("bloquant", "instruction") for c in constats):
            bases.append(envoye)
    lettres = string.ascii_uppercase
    for n in itertools.count():
        envoye = copy.deepcopy(bases[n % len(bases)])
        suffixe = "".join(lettres[(n // 26**k) % 26] for k in range(5))
        envoye["cerfa"]["apprenti"]["nom"] = f"{envoye['cerfa']['apprenti']['nom'][:50]} {suffixe}"
        yield orjson.dumps(envoye)


def centile(valeurs: list[float], q: float) -> float:
    if not valeurs:
        return float("nan")
    ordonnees = sorted(valeurs)
    return ordonnees[min(len(ordonnees) - 1, int(q * len(ordonnees)))]


async def sonde(client: httpx.AsyncClient, entetes: dict[str, str], corps: bytes) -> tuple:
    """(ms jusqu'à la décision visible, état, dossier relu)."""
    debut = time.perf_counter()
    reponse = await client.post("/atlas/v2/dossiers", content=corps, headers=entetes)
    if reponse.status_code != 200:
        raise RuntimeError(f"dépôt refusé : {reponse.status_code} {reponse.text[:300]}")
    numero = reponse.json()["numeroInterne"]
    while True:
        relu = (
            await client.get(
                "/atlas/v2/dossiers", params={"numeroInterne": numero}, headers=entetes
            )
        ).json()
        if relu["cerfa"]["etat"] != "TRANSMIS":
            return (time.perf_counter() - debut) * 1000, relu["cerfa"]["etat"], relu
        await asyncio.sleep(0.002)


async def sondes(client: httpx.AsyncClient, entetes: dict[str, str], flux: Any) -> tuple:
    temps, engages = [], []
    for _ in range(SONDES):
        ms, etat, relu = await sonde(client, entetes, next(flux))
        if etat == "ENGAGE":
            temps.append(ms)
            engages.append(relu)
    return temps, engages


async def charge(port: int, entetes: dict[str, str], flux: Any, arret: asyncio.Event) -> int:
    envoyes = 0

    async def connexion() -> None:
        nonlocal envoyes
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            while not arret.is_set():
                await client.post("/atlas/v2/dossiers", content=next(flux), headers=entetes)
                envoyes += 1

    await asyncio.gather(*(connexion() for _ in range(CONNEXIONS)))
    return envoyes


def facture(relu: dict[str, Any], rang: int) -> dict[str, Any]:
    e1 = relu["echeances"][0]
    return {
        "numero": f"F-BANC-{rang}",
        "dateEmission": date.today().isoformat(),
        "montantTotal": e1["montantTotal"],
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "lignes": [
            {
                "montant": e1["montantTotal"],
                "natureLigne": "PEDAGOGIE",
                "numeroEcheance": 1,
                "codificationEcheance": "E1",
                "numeroDossier": relu["cerfa"]["numeroExterne"],
            }
        ],
    }


async def factures(port: int, entetes: dict[str, str], engages: list[dict]) -> float:
    compte = 0
    fin = time.perf_counter() + DUREE / 2
    rangs = itertools.count()

    async def connexion() -> None:
        nonlocal compte
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            while time.perf_counter() < fin:
                rang = next(rangs)
                contenu = orjson.dumps(facture(engages[rang % len(engages)], rang))
                reponse = await client.post(
                    "/atlas/v1/factures",
                    files={
                        "facture": (None, contenu, "application/json"),
                        "fichier": ("f.pdf", PDF, "application/pdf"),
                    },
                    headers=entetes,
                )
                if reponse.status_code == 200:
                    compte += 1

    debut = time.perf_counter()
    await asyncio.gather(*(connexion() for _ in range(16)))
    return compte / (time.perf_counter() - debut)


async def mesurer(port: int, cle: str) -> dict[str, Any]:
    entetes = {"X-API-KEY": cle, "EDITEUR": "Banc", "LOGICIEL": "cycle", "VERSION": "1"}
    flux = dossiers_engageables()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        await sonde(client, entetes, next(flux))  # échauffement (référentiel chargé)
        a_vide, engages = await sondes(client, entetes, flux)
        arret = asyncio.Event()
        tache = asyncio.create_task(charge(port, entetes, flux, arret))
        await asyncio.sleep(1.0)
        debut = time.perf_counter()
        en_charge, autres = await sondes(client, entetes, flux)
        arret.set()
        deposes = await tache
        duree_charge = time.perf_counter() - debut + 1.0
    par_s = await factures(port, entetes, engages + autres)
    return {
        "a_vide": a_vide,
        "en_charge": en_charge,
        "depots_charge_par_s": deposes / duree_charge,
        "factures_par_s": par_s,
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="apicfa-cycle-") as dossier:
        url = URL_PG or f"sqlite:///{Path(dossier) / 'cycle.db'}"
        cle = preparer_base(url)
        processus, port = lancer_apicfa(url, Path(dossier))
        try:
            mesures = asyncio.run(mesurer(port, cle))
        finally:
            arreter(processus)
    base = "PostgreSQL" if URL_PG else "SQLite"
    for nom, temps in (("à vide", mesures["a_vide"]), ("en charge", mesures["en_charge"])):
        print(
            f"{base} {nom} : {len(temps)} dossiers engagés, dépôt → ENGAGE visible "
            f"p50 {centile(temps, 0.5):.1f} ms, p99 {centile(temps, 0.99):.1f} ms"
        )
    print(
        f"Charge de fond : {mesures['depots_charge_par_s']:.0f} dépôts/s ({CONNEXIONS} connexions)"
    )
    print(f"Factures contrôlées : {mesures['factures_par_s']:.0f}/s (16 connexions)")
    print(
        json.dumps(
            {
                "bench": "cycle",
                "base": base,
                "engagement_p50_ms": round(centile(mesures["en_charge"], 0.5), 1),
                "engagement_p99_ms": round(centile(mesures["en_charge"], 0.99), 1),
                "engagement_a_vide_p50_ms": round(centile(mesures["a_vide"], 0.5), 1),
                "engagement_a_vide_p99_ms": round(centile(mesures["a_vide"], 0.99), 1),
                "depots_charge_par_s": round(mesures["depots_charge_par_s"], 1),
                "factures_par_s": round(mesures["factures_par_s"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
