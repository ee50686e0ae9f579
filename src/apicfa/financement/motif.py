"""Le motif d'un échéancier : son plan réduit à ce qu'il faut pour le chiffrer vite.

Toutes les années complètes ont les mêmes parts (40/30/20/10 ou 40/30/30 du NPEC) ; seule une
dernière année incomplète a son prorata et, quand elle est courte, ses parts fusionnées. Le motif
garde donc :

- `nombre_annees` : le nombre d'années d'exécution ;
- `repetitions`, `pourcentages_complets` : combien d'années, en tête, valent exactement le NPEC
  avec le découpage d'une année complète, et les pourcentages de ce découpage (0 = le reste) ;
- `numerateur`, `denominateur`, `pourcentages_reste` : le prorata et les pourcentages de la
  dernière année quand elle n'est pas complète (sinon `pourcentages_reste` est vide) ;
- `queues` : pour chaque échéance, dans l'ordre des numéros, les champs d'une `Echeance` qui
  suivent son montant (réglé, en cours d'instruction, ouverture, début, fin, année, solde) ; le
  numéro et la codification se déduisent du rang (`tetes`, `CODIFICATIONS`).

Ce sont des tuples simples, calculés pour chaque contrat sans être gardés : ce qui se réutilise
d'un contrat à l'autre ne dépend que de la date de début, et c'est cela qui est en cache. Par
date de début (`Debut`) : les anniversaires (début + k ans, k = 0, 1, …), pour chaque régime et
chaque nombre k d'années complètes les queues de leurs échéances (le préfixe, partagé par tous
les contrats qui commencent ce jour-là), et pour chaque année ses débuts de mois (début de
l'année + m mois, m = 0 à 12). Le numéro de la dernière année et les mois commencés s'y lisent par
dichotomie ; seule la dernière année (2 à 4 échéances) est propre au contrat. Un portefeuille
réel compte quelques milliers de dates de début : ces tables y servent presque à chaque contrat.
Les règles sont celles de `regime2020.decoupage`, `regime2020.decoupage_contrat_court` et
`regime2025.decoupage` ; `tests/financement/test_motif.py` compare l'échéancier ainsi obtenu au
calcul année par année (`plan.py`) sur des milliers de cas.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from apicfa.financement.calendrier import UN_JOUR, ajouter_annees, ajouter_mois
from apicfa.financement.modeles import Regime
from apicfa.financement.plan import annees_completes

Pourcentages = tuple[int, ...]
Tete = tuple[int, str]
Queue = tuple[Decimal, Decimal, date, date, date, int, bool]
Motif = tuple[int, int, Pourcentages, int, int, Pourcentages, tuple[Queue, ...]]
Prefixe = tuple[Pourcentages, tuple[Queue, ...]]
Mois = tuple[tuple[date, ...], date, date]


class Debut(NamedTuple):
    """Ce qui ne dépend que de la date de début d'un contrat.

    `anniversaires` : début + k ans (k = 0, 1, …), au moins jusqu'au premier postérieur à la
    fin du plus long contrat vu ; `prefixes_2020`, `prefixes_2025` : par nombre k d'années
    complètes, leurs pourcentages et les queues de leurs échéances ; `mois` : par année k + 1,
    ses débuts de mois (début de l'année + m mois, m = 0 à 12) et les veilles des 7e et 10e
    mois. Les trois listes se remplissent à la demande."""

    anniversaires: tuple[date, ...]
    prefixes_2020: list[Prefixe | None]
    prefixes_2025: list[Prefixe | None]
    mois: list[Mois | None]


DEBUTS: dict[date, Debut] = {}
_TAILLE_MAX = 100_000
_ANS_EN_TABLE = 6
ZERO = Decimal("0.00")
CODIFICATIONS = tuple(f"E{numero}" for numero in range(64))
_TETES = tuple(enumerate(CODIFICATIONS))


def tetes(nombre: int) -> tuple[Tete, ...]:
    """(numéro, codification) des échéances 1 à `nombre`."""
    if nombre < len(_TETES):
        return _TETES[1 : nombre + 1]
    return _TETES[1:] + tuple((numero, f"E{numero}") for numero in range(len(_TETES), nombre + 1))


def debut_contrat(debut: date, fin: date) -> Debut:
    """Les tables de la date `debut`, ses anniversaires allant au-delà de `fin`."""
    connu = DEBUTS.get(debut)
    if connu is None or connu.anniversaires[-1] <= fin:
        if len(DEBUTS) >= _TAILLE_MAX:
            DEBUTS.clear()
        anniversaires = [ajouter_annees(debut, annees) for annees in range(_ANS_EN_TABLE + 1)]
        while anniversaires[-1] <= fin:
            anniversaires.append(ajouter_annees(debut, len(anniversaires)))
        listes: tuple[list[Any], list[Any], list[Any]] = (
            [None] * len(anniversaires),
            [None] * len(anniversaires),
            [None] * len(anniversaires),
        )
        if connu is not None:
            for liste, ancienne in zip(listes, connu[1:], strict=True):
                liste[: len(ancienne)] = ancienne
        connu = DEBUTS[debut] = Debut(tuple(anniversaires), *listes)
    return connu


def _prefixe(regime: Regime, debut: date, nombre: int, prefixes: list[Prefixe | None]) -> Prefixe:
    """Les pourcentages des parts d'une année complète et les queues des échéances des `nombre`
    premières années, toutes complètes et suivies d'une autre (aucune n'est un solde final),
    rangés dans `prefixes[nombre]` pour les contrats suivants."""
    parts = annees_completes(regime, debut, nombre).parts
    pourcentages = tuple([part.pourcentage for part in parts if part.annee == 1])
    queues = tuple(
        [(ZERO, ZERO, part.ouverture, part.debut, part.fin, part.annee, False) for part in parts]
    )
    prefixe = prefixes[nombre] = (pourcentages, queues)
    return prefixe


def _mois(tables: Debut, indice: int) -> Mois:
    """Début de l'année `indice` + 1 plus m mois (m = 0 à 12), veilles du 7e et du 10e mois,
    rangés dans `tables.mois[indice]`."""
    debut_annee = tables.anniversaires[indice]
    debuts = tuple([ajouter_mois(debut_annee, nombre) for nombre in range(13)])
    mois = tables.mois[indice] = (debuts, debuts[6] - UN_JOUR, debuts[9] - UN_JOUR)
    return mois


def motif_echeancier(regime: Regime, debut: date, fin: date) -> Motif:
    """Le motif d'un contrat du `debut` au `fin` inclus."""
    tables = DEBUTS.get(debut)
    if tables is None or tables.anniversaires[-1] <= fin:
        tables = debut_contrat(debut, fin)
    anniversaires = tables.anniversaires
    # Numéro de la dernière année : le nombre d'anniversaires (début compris) au plus tard le
    # `fin` ; elle court de l'anniversaire précédent au `fin`, complète si le suivant est le
    # lendemain du `fin`.
    numero = bisect_right(anniversaires, fin)
    debut_annee = anniversaires[numero - 1]
    lendemain = fin + UN_JOUR
    complete = lendemain == anniversaires[numero]
    debuts_mois, veille_septieme, veille_dixieme = tables.mois[numero - 1] or _mois(
        tables, numero - 1
    )
    septieme, dixieme = debuts_mois[6], debuts_mois[9]
    if regime == "2020" and numero == 1 and not complete:
        # Contrat de moins d'un an du régime 2020 : 50 % au début, le reste le lendemain de la fin.
        pourcentages: Pourcentages = (50, 0)
        fins: tuple[Queue, ...] = (
            (ZERO, ZERO, debut_annee, debut_annee, fin, numero, False),
            (ZERO, ZERO, lendemain, debut_annee, fin, numero, True),
        )
    elif septieme > fin:
        # Année courte : le 40 % au début, le reste (ou solde) le lendemain de la fin.
        pourcentages = (40, 0)
        fins = (
            (ZERO, ZERO, debut_annee, debut_annee, fin, numero, False),
            (ZERO, ZERO, lendemain, debut_annee, fin, numero, True),
        )
    elif dixieme > fin:
        pourcentages = (40, 30, 0)
        fins = (
            (ZERO, ZERO, debut_annee, debut_annee, veille_septieme, numero, False),
            (ZERO, ZERO, septieme, septieme, fin, numero, False),
            (ZERO, ZERO, lendemain, debut_annee, fin, numero, True),
        )
    elif regime == "2025":
        pourcentages = (40, 30, 20, 0)
        fins = (
            (ZERO, ZERO, debut_annee, debut_annee, veille_septieme, numero, False),
            (ZERO, ZERO, septieme, septieme, veille_dixieme, numero, False),
            (ZERO, ZERO, dixieme, dixieme, fin, numero, False),
            (ZERO, ZERO, lendemain, debut_annee, fin, numero, True),
        )
    else:
        # Régime 2020 : le reste (30 %) s'ouvre au 10e mois.
        pourcentages = (40, 30, 0)
        fins = (
            (ZERO, ZERO, debut_annee, debut_annee, veille_septieme, numero, False),
            (ZERO, ZERO, septieme, septieme, veille_dixieme, numero, False),
            (ZERO, ZERO, dixieme, dixieme, fin, numero, False),
        )
    prefixes = tables.prefixes_2020 if regime == "2020" else tables.prefixes_2025
    pourcentages_complets, queues = prefixes[numero - 1] or _prefixe(
        regime, debut, numero - 1, prefixes
    )
    if complete:
        # Découpée comme toute année complète : elle vaut le NPEC, comme les précédentes.
        return (numero, numero, pourcentages, 1, 1, (), queues + fins)
    if regime == "2025":
        numerateur, denominateur = (fin - debut_annee).days + 1, 365
    else:
        # Mois commencés : les débuts de mois de l'année au plus tard le `fin` (une année
        # incomplète finit avant le 13e, voir docs/financement.md).
        numerateur, denominateur = bisect_right(debuts_mois, fin), 12
    return (
        numero,
        numero - 1,
        pourcentages_complets,
        numerateur,
        denominateur,
        pourcentages,
        queues + fins,
    )
