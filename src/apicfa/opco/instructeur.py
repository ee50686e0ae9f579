"""L'instructeur du serveur : décide au dépôt, et instruit les dossiers restés `TRANSMIS`.

`decider_au_depot` rend la décision d'un dossier en cours de dépôt, que l'écrivain groupé écrit
avec lui dans la transaction de son dépôt (docs/instruction.md, « Instruction au dépôt »).

Pour les autres, une tâche de fond par processus serveur. Un dépôt validé sans décision la
réveille (`signaler`) ; sans signal elle regarde quand même toutes les `periode_s` secondes, ce
qui reprend les dossiers laissés `TRANSMIS` par un arrêt brutal et ceux déposés par un autre
processus.

Chaque passage lit au plus `taille_lot` dossiers `TRANSMIS` SANS verrou (`lire_a_instruire`),
calcule leurs décisions dans un fil, HORS de l'écrivain groupé (`decider_lot`), puis confie à
l'écrivain une transaction courte qui retient, sous verrou, ceux qui sont encore `TRANSMIS` avec
la même convention (`retenir_a_instruire` ; sur PostgreSQL, `FOR UPDATE SKIP LOCKED` : deux
processus n'écrivent jamais la décision d'un même dossier) et n'écrit que leurs décisions. Les
dépôts n'attendent donc plus le calcul de l'instruction : seulement son écriture (mesuré
avant ce découpage : un lot d'instruction tenait l'écrivain ≈ 37 ms en charge, et les dépôts
du lot avec lui). En retard (un lot plein : d'autres dossiers attendent), les lots suivants du
passage grossissent jusqu'à `taille_lot_retard`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any

import anyio.to_thread
from sqlalchemy.orm import Session, sessionmaker

from apicfa.financement.npec import ReferentielNpec
from apicfa.instruction import ParametresInstruction
from apicfa.instruction.delais import prechauffer
from apicfa.norme.etats import EtatDossier
from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.instruction_auto import Decision, decider_lot, decider_un, ecrire_lot
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.referentiel_npec import CacheReferentiel
from apicfa.stockage.guichet import DossierAInstruire, lire_a_instruire, retenir_a_instruire

journaliseur = logging.getLogger("apicfa.opco")

TRANSMIS = EtatDossier.TRANSMIS.value
TAILLE_LOT = 64
TAILLE_LOT_RETARD = 256
PERIODE_S = 1.0
ATTENTE_EN_CHARGE_S = 0.05
ARRET_MAX_S = 15.0


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
        self._lecture: sessionmaker[Session] = ecrivain.fabrique
        self._profils = profils
        self._referentiel = referentiel
        self._horloge = horloge
        self._taille_lot = taille_lot
        self._taille_lot_retard = max(taille_lot, taille_lot_retard)
        self._periode_s = periode_s
        self._constats_depot = constats_depot
        self._reglages: dict[str, ParametresInstruction] = {}
        self._reveil: asyncio.Event | None = None
        self._tache: asyncio.Task[None] | None = None
        self._arret = False

    def demarrer(self) -> None:
        self._arret = False
        self._reveil = asyncio.Event()
        self._tache = asyncio.get_running_loop().create_task(self._boucle())

    def decider_au_depot(
        self,
        opco: str,
        cfa_id: int,
        donnees: dict[str, Any],
        constats: Sequence[Any],
        maintenant: datetime,
    ) -> Decision | None:
        """La décision d'un dossier en cours de dépôt (cerfa décodé et validé à `maintenant`),
        à écrire avec lui dans la transaction de son dépôt ; None quand le référentiel NPEC en
        mémoire n'est plus frais (le dossier sera déposé `TRANSMIS` et instruit par la boucle,
        qui relira le référentiel). Même décision que celle de la boucle pour ce dossier : il
        n'a encore ni convention ni numéro externe (les journaux disent « en cours de dépôt »)."""
        referentiel = self._referentiel.frais()
        if referentiel is None:
            return None
        dossier = DossierAInstruire(0, opco, cfa_id, "", TRANSMIS, b"", maintenant, None)
        return decider_un(dossier, donnees, constats, self._profils, referentiel, self._reglages)

    def signaler(self) -> None:
        """Un dépôt vient d'être validé : instruire sans attendre la prochaine période."""
        if self._reveil is not None:
            self._reveil.set()

    async def arreter(self) -> None:
        """Arrête la tâche (un passage en cours s'interrompt à sa prochaine attente).

        Le drapeau `_arret` s'ajoute à l'annulation : sous Python 3.11, une annulation peut être
        perdue (par exemple par `asyncio.wait_for` quand l'attente finit au même moment) ; la
        boucle s'arrête alors d'elle-même à son prochain tour, et l'attente est bornée."""
        tache = self._tache
        if tache is None:
            return
        self._arret = True
        if self._reveil is not None:
            self._reveil.set()
        tache.cancel()
        _, en_cours = await asyncio.wait({tache}, timeout=ARRET_MAX_S)
        if en_cours:
            journaliseur.error("instructeur : arrêt non terminé après %.0f s", ARRET_MAX_S)
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
        while not self._arret:
            # `asyncio.timeout` et non `asyncio.wait_for` : ce dernier peut avaler une annulation
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._periode_s):
                    await self._reveil.wait()
            if self._arret:
                return
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
        """Instruit tous les dossiers `TRANSMIS` (par lots) ; rend le nombre de décisions
        écrites."""
        total = 0
        taille = self._taille_lot
        while True:
            referentiel = self._referentiel.frais() or await anyio.to_thread.run_sync(
                self._referentiel.obtenir
            )
            lus, decisions = await anyio.to_thread.run_sync(
                partial(self._decider, referentiel=referentiel, taille=taille)
            )
            if not decisions:
                return total
            nombre = await self._ecrivain.executer(partial(self._ecrire, decisions=decisions))
            total += nombre
            if lus < taille or nombre == 0:
                # lot incomplet : plus rien n'attend ; rien retenu : un autre processus écrit
                # ces dossiers en ce moment, le passage suivant verra la suite
                return total
            taille = self._taille_lot_retard  # lot plein : du retard, prendre plus à la fois

    def _decider(self, referentiel: ReferentielNpec, taille: int) -> tuple[int, list[Decision]]:
        with self._lecture() as session:
            dossiers = lire_a_instruire(session, taille)
        return len(dossiers), decider_lot(
            dossiers, self._profils, referentiel, self._constats_depot
        )

    def _ecrire(self, session: Session, decisions: list[Decision]) -> int:
        retenus = retenir_a_instruire(session, [issue.dossier for issue, _ in decisions])
        if retenus:
            ecrire_lot(
                session,
                [decision for decision in decisions if decision[0].dossier.id in retenus],
                self._horloge(),
            )
        return len(retenus)
