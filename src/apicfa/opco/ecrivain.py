"""Écrivain groupé : les écritures concurrentes sont validées ensemble (« group commit »).

Chaque requête qui écrit confie une fonction `travail(session)` à l'écrivain et attend. Une
tâche unique prend tout ce qui attend (jusqu'à `taille_lot`), l'exécute dans UNE transaction et
la valide : une seule synchronisation disque pour tout le lot, et chaque réponse n'est rendue
qu'après la validation durable. Si le lot échoue (conflit d'unicité venu d'un autre processus…),
chaque travail est rejoué seul dans sa propre transaction.

Contrat d'un travail : il peut lever un REFUS (`ErreurApi`, objet introuvable ou d'un autre CFA,
transition refusée) seulement AVANT sa première écriture ; le lot continue alors sans lui.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.erreurs import ErreurApi
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee

T = TypeVar("T")
Travail = Callable[[Session], Any]
REFUS: tuple[type[Exception], ...] = (
    ErreurApi,
    ObjetIntrouvable,
    ObjetAutreCfa,
    TransitionRefusee,
)


class Ecrivain:
    def __init__(self, fabrique: sessionmaker[Session], taille_lot: int = 128) -> None:
        self._fabrique = fabrique
        self._taille_lot = taille_lot
        self._file: asyncio.Queue[tuple[Travail, asyncio.Future[Any]]] | None = None
        self._tache: asyncio.Task[None] | None = None

    def _demarrer(self) -> asyncio.Queue[tuple[Travail, asyncio.Future[Any]]]:
        if self._file is None or self._tache is None or self._tache.done():
            self._file = asyncio.Queue()
            self._tache = asyncio.get_running_loop().create_task(self._boucle())
        return self._file

    async def executer(self, travail: Callable[[Session], T]) -> T:
        file = self._demarrer()
        attente: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        await file.put((travail, attente))
        return await attente

    async def arreter(self) -> None:
        if self._tache is not None:
            self._tache.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._tache
            self._tache = None
            self._file = None

    async def _boucle(self) -> None:
        assert self._file is not None
        file = self._file
        while True:
            lot = [await file.get()]
            while len(lot) < self._taille_lot and not file.empty():
                lot.append(file.get_nowait())
            travaux = [t for t, _ in lot]
            try:
                resultats = await anyio.to_thread.run_sync(self._executer_lot, travaux)
            except BaseException as panne:  # la tâche doit survivre : chaque attente est servie
                resultats = [panne] * len(lot)
                if isinstance(panne, asyncio.CancelledError):
                    for _, attente in lot:
                        if not attente.done():
                            attente.set_exception(RuntimeError("écrivain arrêté"))
                    raise
            for (_, attente), resultat in zip(lot, resultats, strict=True):
                if attente.done():
                    continue
                if isinstance(resultat, BaseException):
                    attente.set_exception(resultat)
                else:
                    attente.set_result(resultat)

    def _executer_lot(self, travaux: list[Travail]) -> list[Any]:
        if len(travaux) > 1:
            resultats: list[Any] = []
            try:
                with self._fabrique() as session, session.begin():
                    for travail in travaux:
                        try:
                            resultats.append(travail(session))
                        except REFUS as refus:
                            resultats.append(refus)
                return resultats
            except Exception:
                pass  # on rejoue chaque travail seul ci-dessous
        return [self._executer_seul(travail) for travail in travaux]

    def _executer_seul(self, travail: Travail) -> Any:
        try:
            with self._fabrique() as session, session.begin():
                return travail(session)
        except Exception as echec:
            return echec
