"""Erreurs HTTP de la norme : `{"errors": [{"code", "description", "champ"}]}` (SPEC §2)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import orjson
from starlette.responses import Response


@dataclass(frozen=True)
class Erreur:
    code: str
    description: str
    champ: str | None = None

    def en_json(self) -> dict[str, str]:
        contenu = {"code": self.code, "description": self.description}
        if self.champ is not None:
            contenu["champ"] = self.champ
        return contenu


class ErreurApi(Exception):
    """Une réponse d'erreur de l'API : un statut et TOUTES les erreurs constatées."""

    def __init__(
        self,
        statut: int,
        erreurs: Iterable[Erreur],
        entetes: Mapping[str, str] | None = None,
    ) -> None:
        self.statut = statut
        self.erreurs = list(erreurs)
        self.entetes = dict(entetes or {})
        super().__init__("; ".join(e.description for e in self.erreurs))

    def corps(self) -> bytes:
        return orjson.dumps({"errors": [e.en_json() for e in self.erreurs]})

    def reponse(self) -> Response:
        return Response(
            self.corps(),
            status_code=self.statut,
            media_type="application/json",
            headers=self.entetes,
        )


def erreur(
    statut: int,
    code: str,
    description: str,
    champ: str | None = None,
    entetes: Mapping[str, str] | None = None,
) -> ErreurApi:
    return ErreurApi(statut, [Erreur(code, description, champ)], entetes)
