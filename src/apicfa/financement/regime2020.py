"""Régime 2020 (contrats conclus avant le 2025-07-01).

Année complète = NPEC ; année incomplète = NPEC × mois commencés / 12. Chaque année : 40 % au
début, 30 % au 7e mois, le reste (30 %) au 10e mois ; une part dont l'ouverture tombe après la fin
d'une année incomplète rejoint le reste, qui s'ouvre alors le lendemain de la fin. Contrat de moins
d'un an : 50 % au début, le reste le lendemain de la fin. Ni participation ni minoration.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from apicfa.financement.annees import AnneeExecution
from apicfa.financement.calendrier import UN_JOUR, ajouter_mois, mois_commences
from apicfa.financement.parts import RESTE, Decoupe, PartPlan


def prorata(annee: AnneeExecution) -> tuple[int, int]:
    """(1, 1) pour une année complète, sinon (mois commencés, 12)."""
    if annee.complete:
        return 1, 1
    return mois_commences(annee.debut, annee.fin), 12


def decoupage_contrat_court(debut: date, fin: date) -> tuple[Decoupe, ...]:
    """Contrat de moins d'un an : 50 % au début, le reste le lendemain de la fin."""
    return ((debut, debut, fin, 50), (fin + UN_JOUR, debut, fin, RESTE))


def parts_contrat_court(annee: AnneeExecution) -> list[PartPlan]:
    """Les parts d'un contrat de moins d'un an (voir `decoupage_contrat_court`)."""
    return [
        PartPlan(ouverture, annee.numero, rang, debut, fin, pourcentage, libelle)
        for (ouverture, debut, fin, pourcentage), rang, libelle in zip(
            decoupage_contrat_court(annee.debut, annee.fin),
            (0, 3),
            ("50 %", "reste 50 %"),
            strict=True,
        )
    ]


def decoupage(debut: date, fin: date) -> tuple[Decoupe, ...]:
    """Les parts 40/30/30 d'une année du `debut` au `fin` inclus, dans l'ordre : une part dont
    l'ouverture tombe après la fin rejoint le reste, qui s'ouvre alors le lendemain de la fin."""
    septieme_mois = ajouter_mois(debut, 6)
    if septieme_mois > fin:
        return ((debut, debut, fin, 40), (fin + UN_JOUR, debut, fin, RESTE))
    dixieme_mois = ajouter_mois(debut, 9)
    if dixieme_mois > fin:
        return (
            (debut, debut, septieme_mois - UN_JOUR, 40),
            (septieme_mois, septieme_mois, fin, 30),
            (fin + UN_JOUR, debut, fin, RESTE),
        )
    return (
        (debut, debut, septieme_mois - UN_JOUR, 40),
        (septieme_mois, septieme_mois, dixieme_mois - UN_JOUR, 30),
        (dixieme_mois, dixieme_mois, fin, RESTE),
    )


@lru_cache(maxsize=65536)
def parts_annee(annee: AnneeExecution) -> tuple[PartPlan, ...]:
    """Les parts 40/30/30 d'une année, fusionnées dans le reste quand l'année est courte."""
    decoupes = decoupage(annee.debut, annee.fin)
    if len(decoupes) == 2:
        rangs, libelles = (0, 3), ("40 %", "reste 30 % + 30 %")
    elif decoupes[-1][0] > annee.fin:
        rangs, libelles = (0, 1, 3), ("40 %", "30 %", "reste 30 %")
    else:
        rangs, libelles = (0, 1, 2), ("40 %", "30 %", "reste 30 %")
    return tuple(
        [
            PartPlan(ouverture, annee.numero, rang, debut, fin, pourcentage, libelle)
            for (ouverture, debut, fin, pourcentage), rang, libelle in zip(
                decoupes, rangs, libelles, strict=True
            )
        ]
    )
