"""Chaque règle engendrée par le schéma du cerfa : elle échoue quand on casse son champ.

Le cas où elle tient est le cerfa complet (tous les champs renseignés) qui n'a aucun constat.
"""

from __future__ import annotations

from typing import Any

import pytest
from norme_fabrique import AUJOURD_HUI, cerfa_complet, poser

from apicfa.norme import natures
from apicfa.norme.schema import Bloc, Champ
from apicfa.norme.schema_cerfa import CERFA, REGLES_CHAMPS
from apicfa.norme.validation import valider_cerfa

MAUVAISES_CLES: dict[int, str] = {
    id(natures.SIRET): "73282932000075",
    id(natures.UAI): "0751234K",
    id(natures.NIR): "105067512345633",
}


def _parcourir(bloc: Bloc) -> list[tuple[str, Champ | Bloc]]:
    elements: list[tuple[str, Champ | Bloc]] = [(bloc.chemin, bloc)]
    for champ in bloc.champs:
        elements.append((f"{bloc.chemin}{'[]' if bloc.liste else ''}.{champ.cle}", champ))
    for sous_bloc in bloc.sous_blocs:
        elements.extend(_parcourir(sous_bloc))
    return elements


ELEMENTS = {chemin: element for chemin, element in _parcourir(CERFA)}
REGLES_SCHEMA = [regle for regle in REGLES_CHAMPS if regle.champ != "cerfa"]


def _chemin_donnees(champ: str) -> str:
    return champ.removeprefix("cerfa.").replace("[]", "[0]")


def _mauvaise_valeur(code: str, element: Champ | Bloc) -> Any:
    suffixe = code.rsplit("_", 1)[1]
    if suffixe == "ABSENT":
        return ...
    if isinstance(element, Bloc):
        return 3
    if suffixe == "CLE":
        return MAUVAISES_CLES[id(element.nature)]
    if suffixe == "CODE":
        return "ZZZ"
    return {"objet": "inattendu"}


def test_le_cerfa_complet_respecte_toutes_les_regles() -> None:
    assert valider_cerfa(cerfa_complet(), aujourd_hui=AUJOURD_HUI) == []


@pytest.mark.parametrize("regle", REGLES_SCHEMA, ids=lambda r: r.code)
def test_regle_du_schema_echoue(regle: Any) -> None:
    element = ELEMENTS[regle.champ]
    donnees = poser(
        cerfa_complet(), _chemin_donnees(regle.champ), _mauvaise_valeur(regle.code, element)
    )
    constats = valider_cerfa({"cerfa": donnees}, aujourd_hui=AUJOURD_HUI)
    trouves = [c for c in constats if c.code == regle.code]
    assert trouves, [c.code for c in constats]
    assert trouves[0].champ == regle.champ.replace("[]", "[0]")
    assert trouves[0].niveau == "bloquant"


def test_codes_hors_liste_en_nombre() -> None:
    donnees = poser(cerfa_complet(), "employeur.typeEmployeur", 17)
    codes = [c.code for c in valider_cerfa(donnees)]
    assert "EMPLOYEUR_TYPE_EMPLOYEUR_CODE" in codes


def test_message_siret_lisible() -> None:
    donnees = poser(cerfa_complet(), "employeur.siret", "44320618000013")
    (constat,) = [c for c in valider_cerfa(donnees) if c.code == "EMPLOYEUR_SIRET_CLE"]
    assert constat.message == (
        "Le SIRET de l'employeur 443 206 180 00013 est invalide : "
        "la clé de contrôle ne correspond pas."
    )


def test_le_nir_n_apparait_jamais_dans_un_message() -> None:
    for nir in ("105067512345633", "X05067512345632", "1050675123"):
        donnees = poser(cerfa_complet(), "apprenti.nir", nir)
        for constat in valider_cerfa(donnees):
            assert nir not in constat.message
            assert "0506751234" not in constat.message


@pytest.mark.parametrize(
    ("chemin", "valeur"),
    [
        ("CERFASignatureProbante", "true"),
        ("employeur.nombreDeSalaries", "12"),
        ("employeur.codeIdcc", 843),
        ("employeur.naf", "1071c"),
        ("contrat.salaireEmbauche", "777,34"),
        ("contrat.dateDebutContrat", "2025-09-01T00:00:00+02:00"),
        ("contrat.dateDebutContrat", "2025-09-01T00:00:00Z"),
        ("formation.rncp", "38362"),
        ("apprenti.nir", "1050675123456"),
        ("apprenti.departementNaissance", "075"),
        ("apprenti.derniereClasse", 1),
        ("organismeFormation.uaiCfa", "0751234j"),
    ],
)
def test_variantes_admises(chemin: str, valeur: Any) -> None:
    donnees = poser(cerfa_complet(), chemin, valeur)
    assert valider_cerfa(donnees, aujourd_hui=AUJOURD_HUI) == []


def test_orthographe_signature_probante_minuscule() -> None:
    donnees = cerfa_complet()
    del donnees["CERFASignatureProbante"]
    donnees["CERFAsignatureProbante"] = "oops"
    codes = [c.code for c in valider_cerfa(donnees)]
    assert codes == ["CERFA_SIGNATURE_PROBANTE_FORMAT"]
