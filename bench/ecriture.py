"""Banc : coût de l'écriture groupée des dépôts (`DepotDossier.executer_groupe`), sans HTTP.

Ce que fait le fil de l'écrivain pour un lot de dépôts sans `Idempotency-Key` : une session, une
transaction, `executer_groupe` (empreintes connues, réservation des numéros, insertion multiple,
accusés), la validation. Une base neuve (SQLite en WAL avec `synchronous=FULL` comme le serveur ;
PostgreSQL si APICFA_BENCH_PG est une URL), migrée, avec un CFA ; les dossiers sont ceux de
`bench/depot.py` (générateur de démo, nom distinct : aucun doublon), préparés hors mesure
(validation, colonnes normalisées), puis écrits par lots de APICFA_BENCH_LOT (défaut 32).

Rapporte, par dossier écrit, le temps CPU du processus (`time.process_time` : tous les fils,
donc aussi SQLite ; sur PostgreSQL, pas celui du serveur de base) et le temps écoulé, en µs ; le
meilleur tour et la médiane. Dernière ligne : un objet JSON.

Variables : APICFA_BENCH_NOMBRE (dossiers par tour, défaut 3200), APICFA_BENCH_TOURS (défaut 5),
APICFA_BENCH_LOT (défaut 32), APICFA_BENCH_PG (URL PostgreSQL ; absent = SQLite),
APICFA_BENCH_CALLGRIND (voir `compter`).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).parent))

from depot import corps_distincts, creer_compte_du_banc, preparer_postgres
from instruction import compter

NOMBRE = int(os.environ.get("APICFA_BENCH_NOMBRE", "3200"))
TOURS = int(os.environ.get("APICFA_BENCH_TOURS", "5"))
LOT = int(os.environ.get("APICFA_BENCH_LOT", "32"))
URL_PG = os.environ.get("APICFA_BENCH_PG")


def preparer_base(url: str) -> int:
    """Base migrée (toutes branches), un CFA ; rend son id."""
    from apicfa.stockage.moteur import migrer

    if not url.startswith("sqlite"):
        preparer_postgres(url)  # crée la base du banc si besoin, puis la vide
    migrer(url)
    return creer_compte_du_banc(url)[1]


def travaux(cfa_id: int, flux: Any) -> list[Any]:
    """NOMBRE dépôts prêts à écrire (ce que la route prépare avant l'écrivain), non mesuré."""
    from apicfa.opco.depot_groupe import DepotDossier
    from apicfa.opco.empreinte_dossier import extraire_dossier
    from apicfa.opco.profils import charger_profils
    from apicfa.opco.services import maintenant_utc

    profil = charger_profils()["atlas"]
    resultat = []
    for _ in range(NOMBRE):
        corps = next(flux)
        nouveau = extraire_dossier(orjson.loads(corps), corps, 2, "atlas", cfa_id)
        resultat.append(DepotDossier("atlas", cfa_id, nouveau, profil, maintenant_utc))
    return resultat


def ecrire(fabrique: Any, lots: list[list[Any]]) -> tuple[float, float]:
    """Chaque lot comme le fil de l'écrivain : (s CPU, s écoulées)."""
    compter("-i", "on")
    cpu, mur = time.process_time(), time.perf_counter()
    for lot in lots:
        with fabrique() as session, session.begin():
            reponses = type(lot[0]).executer_groupe(session, lot)
        if len(reponses) != len(lot) or any(statut != 200 for statut, _ in reponses):
            raise RuntimeError("dépôt refusé pendant le banc")
    cpu, mur = time.process_time() - cpu, time.perf_counter() - mur
    compter("-i", "off")
    compter("-d")
    return cpu, mur


def main() -> None:
    from sqlalchemy import func, select
    from sqlalchemy.orm import sessionmaker

    from apicfa.stockage.moteur import creer_moteur, est_sqlite
    from apicfa.stockage.tables import Dossier

    mesures: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="apicfa-ecriture-") as dossier:
        url = URL_PG or f"sqlite:///{Path(dossier) / 'ecriture.db'}"
        cfa_id = preparer_base(url)
        flux = corps_distincts()
        options = {} if est_sqlite(url) else {"pool_size": 10, "max_overflow": 20}
        moteur = creer_moteur(url, **options)
        fabrique = sessionmaker(moteur, expire_on_commit=False)
        # échauffement (connexion ouverte, instructions préparées), hors mesure
        ecrire(fabrique, [travaux(cfa_id, flux)[:LOT]])
        for _tour in range(TOURS):
            prets = travaux(cfa_id, flux)
            lots = [prets[debut : debut + LOT] for debut in range(0, len(prets), LOT)]
            cpu, mur = ecrire(fabrique, lots)
            mesures.append((cpu / NOMBRE * 1e6, mur / NOMBRE * 1e6))
            print(
                f"{NOMBRE} dépôts en lots de {LOT} : {cpu / NOMBRE * 1e6:6.1f} µs CPU, "
                f"{mur / NOMBRE * 1e6:6.1f} µs écoulées par dossier",
                flush=True,
            )
        with fabrique() as session:
            total = session.scalar(select(func.count()).select_from(Dossier))
        moteur.dispose()
    attendu = NOMBRE * TOURS + LOT
    if total != attendu:
        raise RuntimeError(f"{total} dossiers écrits au lieu de {attendu}")
    base = "PostgreSQL" if URL_PG else "SQLite"
    cpu = [m[0] for m in mesures]
    mur = [m[1] for m in mesures]
    print(
        f"{base}, {TOURS} tours de {NOMBRE} dépôts (lots de {LOT}) : CPU par dossier meilleur "
        f"{min(cpu):.1f} µs, médiane {statistics.median(cpu):.1f} µs ; écoulé meilleur "
        f"{min(mur):.1f} µs"
    )
    resultat = {
        "bench": "ecriture",
        "base": base,
        "lot": LOT,
        "cpu_us": round(min(cpu), 1),
        "cpu_median_us": round(statistics.median(cpu), 1),
        "ecoule_us": round(min(mur), 1),
    }
    print(json.dumps(resultat, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
