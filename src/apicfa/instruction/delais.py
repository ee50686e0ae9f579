"""Délais réglementaires d'un dossier (SPEC §6.1).

- Le dépôt se fait dans les 5 jours ouvrés qui suivent le début d'exécution du contrat ;
  un dépôt tardif est signalé (avertissement), il n'est pas refusé pour cela.
- L'OPCO décide dans les 20 jours (calendaires) qui suivent la réception du dossier complet ;
  passé ce délai, le silence vaut refus.

Jours ouvrés : du lundi au vendredi, hors jours fériés français (paquet `holidays`, qui est
une table de données ; aucune E/S). L'Alsace-Moselle et l'outre-mer ont leurs fériés propres,
choisis d'après le département de l'employeur.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Département de l'employeur → subdivision du calendrier `holidays` qui a des fériés propres.
_SUBDIVISIONS_FERIES: dict[str, str] = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


@lru_cache(maxsize=16)
def _calendrier(subdivision: str | None) -> holidays.HolidayBase:
    return holidays.France(subdiv=subdivision)


def est_jour_ouvre(jour: date, departement: str | None = None) -> bool:
    """Vrai du lundi au vendredi quand le jour n'est pas férié (dans ce département)."""
    if jour.weekday() >= 5:
        return False
    return jour not in _calendrier(_SUBDIVISIONS_FERIES.get(departement or ""))


def prechauffer(annee: int) -> None:
    """Charge les calendriers de fériés (national, Alsace-Moselle, outre-mer) de l'`annee`.

    Le premier appel au paquet `holidays` l'importe et construit ses tables (une demi-seconde) :
    un serveur le fait au démarrage plutôt que pendant sa première instruction."""
    for departement in (None, *_SUBDIVISIONS_FERIES):
        est_jour_ouvre(date(annee, 1, 1), departement)


@lru_cache(maxsize=8192)
def ajouter_jours_ouvres(depart: date, nombre: int, departement: str | None = None) -> date:
    """Le `nombre`-ième jour ouvré qui suit `depart` (le jour de départ ne compte pas).

    Mis en cache : une fonction pure de ses arguments, appelée à chaque instruction."""
    if nombre < 0:
        raise ValueError(f"nombre de jours ouvrés négatif : {nombre}")
    jour = depart
    restants = nombre
    while restants:
        jour += timedelta(days=1)
        if est_jour_ouvre(jour, departement):
            restants -= 1
    return jour


def date_limite_depot(
    debut_execution: date, jours_ouvres: int = 5, departement: str | None = None
) -> date:
    """Dernier jour pour déposer le contrat : `jours_ouvres` jours ouvrés après son début."""
    return ajouter_jours_ouvres(debut_execution, jours_ouvres, departement)


def date_limite_decision(date_dossier_complet: date, jours: int = 20) -> date:
    """Dernier jour où l'OPCO doit décider : `jours` jours calendaires après le dossier complet."""
    return date_dossier_complet + timedelta(days=jours)


def est_refus_tacite(limite_decision: date, aujourd_hui: date) -> bool:
    """Vrai quand le délai de décision est dépassé sans décision : le silence vaut refus."""
    return aujourd_hui > limite_decision
