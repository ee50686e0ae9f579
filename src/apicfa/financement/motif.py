"""Le motif d'un échéancier : son plan réduit à ce qu'il faut pour le chiffrer vite.

Toutes les années complètes ont les mêmes parts (40/30/20/10 ou 40/30/30 du NPEC) ; seule une
dernière année incomplète a son prorata et, quand elle est courte, ses parts fusionnées. Le motif
garde donc :

- `nombre_annees` : le nombre d'années d'exécution ;
- `repetitions`, `pourcentages_complets` : combien d'années, en tête, valent exactement le NPEC
  avec le découpage d'une année complète, et les pourcentages de ce découpage (0 = le reste) ;
- `numerateur`, `denominateur`, `pourcentages_reste` : le prorata et les pourcentages de la
  dernière année quand elle n'est pas complète (sinon `pourcentages_reste` est vide) ;
- `tetes`, `queues` : pour chaque échéance, dans l'ordre des numéros, les champs d'une `Echeance`
  qui précèdent son montant (numéro, codification) et ceux qui le suivent (réglé, en cours
  d'instruction, ouverture, début, fin, année, solde).

Ce sont des tuples simples (le ramasse-miettes cesse de les suivre : un cache de dizaines de
milliers de motifs ne lui coûte rien), rangés dans un dictionnaire vidé quand il est plein.

Un motif nouveau (une date de fin encore jamais vue) se calcule sans repasser par le plan : les
anniversaires de la date de début (début + k ans) et les débuts de mois d'une année (début de
l'année + m mois, m = 0 à 12) sont en tables, par date ; le numéro de la dernière année et les
mois commencés s'y lisent par dichotomie. Les règles sont celles de `regime2020.decoupage`,
`regime2020.decoupage_contrat_court` et `regime2025.decoupage` ; `tests/financement/test_motif.py`
compare l'échéancier ainsi obtenu au calcul année par année (`plan.py`) sur des milliers de cas.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal

from apicfa.financement.calendrier import UN_JOUR, ajouter_annees, ajouter_mois
from apicfa.financement.modeles import Regime
from apicfa.financement.plan import annees_completes

Pourcentages = tuple[int, ...]
Tete = tuple[int, str]
Queue = tuple[Decimal, Decimal, date, date, date, int, bool]
Motif = tuple[int, int, Pourcentages, int, int, Pourcentages, tuple[Tete, ...], tuple[Queue, ...]]

MOTIFS: dict[tuple[Regime, date, date], Motif] = {}
_PREFIXES: dict[tuple[Regime, date, int], tuple[Pourcentages, tuple[Queue, ...]]] = {}
# Par date de début : ses anniversaires (début + k ans, k = 0, 1, …), au moins jusqu'au premier
# qui dépasse la fin du contrat le plus long vu.
_ANNIVERSAIRES: dict[date, tuple[date, ...]] = {}
# Par date de début d'année : (début + m mois pour m = 0 à 12, veille du 7e mois, veille du 10e).
_MOIS: dict[date, tuple[tuple[date, ...], date, date]] = {}
_TAILLE_MAX = 100_000
_ANS_EN_TABLE = 6
ZERO = Decimal("0.00")
TETES = tuple((numero, f"E{numero}") for numero in range(64))


def tetes(nombre: int) -> tuple[Tete, ...]:
    """(numéro, codification) des échéances 1 à `nombre`."""
    if nombre < len(TETES):
        return TETES[1 : nombre + 1]
    return TETES[1:] + tuple((numero, f"E{numero}") for numero in range(len(TETES), nombre + 1))


def _prefixe(regime: Regime, debut: date, nombre: int) -> tuple[Pourcentages, tuple[Queue, ...]]:
    """Les pourcentages des parts d'une année complète et les queues des échéances des `nombre`
    premières années, toutes complètes et suivies d'une autre (aucune n'est un solde final)."""
    cle = (regime, debut, nombre)
    prefixe = _PREFIXES.get(cle)
    if prefixe is None:
        if len(_PREFIXES) >= _TAILLE_MAX:
            _PREFIXES.clear()
        parts = annees_completes(regime, debut, nombre).parts
        pourcentages = tuple([part.pourcentage for part in parts if part.annee == 1])
        queues = tuple(
            [
                (ZERO, ZERO, part.ouverture, part.debut, part.fin, part.annee, False)
                for part in parts
            ]
        )
        prefixe = _PREFIXES[cle] = (pourcentages, queues)
    return prefixe


def _anniversaires(debut: date, fin: date) -> tuple[date, ...]:
    """Début + k ans pour k = 0, 1, … jusqu'au premier anniversaire postérieur à `fin`."""
    anniversaires = _ANNIVERSAIRES.get(debut)
    if anniversaires is None or anniversaires[-1] <= fin:
        if len(_ANNIVERSAIRES) >= _TAILLE_MAX:
            _ANNIVERSAIRES.clear()
        liste = [ajouter_annees(debut, annees) for annees in range(_ANS_EN_TABLE + 1)]
        while liste[-1] <= fin:
            liste.append(ajouter_annees(debut, len(liste)))
        anniversaires = _ANNIVERSAIRES[debut] = tuple(liste)
    return anniversaires


def _mois(debut_annee: date) -> tuple[tuple[date, ...], date, date]:
    """Début de l'année + m mois (m = 0 à 12), veilles du 7e et du 10e mois."""
    mois = _MOIS.get(debut_annee)
    if mois is None:
        if len(_MOIS) >= _TAILLE_MAX:
            _MOIS.clear()
        debuts = tuple([ajouter_mois(debut_annee, nombre) for nombre in range(13)])
        mois = _MOIS[debut_annee] = (debuts, debuts[6] - UN_JOUR, debuts[9] - UN_JOUR)
    return mois


def _calculer_motif(regime: Regime, debut: date, fin: date) -> Motif:
    anniversaires = _anniversaires(debut, fin)
    # Numéro de la dernière année : le nombre d'anniversaires (début compris) au plus tard le
    # `fin` ; elle court de l'anniversaire précédent au `fin`, complète si le suivant est le
    # lendemain du `fin`.
    numero = bisect_right(anniversaires, fin)
    debut_annee = anniversaires[numero - 1]
    lendemain = fin + UN_JOUR
    complete = lendemain == anniversaires[numero]
    debuts_mois, veille_septieme, veille_dixieme = _mois(debut_annee)
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
    pourcentages_complets, queues = _prefixe(regime, debut, numero - 1)
    if complete:
        # Découpée comme toute année complète : elle vaut le NPEC, comme les précédentes.
        repetitions, pourcentages_complets, pourcentages = numero, pourcentages, ()
        numerateur = denominateur = 1
    else:
        repetitions = numero - 1
        if regime == "2025":
            numerateur, denominateur = (fin - debut_annee).days + 1, 365
        else:
            # Mois commencés : les débuts de mois de l'année au plus tard le `fin` (une année
            # incomplète finit avant le 13e, voir docs/financement.md).
            numerateur, denominateur = bisect_right(debuts_mois, fin), 12
    queues += fins
    return (
        numero,
        repetitions,
        pourcentages_complets,
        numerateur,
        denominateur,
        pourcentages,
        tetes(len(queues)),
        queues,
    )


def motif_echeancier(regime: Regime, debut: date, fin: date) -> Motif:
    """Le motif d'un contrat du `debut` au `fin` inclus (mis en cache)."""
    cle = (regime, debut, fin)
    motif = MOTIFS.get(cle)
    if motif is None:
        if len(MOTIFS) >= _TAILLE_MAX:
            MOTIFS.clear()
        motif = MOTIFS[cle] = _calculer_motif(regime, debut, fin)
    return motif
