"""Le plan d'un échéancier : tout ce qui ne dépend que du régime et des dates.

Années d'exécution avec leur prorata (jours / 365 ou mois commencés / 12), parts de chaque année
(ouverture, période payée, pourcentage ou reste), déjà triées dans l'ordre de numérotation. Le
plan ne contient aucun montant : il est mis en cache, et un portefeuille où beaucoup de contrats
partagent leurs dates le calcule une fois. Il sert au détail rédigé et à la rupture ; le calcul
d'un échéancier en portefeuille passe par son résumé, `motif.motif_echeancier`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from apicfa.financement import regime2020, regime2025
from apicfa.financement.annees import AnneeExecution, annees_execution
from apicfa.financement.calendrier import UN_JOUR, ajouter_annees
from apicfa.financement.modeles import Regime
from apicfa.financement.parts import Decoupe, PartPlan


class AnneePlan(NamedTuple):
    """Une année d'exécution et son prorata : montant = NPEC × numerateur / denominateur."""

    annee: AnneeExecution
    numerateur: int
    denominateur: int


class Plan(NamedTuple):
    """Le plan : les années avec leur prorata, et leurs `parts` dans l'ordre des numéros."""

    regime: Regime
    annees: tuple[AnneePlan, ...]
    parts: tuple[PartPlan, ...]


def prorata(regime: Regime, annee: AnneeExecution) -> tuple[int, int]:
    """(numérateur, dénominateur) du montant d'une année : (1, 1) si elle est complète."""
    return regime2025.prorata(annee) if regime == "2025" else regime2020.prorata(annee)


def _assembler(regime: Regime, annees: Sequence[AnneeExecution], parts: Sequence[PartPlan]) -> Plan:
    annees_plan = tuple([AnneePlan(annee, *prorata(regime, annee)) for annee in annees])
    return Plan(regime, annees_plan, tuple(parts))


@lru_cache(maxsize=8192)
def annees_completes(regime: Regime, debut: date, nombre: int) -> Plan:
    """Le plan des `nombre` premières années, toutes complètes et suivies d'une autre année :
    toutes leurs parts s'ouvrent avant la fin du contrat (aucune n'est un solde final). Partagé
    par tous les contrats qui commencent le même jour."""
    if not nombre:
        return Plan(regime, (), ())
    annees = annees_execution(debut, ajouter_annees(debut, nombre) - UN_JOUR)
    parts_annee = regime2025.parts_annee if regime == "2025" else regime2020.parts_annee
    return _assembler(regime, annees, [part for annee in annees for part in parts_annee(annee)])


def derniere_annee(debut: date, fin: date) -> AnneeExecution:
    """La dernière année d'exécution d'un contrat (ou d'une rupture) du `debut` au `fin` inclus ;
    son numéro moins un est le nombre d'années complètes qui la précèdent."""
    # `debut` + n ans tombe l'année `debut.year` + n : le premier n qui dépasse `fin` est donc
    # l'écart des années, ou le suivant.
    nombre = fin.year - debut.year
    if nombre == 0 or ajouter_annees(debut, nombre) <= fin:
        nombre += 1
    fin_theorique = ajouter_annees(debut, nombre) - UN_JOUR
    return AnneeExecution(nombre, ajouter_annees(debut, nombre - 1), fin, fin == fin_theorique)


def _contrat_court_2020(regime: Regime, derniere: AnneeExecution) -> bool:
    """Un contrat de moins d'un an du régime 2020 a son propre découpage (50 % / reste)."""
    return regime == "2020" and derniere.numero == 1 and not derniere.complete


def parts_derniere_annee(regime: Regime, derniere: AnneeExecution) -> tuple[PartPlan, ...]:
    """Les parts de la dernière année, libellées (pour le plan et le détail).

    Sans passer par les caches des régimes : une dernière année est le plus souvent propre à
    un contrat, la garder en mémoire ne servirait à rien."""
    if regime == "2025":
        return regime2025.parts_annee.__wrapped__(derniere)
    if _contrat_court_2020(regime, derniere):
        return tuple(regime2020.parts_contrat_court(derniere))
    return regime2020.parts_annee.__wrapped__(derniere)


def decoupage_derniere_annee(regime: Regime, derniere: AnneeExecution) -> tuple[Decoupe, ...]:
    """Les parts de la dernière année réduites à leurs dates et pourcentages (pour le motif)."""
    if regime == "2025":
        return regime2025.decoupage(derniere.debut, derniere.fin)
    if _contrat_court_2020(regime, derniere):
        return regime2020.decoupage_contrat_court(derniere.debut, derniere.fin)
    return regime2020.decoupage(derniere.debut, derniere.fin)


@lru_cache(maxsize=32768)
def plan_echeancier(regime: Regime, debut: date, fin: date) -> Plan:
    """Le plan d'un contrat (ou d'une rupture) du `debut` au `fin` inclus.

    Les années complètes qui précèdent la dernière viennent d'un cache partagé par date de
    début ; seule la dernière année est propre au contrat. Les parts sont produites dans l'ordre
    de numérotation : celles d'une année précèdent celles de la suivante (le solde d'une année et
    le 40 % de la suivante s'ouvrent le même jour, l'année la plus ancienne d'abord).
    """
    derniere = derniere_annee(debut, fin)
    prefixe = annees_completes(regime, debut, derniere.numero - 1)
    suite = _assembler(regime, (derniere,), parts_derniere_annee(regime, derniere))
    return Plan(regime, prefixe.annees + suite.annees, prefixe.parts + suite.parts)
