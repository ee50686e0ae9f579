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


@lru_cache(maxsize=32768)
def plan_echeancier(regime: Regime, debut: date, fin: date) -> Plan:
    """Le plan d'un contrat (ou d'une rupture) du `debut` au `fin` inclus."""
    annees = annees_execution(debut, fin)
    if regime == "2025":
        prorata, parts_annee = regime2025.prorata, regime2025.parts_annee
    else:
        prorata, parts_annee = regime2020.prorata, regime2020.parts_annee
    annees_plan = tuple(AnneePlan(annee, *prorata(annee)) for annee in annees)
    if regime == "2020" and len(annees) == 1 and not annees[0].complete:
        parts = regime2020.parts_contrat_court(annees[0])
    else:
        parts = [part for annee in annees for part in parts_annee(annee)]
    parts.sort()
    repartition = []
    gabarits = []
    for numero, (ouverture, annee, _rang, debut_part, fin_part, pourcentage, _libelle) in enumerate(
        parts, start=1
    ):
        repartition.append((annee - 1, pourcentage))
        code = _CODES[numero] if numero < len(_CODES) else f"E{numero}"
        gabarits.append((numero, code, ouverture, debut_part, fin_part, annee, ouverture > fin))
    return Plan(regime, annees_plan, tuple(parts), tuple(repartition), tuple(gabarits))
