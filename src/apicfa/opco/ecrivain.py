"""Écrivain groupé : les écritures concurrentes sont validées ensemble (« group commit »).

Chaque requête qui écrit confie une fonction `travail(session)` à l'écrivain et attend. Un
fil unique prend tout ce qui attend (jusqu'à `taille_lot`), l'exécute dans UNE transaction et
la valide : une seule synchronisation disque pour tout le lot, et chaque réponse n'est rendue
qu'après la validation durable. Si le lot échoue (conflit d'unicité venu d'un autre processus…),
chaque travail est rejoué seul dans sa propre transaction.

Contrat d'un travail : il peut lever un REFUS (`ErreurApi`, objet introuvable ou d'un autre CFA,
transition refusée) seulement AVANT sa première écriture ; le lot continue alors sans lui.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.erreurs import ErreurApi
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee

journaliseur = logging.getLogger("apicfa.opco")

T = TypeVar("T")
Travail = Callable[[Session], Any]
ATTENTE_GROUPEMENT_S = 0.002
ESSAIS_SEUL = 3
ARRET_MAX_S = 10.0
# interblocage détecté, échec de sérialisation (PostgreSQL) : la transaction peut être rejouée
ETATS_A_REJOUER = frozenset({"40P01", "40001"})
REFUS: tuple[type[Exception], ...] = (
    ErreurApi,
    ObjetIntrouvable,
    ObjetAutreCfa,
    TransitionRefusee,
)


class _Arret:
    """Demande d'arrêt déposée dans la file : `attente` est servie quand tout ce qui la
    précède dans la file est écrit et servi."""

    __slots__ = ("attente",)

    def __init__(self, attente: asyncio.Future[None]) -> None:
        self.attente = attente


class Ecrivain:
    """Un fil à lui tire les travaux de sa file (`queue.SimpleQueue`, en C) et enchaîne les lots
    sans repasser par la boucle asyncio : seules les réponses y retournent, une fois par lot
    (`call_soon_threadsafe`), chacune sur la boucle de sa demande. Un seul fil : les lots se
    suivent, comme avant."""

    def __init__(self, fabrique: sessionmaker[Session], taille_lot: int = 128) -> None:
        self.fabrique = fabrique  # les sessions de ses transactions (lisible par l'instructeur)
        self._taille_lot = taille_lot
        self._entree: queue.SimpleQueue[tuple[Travail, asyncio.Future[Any]] | _Arret] = (
            queue.SimpleQueue()
        )
        # `_actif` et la file sont lus ensemble sous ce verrou : un travail déposé pendant que le
        # fil s'arrête est soit vu par lui, soit servi par le fil que son dépôt relance.
        self._verrou = threading.Lock()
        # Un seul lot à la fois, qu'il soit exécuté par le fil de l'écrivain ou sur place
        # (`executer_ici`) : jamais deux transactions d'écriture du même processus en même
        # temps (la seconde attendrait en dormant le verrou de la base sous SQLite, ceux des
        # compteurs de numéros sous PostgreSQL).
        self._verrou_lot = threading.Lock()
        self._actif = False
        self._fil: threading.Thread | None = None

    async def executer(self, travail: Callable[[Session], T]) -> T:
        attente: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        with self._verrou:
            fil = self._fil
            # un fil mort sans s'être arrêté (erreur imprévue hors d'un lot) est remplacé
            if not self._actif or fil is None or not fil.is_alive():
                self._actif = True
                self._fil = fil = threading.Thread(
                    target=self._boucle, name="apicfa-ecrivain", daemon=True
                )
                fil.start()
            self._entree.put((travail, attente))
        return await attente

    async def arreter(self, delai_s: float = ARRET_MAX_S) -> None:
        """Les travaux déjà reçus sont écrits et leurs réponses servies, puis le fil s'arrête
        (un travail reçu ensuite le relance). Attente bornée à `delai_s` : au-delà, un lot
        bloqué (base injoignable…) est laissé à son fil, sa transaction non validée."""
        attente: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        with self._verrou:
            if not self._actif:
                return
            self._entree.put(_Arret(attente))
        try:
            async with asyncio.timeout(delai_s):
                await attente
        except TimeoutError:
            journaliseur.error("écrivain : arrêt non terminé après %.0f s", delai_s)

    def _servir_arret(self, arret: _Arret) -> bool:
        """Vrai si le fil doit s'arrêter : rien n'est arrivé après la demande d'arrêt. Décidé
        avant de servir l'arrêt : à son retour, `arreter` trouve l'écrivain déjà inactif."""
        with self._verrou:
            fin = self._entree.empty()
            if fin:
                self._actif = False
        _servir_de_loin(arret.attente.get_loop(), [(arret.attente, None)])
        return fin

    def _boucle(self) -> None:
        entree = self._entree
        taille_lot = self._taille_lot
        precedent = 1
        while True:
            element = entree.get()
            if isinstance(element, _Arret):
                if self._servir_arret(element):
                    return
                continue
            lot = [element]
            if precedent > 1 and entree.qsize() < precedent // 2:
                # Des écritures concurrentes viennent d'être servies : leurs suivantes arrivent.
                # Attendre un instant (bien moins qu'une synchronisation disque) pour les valider
                # ensemble plutôt que d'alterner un gros lot et un lot d'une seule écriture.
                time.sleep(ATTENTE_GROUPEMENT_S)
            arret: _Arret | None = None
            while len(lot) < taille_lot:
                try:
                    element = entree.get_nowait()
                except queue.Empty:
                    break
                if isinstance(element, _Arret):
                    arret = element  # servie après ce lot, qui la précède
                    break
                lot.append(element)
            precedent = len(lot)
            try:
                resultats = self._executer_lot([travail for travail, _ in lot])
            except BaseException as panne:  # le fil doit survivre : chaque attente est servie
                resultats = [panne] * len(lot)
            boucles: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Any]]] = {}
            for (_, attente), resultat in zip(lot, resultats, strict=True):
                boucles.setdefault(attente.get_loop(), []).append((attente, resultat))
            for boucle, servis in boucles.items():
                _servir_de_loin(boucle, servis)
            if arret is not None and self._servir_arret(arret):
                return

    def executer_ici(self, travaux: list[Travail]) -> list[Any]:
        """Exécute `travaux` en un lot, dans le fil appelant et sans passer par la file : une
        transaction validée durablement avant le retour, un résultat ou un refus (exception)
        par travail, dans l'ordre, comme pour `executer`. Le fil appelant attend qu'un lot du
        fil de l'écrivain en cours soit fini.

        Pour un processus dont la boucle n'a rien d'autre à faire pendant l'écriture (le
        processus de dépôt) : pas de second fil qui dispute le GIL à la boucle à chaque appel à
        la base (docs/serveur.md, « Écriture sur place »)."""
        try:
            return self._executer_lot(travaux)
        except BaseException as panne:  # même contrat que le fil : chaque travail a sa réponse
            return [panne] * len(travaux)

    def _executer_lot(self, travaux: list[Travail]) -> list[Any]:
        with self._verrou_lot:
            return self._executer_lot_verrouille(travaux)

    def _executer_lot_verrouille(self, travaux: list[Travail]) -> list[Any]:
        if len(travaux) > 1:
            try:
                with self.fabrique() as session, session.begin():
                    return self._executer_ensemble(session, travaux)
            except Exception:
                pass  # on rejoue chaque travail seul ci-dessous
        return [self._executer_seul(travail) for travail in travaux]

    @staticmethod
    def _executer_ensemble(session: Session, travaux: list[Travail]) -> list[Any]:
        """Tous les travaux dans la transaction de `session` ; les travaux groupables d'une même
        famille (`TravailGroupable`) sont exécutés en une fois par leur `executer_groupe`."""
        resultats: list[Any] = [None] * len(travaux)
        familles: dict[Hashable, list[int]] = {}
        for indice, travail in enumerate(travaux):
            if isinstance(travail, TravailGroupable):
                familles.setdefault(travail.famille, []).append(indice)
                continue
            try:
                resultats[indice] = travail(session)
            except REFUS as refus:
                resultats[indice] = refus
        for indices in familles.values():
            groupe = [travaux[i] for i in indices]
            sortie = type(groupe[0]).executer_groupe(session, groupe)  # type: ignore[attr-defined]
            for indice, resultat in zip(indices, sortie, strict=True):
                resultats[indice] = resultat
        return resultats

    def _executer_seul(self, travail: Travail) -> Any:
        for essai in range(ESSAIS_SEUL):
            try:
                with self.fabrique() as session, session.begin():
                    return travail(session)
            except IntegrityError as conflit:
                # concurrence avec un autre processus (même clé, même empreinte) : on relit
                if essai == ESSAIS_SEUL - 1:
                    return conflit
            except OperationalError as echec:
                # PostgreSQL a choisi cette transaction pour rompre un interblocage avec un
                # autre processus (ou une sérialisation), ou la connexion était coupée (base
                # redémarrée : SQLAlchemy a invalidé la réserve, l'essai suivant en prend une
                # neuve) : rien n'est écrit, on la rejoue.
                rejouable = echec.connection_invalidated or _sqlstate(echec) in ETATS_A_REJOUER
                if not rejouable or essai == ESSAIS_SEUL - 1:
                    return echec
            except Exception as echec:
                return echec
        return None


def _sqlstate(echec: OperationalError) -> str | None:
    return getattr(echec.orig, "sqlstate", None)


class TravailGroupable(ABC):
    """Un travail que l'écrivain peut exécuter avec ses semblables en une seule fois.

    `famille` : les travaux de même famille sont groupés ; `executer_groupe(session, travaux)`
    rend un résultat par travail, dans l'ordre ; `__call__(session)` exécute le travail seul
    (rejeu après l'échec d'un lot)."""

    famille: Hashable

    def __call__(self, session: Session) -> Any:
        return type(self).executer_groupe(session, [self])[0]

    @classmethod
    @abstractmethod
    def executer_groupe(cls, session: Session, travaux: list[Any]) -> list[Any]:
        """Exécute tous les `travaux` (même famille) ; un résultat ou un refus par travail."""


def _servir_de_loin(boucle: asyncio.AbstractEventLoop, servis: list[tuple[Any, Any]]) -> None:
    with contextlib.suppress(RuntimeError):  # boucle fermée : plus personne n'attend
        boucle.call_soon_threadsafe(_servir, servis)


def _servir(servis: list[tuple[asyncio.Future[Any], Any]]) -> None:
    for attente, resultat in servis:
        if attente.done():  # demande annulée entre-temps
            continue
        if isinstance(resultat, BaseException):
            attente.set_exception(resultat)
        else:
            attente.set_result(resultat)
