"""Validation des charges utiles par `apicfa.norme` : les constats bloquants deviennent un 400.

Le serveur ne connaît aucune règle de la norme : il appelle `norme.validation.valider_<objet>`.
Tant qu'un validateur n'est pas encore publié par `apicfa.norme`, un contrôle de structure
minimal (blocs obligatoires présents et de type objet) le remplace — adaptateur signalé dans
docs/serveur.md, qui disparaît de lui-même dès que la fonction existe.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from apicfa.opco.erreurs import Erreur, ErreurApi


class ConstatLu(Protocol):
    code: str
    champ: str
    message: str
    niveau: str


Valideur = Callable[..., list[Any]]

# Blocs obligatoires par objet, pour l'adaptateur de structure.
BLOCS_OBLIGATOIRES: dict[str, tuple[str, ...]] = {
    "cerfa": ("employeur", "apprenti", "maitre1", "contrat", "formation", "organismeFormation"),
    "facture": ("lignes",),
    "convention": (),
    "certificat": (),
    "document": ("objets",),
    "rupture": (),
}
CHAMPS_OBLIGATOIRES: dict[str, tuple[str, ...]] = {
    "cerfa": (),
    "facture": ("numero", "montantTotal"),
    "convention": ("numeroInterneDossier",),
    "certificat": ("numeroInterneDossier", "typeCertificat"),
    "document": ("typeFichier",),
    "rupture": ("numeroInterne", "dateRupture"),
}


def _valideur_norme(objet: str) -> Valideur | None:
    try:
        module = importlib.import_module("apicfa.norme.validation")
    except ImportError:
        return None
    return getattr(module, f"valider_{objet}", None)


def _structure(objet: str, donnees: dict[str, Any]) -> list[Erreur]:
    corps = donnees.get(objet, donnees) if objet == "cerfa" else donnees
    if not isinstance(corps, dict):
        return [Erreur("STRUCTURE", f"Le bloc « {objet} » doit être un objet JSON.", objet)]
    erreurs = []
    for bloc in BLOCS_OBLIGATOIRES[objet]:
        valeur = corps.get(bloc)
        attendu = list if bloc in ("lignes", "objets") else dict
        if not isinstance(valeur, attendu) or not valeur:
            nature = "une liste non vide" if attendu is list else "un objet"
            erreurs.append(
                Erreur(
                    "BLOC_OBLIGATOIRE",
                    f"Le bloc « {bloc} » est obligatoire et doit être {nature}.",
                    f"{objet}.{bloc}",
                )
            )
    for champ in CHAMPS_OBLIGATOIRES[objet]:
        if corps.get(champ) in (None, ""):
            erreurs.append(
                Erreur(
                    "CHAMP_OBLIGATOIRE",
                    f"Le champ « {champ} » est obligatoire.",
                    f"{objet}.{champ}",
                )
            )
    return erreurs


def verifier(objet: str, donnees: dict[str, Any], aujourd_hui: date) -> None:
    """Lève un 400 listant TOUS les constats bloquants de l'objet ; ne renvoie rien sinon."""
    valideur = _valideur_norme(objet)
    if valideur is None:
        erreurs = _structure(objet, donnees)
    else:
        constats: list[ConstatLu] = valideur(donnees, aujourd_hui=aujourd_hui)
        erreurs = [
            Erreur(c.code, c.message, c.champ)
            for c in constats
            if str(getattr(c.niveau, "value", c.niveau)) == "bloquant"
        ]
    if erreurs:
        raise ErreurApi(400, erreurs)
