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
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.erreurs import ErreurApi
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee

T = TypeVar("T")
Travail = Callable[[Session], Any]
ATTENTE_GROUPEMENT_S = 0.002
ESSAIS_SEUL = 3
# interblocage détecté, échec de sérialisation (PostgreSQL) : la transaction peut être rejouée
ETATS_A_REJOUER = frozenset({"40P01", "40001"})
REFUS: tuple[type[Exception], ...] = (
    ErreurApi,
    ObjetIntrouvable,
    ObjetAutreCfa,
    TransitionRefusee,
)


class Ecrivain:
    def __init__(self, fabrique: sessionmaker[Session], taille_lot: int = 128) -> None:
        self.fabrique = fabrique  # les sessions de ses transactions (lisible par l'instructeur)
        self._taille_lot = taille_lot
        self._file: asyncio.Queue[tuple[Travail, asyncio.Future[Any]]] | None = None
        self._tache: asyncio.Task[None] | None = None
        # Un fil à lui (file `SimpleQueue` en C) plutôt que la réserve d'anyio (file à
        # `Condition`, dont le réveil coûtait ≈ 5 % du processus de dépôt) ; un seul fil :
        # les lots se suivent, comme avant.
        self._fil = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apicfa-ecrivain")

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
        precedent = 1
        while True:
            lot = [await file.get()]
            if precedent > 1 and file.qsize() < precedent // 2:
                # Des écritures concurrentes viennent d'être servies : leurs suivantes arrivent.
                # Attendre un instant (bien moins qu'une synchronisation disque) pour les valider
                # ensemble plutôt que d'alterner un gros lot et un lot d'une seule écriture.
                await asyncio.sleep(ATTENTE_GROUPEMENT_S)
            while len(lot) < self._taille_lot and not file.empty():
                lot.append(file.get_nowait())
            precedent = len(lot)
            travaux = [t for t, _ in lot]
            try:
                resultats = await asyncio.get_running_loop().run_in_executor(
                    self._fil, self._executer_lot, travaux
                )
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
                # autre processus (ou une sérialisation) : rien n'est écrit, on la rejoue.
                if _sqlstate(echec) not in ETATS_A_REJOUER or essai == ESSAIS_SEUL - 1:
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
