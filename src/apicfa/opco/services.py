"""Ce que partagent les routes d'une application : base, profils, écrivain, journal, limites."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

import anyio.to_thread
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.instructeur import Instructeur
from apicfa.opco.journal import JournalAudit
from apicfa.opco.limites import LimiteurDebit
from apicfa.opco.profils import ProfilOpco
from apicfa.portail.comptes import CleValide, cle_valide

if TYPE_CHECKING:
    from apicfa.opco.depot_distant import ClientDepot

T = TypeVar("T")


def _maintenant_utc_avec_fuseau_retire() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


if sys.version_info < (3, 12):
    # Le même instant que `datetime.now(UTC).replace(tzinfo=None)` (même horloge système, même
    # arrondi à la microseconde, fuseau UTC sans décalage) en ≈ 0,1 µs au lieu de ≈ 1 µs
    # (`replace` par mot-clé) : l'horodatage du journal d'audit est pris à chaque requête.
    # Dépréciée à partir de Python 3.12 : là, la forme d'origine.
    _maintenant_utc = datetime.utcnow
else:  # pragma: no cover - selon la version de Python
    _maintenant_utc = _maintenant_utc_avec_fuseau_retire


def maintenant_utc() -> datetime:
    """L'horloge du serveur : UTC, sans fuseau (c'est ainsi que la base garde les instants)."""
    return _maintenant_utc()


@dataclass
class Services:
    url: str
    moteur: Engine
    fabrique: sessionmaker[Session]
    profils: dict[str, ProfilOpco]
    ecrivain: Ecrivain
    journal: JournalAudit
    limite_corps: int
    delai_requete_s: float
    duree_cache_cles_s: float
    # PostgreSQL : le moteur des transactions de l'écrivain, sans vérification des connexions
    # (`creer_services`) ; None : l'écrivain écrit par `moteur`
    moteur_ecriture: Engine | None = None
    horloge: Callable[[], datetime] = maintenant_utc
    limiteur: LimiteurDebit = field(default_factory=LimiteurDebit)
    _cles: dict[str, tuple[float, CleValide | None]] = field(default_factory=dict)
    _lectures_cles: dict[str, asyncio.Future[CleValide | None]] = field(default_factory=dict)
    instructeur: Instructeur | None = None
    constats_depot: ConstatsDepot = field(default_factory=ConstatsDepot)
    # Le processus de dépôt qui traite les dépôts de ce processus HTTP, s'il y en a un
    # (`opco.processus_depot`) ; sinon ils sont traités ici (`depot_noyau.traiter_depot`).
    depot_distant: ClientDepot | None = None

    def fermer_bases(self) -> None:
        """Ferme les connexions des moteurs (arrêt du processus, écrivain déjà arrêté)."""
        self.moteur.dispose()
        if self.moteur_ecriture is not None:
            self.moteur_ecriture.dispose()

    def signaler_depot(self) -> None:
        """Un dépôt est validé : réveiller l'instructeur (s'il tourne dans ce processus)."""
        if self.instructeur is not None:
            self.instructeur.signaler()

    async def lire(self, fonction: Callable[[Session], T]) -> T:
        """Exécute une lecture dans un fil, avec sa propre session."""

        def lecture() -> T:
            with self.fabrique() as session:
                return fonction(session)

        return await anyio.to_thread.run_sync(lecture)

    async def cle(self, cle: str) -> CleValide | None:
        """La clé valide (non révoquée, non expirée), avec un cache court par processus.

        Les requêtes simultanées d'une même clé partagent UNE lecture en base : à l'expiration
        du cache, 32 connexions d'un même CFA ne font pas 32 lectures (ni 32 connexions de
        débordement du pool). Une requête qui rejoint une lecture en cours reçoit son résultat
        (lu au plus quelques millisecondes avant elle : bien moins que le délai de 2 s admis
        pour une révocation).

        Le cache est indexé par la clé reçue elle-même (pas par son empreinte : pas de SHA-256
        par requête). C'est sûr : la clé est déjà en mémoire dans la requête (en-têtes du
        `scope`, tampons du serveur) ; le cache ne la garde pas plus longtemps que sa durée
        (les entrées échues sont retirées à chaque lecture en base), ne
        la journalise ni ne l'écrit jamais, et la base ne connaît toujours que son empreinte."""
        trouve = self._cles.get(cle)
        instant = time.monotonic()
        if trouve is not None and trouve[0] > instant:
            return trouve[1]
        en_cours = self._lectures_cles.get(cle)
        if en_cours is None:
            en_cours = asyncio.ensure_future(self._lire_cle(cle, instant))
            self._lectures_cles[cle] = en_cours
        return await asyncio.shield(en_cours)

    async def _lire_cle(self, cle: str, instant: float) -> CleValide | None:
        try:
            aujourd_hui = self.horloge().date()
            valide = await self.lire(lambda session: cle_valide(session, cle, aujourd_hui))
            # Les clés échues quittent le cache : rangées par ordre d'insertion, donc (à la durée
            # d'une lecture en base près) d'échéance, on les retire du début jusqu'à la
            # première encore valide.
            maintenant, echues = time.monotonic(), []
            for ancienne, (echeance, _) in self._cles.items():
                if echeance > maintenant:
                    break
                echues.append(ancienne)
            for ancienne in echues:
                del self._cles[ancienne]
            if self.duree_cache_cles_s > 0:
                if len(self._cles) > 100_000:
                    self._cles.clear()
                self._cles.pop(cle, None)  # réinsérée en dernier : l'ordre suit les échéances
                self._cles[cle] = (instant + self.duree_cache_cles_s, valide)
            return valide
        finally:
            self._lectures_cles.pop(cle, None)
