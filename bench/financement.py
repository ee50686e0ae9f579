"""Mesure du moteur de financement (rapport, pas un test).

1. Échéanciers calculés par seconde, sur un cœur, pour `--nombre` contrats générés (graine fixe,
   par lots de 20 000 ; seule la boucle `calculer_echeancier` est chronométrée : chaque lot est
   généré avant le chronomètre, puis un ramassage complet range les contrats générés parmi les
   objets anciens, pour que le ramasse-miettes ne facture pas au moteur les objets du bench).
   Le ramasse-miettes reste actif pendant la mesure, comme dans le serveur ; le temps qu'il y
   passe est compté à part (`part_ramasse_miettes`). Le détail en français est rédigé à la
   demande : on mesure aussi, sur un échantillon, le débit quand chaque détail est lu.
2. Import d'un classeur NPEC synthétique de `--lignes` lignes en mise en page 2024, écrit en flux
   par `apicfa.referentiels.classeur_synthetique.ecrire_classeur_npec` dans un dossier
   temporaire puis importé par `apicfa.referentiels.depot.importer_npec` dans une base SQLite
   temporaire.

Objectifs : ≥ 50 000 échéanciers/s ; import ≥ 20 000 lignes/s. `echeanciers_par_s` est compté
en temps processeur du processus (un cœur) : sur une machine partagée, le temps d'horloge compte
aussi l'attente du processeur ; il est donné à côté (`echeanciers_par_s_horloge`). L'import est
compté à l'horloge (il écrit sur disque). Un étalon (appel de fonction Python vide) situe la machine.
Dernière ligne : un objet JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from apicfa.financement.calendrier import ajouter_mois
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier

TAILLE_LOT = 20_000
DUREES_EN_MOIS = (6, 12, 18, 24, 30, 36, 48)


def _contrats(nombre: int, graine: int) -> Iterator[list[ContratFinance]]:
    """Des lots de contrats plausibles : débuts sur quatre ans, durées en mois ronds (60 %) ou
    quelconques de 6 mois à 4 ans, 2 000 valeurs de NPEC (un référentiel), niveaux 3 à 7,
    15 % de formations surtout à distance, conclusions avant et après le 2025-07-01."""
    rng = random.Random(graine)
    npecs = [Decimal(rng.randrange(4000_00, 15000_00)).scaleb(-2) for _ in range(2000)]
    origine = date(2023, 1, 1)
    restant = nombre
    while restant > 0:
        lot = []
        for _ in range(min(TAILLE_LOT, restant)):
            debut = origine + timedelta(days=rng.randrange(4 * 365))
            if rng.random() < 0.6:
                fin = ajouter_mois(debut, rng.choice(DUREES_EN_MOIS)) - timedelta(days=1)
            else:
                fin = debut + timedelta(days=rng.randrange(180, 4 * 365))
            duree = rng.randrange(400, 1600)
            distanciel = duree if rng.random() < 0.15 else rng.randrange(0, duree // 2)
            lot.append(
                ContratFinance(
                    date_conclusion=debut - timedelta(days=rng.randrange(60)),
                    date_debut=debut,
                    date_fin=fin,
                    npec=rng.choice(npecs),
                    niveau=rng.randrange(3, 8),
                    duree_formation=duree,
                    heures_distanciel=distanciel,
                )
            )
        restant -= len(lot)
        yield lot


class _ChronoRamasseMiettes:
    """Le temps passé dans le ramasse-miettes (rappel `gc.callbacks`) et le nombre de passages."""

    def __init__(self) -> None:
        self.duree = 0.0
        self.passages = [0, 0, 0]
        self._debut = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._debut = time.process_time()
        else:
            self.duree += time.process_time() - self._debut
            self.passages[info["generation"]] += 1


def mesurer_echeanciers(nombre: int, graine: int) -> dict[str, Any]:
    """Débit en temps processeur du processus (un cœur) et en temps d'horloge."""
    duree_cpu = 0.0
    duree_horloge = 0.0
    echeances = 0
    chrono = _ChronoRamasseMiettes()
    # Ramasse-miettes laissé actif : c'est ainsi que le moteur tourne dans le serveur.
    for lot in _contrats(nombre, graine):
        gc.collect()
        gc.callbacks.append(chrono)
        debut_cpu, debut_horloge = time.process_time(), time.perf_counter()
        for contrat in lot:
            echeances += len(calculer_echeancier(contrat).echeances)
        duree_cpu += time.process_time() - debut_cpu
        duree_horloge += time.perf_counter() - debut_horloge
        gc.callbacks.remove(chrono)
    # Même chose sur un échantillon en lisant chaque détail (phrases rédigées).
    echantillon = next(_contrats(min(nombre, TAILLE_LOT), graine + 1))
    debut_cpu = time.process_time()
    for contrat in echantillon:
        calculer_echeancier(contrat).detail  # noqa: B018 - on force la rédaction
    duree_detail = time.process_time() - debut_cpu
    return {
        "echeanciers_par_s": nombre / duree_cpu,
        "echeanciers_par_s_horloge": nombre / duree_horloge,
        "echeances_par_echeancier": echeances / nombre,
        "echeanciers_par_s_avec_detail": len(echantillon) / duree_detail,
        "duree_cpu_s": duree_cpu,
        "duree_horloge_s": duree_horloge,
        "part_ramasse_miettes": chrono.duree / duree_cpu,
        "passages_ramasse_miettes": chrono.passages,  # type: ignore[dict-item]
    }


def _ecrire_classeur(chemin: Path, lignes: int) -> None:
    from apicfa.referentiels.classeur_synthetique import (
        ecrire_classeur_npec,
        lignes_synthetiques_2024,
        rattachements_synthetiques_2024,
    )

    ecrire_classeur_npec(
        chemin, lignes_synthetiques_2024(lignes), rattachements_synthetiques_2024()
    )


def mesurer_import(lignes: int) -> dict[str, float | str]:
    try:
        from apicfa.referentiels.depot import importer_npec
    except ImportError:
        return {"import": "apicfa.referentiels.depot.importer_npec absent"}
    from apicfa.stockage.moteur import migrer

    with tempfile.TemporaryDirectory() as dossier:
        classeur = Path(dossier) / "referentiel-npec-2025-07-01.xlsx"
        debut = time.perf_counter()
        _ecrire_classeur(classeur, lignes)
        ecriture = time.perf_counter() - debut
        taille = classeur.stat().st_size
        url = f"sqlite:///{Path(dossier) / 'bench.db'}"
        migrer(url)
        memoire_avant = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        debut, debut_cpu = time.perf_counter(), time.process_time()
        rapport = importer_npec(url, classeur)
        duree, duree_cpu = time.perf_counter() - debut, time.process_time() - debut_cpu
        memoire_apres = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "import_lignes_par_s": lignes / duree,
        "import_lignes_lues": rapport.lignes_lues,
        "import_duree_s": duree,
        "import_lignes_par_s_cpu": lignes / duree_cpu,
        "ecriture_classeur_s": ecriture,
        "taille_classeur_mo": taille / 1e6,
        "memoire_max_avant_import_mo": memoire_avant / 1024,
        "memoire_max_apres_import_mo": memoire_apres / 1024,
    }


def etalon_appel_vide_ns() -> float:
    def vide() -> None:
        return None

    nombre = 1_000_000
    debut = time.perf_counter()
    for _ in range(nombre):
        vide()
    return (time.perf_counter() - debut) / nombre * 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nombre", type=int, default=1_000_000, help="contrats générés")
    parser.add_argument("--lignes", type=int, default=200_000, help="lignes du classeur NPEC")
    parser.add_argument("--graine", type=int, default=2025)
    arguments = parser.parse_args()

    etalon = etalon_appel_vide_ns()
    print(f"Étalon : un appel de fonction Python vide prend {etalon:.0f} ns sur cette machine.")
    echeanciers = mesurer_echeanciers(arguments.nombre, arguments.graine)
    print(
        f"Échéanciers : {arguments.nombre} en {echeanciers['duree_cpu_s']:.1f} s de processeur "
        f"({echeanciers['duree_horloge_s']:.1f} s d'horloge), "
        f"{echeanciers['echeanciers_par_s']:.0f}/s par cœur "
        f"({echeanciers['echeanciers_par_s_horloge']:.0f}/s à l'horloge ; "
        f"{echeanciers['echeances_par_echeancier']:.1f} échéances en moyenne) ; "
        f"avec le détail rédigé : {echeanciers['echeanciers_par_s_avec_detail']:.0f}/s "
        "(objectif ≥ 50 000/s)."
    )
    print(
        f"Ramasse-miettes actif (seuils {gc.get_threshold()}) : "
        f"{echeanciers['part_ramasse_miettes']:.0%} du temps mesuré, passages par génération "
        f"{echeanciers['passages_ramasse_miettes']}."
    )
    importation = mesurer_import(arguments.lignes)
    if "import_lignes_par_s" in importation:
        print(
            f"Import : {arguments.lignes} lignes en {importation['import_duree_s']:.1f} s "
            f"d'horloge, {importation['import_lignes_par_s']:.0f} lignes/s (objectif ≥ 20 000/s ; "
            f"{importation['import_lignes_par_s_cpu']:.0f}/s en temps processeur) ; "
            f"mémoire maximale {importation['memoire_max_avant_import_mo']:.0f} → "
            f"{importation['memoire_max_apres_import_mo']:.0f} Mo ; classeur écrit en "
            f"{importation['ecriture_classeur_s']:.1f} s, {importation['taille_classeur_mo']:.1f} Mo."
        )
    else:
        print(f"Import non mesuré : {importation['import']}.")
    resultat = {
        "bench": "financement",
        "echeanciers_par_s": round(echeanciers["echeanciers_par_s"]),
        "import_lignes_par_s": (
            round(importation["import_lignes_par_s"])  # type: ignore[arg-type]
            if "import_lignes_par_s" in importation
            else None
        ),
        "echeanciers_par_s_horloge": round(echeanciers["echeanciers_par_s_horloge"]),
        "echeanciers_par_s_avec_detail": round(echeanciers["echeanciers_par_s_avec_detail"]),
        "part_ramasse_miettes": round(echeanciers["part_ramasse_miettes"], 3),
        "contrats": arguments.nombre,
        "lignes": arguments.lignes,
        "etalon_appel_vide_ns": round(etalon, 1),
    }
    print(json.dumps(resultat, ensure_ascii=False))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
