"""Banc : dossiers entièrement validés par seconde, comparés à la simple lecture JSON.

Sur 10 000 dossiers générés (`apicfa.demo`), dans le même processus (un cœur) :
- lecture seule : `orjson.loads` des octets de chaque dossier ;
- validation complète : `orjson.loads` puis `valider_cerfa` (toutes les règles).
Les deux mesures alternent sur plusieurs passes et chacune garde sa meilleure passe, en temps
processeur (`time.process_time`) : c'est le débit d'un cœur, que la machine partagée ne fausse
pas. Objectif : la validation complète coûte au plus 10 fois la lecture (ratio ≥ 0,1). La
différence des deux, rapportée à un dossier, est le coût des seules règles (µs de processeur).
Dernière ligne : un objet JSON.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date

import orjson

from apicfa.demo.generateur import generer_dossiers
from apicfa.norme.validation import valider_cerfa

NOMBRE = int(os.environ.get("APICFA_BENCH_DOSSIERS", "10000"))
PASSES = 5
GRAINE = 2026


def _meilleures(*passes: Callable[[], object]) -> list[float]:
    """Meilleur temps processeur de chaque passe, les passes alternant à chaque tour."""
    meilleurs = [float("inf")] * len(passes)
    for _ in range(PASSES):
        for indice, passe in enumerate(passes):
            debut = time.process_time()
            passe()
            meilleurs[indice] = min(meilleurs[indice], time.process_time() - debut)
    return meilleurs


def main() -> None:
    jour = date.today()
    debut = time.perf_counter()
    fichiers = [orjson.dumps(dossier) for dossier in generer_dossiers(NOMBRE, GRAINE)]
    generation = time.perf_counter() - debut
    taille = sum(map(len, fichiers)) / len(fichiers)

    def lecture() -> None:
        for octets in fichiers:
            orjson.loads(octets)

    def validation() -> None:
        for octets in fichiers:
            valider_cerfa(orjson.loads(octets), aujourd_hui=jour)

    constats = [valider_cerfa(orjson.loads(o), aujourd_hui=jour) for o in fichiers]
    bloquants = sum(1 for liste in constats for c in liste if c.niveau == "bloquant")
    duree_lecture, duree_validation = _meilleures(lecture, validation)
    lecture_par_s = NOMBRE / duree_lecture
    dossiers_par_s = NOMBRE / duree_validation
    ratio = dossiers_par_s / lecture_par_s
    # coût des seules règles : validation complète moins lecture, par dossier
    us_regles = (duree_validation - duree_lecture) / NOMBRE * 1e6
    print(f"{NOMBRE} dossiers générés en {generation:.1f} s, {taille:.0f} octets en moyenne")
    print(f"constats bloquants sur les dossiers générés : {bloquants}")
    print(f"lecture seule (orjson.loads)      : {lecture_par_s:>10.0f} dossiers/s")
    print(f"validation complète (lecture + règles) : {dossiers_par_s:>10.0f} dossiers/s")
    print(
        f"ratio validation / lecture : {ratio:.3f} (objectif ≥ 0,1) — meilleure de {PASSES} passes"
    )
    print(f"règles seules (validation − lecture) : {us_regles:.1f} µs de processeur par dossier")
    print(
        orjson.dumps(
            {
                "bench": "validation",
                "dossiers_par_s": round(dossiers_par_s),
                "lecture_par_s": round(lecture_par_s),
                "ratio_vs_parse": round(ratio, 3),
                "us_regles_par_dossier": round(us_regles, 1),
            }
        ).decode()
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
