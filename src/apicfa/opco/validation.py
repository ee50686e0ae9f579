"""Validation des charges utiles par `apicfa.norme` : les constats bloquants deviennent un 400.

Le serveur ne connaît aucune règle de la norme : il appelle `norme.validation.valider_<objet>`
et rend TOUS les constats de niveau `bloquant`, chacun avec son `champ`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from apicfa.norme import validation as norme
from apicfa.opco.erreurs import Erreur, ErreurApi

VALIDEURS: dict[str, Callable[..., list[Any]]] = {
    "cerfa": norme.valider_cerfa,
    "facture": norme.valider_facture,
    "convention": norme.valider_convention,
    "certificat": norme.valider_certificat,
    "document": norme.valider_document,
    "rupture": norme.valider_rupture,
}


def verifier(objet: str, donnees: dict[str, Any], aujourd_hui: date) -> list[Any]:
    """Lève un 400 listant TOUS les constats bloquants de l'objet ; rend les constats sinon
    (avertissements compris : l'instruction les reprend)."""
    constats = VALIDEURS[objet](donnees, aujourd_hui=aujourd_hui)
    erreurs = [
        Erreur(c.code, c.message, c.champ)
        for c in constats
        if str(getattr(c.niveau, "value", c.niveau)) == "bloquant"
    ]
    if erreurs:
        raise ErreurApi(400, erreurs)
    return constats
