"""Le dépôt servi par un autre processus : trames, serveur et client sur une socket Unix.

Le processus HTTP (uvicorn) identifie l'appelant, lit le corps dans sa limite, calcule son
empreinte, puis confie une `DemandeDepot` au processus de dépôt, qui la traite (validation,
instruction, écriture durable : `depot_noyau`) et rend la réponse ; les dépôts sans clé d'un
même tour de boucle sont écrits ensemble sur place (`ServeurDepot`).
Le processus HTTP ne répond 200 qu'après la réponse du processus de dépôt, elle-même envoyée
après la validation durable du lot : la promesse « un 200 = un dossier écrit » ne change pas.

Trames : 4 octets (longueur, gros-boutiste) puis un tuple `marshal` de types simples.
- demande : (numéro, opco, version, cfa_id, corps, empreinte_corps, en-tête Idempotency-Key) ;
- réponse : (numéro, statut, corps, en-têtes supplémentaires) ; statut 0 = panne du traitement
  (le processus HTTP répond alors 500, comme pour toute erreur interne).
`marshal` ne lit que des octets venus de ce même programme : la socket est créée dans un dossier
privé (0700) par le processus HTTP lui-même.
"""

from __future__ import annotations

import asyncio
import logging
import marshal
import struct
import traceback
from collections.abc import Callable
from itertools import count
from typing import Any

from apicfa.opco.chemin_direct import reponse_exception
from apicfa.opco.depot_noyau import DemandeDepot, DepotPrepare, preparer_sans_cle, traiter_depot
from apicfa.opco.erreurs import erreur
from apicfa.opco.services import Services

journaliseur = logging.getLogger("apicfa.opco")

_TETE = struct.Struct("!I")
ENTETES_DE_REPONSE = (b"content-length", b"content-type")
ATTENTE_CONNEXION_S = 10.0


def trame(objet: tuple[Any, ...]) -> bytes:
    charge = marshal.dumps(objet)
    return _TETE.pack(len(charge)) + charge


class _Trames(asyncio.Protocol):
    """Découpe le flux reçu en trames et appelle `recevoir(objet)` pour chacune ; `envoyer`
    regroupe les trames produites dans un même tour de boucle en une seule écriture (un lot de
    l'écrivain rend ses réponses ensemble : un appel système au lieu d'un par dépôt)."""

    def __init__(self, recevoir: Callable[[Any], None]) -> None:
        self.transport: asyncio.Transport | None = None
        self.recevoir = recevoir
        self._tampon = bytearray()
        self._sortie: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, donnees: bytes) -> None:
        tampon = self._tampon
        tampon += donnees
        debut = 0
        while len(tampon) - debut >= 4:
            (taille,) = _TETE.unpack_from(tampon, debut)
            fin = debut + 4 + taille
            if len(tampon) < fin:
                break
            self.recevoir(marshal.loads(tampon[debut + 4 : fin]))
            debut = fin
        if debut:
            del tampon[:debut]

    def envoyer(self, objet: tuple[Any, ...]) -> None:
        if not self._sortie:
            asyncio.get_running_loop().call_soon(self._vider)
        self._sortie.append(trame(objet))

    def _vider(self) -> None:
        sortie, self._sortie = self._sortie, []
        transport = self.transport
        if transport is not None and not transport.is_closing():
            transport.write(b"".join(sortie))


# --- côté processus de dépôt ------------------------------------------------------------------


class ServeurDepot:
    """Sert les demandes de dépôt reçues sur une socket Unix avec les `services` du processus.

    Écriture sur place (`sur_place`, par défaut) : les dépôts sans `Idempotency-Key` reçus dans
    un même tour de boucle sont préparés (décodage, validation, décision) puis écrits ensemble
    par `Ecrivain.executer_ici`, dans le fil de la boucle, en une transaction ; leurs réponses
    partent après la validation durable. Pendant ce temps, les trames suivantes s'accumulent
    dans la socket : elles feront le lot suivant. Aucun second fil ne dispute le GIL à la boucle
    (docs/serveur.md, « Écriture sur place »). Les dépôts avec clé passent par le fil de
    l'écrivain (une tâche chacun) ; `sur_place=False` y envoie tous les dépôts."""

    def __init__(self, services: Services, sur_place: bool = True) -> None:
        self.services = services
        self.sur_place = sur_place
        self.en_cours: set[asyncio.Task[None]] = set()
        self._lot: list[tuple[_Trames, int, DemandeDepot]] = []

    def recevoir(self, protocole: _Trames, objet: tuple[Any, ...]) -> None:
        numero, *champs = objet
        demande = DemandeDepot(*champs)
        # Un en-tête Idempotency-Key présent, même blanc ou trop long, passe par une tâche :
        # `traiter_depot` le lit par `lire_cle` (et rend le refus d'une clé trop longue).
        if self.sur_place and not demande.entete_idempotence:
            if not self._lot:
                asyncio.get_running_loop().call_soon(self.traiter_lot)
            self._lot.append((protocole, numero, demande))
            return
        tache = asyncio.get_running_loop().create_task(self.repondre(protocole, numero, demande))
        self.en_cours.add(tache)
        tache.add_done_callback(self.en_cours.discard)

    def traiter_lot(self) -> None:
        """Prépare, écrit sur place et sert les dépôts sans clé reçus depuis le dernier lot."""
        lot, self._lot = self._lot, []
        prets: list[tuple[_Trames, int, str, DepotPrepare]] = []
        for protocole, numero, demande in lot:
            try:
                prets.append(
                    (protocole, numero, demande.opco, preparer_sans_cle(self.services, demande))
                )
            except Exception as refus:
                protocole.envoyer(self._reponse_erreur(numero, demande.opco, refus))
        if not prets:
            return
        resultats = self.services.ecrivain.executer_ici([prepare.travail for *_, prepare in prets])
        a_instruire = False
        for (protocole, numero, opco, prepare), resultat in zip(prets, resultats, strict=True):
            if isinstance(resultat, BaseException):
                protocole.envoyer(self._reponse_erreur(numero, opco, resultat))
                continue
            statut, corps = resultat
            protocole.envoyer((numero, statut, corps, ()))
            a_instruire = a_instruire or prepare.a_instruire
        if a_instruire:
            self.services.signaler_depot()

    async def ecouter(self, chemin: str) -> asyncio.Server:
        boucle = asyncio.get_running_loop()
        return await boucle.create_unix_server(lambda: _ProtocoleServeur(self), path=chemin)

    async def terminer(self) -> None:
        """Attend la fin des dépôts reçus (ils seront écrits et leur réponse envoyée)."""
        if self._lot:
            self.traiter_lot()
        while self.en_cours:
            await asyncio.gather(*self.en_cours, return_exceptions=True)

    async def repondre(self, protocole: _Trames, numero: int, demande: DemandeDepot) -> None:
        try:
            statut, corps = await traiter_depot(self.services, demande)
            reponse: tuple[Any, ...] = (numero, statut, corps, ())
        except Exception as exc:
            reponse = self._reponse_erreur(numero, demande.opco, exc)
        protocole.envoyer(reponse)

    def _reponse_erreur(self, numero: int, opco: str, exc: BaseException) -> tuple[Any, ...]:
        """La trame de réponse d'un refus (statut et corps de l'API) ou d'une panne (statut 0,
        journalisée sans message : il peut citer des données du dossier)."""
        connue = reponse_exception(exc, self.services, opco) if isinstance(exc, Exception) else None
        if connue is None:
            journaliseur.error(
                "erreur interne du processus de dépôt : %s à %s",
                type(exc).__name__,
                " ← ".join(
                    f"{cadre.filename}:{cadre.lineno} {cadre.name}"
                    for cadre in reversed(traceback.extract_tb(exc.__traceback__))
                ),
            )
            return (numero, 0, b"", ())
        entetes = tuple(
            (nom, valeur) for nom, valeur in connue.raw_headers if nom not in ENTETES_DE_REPONSE
        )
        return (numero, connue.status_code, bytes(connue.body), entetes)


class _ProtocoleServeur(_Trames):
    def __init__(self, serveur: ServeurDepot) -> None:
        super().__init__(self._demande)
        self.serveur = serveur

    def _demande(self, objet: Any) -> None:
        self.serveur.recevoir(self, objet)


# --- côté processus HTTP ----------------------------------------------------------------------


class PanneDepot(RuntimeError):
    """Le processus de dépôt a échoué sur une demande (erreur interne, déjà journalisée)."""


class _ProtocoleClient(_Trames):
    def __init__(self, attentes: dict[int, asyncio.Future[Any]]) -> None:
        super().__init__(self._reponse)
        self.attentes = attentes
        self.perdue = False

    def _reponse(self, objet: Any) -> None:
        attente = self.attentes.pop(objet[0], None)
        if attente is not None and not attente.done():
            attente.set_result(objet)

    def connection_lost(self, exc: Exception | None) -> None:
        self.perdue = True
        attentes = list(self.attentes.values())
        self.attentes.clear()
        for attente in attentes:
            if not attente.done():
                attente.set_exception(ConnectionError("processus de dépôt injoignable"))


def _indisponible() -> Exception:
    return erreur(
        503,
        "DEPOT_INDISPONIBLE",
        "Le service de dépôt ne répond pas pour le moment ; réessayez (avec la même "
        "Idempotency-Key) : un dossier déjà écrit n'est jamais créé deux fois.",
    )


class ClientDepot:
    """Confie les dépôts au processus de dépôt qui écoute sur `chemin` (une connexion partagée)."""

    def __init__(self, chemin: str, attente_connexion_s: float = ATTENTE_CONNEXION_S) -> None:
        self.chemin = chemin
        self.attente_connexion_s = attente_connexion_s
        self._protocole: _ProtocoleClient | None = None
        self._connexion: asyncio.Lock | None = None
        self._attentes: dict[int, asyncio.Future[Any]] = {}
        self._numeros = count()

    async def _ouvrir(self) -> _ProtocoleClient:
        protocole = self._protocole
        if protocole is not None and not protocole.perdue:
            return protocole
        if self._connexion is None:
            self._connexion = asyncio.Lock()
        async with self._connexion:
            protocole = self._protocole
            if protocole is not None and not protocole.perdue:
                return protocole
            boucle = asyncio.get_running_loop()
            limite = boucle.time() + self.attente_connexion_s
            while True:
                try:
                    _, protocole = await boucle.create_unix_connection(
                        lambda: _ProtocoleClient(self._attentes), self.chemin
                    )
                    break
                except OSError:
                    # le processus de dépôt (re)démarre : il écoute d'ordinaire en 1 à 2 s
                    if boucle.time() >= limite:
                        raise _indisponible() from None
                    await asyncio.sleep(0.05)
            self._protocole = protocole
            return protocole

    async def deposer(self, demande: DemandeDepot) -> tuple[int, bytes, tuple[Any, ...]]:
        """(statut, corps, en-têtes supplémentaires) de la réponse au dépôt."""
        protocole = await self._ouvrir()
        numero = next(self._numeros)
        attente: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._attentes[numero] = attente
        protocole.envoyer((numero, *demande.en_tuple()))
        try:
            _, statut, corps, entetes = await attente
        except ConnectionError:
            raise _indisponible() from None
        finally:
            self._attentes.pop(numero, None)
        if statut == 0:
            raise PanneDepot("le processus de dépôt n'a pas pu traiter la demande")
        return statut, corps, entetes

    def fermer(self) -> None:
        """À l'arrêt de l'application : la connexion appartient à sa boucle d'événements ; un
        redémarrage (nouvelle boucle) en ouvrira une neuve."""
        self._connexion = None
        if self._protocole is not None and self._protocole.transport is not None:
            self._protocole.transport.close()
        self._protocole = None
