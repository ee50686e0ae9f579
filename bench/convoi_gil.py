"""Banc : le convoi sur le GIL d'un fil qui écrit dans SQLite pendant qu'un autre calcule.

Dans le processus de dépôt, le fil de l'écrivain écrit les lots pendant que la boucle asyncio
valide les dépôts suivants (du Python pur, qui tient le GIL). Le module `sqlite3` relâche le GIL
pendant chaque pas de SQLite et doit le reprendre après : si l'autre fil calcule, chaque reprise
peut attendre jusqu'à l'intervalle de bascule du GIL (`sys.getswitchinterval()`, 5 ms).

Le banc écrit des lots de 100 lignes d'échéance (une transaction validée par lot, WAL et
`synchronous=FULL` comme le serveur), seul puis avec un fil Python occupé à côté, par
`executemany` (une reprise du GIL par ligne) et par un `INSERT` de plusieurs lignes (une
reprise par instruction), pour chaque intervalle de bascule de `APICFA_BENCH_BASCULES`
(secondes, défaut « 0.005 0.001 0.0005 »). Dernière ligne : un objet JSON (ms de mur par lot).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

LOTS = int(os.environ.get("APICFA_BENCH_LOTS", "200"))
BASCULES = [float(x) for x in os.environ.get("APICFA_BENCH_BASCULES", "0.005 0.001 0.0005").split()]
COLONNES = "dossier_id, numero, codification, total, regle, en_cours, ouverture, debut, fin, solde"
UNE_LIGNE = f"INSERT INTO echeance ({COLONNES}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _lignes(base: int) -> list[tuple[object, ...]]:
    return [
        (base + i // 6, i % 6 + 1, "E1", 100_000, 0, 0, "2026-01-01", "2026-01-01", "2026-06-30", 0)
        for i in range(100)
    ]


def _ecrire(connexion: sqlite3.Connection, mode: str, base: int) -> float:
    """Mur moyen (ms) d'un lot."""
    debut = time.perf_counter()
    for lot in range(LOTS):
        lignes = _lignes(base + lot * 20)
        connexion.execute("BEGIN")
        if mode == "executemany":
            connexion.executemany(UNE_LIGNE, lignes)
        else:
            marques = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(lignes))
            connexion.execute(
                f"INSERT INTO echeance ({COLONNES}) VALUES {marques}",
                [valeur for ligne in lignes for valeur in ligne],
            )
        connexion.execute("COMMIT")
    return (time.perf_counter() - debut) / LOTS * 1000


def main() -> None:
    dossier = Path(tempfile.mkdtemp(prefix="apicfa-convoi-"))
    connexion = sqlite3.connect(dossier / "convoi.db", isolation_level=None)
    connexion.execute("PRAGMA journal_mode=WAL")
    connexion.execute("PRAGMA synchronous=FULL")
    connexion.execute(
        "CREATE TABLE echeance (id INTEGER PRIMARY KEY, dossier_id INT, numero INT, "
        "codification TEXT, total INT, regle INT, en_cours INT, ouverture TEXT, debut TEXT, "
        "fin TEXT, solde INT, UNIQUE (dossier_id, numero))"
    )
    resultats: dict[str, float] = {}
    base = 0
    print(
        f"Banc convoi GIL : lots de 100 échéances, {LOTS} lots par mesure ; {os.cpu_count()} cœurs."
    )
    for bascule in BASCULES:
        sys.setswitchinterval(bascule)
        for occupe in (False, True):
            arret = threading.Event()

            def calculer(arret: threading.Event = arret) -> None:
                total = 0
                while not arret.is_set():
                    for i in range(1000):
                        total += i * i

            fil = threading.Thread(target=calculer, daemon=True)
            if occupe:
                fil.start()
            for mode in ("executemany", "multi-lignes"):
                base += LOTS * 20
                mur = _ecrire(connexion, mode, base)
                cle = f"{mode}_{'occupe' if occupe else 'seul'}_{bascule * 1000:g}ms"
                resultats[cle] = round(mur, 2)
                print(
                    f"bascule {bascule * 1000:g} ms  {'fil occupé à côté' if occupe else 'seul':17s}"
                    f"  {mode:12s}  {mur:6.2f} ms de mur par lot",
                    flush=True,
                )
            arret.set()
            if occupe:
                fil.join()
    connexion.close()
    print(json.dumps({"bench": "convoi_gil", **resultats}))


if __name__ == "__main__":
    main()
