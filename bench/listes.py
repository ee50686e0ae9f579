"""Banc : latence d'une page de `GET /atlas/v2/dossiers/etats` avec 1 000 000 de dossiers.

Un CFA possède un million de dossiers chez ATLAS (insérés directement en base par une seule
instruction `INSERT … SELECT`, compteurs compris), sur SQLite puis sur PostgreSQL (base
`apicfa_bench`, recréée). Le service tourne sous uvicorn (même lancement que bench/depot.py) ;
un client HTTP persistant lit tour à tour la première, la page du milieu et la dernière page,
plusieurs fois. Affiche la médiane et le p90 par page ; dernière ligne : un objet JSON.

Variables : APICFA_BENCH_DOSSIERS (défaut 1000000), APICFA_BENCH_TOURS (défaut 30),
APICFA_BENCH_PG (URL PostgreSQL, « non » pour sauter PostgreSQL).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).parent))

from depot import (
    URL_PG,
    arreter,
    lancer_apicfa,
    preparer_base,
    preparer_postgres,
)

NOMBRE = int(os.environ.get("APICFA_BENCH_DOSSIERS", "1000000"))
TOURS = int(os.environ.get("APICFA_BENCH_TOURS", "30"))
TAILLE_PAGE = 100

_COLONNES = (
    "numero_interne, numero_externe, opco, cfa_id, rang, version_api, charge_utile, etat, "
    "date_creation, date_modification, trop_percu_centimes, "
    "premier_equipement_regle_centimes, mobilite_reglee_centimes"
)
_SQLITE = (
    f"INSERT INTO dossier ({_COLONNES}) "
    "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) "
    "SELECT printf('%032x', i), printf('ATL-2026-%07d', i), 'atlas', :cfa, i, 2, X'7B7D', "
    "'TRANSMIS', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 0, 0, 0 FROM s"
)
_POSTGRES = (
    f"INSERT INTO dossier ({_COLONNES}) "
    "SELECT lpad(to_hex(i), 32, '0'), 'ATL-2026-' || lpad(i::text, 7, '0'), 'atlas', :cfa, i, "
    "2, '\\x7b7d'::bytea, 'TRANSMIS', timestamp '2026-01-01', timestamp '2026-01-01', 0, 0, 0 "
    "FROM generate_series(1, :n) AS i"
)


def remplir(url: str) -> str:
    """Base migrée, un CFA et ses `NOMBRE` dossiers ; rend la clé ATLAS du CFA."""
    from apicfa.stockage.moteur import creer_moteur
    from apicfa.stockage.tables import Cfa

    cle = preparer_base(url)
    moteur = creer_moteur(url)
    debut = time.perf_counter()
    with moteur.begin() as connexion:
        cfa = connexion.execute(select(Cfa.id)).scalar_one()
        requete = _SQLITE if moteur.dialect.name == "sqlite" else _POSTGRES
        connexion.execute(text(requete), {"n": NOMBRE, "cfa": cfa})
        connexion.execute(
            text("INSERT INTO compteur_cfa (opco, cfa_id, dossiers) VALUES ('atlas', :c, :n)"),
            {"c": cfa, "n": NOMBRE},
        )
        connexion.execute(
            text(
                "INSERT INTO compteur_etat (opco, cfa_id, etat, nombre) "
                "VALUES ('atlas', :c, 'TRANSMIS', :n)"
            ),
            {"c": cfa, "n": NOMBRE},
        )
    if moteur.dialect.name == "postgresql":
        with moteur.connect().execution_options(isolation_level="AUTOCOMMIT") as connexion:
            connexion.execute(text("VACUUM ANALYZE dossier"))
    else:
        with moteur.begin() as connexion:
            connexion.execute(text("ANALYZE"))
    moteur.dispose()
    print(f"  {NOMBRE} dossiers insérés en {time.perf_counter() - debut:.1f} s", flush=True)
    return cle


def mesurer(port: int, cle: str) -> dict[str, list[float]]:
    dernier = (NOMBRE + TAILLE_PAGE - 1) // TAILLE_PAGE
    pages = {"première": 1, "milieu": max(1, dernier // 2), "dernière": dernier}
    entetes = {"X-API-KEY": cle, "EDITEUR": "bench", "LOGICIEL": "listes", "VERSION": "1"}
    durees: dict[str, list[float]] = {nom: [] for nom in pages}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=entetes, timeout=30) as client:
        for _ in range(3):  # échauffement
            for numero in pages.values():
                client.get("/atlas/v2/dossiers/etats", params={"numeroPage": numero})
        for _ in range(TOURS):
            for nom, numero in pages.items():
                debut = time.perf_counter()
                reponse = client.get("/atlas/v2/dossiers/etats", params={"numeroPage": numero})
                durees[nom].append((time.perf_counter() - debut) * 1000)
                corps = reponse.json()
                if reponse.status_code != 200 or corps["total"] != NOMBRE or not corps["count"]:
                    raise RuntimeError(f"réponse inattendue page {numero} : {reponse.text[:200]}")
    return durees


def rapporter(nom: str, durees: dict[str, list[float]]) -> float:
    tout = [d for liste in durees.values() for d in liste]
    for page, liste in durees.items():
        ordonnees = sorted(liste)
        print(
            f"  {nom:<11} page {page:<9} médiane {statistics.median(liste):6.1f} ms  "
            f"p90 {ordonnees[int(0.9 * len(ordonnees))]:6.1f} ms",
            flush=True,
        )
    return round(statistics.median(tout), 2)


def banc(url: str, nom: str) -> float:
    print(f"{nom} :", flush=True)
    cle = remplir(url)
    with tempfile.TemporaryDirectory() as dossier:
        processus, port = lancer_apicfa(url, Path(dossier))
        try:
            durees = mesurer(port, cle)
        finally:
            arreter(processus)
    return rapporter(nom, durees)


def main() -> None:
    print(f"Banc listes : {NOMBRE} dossiers d'un CFA, {TOURS} tours par page.", flush=True)
    with tempfile.TemporaryDirectory() as dossier:
        p50_sqlite = banc(f"sqlite:///{dossier}/listes.db", "SQLite")
    p50_postgres = None
    if URL_PG.lower() != "non":
        try:
            preparer_postgres(URL_PG)
            p50_postgres = banc(URL_PG, "PostgreSQL")
        except Exception as probleme:
            print(f"PostgreSQL non mesuré : {probleme}", flush=True)
    print(json.dumps({"bench": "listes", "p50_ms": p50_sqlite, "p50_ms_postgres": p50_postgres}))


if __name__ == "__main__":
    main()
