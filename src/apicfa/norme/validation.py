"""Validateur : tous les constats d'un objet de la norme, en une passe, sans jamais lever.

Les données sont le dictionnaire JSON déjà lu. Le schéma vérifie présence, types, formats, clés
et listes de codes, et range les valeurs lues ; les règles de cohérence travaillent ensuite sur
ces valeurs. Un type inattendu devient un constat bloquant qui nomme le champ.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from apicfa.norme import coherence_cerfa, coherence_objets, schema_objets
from apicfa.norme.constats import Constat
from apicfa.norme.schema import Bloc
from apicfa.norme.schema_cerfa import CERFA


def _deballer(donnees: Any, nom: str) -> Any:
    """L'enveloppe `{"<nom>": {…}}` ou l'objet nu."""
    if isinstance(donnees, dict) and nom in donnees:
        return donnees[nom]
    return donnees


def _valider(bloc: Bloc, nom: str, donnees: Any) -> tuple[list[Constat], dict[str, Any]]:
    constats: list[Constat] = []
    valeurs: dict[str, Any] = {}
    objet = _deballer(donnees, nom)
    if objet is None:
        constats.append(bloc.absent)
    elif objet.__class__ is dict and not bloc.liste:
        # l'objet attendu : sa fonction compilée directement (ce que ferait `Bloc.verifier`)
        valeurs[bloc.cle_plate] = True
        bloc.verifier_objet(objet, nom, constats, valeurs)
    else:
        bloc.verifier(objet, nom, constats, valeurs)
    return constats, valeurs


def valider_cerfa(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Tous les constats d'un contrat (`{"cerfa": {…}}` ou cerfa nu), chemins préfixés `cerfa.`.

    `aujourd_hui` est le jour du dépôt : sans lui, la règle « conclu au plus tard le jour du
    dépôt » n'est pas vérifiée (le paquet n'a pas d'horloge).
    """
    constats, valeurs = _valider(CERFA, "cerfa", donnees)
    if valeurs:
        coherence_cerfa.verifier(valeurs, constats, aujourd_hui)
    return constats


def _valider_objet(nom: str, donnees: Any, aujourd_hui: date | None) -> list[Constat]:
    constats, valeurs = _valider(schema_objets.OBJETS[nom], nom, donnees)
    if valeurs:
        coherence_objets.VERIFICATEURS[nom](valeurs, constats, aujourd_hui)
    return constats


def valider_facture(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Constats d'une facture (partie `facture`, SPEC §5.1), chemins préfixés `facture.`."""
    return _valider_objet("facture", donnees, aujourd_hui)


def valider_convention(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Constats d'une convention (SPEC §5.3), chemins préfixés `convention.`."""
    return _valider_objet("convention", donnees, aujourd_hui)


def valider_certificat(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Constats d'un certificat de réalisation (SPEC §5.4), chemins préfixés `certificat.`."""
    return _valider_objet("certificat", donnees, aujourd_hui)


def valider_document(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Constats d'un document (SPEC §5.5), chemins préfixés `document.`."""
    return _valider_objet("document", donnees, aujourd_hui)


def valider_rupture(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Constats d'une rupture (SPEC §5.6), chemins préfixés `rupture.`."""
    return _valider_objet("rupture", donnees, aujourd_hui)
