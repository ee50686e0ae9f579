"""Régime 2025 (contrats conclus à partir du 2025-07-01, décret 2025-585).

Année complète = NPEC ; année incomplète = NPEC × jours / 365 (bornes comprises). Minoration de
20 % quand les heures à distance atteignent 80 % de la durée de formation, sans descendre sous
4 000 € du fait de la minoration. Quatre échéances par année : 40 % au premier jour, 30 % au
premier jour du 7e mois, 20 % au premier jour du 10e mois, solde de 10 % le lendemain de la fin
de l'année ; une part dont l'ouverture tombe après la fin de l'année rejoint le solde.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from apicfa.financement.annees import AnneeExecution
from apicfa.financement.calendrier import UN_JOUR, ajouter_mois, jours_inclus
from apicfa.financement.montants import diviser_arrondi
from apicfa.financement.parts import RESTE, PartPlan

PLANCHER_MINORATION_CENTIMES = 400000
_PARTS = ((40, 0), (30, 6), (20, 9))  # (pourcentage, mois après le début de l'année)
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


_LIBELLES_SOLDE = {
    0: f"solde {_POURCENTAGE_SOLDE} %",
    1: f"solde {_POURCENTAGE_SOLDE} % + 20 %",
    2: f"solde {_POURCENTAGE_SOLDE} % + 30 % + 20 %",
}
_LIBELLES = {pourcentage: f"{pourcentage} %" for pourcentage, _mois in _PARTS}


@lru_cache(maxsize=65536)
def parts_annee(annee: AnneeExecution) -> tuple[PartPlan, ...]:
    """Les parts 40/30/20/10 d'une année, parts fusionnées dans le solde quand l'année est courte."""
    debut, fin, numero = annee.debut, annee.fin, annee.numero
    ouvertes = [(pourcentage, ajouter_mois(debut, mois)) for pourcentage, mois in _PARTS]
    while ouvertes[-1][1] > fin:  # le 40 % s'ouvre toujours (début ≤ fin)
        ouvertes.pop()
    parts = []
    dernier = len(ouvertes) - 1
    for rang, (pourcentage, ouverture) in enumerate(ouvertes):
        fin_periode = ouvertes[rang + 1][1] - UN_JOUR if rang < dernier else fin
        parts.append(
            PartPlan(
                ouverture, numero, rang, ouverture, fin_periode, pourcentage, _LIBELLES[pourcentage]
            )
        )
    libelle = _LIBELLES_SOLDE[len(_PARTS) - len(ouvertes)]
    parts.append(PartPlan(fin + UN_JOUR, numero, 3, debut, fin, RESTE, libelle))
    return tuple(parts)
