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
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apicfa.financement.modeles import Regime
from apicfa.financement.plan import (
    annees_completes,
    decoupage_derniere_annee,
    derniere_annee,
    prorata,
)

Pourcentages = tuple[int, ...]
Tete = tuple[int, str]
Queue = tuple[Decimal, Decimal, date, date, date, int, bool]
Motif = tuple[int, int, Pourcentages, int, int, Pourcentages, tuple[Tete, ...], tuple[Queue, ...]]

MOTIFS: dict[tuple[Regime, date, date], Motif] = {}
_PREFIXES: dict[tuple[Regime, date, int], tuple[Pourcentages, tuple[Queue, ...]]] = {}
_TAILLE_MAX = 100_000
ZERO = Decimal("0.00")
_TETES = tuple((numero, f"E{numero}") for numero in range(64))


def tetes(nombre: int) -> tuple[Tete, ...]:
    """(numéro, codification) des échéances 1 à `nombre`."""
    if nombre < len(_TETES):
        return _TETES[1 : nombre + 1]
    return _TETES[1:] + tuple((numero, f"E{numero}") for numero in range(len(_TETES), nombre + 1))


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


def motif_echeancier(regime: Regime, debut: date, fin: date) -> Motif:
    """Le motif d'un contrat du `debut` au `fin` inclus (mis en cache)."""
    cle = (regime, debut, fin)
    motif = MOTIFS.get(cle)
    if motif is None:
        if len(MOTIFS) >= _TAILLE_MAX:
            MOTIFS.clear()
        derniere = derniere_annee(debut, fin)
        numero_annee = derniere.numero
        pourcentages_complets, queues = _prefixe(regime, debut, numero_annee - 1)
        decoupes = decoupage_derniere_annee(regime, derniere)
        pourcentages = tuple([decoupe[3] for decoupe in decoupes])
        if derniere.complete:
            # Découpée comme toute année complète : elle vaut le NPEC, comme les précédentes.
            repetitions, pourcentages_complets, pourcentages = numero_annee, pourcentages, ()
            numerateur = denominateur = 1
        else:
            repetitions = numero_annee - 1
            numerateur, denominateur = prorata(regime, derniere)
        queues += tuple(
            [
                (ZERO, ZERO, ouverture, debut_part, fin_part, numero_annee, ouverture > fin)
                for ouverture, debut_part, fin_part, _pourcentage in decoupes
            ]
        )
        motif = MOTIFS[cle] = (
            numero_annee,
            repetitions,
            pourcentages_complets,
            numerateur,
            denominateur,
            pourcentages,
            tetes(len(queues)),
            queues,
        )
    return motif
