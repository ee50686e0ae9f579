"""Choix de l'OPCO d'un dossier à partir de l'IDCC de l'employeur."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

SANS_CONVENTION = frozenset({"9999", "9998"})


class ErreurRoutage(Exception):
    """L'OPCO du dossier ne peut pas être déterminé (message en français)."""


def normaliser_idcc(valeur: Any) -> str | None:
    if valeur is None:
        return None
    texte = str(valeur).strip()
    if not texte:
        return None
    return texte.zfill(4) if texte.isdigit() else texte.upper()


class Routeur:
    """IDCC → code OPCO, ou un OPCO imposé (`--opco`)."""

    def __init__(self, table: Mapping[str, str], opco_impose: str | None = None) -> None:
        self._table = {normaliser_idcc(k) or k: v for k, v in table.items()}
        self._impose = opco_impose

    @classmethod
    def depuis(cls, chemin_table: str | Path | None, opco_impose: str | None) -> Routeur:
        """La table IDCC → OPCO du fichier donné, ou l'échantillon livré avec apicfa."""
        if opco_impose:
            return cls({}, opco_impose)
        from apicfa.referentiels import idcc_opco

        table = (
            idcc_opco.lire_idcc_opco(chemin_table) if chemin_table else idcc_opco.table_exemple()
        )
        return cls(table)

    def opco(self, cerfa: Mapping[str, Any]) -> str:
        if self._impose:
            return self._impose
        employeur = cerfa.get("employeur") if isinstance(cerfa.get("employeur"), dict) else {}
        idcc = normaliser_idcc(employeur.get("codeIdcc"))
        if idcc is None:
            raise ErreurRoutage(
                "cerfa.employeur.codeIdcc absent : impossible de choisir l'OPCO ; précisez --opco"
            )
        if idcc in SANS_CONVENTION:
            raise ErreurRoutage(
                f"cerfa.employeur.codeIdcc vaut {idcc} (sans convention collective) : "
                "précisez l'OPCO avec --opco"
            )
        try:
            return self._table[idcc]
        except KeyError:
            raise ErreurRoutage(
                f"cerfa.employeur.codeIdcc {idcc} absent de la table IDCC → OPCO : "
                "précisez --opco ou une table complète (--table-idcc)"
            ) from None
