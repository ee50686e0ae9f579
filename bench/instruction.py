"""Banc : coût de l'instruction automatique par dossier, en isolation (sans HTTP).

Une base neuve (SQLite en WAL avec `synchronous=FULL` comme le serveur ; PostgreSQL si
APICFA_BENCH_PG est une URL), migrée, avec les référentiels d'exemple et un CFA. À chaque tour :
1. dépôt (non mesuré) de APICFA_BENCH_NOMBRE dossiers générés (ceux de `bench/depot.py` : le
   générateur de démo, un suffixe de nom différent par dossier), comme le fait la route de
   dépôt : validation de la norme (constats gardés pour l'instruction, comme dans le serveur),
   colonnes normalisées, insertion groupée `TRANSMIS` ;
2. mesure : l'instructeur du serveur (`Instructeur.instruire_en_attente`, écrivain groupé,
   lots de 64, transactions validées durablement) instruit tous ces dossiers.
Deux modes alternent : « constats gardés » (le dépôt du même processus les a gardés : chemin
normal du serveur) et « revalidation » (reprise après arrêt, ou dossier déposé par un autre
processus : la norme revalide le cerfa).

Rapporte, par dossier instruit, le temps CPU du processus (`time.process_time` : tous les fils,
donc aussi SQLite) et le temps écoulé, en µs ; le meilleur tour (le moins perturbé par les
autres travaux de la machine) et la médiane. Dernière ligne : un objet JSON.

Variables : APICFA_BENCH_NOMBRE (dossiers par tour, défaut 2000), APICFA_BENCH_TOURS (défaut 3),
APICFA_BENCH_PG (URL PostgreSQL ; absent = SQLite), APICFA_BENCH_CALLGRIND (voir `compter`).
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).parent))

from depot import corps_distincts, creer_compte_du_banc, preparer_postgres

NOMBRE = int(os.environ.get("APICFA_BENCH_NOMBRE", "2000"))
TOURS = int(os.environ.get("APICFA_BENCH_TOURS", "3"))
URL_PG = os.environ.get("APICFA_BENCH_PG")
CALLGRIND = bool(os.environ.get("APICFA_BENCH_CALLGRIND"))


def compter(*ordre: str) -> None:
    """Sous `valgrind --tool=callgrind --instr-atstart=no` avec APICFA_BENCH_CALLGRIND=1 :
    instructions comptées pendant chaque section mesurée seulement (`-i on`/`-i off`), et
    vidées dans un fichier par section (`-d` : <fichier de sortie>.1, .2… dans l'ordre des
    sections) ; le compte d'instructions ne dépend pas de la charge de la machine."""
    if CALLGRIND:
        subprocess.run(["callgrind_control", *ordre, str(os.getpid())], check=True)


def preparer_base(url: str) -> int:
    """Base migrée (toutes branches), référentiels d'exemple, un CFA ; rend son id."""
    from apicfa.referentiels.depot import charger_exemples
    from apicfa.stockage.moteur import migrer

    if not url.startswith("sqlite"):
        preparer_postgres(url)  # crée la base du banc si besoin, puis la vide
    migrer(url)
    charger_exemples(url)
    return creer_compte_du_banc(url)[1]


def deposer(url: str, cfa_id: int, flux: Any, gardes: Any, garder: bool) -> None:
    """Ce que fait la route de dépôt (validation, colonnes, insertion TRANSMIS), non mesuré."""
    from sqlalchemy.orm import Session

    from apicfa.opco.corps import empreinte_corps
    from apicfa.opco.empreinte_dossier import extraire_dossier
    from apicfa.opco.validation import verifier
    from apicfa.stockage.espace import EspaceCfa
    from apicfa.stockage.moteur import creer_moteur

    maintenant = datetime.now(UTC).replace(tzinfo=None)
    jour = datetime.now(UTC).date()
    # le cerfa décodé est gardé avec ses constats quand `garder` l'accepte (depuis 0eaca3c) :
    # le banc peut ainsi mesurer aussi une version antérieure (PYTHONPATH=<copie>/src)
    avec_donnees = "donnees" in inspect.signature(gardes.garder).parameters
    nouveaux = []
    for _ in range(NOMBRE):
        corps = next(flux)
        donnees = orjson.loads(corps)
        constats = verifier("cerfa", donnees, jour)
        if garder:
            if avec_donnees:
                gardes.garder(empreinte_corps(corps), jour, constats, donnees)
            else:
                gardes.garder(empreinte_corps(corps), jour, constats)
        nouveaux.append(extraire_dossier(donnees, corps, 2, "atlas", cfa_id))
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", cfa_id)
        for debut in range(0, len(nouveaux), 128):
            espace.inserer_dossiers(nouveaux[debut : debut + 128], maintenant)
    moteur.dispose()


async def instruire_tout(url: str, gardes: Any) -> tuple[int, float, float]:
    """L'instructeur du serveur sur les dossiers TRANSMIS : (nombre, s CPU, s écoulées)."""
    from sqlalchemy.orm import sessionmaker

    from apicfa.opco.ecrivain import Ecrivain
    from apicfa.opco.instructeur import Instructeur
    from apicfa.opco.profils import charger_profils
    from apicfa.opco.referentiel_npec import CacheReferentiel
    from apicfa.opco.services import maintenant_utc
    from apicfa.stockage.moteur import creer_moteur, est_sqlite

    options = {} if est_sqlite(url) else {"pool_size": 10, "max_overflow": 20}
    moteur = creer_moteur(url, **options)
    ecrivain = Ecrivain(sessionmaker(moteur, expire_on_commit=False))
    referentiel = CacheReferentiel(url)
    referentiel.obtenir()  # chargé une fois pour 30 s dans le serveur : hors mesure
    instructeur = Instructeur(
        ecrivain, charger_profils(), referentiel, maintenant_utc, constats_depot=gardes
    )
    compter("-i", "on")
    cpu, mur = time.process_time(), time.perf_counter()
    nombre = await instructeur.instruire_en_attente()
    cpu, mur = time.process_time() - cpu, time.perf_counter() - mur
    compter("-i", "off")
    compter("-d")
    await ecrivain.arreter()
    moteur.dispose()
    return nombre, cpu, mur


def etats(url: str) -> dict[str, int]:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from apicfa.stockage.moteur import creer_moteur
    from apicfa.stockage.tables import Dossier

    moteur = creer_moteur(url)
    with Session(moteur) as session:
        lignes = session.execute(select(Dossier.etat, func.count()).group_by(Dossier.etat)).all()
    moteur.dispose()
    return {etat: nombre for etat, nombre in lignes}


def main() -> None:
    from apicfa.opco.constats_depot import ConstatsDepot

    mesures: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    with tempfile.TemporaryDirectory(prefix="apicfa-instruction-") as dossier:
        url = URL_PG or f"sqlite:///{Path(dossier) / 'instruction.db'}"
        cfa_id = preparer_base(url)
        flux = corps_distincts()
        for _tour in range(TOURS):
            for mode, garder in (("constats gardés", True), ("revalidation", False)):
                gardes = ConstatsDepot(taille_max=NOMBRE + 1)
                deposer(url, cfa_id, flux, gardes, garder)
                nombre, cpu, mur = asyncio.run(instruire_tout(url, gardes))
                if nombre != NOMBRE:
                    raise RuntimeError(f"{nombre} dossiers instruits au lieu de {NOMBRE}")
                mesures[mode].append((cpu / nombre * 1e6, mur / nombre * 1e6))
                print(
                    f"{mode:<16} {nombre} dossiers : {cpu / nombre * 1e6:7.0f} µs CPU, "
                    f"{mur / nombre * 1e6:7.0f} µs écoulées par dossier "
                    f"({nombre / mur:.0f} dossiers/s)",
                    flush=True,
                )
        repartition = etats(url)
    base = "PostgreSQL" if URL_PG else "SQLite"
    print(f"{base}, {TOURS} tours de {NOMBRE} dossiers par mode ; états : {repartition}")
    resultat: dict[str, Any] = {"bench": "instruction", "base": base}
    for mode, cle in (("constats gardés", "gardes"), ("revalidation", "revalidation")):
        cpu = [m[0] for m in mesures[mode]]
        mur = [m[1] for m in mesures[mode]]
        print(
            f"{mode:<16} CPU par dossier : meilleur {min(cpu):.0f} µs, médiane "
            f"{statistics.median(cpu):.0f} µs ; écoulé : meilleur {min(mur):.0f} µs, "
            f"médiane {statistics.median(mur):.0f} µs"
        )
        resultat[f"{cle}_cpu_us"] = round(min(cpu))
        resultat[f"{cle}_cpu_median_us"] = round(statistics.median(cpu))
        resultat[f"{cle}_ecoule_us"] = round(min(mur))
    print(json.dumps(resultat, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
