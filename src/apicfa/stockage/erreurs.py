"""Erreurs du stockage que les couches HTTP traduisent en statuts (404/400, 403)."""

from __future__ import annotations


class ObjetIntrouvable(LookupError):
    """L'objet n'existe pas chez cette OPCO."""

    def __init__(self, nature: str, identifiant: str, champ: str) -> None:
        super().__init__(f"{nature} « {identifiant} » introuvable")
        self.nature = nature
        self.identifiant = identifiant
        self.champ = champ


class ObjetAutreCfa(PermissionError):
    """L'objet existe mais appartient à un autre CFA : on refuse sans rien en dire."""

    def __init__(self, nature: str, identifiant: str, champ: str) -> None:
        super().__init__(f"{nature} « {identifiant} » d'un autre CFA")
        self.nature = nature
        self.identifiant = identifiant
        self.champ = champ


class TransitionRefusee(ValueError):
    """Le changement d'état demandé n'est pas permis par le cycle de vie (SPEC §6.1)."""
