"""Le motif d'un échéancier : son plan réduit à ce qu'il faut pour le chiffrer vite.

Toutes les années complètes qui précèdent la dernière ont les mêmes parts (40/30/20/10 ou
40/30/30 du NPEC) ; seule la dernière année a son prorata et, quand elle est courte, ses parts
fusionnées. Le motif garde donc : le nombre d'années complètes avant la dernière et les
pourcentages de leurs parts, le prorata de la dernière et les pourcentages de ses parts (0 = le
reste de l'année), et le gabarit de chaque échéance, dans l'ordre des numéros : les champs
d'une `Echeance` qui précèdent son montant (numéro, codification) et ceux qui le suivent (réglé,
en cours d'instruction, ouverture, début, fin, année, solde).

Ce sont des tuples simples (le ramasse-miettes cesse de les suivre, un cache de dizaines de
milliers de motifs ne lui coûte rien), rangés dans un dictionnaire vidé quand il est plein.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apicfa.financement.modeles import Regime
from apicfa.financement.parts import PartPlan
from apicfa.financement.plan import (
    annees_completes,
    decoupage_derniere_annee,
    derniere_annee,
    prorata,
)

Gabarit = tuple[tuple[int, str], tuple[Decimal, Decimal, date, date, date, int, bool]]
Pourcentages = tuple[int, ...]
# (années complètes avant la dernière, leurs pourcentages, numérateur et dénominateur du prorata
# de la dernière, ses pourcentages, gabarits de toutes les échéances)
Motif = tuple[int, Pourcentages, int, int, Pourcentages, tuple[Gabarit, ...]]

MOTIFS: dict[tuple[Regime, date, date], Motif] = {}
_PREFIXES: dict[tuple[Regime, date, int], tuple[Pourcentages, tuple[Gabarit, ...]]] = {}
_TAILLE_MAX = 100_000
ZERO = Decimal("0.00")
_TETES = tuple((numero, f"E{numero}") for numero in range(64))


def _tete(numero: int) -> tuple[int, str]:
    return _TETES[numero] if numero < len(_TETES) else (numero, f"E{numero}")


def _gabarits(parts: tuple[PartPlan, ...]) -> tuple[Gabarit, ...]:
    """Les gabarits des parts d'années complètes suivies d'une autre (aucune n'est un solde)."""
    return tuple(
        [
            (_tete(numero), (ZERO, ZERO, part.ouverture, part.debut, part.fin, part.annee, False))
            for numero, part in enumerate(parts, start=1)
        ]
    )


def _prefixe(regime: Regime, debut: date, nombre: int) -> tuple[Pourcentages, tuple[Gabarit, ...]]:
    """Les pourcentages des parts d'une année complète et les gabarits des `nombre` premières
    années, toutes complètes (aucun n'est un solde final)."""
    cle = (regime, debut, nombre)
    prefixe = _PREFIXES.get(cle)
    if prefixe is None:
        if len(_PREFIXES) >= _TAILLE_MAX:
            _PREFIXES.clear()
        parts = annees_completes(regime, debut, nombre).parts
        pourcentages = tuple([part.pourcentage for part in parts if part.annee == 1])
        prefixe = _PREFIXES[cle] = (pourcentages, _gabarits(parts))
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
        pourcentages_complets, prefixe = _prefixe(regime, debut, numero_annee - 1)
        decoupes = decoupage_derniere_annee(regime, derniere)
        numerateur, denominateur = prorata(regime, derniere)
        motif = MOTIFS[cle] = (
            numero_annee - 1,
            pourcentages_complets,
            numerateur,
            denominateur,
            tuple([decoupe[3] for decoupe in decoupes]),
            prefixe
            + tuple(
                [
                    (
                        _TETES[numero] if numero < 64 else _tete(numero),
                        (
                            ZERO,
                            ZERO,
                            ouverture,
                            debut_part,
                            fin_part,
                            numero_annee,
                            ouverture > fin,
                        ),
                    )
                    for numero, (ouverture, debut_part, fin_part, _pourcentage) in enumerate(
                        decoupes, start=len(prefixe) + 1
                    )
                ]
            ),
        )
    return motif
