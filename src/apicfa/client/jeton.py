"""Jeton OAuth2 « client credentials », gardé en cache jusqu'à peu avant son expiration."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from apicfa.client.erreurs import ErreurAuthentification, erreur_pour_statut, lire_erreurs
from apicfa.client.reponses import deballer

MARGE_EXPIRATION_S = 30.0


@dataclass(frozen=True)
class IdentifiantsOAuth:
    """Identifiants du logiciel auprès du serveur de jetons de l'OPCO."""

    url_jeton: str
    client_id: str
    client_secret: str
    scope: str | None = None


class FournisseurJeton:
    """Obtient et garde le jeton ; `invalider()` force un nouveau jeton au prochain appel."""

    def __init__(
        self,
        identifiants: IdentifiantsOAuth,
        http: httpx.Client,
        *,
        horloge: Callable[[], float] = time.monotonic,
    ) -> None:
        self._identifiants = identifiants
        self._http = http
        self._horloge = horloge
        self._verrou = threading.Lock()
        self._jeton: str | None = None
        self._expire_a = 0.0

    def jeton(self) -> str:
        with self._verrou:
            if self._jeton is None or self._horloge() >= self._expire_a:
                self._obtenir()
            assert self._jeton is not None
            return self._jeton

    def invalider(self, jeton_refuse: str | None = None) -> None:
        with self._verrou:
            if jeton_refuse is None or jeton_refuse == self._jeton:
                self._jeton = None

    def _obtenir(self) -> None:
        formulaire = {
            "grant_type": "client_credentials",
            "client_id": self._identifiants.client_id,
            "client_secret": self._identifiants.client_secret,
        }
        if self._identifiants.scope:
            formulaire["scope"] = self._identifiants.scope
        try:
            reponse = self._http.post(self._identifiants.url_jeton, data=formulaire)
        except httpx.HTTPError as exc:
            raise ErreurAuthentification(
                f"Serveur de jetons OAuth injoignable ({self._identifiants.url_jeton}) : "
                f"{type(exc).__name__}"
            ) from exc
        try:
            corps = deballer(reponse.json())
        except ValueError:
            corps = None
        if reponse.status_code != 200:
            if reponse.status_code in (400, 401, 403):
                raise ErreurAuthentification(
                    f"Jeton OAuth refusé ({reponse.status_code}) : vérifiez client_id et "
                    "client_secret",
                    statut=reponse.status_code,
                    erreurs=lire_erreurs(corps),
                )
            raise erreur_pour_statut(reponse.status_code, corps)
        if not isinstance(corps, dict) or not corps.get("access_token"):
            raise ErreurAuthentification("Réponse du serveur de jetons sans access_token")
        duree = float(corps.get("expires_in") or 300)
        self._jeton = str(corps["access_token"])
        self._expire_a = self._horloge() + max(0.0, duree - MARGE_EXPIRATION_S)
