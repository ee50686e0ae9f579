"""Chemin direct du dépôt : `POST /{opco}/v1|v2/dossiers` servi devant le routage FastAPI.

Le dépôt est la route chaude du serveur. `AppOpco` (une application FastAPI) reconnaît ces deux
routes dès l'entrée et les sert sans la pile Starlette/FastAPI (intergiciels d'erreurs et de
télémétrie, pile de sortie asynchrone, parcours des routes, enveloppe `request_response`) :
seulement l'`Intergiciel` du projet (identifiant de requête, délai, erreur 500, journal), puis
la MÊME fonction de dépôt que la route FastAPI (`routes.dossiers.deposer_dossier`) et la MÊME
conversion des exceptions en réponses (`reponse_exception`). Rien n'est copié : identité,
en-têtes du logiciel, limite de taille, débit, profil, idempotence et empreinte de doublon sont
ceux de la route FastAPI, qui reste déclarée (document OpenAPI, `/docs`) et sert toute autre
méthode sur ce chemin.

`creer_app(…, chemin_direct=False)` sert le dépôt par FastAPI seul : les tests comparent les
deux chemins sur les mêmes requêtes.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import get_route_path

from apicfa.opco.erreurs import ErreurApi, erreur
from apicfa.opco.intergiciel import Intergiciel
from apicfa.opco.services import Services
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee

Asgi = Callable[..., Any]
Deposer = Callable[[Request, str, int], Awaitable[Response]]

# Même motif que le routeur Starlette pour `/{opco}/v{n}/dossiers` (paramètre `str` : [^/]+).
_ROUTE_DEPOT = re.compile(r"^/(?P<opco>[^/]+)/v(?P<version>[12])/dossiers$")
GABARITS = {1: "/{opco}/v1/dossiers", 2: "/{opco}/v2/dossiers"}


def reponse_exception(exc: Exception, services: Services, opco: str) -> Response | None:
    """La réponse d'erreur de l'API pour une exception connue (refus d'une route), sinon None.

    Partagée par les gestionnaires d'exceptions de FastAPI et le chemin direct."""
    if isinstance(exc, ErreurApi):
        return exc.reponse()
    if isinstance(exc, ObjetIntrouvable):
        profil = services.profils.get(opco)
        return erreur(
            profil.statut_objet_inconnu if profil else 404,
            "OBJET_INCONNU",
            f"Aucun {exc.nature} « {exc.identifiant} » n'existe chez cette OPCO.",
            exc.champ,
        ).reponse()
    if isinstance(exc, ObjetAutreCfa):
        return erreur(
            403,
            "OBJET_AUTRE_CFA",
            f"Le {exc.nature} « {exc.identifiant} » n'appartient pas à votre CFA.",
            exc.champ,
        ).reponse()
    if isinstance(exc, TransitionRefusee):
        return erreur(400, "TRANSITION_REFUSEE", str(exc), "etat").reponse()
    return None


class _GabaritDirect:
    """Ce que le journal d'audit lit de `scope["route"]` : le gabarit du chemin."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class CheminDirect:
    """L'application ASGI du dépôt direct, derrière l'`Intergiciel` du projet."""

    def __init__(self, app: FastAPI, services: Services, deposer: Deposer) -> None:
        self.app = app
        self.services = services
        self.deposer = deposer
        self.intergiciel = Intergiciel(self._servir, services)
        self._gabarits = {v: _GabaritDirect(g) for v, g in GABARITS.items()}

    def reconnaitre(self, scope: dict[str, Any]) -> tuple[str, int] | None:
        """(opco, version) si `scope` est un `POST /{opco}/v1|v2/dossiers`, sinon None."""
        if scope["type"] != "http" or scope["method"] != "POST":
            return None
        trouve = _ROUTE_DEPOT.match(get_route_path(scope))
        if trouve is None:
            return None
        return trouve["opco"], int(trouve["version"])

    def __call__(
        self, scope: dict[str, Any], receive: Asgi, send: Asgi, opco: str, version: int
    ) -> Awaitable[None]:
        """Prépare le `scope` et rend la coroutine de l'`Intergiciel` (à attendre) : un niveau
        de coroutine de moins entre uvicorn et le dépôt, que chaque reprise de la tâche
        traverse."""
        scope["app"] = self.app
        scope["path_params"] = {"opco": opco}
        scope["route"] = self._gabarits[version]
        scope["version_depot"] = version
        return self.intergiciel(scope, receive, send)  # type: ignore[no-any-return]

    async def _servir(self, scope: dict[str, Any], receive: Asgi, send: Asgi) -> None:
        opco = scope["path_params"]["opco"]
        requete = Request(scope, receive)
        try:
            reponse = await self.deposer(requete, opco, scope["version_depot"])
        except Exception as exc:
            connue = reponse_exception(exc, self.services, opco)
            if connue is None:
                raise
            reponse = connue
        await reponse(scope, receive, send)


class AppOpco(FastAPI):
    """L'application du service OPCO : FastAPI, avec le chemin direct du dépôt devant."""

    chemin_direct: CheminDirect | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        direct = self.chemin_direct
        if direct is not None:
            trouve = direct.reconnaitre(scope)
            if trouve is not None:
                await direct(scope, receive, send, *trouve)
                return
        await super().__call__(scope, receive, send)
