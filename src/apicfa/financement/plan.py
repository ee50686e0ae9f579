"""Le plan d'un échéancier : tout ce qui ne dépend que du régime et des dates.

Années d'exécution avec leur prorata (jours / 365 ou mois commencés / 12), parts de chaque année
(ouverture, période payée, pourcentage ou reste), déjà triées dans l'ordre de numérotation. Le
plan ne contient aucun montant : il est mis en cache, et un portefeuille où beaucoup de contrats
partagent leurs dates le calcule une fois.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from apicfa.financement import regime2020, regime2025
from apicfa.financement.annees import AnneeExecution, annees_execution
from apicfa.financement.calendrier import UN_JOUR, ajouter_annees
from apicfa.financement.modeles import Regime
from apicfa.financement.parts import PartPlan

_CODES = tuple(f"E{numero}" for numero in range(64))


class AnneePlan(NamedTuple):
    """Une année d'exécution et son prorata : montant = NPEC × numerateur / denominateur."""

    annee: AnneeExecution
    numerateur: int
    denominateur: int


class Plan(NamedTuple):
    """Le plan : `parts` dans l'ordre des numéros ; `repartition` (indice de l'année, pourcentage)
    et `gabarits` (numéro, codification, ouverture, début, fin, année, solde) de chaque part,
    précalculés pour que le calcul d'un échéancier ne fasse plus que des additions."""

    regime: Regime
    annees: tuple[AnneePlan, ...]
    parts: tuple[PartPlan, ...]
    repartition: tuple[tuple[int, int], ...]
    gabarits: tuple[tuple[int, str, date, date, date, int, bool], ...]


def _assembler(
    regime: Regime,
    annees: tuple[AnneeExecution, ...],
    parts: list[PartPlan],
    fin: date,
    premier_numero: int = 1,
) -> Plan:
    """Plan de `annees` et de leurs `parts` (déjà triées), numérotées à partir de `premier_numero`."""
    prorata = regime2025.prorata if regime == "2025" else regime2020.prorata
    annees_plan = tuple([AnneePlan(annee, *prorata(annee)) for annee in annees])
    repartition = []
    gabarits = []
    for numero, (ouverture, annee, _rang, debut_part, fin_part, pourcentage, _libelle) in enumerate(
        parts, start=premier_numero
    ):
        repartition.append((annee - 1, pourcentage))
        code = _CODES[numero] if numero < len(_CODES) else f"E{numero}"
        gabarits.append((numero, code, ouverture, debut_part, fin_part, annee, ouverture > fin))
    return Plan(regime, annees_plan, tuple(parts), tuple(repartition), tuple(gabarits))


@lru_cache(maxsize=8192)
def _annees_completes(regime: Regime, debut: date, nombre: int) -> Plan:
    """Le plan des `nombre` premières années, toutes complètes et suivies d'une autre année :
    toutes leurs parts s'ouvrent avant la fin du contrat (aucune n'est un solde final). Partagé
    par tous les contrats qui commencent le même jour."""
    if not nombre:
        return Plan(regime, (), (), (), ())
    annees = annees_execution(debut, ajouter_annees(debut, nombre) - UN_JOUR)
    parts_annee = regime2025.parts_annee if regime == "2025" else regime2020.parts_annee
    parts = [part for annee in annees for part in parts_annee(annee)]
    return _assembler(regime, annees, parts, ajouter_annees(debut, nombre))


@lru_cache(maxsize=32768)
def plan_echeancier(regime: Regime, debut: date, fin: date) -> Plan:
    """Le plan d'un contrat (ou d'une rupture) du `debut` au `fin` inclus.

    Les années complètes qui précèdent la dernière viennent d'un cache partagé par date de
    début ; seule la dernière année est propre au contrat. Les parts sont produites dans l'ordre
    de numérotation : celles d'une année précèdent celles de la suivante (le solde d'une année et
    le 40 % de la suivante s'ouvrent le même jour, l'année la plus ancienne d'abord).
    """
    nombre = 1
    while ajouter_annees(debut, nombre) <= fin:
        nombre += 1
    prefixe = _annees_completes(regime, debut, nombre - 1)
    debut_derniere = ajouter_annees(debut, nombre - 1)
    fin_theorique = ajouter_annees(debut, nombre) - UN_JOUR
    derniere = AnneeExecution(nombre, debut_derniere, fin, fin == fin_theorique)
    if regime == "2025":
        parts = regime2025.parts_annee(derniere)
    elif nombre == 1 and not derniere.complete:
        parts = regime2020.parts_contrat_court(derniere)
    else:
        parts = regime2020.parts_annee(derniere)
    suite = _assembler(regime, (derniere,), list(parts), fin, len(prefixe.parts) + 1)
    return Plan(
        regime,
        prefixe.annees + suite.annees,
        prefixe.parts + suite.parts,
        prefixe.repartition + suite.repartition,
        prefixe.gabarits + suite.gabarits,
    )
