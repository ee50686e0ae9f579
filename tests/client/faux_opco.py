"""Un faux OPCO pour httpx.MockTransport : rejoue des réponses et note les requêtes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson

from apicfa.client import ClientOpco, IdentifiantsOAuth, PolitiqueReessai

Reponse = httpx.Response | Callable[[httpx.Request], httpx.Response]


def json(statut: int, corps: Any, entetes: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(statut, content=orjson.dumps(corps), headers=entetes or {})


class FauxOpco:
    """Répond, pour chaque requête, la prochaine réponse de la file de son chemin."""

    def __init__(self) -> None:
        self.files: dict[str, list[Reponse]] = {}
        self.requetes: list[httpx.Request] = []
        self.attentes: list[float] = []

    def ajouter(self, chemin: str, *reponses: Reponse) -> None:
        self.files.setdefault(chemin, []).extend(reponses)

    def __call__(self, requete: httpx.Request) -> httpx.Response:
        self.requetes.append(requete)
        file = self.files.get(requete.url.path)
        if not file:
            return json(404, {"errors": [{"code": "INCONNU", "description": requete.url.path}]})
        reponse = file.pop(0) if len(file) > 1 else file[0]
        return reponse(requete) if callable(reponse) else reponse

    def requetes_vers(self, chemin: str) -> list[httpx.Request]:
        return [r for r in self.requetes if r.url.path == chemin]

    def client(self, *, oauth: bool = False, tentatives: int = 4) -> ClientOpco:
        politique = PolitiqueReessai(tentatives=tentatives, dormir=self.attentes.append)
        return ClientOpco(
            "https://opco.test/atlas",
            "cle-secrete-123456",
            opco="atlas",
            oauth=IdentifiantsOAuth("https://opco.test/atlas/oauth/token", "id", "secret")
            if oauth
            else None,
            politique=politique,
            transport=httpx.MockTransport(self),
        )
