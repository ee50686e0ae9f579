"""`depuis_cerfa` et `conclusion_financement` (chemins courts : `dict` sans ABC, date de début
lue une fois, conclusion reprise de l'appelant) donnent EXACTEMENT ce que donnait la lecture
d'origine : même contrat, ou même erreur (type et message, donc même premier champ fautif).

La référence ci-dessous est la lecture d'origine (commit 1092def), réécrite ici à l'identique.
Cas générés : dossiers de démo (contrats, avenants), puis chaque champ lu remplacé par une
valeur absente, vide, illisible, d'un autre type, et des enveloppes qui ne sont pas des `dict`.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import pytest

from apicfa.demo.generateur import generer_dossiers
from apicfa.financement.contrat import ContratFinance, date_conclusion_financement
from apicfa.financement.lecture_cerfa import conclusion_financement, depuis_cerfa
from apicfa.financement.niveau import niveau_certification

# --- la lecture d'origine ----------------------------------------------------------------


def _donnees_ref(cerfa: Any) -> Mapping[str, Any]:
    if hasattr(cerfa, "model_dump"):
        cerfa = cerfa.model_dump(mode="json", by_alias=True)
    if not isinstance(cerfa, Mapping):
        raise ValueError("cerfa : objet JSON attendu")
    if isinstance(cerfa.get("cerfa"), Mapping):
        return cerfa["cerfa"]  # type: ignore[no-any-return]
    return cerfa


def _bloc_ref(cerfa: Mapping[str, Any], nom: str) -> Mapping[str, Any]:
    bloc = cerfa.get(nom)
    if bloc is None:
        return {}
    if not isinstance(bloc, Mapping):
        raise ValueError(f"cerfa.{nom} : objet attendu")
    return bloc


def _date_ref(bloc: Mapping[str, Any], chemin: str, champ: str) -> date:
    valeur = bloc.get(champ)
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


def _heures_ref(bloc: Mapping[str, Any], champ: str) -> Decimal | None:
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


def _type_ref(contrat: Mapping[str, Any]) -> int | None:
    valeur = contrat.get("typeContratApp")
    try:
        return int(valeur) if valeur not in (None, "") else None
    except (TypeError, ValueError):
        return None


def conclusion_ref(cerfa: Any) -> date:
    contrat = _bloc_ref(_donnees_ref(cerfa), "contrat")
    return date_conclusion_financement(
        _date_ref(contrat, "contrat", "dateConclusion"),
        _date_ref(contrat, "contrat", "dateDebutContrat"),
        _type_ref(contrat),
    )


def depuis_cerfa_ref(
    cerfa: Any, npec: Decimal, *, couts: Any = None, forfait_mobilite: Decimal | None = None
) -> ContratFinance:
    donnees = _donnees_ref(cerfa)
    contrat = _bloc_ref(donnees, "contrat")
    formation = _bloc_ref(donnees, "formation")
    debut = _date_ref(contrat, "contrat", "dateDebutContrat")
    return ContratFinance(
        date_conclusion=conclusion_ref(donnees),
        date_debut=debut,
        date_fin=_date_ref(contrat, "contrat", "dateFinContrat"),
        npec=npec,
        niveau=niveau_certification(formation.get("typeDiplome")),
        duree_formation=_heures_ref(formation, "dureeFormation"),
        heures_distanciel=_heures_ref(formation, "nombreHeuresEnDistanciel"),
        couts=couts,
        forfait_mobilite=forfait_mobilite,
    )


# --- les cas -------------------------------------------------------------------------------

VALEURS_DATE = [None, "", "2025-13-01", "pas une date", 20250901, date(2025, 9, 1), ["2025"]]
VALEURS_DATE += ["2024-02-29T00:00:00+02:00", "2031-01-15", "2019-12-31"]
VALEURS_HEURES = [None, "", "abc", "-1", "NaN", "Infinity", 0, "1200.5", 400, [1]]
VALEURS_TYPE = [None, "", "11", 31, "38", "39", "x", 3.7]
AUTRES_OBJETS = [None, "texte", 12, ["liste"], OrderedDict(a=1), MappingProxyType({})]


def _cerfas() -> list[Any]:
    """Cerfas de démo et variantes, en objet nu ou en enveloppe."""
    bases = [d["cerfa"] for d in generer_dossiers(40, 2026)]
    cas: list[Any] = []
    for n, base in enumerate(bases[:12]):
        cas.append(base)
        cas.append({"cerfa": base})
        contrat = base["contrat"]
        for champ, valeurs in itertools.chain(
            ((c, VALEURS_DATE) for c in ("dateConclusion", "dateDebutContrat", "dateFinContrat")),
            [("typeContratApp", VALEURS_TYPE)],
        ):
            for valeur in valeurs:
                cas.append({**base, "contrat": {**contrat, champ: valeur}})
        formation = base.get("formation", {})
        for champ in ("dureeFormation", "nombreHeuresEnDistanciel", "typeDiplome"):
            for valeur in VALEURS_HEURES:
                cas.append({**base, "formation": {**formation, champ: valeur}})
        for bloc in ("contrat", "formation"):
            for autre in AUTRES_OBJETS:
                cas.append({**base, bloc: autre})
        # deux champs fautifs à la fois : l'ordre des erreurs compte
        cas.append({**base, "contrat": {**contrat, "dateConclusion": "x", "dateDebutContrat": ""}})
        cas.append({**base, "contrat": {**contrat, "dateFinContrat": "x", "dateConclusion": ""}})
        # avenant conclu après son début, enveloppes qui ne sont pas des dict
        avenant = {**contrat, "typeContratApp": 31 + n % 8, "dateConclusion": "2031-01-01"}
        cas.append({**base, "contrat": avenant})
        cas.append(OrderedDict(cerfa=OrderedDict(base)))
        cas.append(MappingProxyType({"cerfa": MappingProxyType(dict(base))}))
        cas.append({"cerfa": "pas un objet", **base})
    cas += [bases[n] for n in range(12, len(bases))]
    cas += [None, "cerfa", 3, ["x"]]
    return cas


def _issue(appel: Any) -> tuple[str, Any]:
    try:
        return ("valeur", appel())
    except (ValueError, TypeError) as erreur:
        return (type(erreur).__name__, str(erreur))


CERFAS = _cerfas()


def test_le_jeu_couvre_contrats_et_erreurs() -> None:
    issues = [_issue(lambda c=c: depuis_cerfa_ref(c, Decimal(8000))) for c in CERFAS]
    assert len(CERFAS) > 1000
    assert sum(1 for nature, _ in issues if nature == "valeur") > 300
    assert len({message for nature, message in issues if nature != "valeur"}) > 20


@pytest.mark.parametrize("forfait", [None, Decimal("520.5")])
def test_depuis_cerfa_comme_la_lecture_d_origine(forfait: Decimal | None) -> None:
    for cerfa in CERFAS:
        attendu = _issue(
            lambda c=cerfa: depuis_cerfa_ref(c, Decimal(8000), forfait_mobilite=forfait)
        )
        obtenu = _issue(lambda c=cerfa: depuis_cerfa(c, Decimal(8000), forfait_mobilite=forfait))
        assert obtenu == attendu, cerfa
        conclusion = _issue(lambda c=cerfa: conclusion_ref(c))
        assert _issue(lambda c=cerfa: conclusion_financement(c)) == conclusion, cerfa
        if conclusion[0] == "valeur":
            # la conclusion reprise de l'appelant (instruction automatique) : même issue
            repris = _issue(
                lambda c=cerfa, d=conclusion[1]: depuis_cerfa(
                    c, Decimal(8000), forfait_mobilite=forfait, conclusion=d
                )
            )
            assert repris == attendu, cerfa
