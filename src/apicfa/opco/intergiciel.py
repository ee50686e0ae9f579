"""Intergiciel ASGI : identifiant de requête, délai maximal, erreur 500 au bon format, journal.

Coût par requête (chemin chaud du dépôt, voir docs/serveur.md « Mesures ») : les en-têtes sont
lus une fois en dictionnaire (`entetes_de`, partagé avec `identite` et `corps`) ; le délai
maximal est tenu par UNE tâche de surveillance pour toutes les requêtes en cours
(`SurveillanceDelais`) au lieu d'un minuteur `asyncio.timeout` par requête ; l'identifiant de
requête tiré au hasard a la forme de `uuid4().hex` sans construire d'objet `UUID`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

from apicfa.opco.erreurs import erreur
from apicfa.opco.services import Services

journaliseur = logging.getLogger("apicfa.opco")

Asgi = Callable[..., Any]
NON_JOURNALISES = ("/health", "/docs", "/openapi.json", "/redoc")
CLE_ENTETES = "apicfa.entetes"
PERIODE_SURVEILLANCE_S = 0.1


def entetes_de(scope: dict[str, Any]) -> dict[bytes, bytes]:
    """Les en-têtes de la requête, nom (en minuscules, comme ASGI les donne) → valeur brute.

    Pour un nom répété, la PREMIÈRE valeur, comme `Request.headers.get` de Starlette. Construit
    une fois par requête et gardé dans le `scope`."""
    entetes: dict[bytes, bytes] | None = scope.get(CLE_ENTETES)
    if entetes is None:
        brut = scope.get("headers") or []
        if not isinstance(brut, list | tuple):  # un itérable quelconque : en liste, comme Starlette
            brut = scope["headers"] = list(brut)
        entetes = scope[CLE_ENTETES] = dict(reversed(brut))
    return entetes


def entete(scope: dict[str, Any], nom: bytes) -> str | None:
    """La valeur (latin-1) de l'en-tête `nom` (en minuscules), ou None s'il est absent."""
    valeur = entetes_de(scope).get(nom)
    return None if valeur is None else valeur.decode("latin-1")


class _Aleas:
    """Octets de `os.urandom` lus par blocs de `TAILLE_BLOC` (un appel système pour 256
    identifiants au lieu d'un par requête) et rendus 16 par 16, chacun une seule fois. Un
    processus enfant créé par `fork` repart d'un bloc vide : il ne rend jamais les octets de son
    parent."""

    TAILLE_BLOC = 4096

    def __init__(self) -> None:
        self.bloc = b""
        self.position = 0

    def vider(self) -> None:
        self.bloc, self.position = b"", 0

    def seize(self) -> bytes:
        position = self.position
        if position + 16 > len(self.bloc):
            self.bloc, position = os.urandom(self.TAILLE_BLOC), 0
        self.position = position + 16
        return self.bloc[position : position + 16]


_ALEAS = _Aleas()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_ALEAS.vider)


def id_aleatoire() -> str:
    """Un UUID version 4 en hexadécimal : 128 bits de `os.urandom` et même forme que
    `uuid4().hex` (version 4, variante RFC 4122), sans objet `UUID`."""
    octets = bytearray(_ALEAS.seize())
    octets[6] = (octets[6] & 0x0F) | 0x40
    octets[8] = (octets[8] & 0x3F) | 0x80
    return octets.hex()


def _id_requete(scope: dict[str, Any]) -> str:
    """`X-Request-ID` reçu (sa DERNIÈRE valeur s'il est répété), sinon un identifiant neuf."""
    entetes = entetes_de(scope)
    brut = entetes.get(b"x-request-id", b"")
    if len(entetes) < len(scope.get("headers") or ()):  # un nom répété : la dernière valeur
        brut = dict(scope["headers"]).get(b"x-request-id", b"")
    return brut.decode("latin-1")[:64] or id_aleatoire()


def _gabarit(scope: dict[str, Any]) -> str | None:
    """Gabarit de la route (`/{opco}/v2/dossiers`) reconstruit du chemin et de ses paramètres."""
    chemin = scope.get("path", "")
    opco = (scope.get("path_params") or {}).get("opco")
    return chemin.replace(f"/{opco}/", "/{opco}/", 1) if opco else None


class Echange:
    """Une requête en cours : sa tâche, son échéance, et ce que l'intergiciel sait de sa réponse.

    Appelé comme `send` par l'application : note le statut et ajoute `x-request-id`."""

    __slots__ = ("demarree", "depassee", "echeance", "id_octets", "send", "statut", "tache")

    def __init__(self, tache: asyncio.Task[Any], echeance: float, send: Asgi, id_requete: str):
        self.tache = tache
        self.echeance = echeance
        self.depassee = False
        self.statut = 500
        self.demarree = False
        self.send = send
        self.id_octets = id_requete.encode("latin-1")

    async def __call__(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.statut = message["status"]
            self.demarree = True
            message["headers"] = [*message.get("headers", []), (b"x-request-id", self.id_octets)]
        await self.send(message)

    async def repondre(self, statut: int, entetes: list[tuple[bytes, bytes]], corps: bytes) -> None:
        """Envoie une réponse entière : les deux mêmes messages que `Response.__call__` passés
        par `__call__`, sans ces deux niveaux d'appel (chemin direct du dépôt)."""
        self.statut = statut
        self.demarree = True
        send = self.send
        await send(
            {
                "type": "http.response.start",
                "status": statut,
                "headers": [*entetes, (b"x-request-id", self.id_octets)],
            }
        )
        await send({"type": "http.response.body", "body": corps})


class SurveillanceDelais:
    """Le délai maximal des requêtes en cours, tenu par une seule tâche.

    Chaque requête s'inscrit avec son échéance ; la tâche se réveille toutes les `periode`
    secondes et annule celles qui l'ont dépassée (l'intergiciel répond alors 503). Une requête
    dépassée est donc arrêtée au plus `periode` après son échéance. La tâche s'arrête d'elle-même
    quand plus aucune requête n'est en cours (rien ne tourne sur un serveur au repos) et repart
    à la suivante ; une autre boucle d'événements (un autre client de test) repart de zéro."""

    def __init__(self, periode: float) -> None:
        self.periode = periode
        self._en_cours: set[Echange] = set()
        self._boucle: asyncio.AbstractEventLoop | None = None
        self._tache: asyncio.Task[None] | None = None

    def inscrire(self, echange: Echange, boucle: asyncio.AbstractEventLoop) -> None:
        if boucle is not self._boucle:
            self._boucle, self._en_cours, self._tache = boucle, set(), None
        self._en_cours.add(echange)
        if self._tache is None:
            self._tache = boucle.create_task(self._surveiller(self._en_cours))

    def retirer(self, echange: Echange) -> None:
        self._en_cours.discard(echange)

    async def _surveiller(self, en_cours: set[Echange]) -> None:
        boucle = asyncio.get_running_loop()
        try:
            while en_cours:
                await asyncio.sleep(self.periode)
                maintenant = boucle.time()
                for echange in en_cours:
                    if not echange.depassee and echange.echeance <= maintenant:
                        echange.depassee = True
                        echange.tache.cancel()
        finally:
            if self._en_cours is en_cours:
                self._tache = None


class Intergiciel:
    def __init__(self, app: Asgi, services: Services) -> None:
        self.app = app
        self.services = services
        self.surveillance = SurveillanceDelais(
            min(PERIODE_SURVEILLANCE_S, max(services.delai_requete_s / 4, 0.001))
        )

    async def __call__(self, scope: dict[str, Any], receive: Asgi, send: Asgi) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        id_requete = _id_requete(scope)
        etat = scope.setdefault("state", {})
        etat["id_requete"] = id_requete
        debut = time.perf_counter()
        boucle = asyncio.get_running_loop()
        tache = asyncio.current_task(boucle)
        assert tache is not None
        echange = Echange(tache, boucle.time() + self.services.delai_requete_s, send, id_requete)
        surveillance = self.surveillance
        annulations = tache.cancelling()
        surveillance.inscrire(echange, boucle)
        try:
            try:
                await self.app(scope, receive, echange)
            finally:
                surveillance.retirer(echange)
                # comme `asyncio.timeout` : l'annulation de la surveillance est retirée du compte
                # de la tâche ; elle devient un délai dépassé si elle était la seule
                depasse = echange.depassee and tache.uncancel() <= annulations
        except (TimeoutError, asyncio.CancelledError) as arret:
            if isinstance(arret, asyncio.CancelledError) and not depasse:
                raise
            if not echange.demarree:
                await self._erreur(
                    echange,
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
            if not echange.demarree:
                await self._erreur(
                    echange,
                    erreur(500, "ERREUR_INTERNE", f"Erreur interne (requête {id_requete})."),
                )
        finally:
            self._journaliser(scope, etat, int(echange.statut), id_requete, debut)

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
            (
                self.services.horloge(),
                etat.get("opco"),
                etat.get("cfa_id"),
                etat.get("editeur"),
                etat.get("logiciel"),
                etat.get("version"),
                scope.get("method", "")[:8],
                gabarit[:200],
                statut,
                id_requete,
                etat.get("empreinte_corps"),
                int((time.perf_counter() - debut) * 1000),
            )
        )
