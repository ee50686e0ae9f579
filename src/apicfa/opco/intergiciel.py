"""Intergiciel ASGI : identifiant de requête, délai maximal, erreur 500 au bon format, journal."""

from __future__ import annotations

import asyncio
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from apicfa.opco.erreurs import erreur
from apicfa.opco.services import Services

journaliseur = logging.getLogger("apicfa.opco")

Asgi = Callable[..., Any]
NON_JOURNALISES = ("/health", "/docs", "/openapi.json", "/redoc")


def _gabarit(scope: dict[str, Any]) -> str | None:
    """Gabarit de la route (`/{opco}/v2/dossiers`) reconstruit du chemin et de ses paramètres."""
    chemin = scope.get("path", "")
    opco = (scope.get("path_params") or {}).get("opco")
    return chemin.replace(f"/{opco}/", "/{opco}/", 1) if opco else None


class Intergiciel:
    def __init__(self, app: Asgi, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: dict[str, Any], receive: Asgi, send: Asgi) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        entetes = dict(scope.get("headers") or [])
        id_requete = entetes.get(b"x-request-id", b"").decode("latin-1")[:64] or uuid4().hex
        etat = scope.setdefault("state", {})
        etat["id_requete"] = id_requete
        debut = time.perf_counter()
        reponse = {"statut": 500, "demarree": False}

        async def envoyer(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                reponse["statut"] = message["status"]
                reponse["demarree"] = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", id_requete.encode("latin-1")),
                ]
            await send(message)

        try:
            async with asyncio.timeout(self.services.delai_requete_s):
                await self.app(scope, receive, envoyer)
        except TimeoutError:
            if not reponse["demarree"]:
                await self._erreur(
                    envoyer,
                    erreur(
                        503,
                        "DELAI_DEPASSE",
                        "La requête a dépassé le délai maximal de traitement ; réessayez avec "
                        "la même Idempotency-Key.",
                    ),
                )
        except Exception as panne:
            # type et pile d'appels seulement : le message d'une exception peut citer des données
            journaliseur.error(
                "erreur interne (requête %s) : %s à %s",
                id_requete,
                type(panne).__name__,
                " ← ".join(
                    f"{cadre.filename}:{cadre.lineno} {cadre.name}"
                    for cadre in reversed(traceback.extract_tb(panne.__traceback__))
                ),
            )
            if not reponse["demarree"]:
                await self._erreur(
                    envoyer,
                    erreur(500, "ERREUR_INTERNE", f"Erreur interne (requête {id_requete})."),
                )
        finally:
            self._journaliser(scope, etat, int(reponse["statut"]), id_requete, debut)

    @staticmethod
    async def _erreur(envoyer: Asgi, probleme: Any) -> None:
        await envoyer(
            {
                "type": "http.response.start",
                "status": probleme.statut,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await envoyer({"type": "http.response.body", "body": probleme.corps()})

    def _journaliser(
        self,
        scope: dict[str, Any],
        etat: dict[str, Any],
        statut: int,
        id_requete: str,
        debut: float,
    ) -> None:
        chemin = scope.get("path", "")
        if chemin.startswith(NON_JOURNALISES):
            return
        route = scope.get("route") or scope.get("endpoint")
        gabarit = getattr(route, "path", None) or _gabarit(scope) or "(route inconnue)"
        self.services.journal.noter(
            {
                "horodatage": self.services.horloge(),
                "opco": etat.get("opco"),
                "cfa_id": etat.get("cfa_id"),
                "editeur": etat.get("editeur"),
                "logiciel": etat.get("logiciel"),
                "version": etat.get("version"),
                "methode": scope.get("method", "")[:8],
                "route": gabarit[:200],
                "statut": statut,
                "id_requete": id_requete,
                "empreinte_corps": etat.get("empreinte_corps"),
                "duree_ms": int((time.perf_counter() - debut) * 1000),
            }
        )
