"""L'instructeur du serveur : instruit les dossiers `TRANSMIS` juste après leur dépôt.

Une tâche de fond par processus serveur. Un dépôt validé la réveille (`signaler`) ; sans
signal elle regarde quand même toutes les `periode_s` secondes, ce qui reprend les dossiers
laissés `TRANSMIS` par un arrêt brutal et ceux déposés par un autre processus. Chaque passage
prend au plus `taille_lot` dossiers par `reserver_a_instruire` (sur PostgreSQL, `FOR UPDATE
SKIP LOCKED` : deux processus n'instruisent jamais le même dossier) et les instruit dans une
transaction de l'écrivain groupé : la décision est visible dès la validation. En retard (un lot
plein : d'autres dossiers attendent), les lots suivants du passage grossissent jusqu'à
`taille_lot_retard` : moins de transactions, donc moins de temps pris à l'écrivain que les
dépôts attendent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

import anyio.to_thread
from sqlalchemy.orm import Session

from apicfa.financement.npec import ReferentielNpec
from apicfa.instruction.delais import prechauffer
from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.instruction_auto import instruire_lot
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.referentiel_npec import CacheReferentiel
from apicfa.stockage.guichet import reserver_a_instruire

journaliseur = logging.getLogger("apicfa.opco")

TAILLE_LOT = 64
TAILLE_LOT_RETARD = 256
PERIODE_S = 1.0
ATTENTE_EN_CHARGE_S = 0.05


class Instructeur:
    def __init__(
        self,
        ecrivain: Ecrivain,
        profils: dict[str, ProfilOpco],
        referentiel: CacheReferentiel,
        horloge: Callable[[], datetime],
        *,
        taille_lot: int = TAILLE_LOT,
        taille_lot_retard: int = TAILLE_LOT_RETARD,
        periode_s: float = PERIODE_S,
        constats_depot: ConstatsDepot | None = None,
    ) -> None:
        self._ecrivain = ecrivain
        self._profils = profils
        self._referentiel = referentiel
        self._horloge = horloge
        self._taille_lot = taille_lot
        self._taille_lot_retard = max(taille_lot, taille_lot_retard)
        self._periode_s = periode_s
        self._constats_depot = constats_depot
        self._reveil: asyncio.Event | None = None
        self._tache: asyncio.Task[None] | None = None

    def demarrer(self) -> None:
        self._reveil = asyncio.Event()
        self._tache = asyncio.get_running_loop().create_task(self._boucle())

    def signaler(self) -> None:
        """Un dépôt vient d'être validé : instruire sans attendre la prochaine période."""
        if self._reveil is not None:
            self._reveil.set()

    async def arreter(self) -> None:
        if self._tache is not None:
            self._tache.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._tache
            self._tache = None

    async def _boucle(self) -> None:
        assert self._reveil is not None
        # Hors de l'écrivain : sinon les dépôts attendraient ce chargement (≈ 0,5 s). Par
        # `asyncio.to_thread` : un arrêt pendant le chargement annule aussitôt cette attente.
        try:
            await asyncio.to_thread(prechauffer, self._horloge().year)
        except Exception as panne:  # simple avance : la première instruction chargera
            journaliseur.warning("instructeur : préchargement échoué (%s)", type(panne).__name__)
        precedent = 0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reveil.wait(), timeout=self._periode_s)
            if precedent > 1:
                # En charge (le passage précédent a instruit plusieurs dossiers) : laisser
                # arriver les dépôts des 50 ms suivantes pour les instruire
                # dans la même transaction (moins de transactions, moins de temps pris à
                # l'écrivain que les dépôts attendent). À vide, aucune attente.
                await asyncio.sleep(ATTENTE_EN_CHARGE_S)
            self._reveil.clear()
            try:
                precedent = await self.instruire_en_attente()
            except asyncio.CancelledError:
                raise
            except Exception as panne:  # la tâche survit : on réessaiera à la période suivante
                journaliseur.error("instructeur : passage échoué (%s)", type(panne).__name__)

    async def instruire_en_attente(self) -> int:
        """Instruit tous les dossiers `TRANSMIS` (par lots) ; rend leur nombre."""
        total = 0
        taille = self._taille_lot
        while True:
            referentiel = self._referentiel.frais() or await anyio.to_thread.run_sync(
                self._referentiel.obtenir
            )
            nombre = await self._ecrivain.executer(
                partial(self._lot, referentiel=referentiel, taille=taille)
            )
            total += nombre
            if nombre < taille:
                return total
            taille = self._taille_lot_retard  # lot plein : du retard, prendre plus à la fois

    def _lot(self, session: Session, referentiel: ReferentielNpec, taille: int) -> int:
        dossiers = reserver_a_instruire(session, taille)
        if dossiers:
            instruire_lot(
                session,
                dossiers,
                self._profils,
                referentiel,
                self._horloge(),
                self._constats_depot,
            )
        return len(dossiers)
