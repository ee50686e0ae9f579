"""Régime 2020 (contrats conclus avant le 2025-07-01).

Année complète = NPEC ; année incomplète = NPEC × mois commencés / 12. Chaque année : 40 % au
début, 30 % au 7e mois, le reste (30 %) au 10e mois ; une part dont l'ouverture tombe après la fin
d'une année incomplète rejoint le reste, qui s'ouvre alors le lendemain de la fin. Contrat de moins
d'un an : 50 % au début, le reste le lendemain de la fin. Ni participation ni minoration.
"""

from __future__ import annotations

from functools import lru_cache

from apicfa.financement.annees import AnneeExecution
from apicfa.financement.calendrier import UN_JOUR, ajouter_mois, mois_commences
from apicfa.financement.parts import RESTE, PartPlan


def prorata(annee: AnneeExecution) -> tuple[int, int]:
    """(1, 1) pour une année complète, sinon (mois commencés, 12)."""
    if annee.complete:
        return 1, 1
    return mois_commences(annee.debut, annee.fin), 12


def parts_contrat_court(annee: AnneeExecution) -> list[PartPlan]:
    """Contrat de moins d'un an : 50 % au début, le reste le lendemain de la fin."""
    debut, fin, numero = annee.debut, annee.fin, annee.numero
    return [
        PartPlan(debut, numero, 0, debut, fin, 50, "50 %"),
        PartPlan(fin + UN_JOUR, numero, 3, debut, fin, RESTE, "reste 50 %"),
    ]


@lru_cache(maxsize=65536)
def parts_annee(annee: AnneeExecution) -> tuple[PartPlan, ...]:
    """Les parts 40/30/30 d'une année, fusionnées dans le reste quand l'année est courte."""
    debut, fin, numero = annee.debut, annee.fin, annee.numero
    septieme_mois = ajouter_mois(debut, 6)
    dixieme_mois = ajouter_mois(debut, 9)
    if septieme_mois > fin:
        return (
            PartPlan(debut, numero, 0, debut, fin, 40, "40 %"),
            PartPlan(fin + UN_JOUR, numero, 3, debut, fin, RESTE, "reste 30 % + 30 %"),
        )
    parts = [PartPlan(debut, numero, 0, debut, septieme_mois - UN_JOUR, 40, "40 %")]
    if dixieme_mois > fin:
        parts.append(PartPlan(septieme_mois, numero, 1, septieme_mois, fin, 30, "30 %"))
        parts.append(PartPlan(fin + UN_JOUR, numero, 3, debut, fin, RESTE, "reste 30 %"))
    else:
        parts.append(
            PartPlan(septieme_mois, numero, 1, septieme_mois, dixieme_mois - UN_JOUR, 30, "30 %")
        )
        parts.append(PartPlan(dixieme_mois, numero, 2, dixieme_mois, fin, RESTE, "reste 30 %"))
    return tuple(parts)
