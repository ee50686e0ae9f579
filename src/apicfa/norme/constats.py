"""Le constat : une règle de la norme que des données respectent mal, nommant son champ."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Niveau = Literal["bloquant", "instruction", "avertissement"]

BLOQUANT: Niveau = "bloquant"
INSTRUCTION: Niveau = "instruction"
AVERTISSEMENT: Niveau = "avertissement"
NIVEAUX: tuple[Niveau, ...] = (BLOQUANT, INSTRUCTION, AVERTISSEMENT)


@dataclass(frozen=True, slots=True)
class Constat:
    """Un constat : `code` stable de la règle, `champ` (chemin JSON), `message` en français."""

    code: str
    champ: str
    message: str
    niveau: Niveau

    def en_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "champ": self.champ,
            "message": self.message,
            "niveau": self.niveau,
        }


def bloquants(constats: list[Constat]) -> list[Constat]:
    return [c for c in constats if c.niveau == BLOQUANT]


def a_refuser(constats: list[Constat]) -> list[Constat]:
    """Les constats d'instruction (éligibilité) qui motivent un refus."""
    return [c for c in constats if c.niveau == INSTRUCTION]
