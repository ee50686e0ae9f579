"""Fragments OpenAPI des routes : en-têtes communs, corps attendus et exemples."""

from __future__ import annotations

from typing import Any

ENTETES: list[dict[str, Any]] = [
    {
        "name": "X-API-KEY",
        "in": "header",
        "required": True,
        "description": "Clé d'API du CFA pour cette OPCO (nom d'en-tête insensible à la casse).",
        "schema": {"type": "string"},
    },
    *[
        {
            "name": nom,
            "in": "header",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
        }
        for nom, description in (
            ("EDITEUR", "Éditeur du logiciel du CFA."),
            ("LOGICIEL", "Nom du logiciel du CFA."),
            ("VERSION", "Version du logiciel du CFA."),
        )
    ],
]
ENTETE_IDEMPOTENCE: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Extension apicfa : rejouer la même clé avec le même corps rend la première "
    "réponse ; avec un autre corps → 409.",
    "schema": {"type": "string", "maxLength": 200},
}


def exemple_cerfa() -> dict[str, Any]:
    """Un dossier valide tiré du générateur de démonstration (graine fixe)."""
    from apicfa.demo.generateur import generer_dossiers

    return next(generer_dossiers(1, 2025))


def corps_json(schema_nom: str, exemple: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": f"Objet `{schema_nom}` de la norme, validé par apicfa.norme.",
            "content": {"application/json": {"schema": {"type": "object"}, "example": exemple}},
        }
    }


def corps_multipart(partie: str, description: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": [partie, "fichier"],
                        "properties": {
                            partie: {"type": "string", "description": description},
                            "fichier": {
                                "type": "string",
                                "format": "binary",
                                "description": "Le document (PDF, PNG ou JPG, reconnu à son "
                                "contenu).",
                            },
                        },
                    }
                }
            },
        }
    }


def documenter(*fragments: dict[str, Any], idempotent: bool = False) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "parameters": [*ENTETES, *([ENTETE_IDEMPOTENCE] if idempotent else [])]
    }
    for fragment in fragments:
        extra.update(fragment)
    return extra
