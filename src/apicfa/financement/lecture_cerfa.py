"""Adaptateur CERFA → `ContratFinance`.

Accepte la forme « dictionnaire » de SPEC §4 (objet `cerfa` nu ou enveloppe `{"cerfa": …}`) et,
quand il existe, le modèle pydantic `apicfa.norme.cerfa.Cerfa` (relu par
`model_dump(mode="json", by_alias=True)`) : le financement ne dépend pas du calendrier de la norme.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from apicfa.financement.contrat import ContratFinance, date_conclusion_financement
from apicfa.financement.frais_annexes import CoutsConvention
from apicfa.financement.niveau import niveau_certification


def donnees_cerfa(cerfa: Any) -> Mapping[str, Any]:
    """L'objet cerfa nu, depuis un modèle, une enveloppe `{"cerfa": …}` ou l'objet lui-même."""
    if cerfa.__class__ is not dict:  # `dict`, le cas courant, sans `hasattr` ni ABC
        if hasattr(cerfa, "model_dump"):
            cerfa = cerfa.model_dump(mode="json", by_alias=True)
        if not isinstance(cerfa, Mapping):
            raise ValueError("cerfa : objet JSON attendu")
    interieur = cerfa.get("cerfa")
    if interieur.__class__ is dict or isinstance(interieur, Mapping):
        return interieur
    return cerfa


def _bloc(cerfa: Mapping[str, Any], nom: str) -> Mapping[str, Any]:
    bloc = cerfa.get(nom)
    if bloc is None:
        return {}
    if bloc.__class__ is not dict and not isinstance(bloc, Mapping):
        raise ValueError(f"cerfa.{nom} : objet attendu")
    return bloc


def _date(bloc: Mapping[str, Any], chemin: str, champ: str) -> date:
    valeur = bloc.get(champ)
    if valeur.__class__ is str and valeur:  # le cas courant : un texte ISO, lu sans `str()`
        try:
            return date.fromisoformat(valeur[:10])
        except ValueError:
            pass  # même message que ci-dessous
    if valeur is None or valeur == "":
        raise ValueError(f"cerfa.{chemin}.{champ} : date manquante")
    if isinstance(valeur, date):
        return valeur
    try:
        return date.fromisoformat(str(valeur)[:10])
    except ValueError as erreur:
        raise ValueError(
            f"cerfa.{chemin}.{champ} : date AAAA-MM-JJ attendue, reçu {valeur!r}"
        ) from erreur


def _heures(bloc: Mapping[str, Any], champ: str) -> Decimal | None:
    valeur = bloc.get(champ)
    if valeur is None or valeur == "":
        return None
    try:
        heures = Decimal(str(valeur))
    except InvalidOperation as erreur:
        raise ValueError(
            f"cerfa.formation.{champ} : nombre d'heures attendu, reçu {valeur!r}"
        ) from erreur
    if not heures.is_finite() or heures < 0:
        raise ValueError(f"cerfa.formation.{champ} : nombre d'heures positif attendu")
    return heures


def _type_contrat(contrat: Mapping[str, Any]) -> int | None:
    valeur = contrat.get("typeContratApp")
    try:
        return int(valeur) if valeur not in (None, "") else None
    except (TypeError, ValueError):
        return None


def conclusion_financement(cerfa: Mapping[str, Any] | Any) -> date:
    """La date de conclusion du financement d'un CERFA (voir `date_conclusion_financement`)."""
    contrat = _bloc(donnees_cerfa(cerfa), "contrat")
    return date_conclusion_financement(
        _date(contrat, "contrat", "dateConclusion"),
        _date(contrat, "contrat", "dateDebutContrat"),
        _type_contrat(contrat),
    )


def depuis_cerfa(
    cerfa: Mapping[str, Any] | Any,
    npec: Decimal,
    *,
    couts: CoutsConvention | None = None,
    forfait_mobilite: Decimal | None = None,
    conclusion: date | None = None,
) -> ContratFinance:
    """Le `ContratFinance` d'un CERFA (dictionnaire ou modèle), avec le NPEC déjà résolu.

    `conclusion` : `conclusion_financement(cerfa)` quand l'appelant l'a déjà calculée (elle
    n'est alors pas recalculée) ; None : calculée ici."""
    donnees = donnees_cerfa(cerfa)
    contrat = _bloc(donnees, "contrat")
    formation = _bloc(donnees, "formation")
    debut = _date(contrat, "contrat", "dateDebutContrat")
    if conclusion is None:
        # la date de début vient d'être lue : seule `dateConclusion` reste à lire (mêmes
        # erreurs, dans le même ordre, que `conclusion_financement`)
        conclusion = date_conclusion_financement(
            _date(contrat, "contrat", "dateConclusion"), debut, _type_contrat(contrat)
        )
    return ContratFinance(
        date_conclusion=conclusion,
        date_debut=debut,
        date_fin=_date(contrat, "contrat", "dateFinContrat"),
        npec=npec,
        niveau=niveau_certification(formation.get("typeDiplome")),
        duree_formation=_heures(formation, "dureeFormation"),
        heures_distanciel=_heures(formation, "nombreHeuresEnDistanciel"),
        couts=couts,
        forfait_mobilite=forfait_mobilite,
    )
