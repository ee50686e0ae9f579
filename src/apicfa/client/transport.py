"""Transport httpx sur `http.client` (bibliothèque standard) : moins de CPU par requête.

httpx reste l'interface du SDK (requêtes, réponses, délais, exceptions) ; seul l'échange sur
le réseau change. httpcore et h11, en Python pur et en couches (pool, connexion, machine à
états h11, événements), coûtent ≈ 0,5 ms de CPU par requête avec httpx ; `http.client`, plus
direct, ≈ 0,3 ms (mesures dans docs/client.md). En-têtes et corps partent d'un seul appel
système (httpcore et `http.client` en font deux). Mêmes octets émis, même réponse rendue
(prouvé par `tests/client/test_transport.py` contre le transport par défaut de httpx, sur
des milliers de requêtes et de réponses générées).

Ce transport garde des connexions persistantes (au plus `max_connections` en usage, au plus
`max_keepalive_connections` en attente, `keepalive_expiry` secondes au plus), rejette une
connexion inactive que le serveur a fermée (comme httpcore) et traduit les erreurs réseau en
exceptions httpx (`ConnectError`, `ReadTimeout`…). Ce qu'il ne sait pas faire (schéma autre
que http/https, corps envoyé par morceaux, extension `sni_hostname`) passe par le transport
par défaut de httpx.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import time
from typing import Any

import httpx

Origine = tuple[str, str, int]


class TransportLeger(httpx.BaseTransport):
    """`httpx.BaseTransport` sur `http.client`, sûr entre fils d'exécution."""

    def __init__(self, *, verify: ssl.SSLContext, limits: httpx.Limits) -> None:
        self._contexte = verify
        self._places = (
            threading.BoundedSemaphore(limits.max_connections)
            if limits.max_connections is not None
            else None
        )
        self._max_libres = limits.max_keepalive_connections
        self._expiration = limits.keepalive_expiry
        self._libres: dict[Origine, list[tuple[http.client.HTTPConnection, float]]] = {}
        self._verrou = threading.Lock()
        self._repli = httpx.HTTPTransport(verify=verify, limits=limits)

    # -- httpx.BaseTransport ------------------------------------------------------------
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if (
            url.scheme not in ("http", "https")
            or "transfer-encoding" in request.headers
            or "sni_hostname" in request.extensions
        ):
            return self._repli.handle_request(request)
        corps = request.read()
        delais: dict[str, float | None] = request.extensions.get("timeout", {})
        # Hôte sous sa forme ASCII (IDNA), comme le passe httpcore au réseau et au contrôle TLS.
        origine: Origine = (
            url.scheme,
            url.raw_host.decode("ascii"),
            url.port or (443 if url.scheme == "https" else 80),
        )
        if self._places is not None and not self._places.acquire(
            timeout=_attente(delais.get("pool"))
        ):
            raise httpx.PoolTimeout("aucune connexion libre dans le délai imparti", request=request)
        try:
            connexion = self._prendre(origine)
            try:
                reponse = self._echanger(connexion, request, corps, delais)
            except BaseException:
                connexion.close()
                raise
            self._rendre(origine, connexion)
            return reponse
        finally:
            if self._places is not None:
                self._places.release()

    def close(self) -> None:
        with self._verrou:
            libres, self._libres = self._libres, {}
        for connexions in libres.values():
            for connexion, _ in connexions:
                connexion.close()
        self._repli.close()

    # -- connexions ---------------------------------------------------------------------
    def _prendre(self, origine: Origine) -> http.client.HTTPConnection:
        """Une connexion inactive encore valable vers cette origine, sinon une nouvelle."""
        maintenant = time.monotonic()
        while True:
            with self._verrou:
                pile = self._libres.get(origine)
                if not pile:
                    break
                connexion, depuis = pile.pop()
            if _encore_valable(connexion, depuis, maintenant, self._expiration):
                return connexion
            connexion.close()
        schema, hote, port = origine
        if schema == "https":
            return _ConnexionHttps(hote, port, context=self._contexte)
        return _ConnexionHttp(hote, port)

    def _rendre(self, origine: Origine, connexion: http.client.HTTPConnection) -> None:
        if connexion.sock is None:  # fermée après la réponse (`Connection: close`…)
            return
        with self._verrou:
            pile = self._libres.setdefault(origine, [])
            if self._max_libres is None or sum(map(len, self._libres.values())) < self._max_libres:
                pile.append((connexion, time.monotonic()))
                return
        connexion.close()

    # -- un échange ---------------------------------------------------------------------
    def _echanger(
        self,
        connexion: http.client.HTTPConnection,
        request: httpx.Request,
        corps: bytes,
        delais: dict[str, float | None],
    ) -> httpx.Response:
        if connexion.sock is None:
            connexion.timeout = delais.get("connect")
            try:
                connexion.connect()
            except TimeoutError as exc:
                raise httpx.ConnectTimeout(
                    str(exc) or "délai de connexion dépassé", request=request
                ) from exc
            except OSError as exc:
                raise httpx.ConnectError(str(exc), request=request) from exc
        sock = connexion.sock
        assert sock is not None
        try:
            sock.settimeout(delais.get("write"))
            connexion.putrequest(
                request.method,
                request.url.raw_path.decode("ascii"),
                skip_host=True,
                skip_accept_encoding=True,
            )
            for nom, valeur in request.headers.raw:
                connexion.putheader(nom, valeur)
            if corps:
                _retenir_en_tetes(connexion)
            connexion.endheaders(corps or None)
        except TimeoutError as exc:
            raise httpx.WriteTimeout(
                str(exc) or "délai d'écriture dépassé", request=request
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
        try:
            sock.settimeout(delais.get("read"))
            reponse = connexion.getresponse()
            contenu = reponse.read()
        except TimeoutError as exc:
            raise httpx.ReadTimeout(
                str(exc) or "délai de lecture dépassé", request=request
            ) from exc
        except http.client.RemoteDisconnected as exc:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from exc
        except http.client.HTTPException as exc:
            raise httpx.RemoteProtocolError(
                str(exc) or type(exc).__name__, request=request
            ) from exc
        except OSError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        # http.client décode les en-têtes en Latin-1 : on retrouve exactement les octets reçus,
        # valeurs débarrassées des blancs de tête et de fin comme le fait h11.
        entetes = [
            (nom.encode("latin-1"), valeur.encode("latin-1").strip(b" \t"))
            for nom, valeur in reponse.getheaders()
        ]
        extensions: dict[str, Any] = {
            "http_version": b"HTTP/1.0" if reponse.version == 10 else b"HTTP/1.1",
            "reason_phrase": reponse.reason.encode("latin-1"),
        }
        return httpx.Response(
            reponse.status,
            headers=entetes,
            stream=httpx.ByteStream(contenu),
            request=request,
            extensions=extensions,
        )


class _EnvoiGroupe:
    """`http.client` envoie les en-têtes puis le corps en deux appels système : retenus, les
    en-têtes partent avec le corps (un seul segment TCP pour un petit dossier, une seule
    lecture pour le serveur)."""

    _retenir: bool = False
    _retenu: bytes = b""

    def send(self, data: Any) -> None:
        if self._retenir:
            self._retenir = False
            self._retenu = bytes(data)
            return
        if self._retenu:
            data, self._retenu = self._retenu + bytes(data), b""
        super().send(data)  # type: ignore[misc]


class _ConnexionHttp(_EnvoiGroupe, http.client.HTTPConnection):
    pass


class _ConnexionHttps(_EnvoiGroupe, http.client.HTTPSConnection):
    pass


def _retenir_en_tetes(connexion: http.client.HTTPConnection) -> None:
    """Le prochain envoi (les en-têtes) attend le suivant (le corps)."""
    if isinstance(connexion, _EnvoiGroupe):
        connexion._retenir = True
        connexion._retenu = b""


def _attente(delai: float | None) -> float:
    return -1 if delai is None else delai


def _encore_valable(
    connexion: http.client.HTTPConnection,
    depuis: float,
    maintenant: float,
    expiration: float | None,
) -> bool:
    """Vrai si la connexion inactive peut resservir : ni expirée, ni fermée par le serveur
    (une connexion inactive lisible a reçu une fin de flux ou des octets inattendus)."""
    sock = connexion.sock
    if sock is None or (expiration is not None and maintenant - depuis > expiration):
        return False
    try:
        sondage = select.poll()
        sondage.register(sock, select.POLLIN)
        return not sondage.poll(0)
    except (OSError, ValueError):
        return False
