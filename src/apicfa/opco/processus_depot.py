"""Le processus de dépôt : validation, écriture durable et instruction des dépôts, hors du
processus HTTP.

Pourquoi : un processus Python n'exécute qu'un fil à la fois (GIL). Servir le HTTP, valider le
cerfa, écrire en base et instruire dans le même processus plafonne le dépôt à un cœur. Avec
`apicfa serveur`, chaque processus HTTP lance son processus de dépôt (`ProcessusDepot`) et lui
confie les `POST /{opco}/v1|v2/dossiers` par une socket Unix (`opco.depot_distant`) ; l'autre
cœur de la machine fait le reste. L'instruction automatique tourne alors dans le processus de
dépôt, qui a déjà le cerfa décodé de chaque dossier (`ConstatsDepot`).

Vie du processus :
- lancé par le processus HTTP au démarrage de l'application (`python -m
  apicfa.opco.processus_depot SOCKET`, base et profils par `APICFA_BASE` / `APICFA_PROFILS`) ;
  relancé s'il meurt ; arrêté (SIGTERM) à l'arrêt de l'application ;
- si le processus HTTP disparaît (même par SIGKILL), il finit les dépôts reçus, puis s'arrête :
  un dossier reçu est écrit en entier ou pas du tout, et aucun n'a été acquitté sans être écrit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apicfa.opco.depot_distant import ServeurDepot
from apicfa.opco.profils import VARIABLE_PROFILS
from apicfa.opco.services import Services
from apicfa.stockage.moteur import VARIABLE_BASE

journaliseur = logging.getLogger("apicfa.opco")

DEMARRAGE_MAX_S = 60.0
SURVEILLANCE_S = 0.5
PR_SET_PDEATHSIG = 1
VARIABLE_INSTRUCTION = "APICFA_INSTRUCTION_AUTO"
ARRET_MAX_S = 20.0


# --- dans le processus de dépôt ---------------------------------------------------------------


def _mourir_avec_le_parent() -> None:
    """Linux : recevoir SIGTERM quand le processus parent meurt (même tué par SIGKILL)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


async def servir(services: Services, chemin: str, parent: int | None = None) -> None:
    """Sert les dépôts sur la socket `chemin` jusqu'à SIGTERM ou la disparition de `parent`."""
    boucle = asyncio.get_running_loop()
    arret = asyncio.Event()
    boucle.add_signal_handler(signal.SIGTERM, arret.set)
    # Ctrl-C dans un terminal touche tout le groupe de processus : c'est le processus HTTP qui
    # décide de l'arrêt (il finit ses requêtes, puis envoie SIGTERM ici).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serveur = ServeurDepot(services)
    ecoute = await serveur.ecouter(chemin)
    instructeur = services.instructeur
    if instructeur is not None:
        instructeur.demarrer()  # reprend aussi les dossiers laissés TRANSMIS
        instructeur.signaler()
    try:
        while not arret.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SURVEILLANCE_S):
                    await arret.wait()
            if parent is not None and os.getppid() != parent:
                break
    finally:
        ecoute.close()
        try:
            await asyncio.wait_for(_finir(serveur, services), ARRET_MAX_S)
        except TimeoutError:
            # une transaction non validée est annulée par la base : rien de partiel ne reste
            journaliseur.error("processus de dépôt : arrêt forcé après %.0f s", ARRET_MAX_S)


async def _finir(serveur: ServeurDepot, services: Services) -> None:
    await serveur.terminer()
    if services.instructeur is not None:
        await services.instructeur.arreter()
    await services.ecrivain.arreter()
    services.fermer_bases()


def main(arguments: list[str] | None = None) -> None:
    from apicfa.opco.app import creer_services

    (chemin,) = arguments if arguments is not None else sys.argv[1:]
    _mourir_avec_le_parent()
    parent = os.getppid()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s : %(message)s")
    services = creer_services(
        os.environ.get(VARIABLE_BASE),
        os.environ.get(VARIABLE_PROFILS) or None,
        instruction_automatique=os.environ.get(VARIABLE_INSTRUCTION, "1") != "0",
    )
    asyncio.run(servir(services, chemin, parent))
    # un fil d'arrière-plan bloqué ne doit pas retenir le processus après l'arrêt
    logging.shutdown()
    os._exit(0)


# --- dans le processus HTTP --------------------------------------------------------------------


class ProcessusDepot:
    """Lance, surveille (relance s'il meurt) et arrête le processus de dépôt d'un processus HTTP."""

    def __init__(self, url: str, profils: str | None, instruction: bool = True) -> None:
        self.url = url
        self.profils = profils
        self.instruction = instruction
        self._dossier = Path(tempfile.mkdtemp(prefix="apicfa-depot-"))  # 0700
        self.chemin = str(self._dossier / "depot.sock")
        self._processus: subprocess.Popen[bytes] | None = None
        self._surveillance: asyncio.Task[None] | None = None
        self._arret = False

    def _lancer(self) -> subprocess.Popen[bytes]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.chemin)
        environnement = {**os.environ, VARIABLE_BASE: self.url}
        environnement.pop(VARIABLE_PROFILS, None)
        if self.profils:
            environnement[VARIABLE_PROFILS] = self.profils
        environnement[VARIABLE_INSTRUCTION] = "1" if self.instruction else "0"
        return subprocess.Popen(
            [sys.executable, "-m", "apicfa.opco.processus_depot", self.chemin],
            env=environnement,
        )

    def _pret(self) -> bool:
        with socket.socket(socket.AF_UNIX) as essai:
            try:
                essai.connect(self.chemin)
            except OSError:
                return False
            return True

    async def _attendre(self, processus: subprocess.Popen[bytes]) -> None:
        limite = time.monotonic() + DEMARRAGE_MAX_S
        while not self._pret():
            if processus.poll() is not None:
                raise RuntimeError(
                    f"le processus de dépôt s'est arrêté au démarrage (code {processus.returncode})"
                )
            if time.monotonic() > limite:
                processus.kill()
                raise RuntimeError(f"le processus de dépôt n'écoute pas après {DEMARRAGE_MAX_S} s")
            await asyncio.sleep(0.05)

    async def demarrer(self) -> None:
        self._processus = self._lancer()
        await self._attendre(self._processus)
        self._surveillance = asyncio.get_running_loop().create_task(self._surveiller())

    async def _surveiller(self) -> None:
        while not self._arret:
            await asyncio.sleep(SURVEILLANCE_S)
            processus = self._processus
            if self._arret or processus is None or processus.poll() is None:
                continue
            journaliseur.error(
                "le processus de dépôt s'est arrêté (code %s) : relance", processus.returncode
            )
            self._processus = self._lancer()
            with contextlib.suppress(RuntimeError):
                await self._attendre(self._processus)

    async def arreter(self) -> None:
        self._arret = True
        if self._surveillance is not None:
            self._surveillance.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._surveillance
        processus = self._processus
        if processus is not None and processus.poll() is None:
            processus.terminate()
            try:
                await asyncio.to_thread(processus.wait, 15)
            except subprocess.TimeoutExpired:
                processus.kill()
        shutil.rmtree(self._dossier, ignore_errors=True)


if __name__ == "__main__":
    main()
