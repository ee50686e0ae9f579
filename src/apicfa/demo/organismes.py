"""Les organismes de formation (CFA) d'une démonstration : quelques CFA tirés une fois par
graine, qui déposent chacun de nombreux dossiers, comme dans la réalité."""

from __future__ import annotations

import random
from typing import Any

from apicfa.demo import identifiants, lieux

INTITULES: tuple[str, ...] = (
    "CFA des métiers de {ville}",
    "CFA interprofessionnel de {ville}",
    "Campus de l'apprentissage {ville}",
    "CFA du bâtiment de {ville}",
    "École supérieure d'alternance de {ville}",
    "CFA de la chambre de métiers de {ville}",
    "CFA d'entreprise Groupe {ville}",
)


def tirer_organismes(rng: random.Random, nombre: int = 6) -> list[dict[str, Any]]:
    """`nombre` blocs `organismeFormation` distincts ; le dernier est un CFA d'entreprise."""
    resultat = []
    for indice in range(nombre):
        lieu = lieux.commune(rng)
        interne = indice == nombre - 1
        modele = INTITULES[-1] if interne else INTITULES[indice % (len(INTITULES) - 1)]
        resultat.append(
            {
                "denomination": modele.format(ville=lieu.nom),
                "formationInterne": interne,
                "siret": identifiants.siret(rng),
                "uaiCfa": identifiants.uai(rng, lieu.departement),
                "visaCfa": True,
                "adresse": lieux.adresse(rng, lieu),
            }
        )
    return resultat


def lieu_de_formation(rng: random.Random, organisme: dict[str, Any]) -> dict[str, Any]:
    """Un lieu principal de formation distinct du siège du CFA (antenne)."""
    lieu = lieux.commune(rng)
    return {
        "denomination": f"{organisme['denomination']} — antenne de {lieu.nom}",
        "siret": identifiants.siret(rng, organisme["siret"][:9]),
        "uaiCfa": identifiants.uai(rng, lieu.departement),
        "adresse": lieux.adresse(rng, lieu),
    }
