"""Modèle du document joint (partie `document` de `POST /v1/documents`, SPEC §5.5)."""

from __future__ import annotations

from typing import Any

from apicfa.norme.types_norme import Identifiant, ModeleNorme


class ObjetRattache(ModeleNorme):
    typeObjet: str | None = None
    idObjet: Identifiant | None = None


class Document(ModeleNorme):
    typeFichier: str | None = None
    objets: list[ObjetRattache] | None = None


def lire_document(donnees: Any) -> Document:
    """Le document de `{"document": …}` ou d'un document nu."""
    if isinstance(donnees, dict) and "document" in donnees:
        donnees = donnees["document"]
    return Document.model_validate(donnees)
