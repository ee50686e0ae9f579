"""Régime 2025 (contrats conclus à partir du 2025-07-01, décret 2025-585).

Année complète = NPEC ; année incomplète = NPEC × jours / 365 (bornes comprises). Minoration de
20 % quand les heures à distance atteignent 80 % de la durée de formation, sans descendre sous
4 000 € du fait de la minoration. Quatre échéances par année : 40 % au premier jour, 30 % au
premier jour du 7e mois, 20 % au premier jour du 10e mois, solde de 10 % le lendemain de la fin
de l'année ; une part dont l'ouverture tombe après la fin de l'année rejoint le solde.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from apicfa.financement.annees import AnneeExecution
from apicfa.financement.calendrier import UN_JOUR, ajouter_mois, jours_inclus
from apicfa.financement.montants import diviser_arrondi
from apicfa.financement.parts import RESTE, Decoupe, PartPlan

PLANCHER_MINORATION_CENTIMES = 400000
_POURCENTAGE_SOLDE = 10


def minoration_due(
    duree_formation: Decimal | int | None, heures_distanciel: Decimal | int | None
) -> bool:
    """Vrai quand les heures à distance atteignent 80 % de la durée de formation (> 0)."""
    if not duree_formation or heures_distanciel is None:
        return False
    return 5 * heures_distanciel >= 4 * duree_formation


def npec_minore_sans_plancher(npec_centimes: int) -> int:
    """NPEC × 0,8 arrondi au centime."""
    return diviser_arrondi(npec_centimes * 8, 10)


def npec_minore(npec_centimes: int) -> int:
    """NPEC × 0,8, sans descendre sous 4 000 € à cause de la minoration."""
    minore = npec_minore_sans_plancher(npec_centimes)
    return max(minore, min(npec_centimes, PLANCHER_MINORATION_CENTIMES))


def prorata(annee: AnneeExecution) -> tuple[int, int]:
    """(1, 1) pour une année complète, sinon (jours, 365)."""
    if annee.complete:
        return 1, 1
    return jours_inclus(annee.debut, annee.fin), 365


_LIBELLES = ("40 %", "30 %", "20 %")
# Libellé du solde selon le nombre de parts de l'année (solde compris) : ce qu'il a absorbé.
_LIBELLES_SOLDE = {
    4: f"solde {_POURCENTAGE_SOLDE} %",
    3: f"solde {_POURCENTAGE_SOLDE} % + 20 %",
    2: f"solde {_POURCENTAGE_SOLDE} % + 30 % + 20 %",
}


def decoupage(debut: date, fin: date) -> tuple[Decoupe, ...]:
    """Les parts 40/30/20/10 d'une année du `debut` au `fin` inclus, dans l'ordre : une part
    dont l'ouverture tombe après la fin rejoint le solde, qui s'ouvre le lendemain de la fin."""
    septieme_mois = ajouter_mois(debut, 6)
    solde = (fin + UN_JOUR, debut, fin, RESTE)
    if septieme_mois > fin:
        return ((debut, debut, fin, 40), solde)
    dixieme_mois = ajouter_mois(debut, 9)
    if dixieme_mois > fin:
        return (
            (debut, debut, septieme_mois - UN_JOUR, 40),
            (septieme_mois, septieme_mois, fin, 30),
            solde,
        )
    return (
        (debut, debut, septieme_mois - UN_JOUR, 40),
        (septieme_mois, septieme_mois, dixieme_mois - UN_JOUR, 30),
        (dixieme_mois, dixieme_mois, fin, 20),
        solde,
    )


@lru_cache(maxsize=65536)
def parts_annee(annee: AnneeExecution) -> tuple[PartPlan, ...]:
    """Les parts 40/30/20/10 d'une année, parts fusionnées dans le solde quand l'année est courte."""
    decoupes = decoupage(annee.debut, annee.fin)
    dernier = len(decoupes) - 1
    return tuple(
        [
            PartPlan(ouverture, annee.numero, rang, debut, fin, pourcentage, _LIBELLES[rang])
            if rang < dernier
            else PartPlan(
                ouverture, annee.numero, 3, debut, fin, pourcentage, _LIBELLES_SOLDE[len(decoupes)]
            )
            for rang, (ouverture, debut, fin, pourcentage) in enumerate(decoupes)
        ]
    )
