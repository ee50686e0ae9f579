"""Un processus de dépôt « en fil » pour les tests : le même `ServeurDepot` que le processus de
dépôt (`opco.processus_depot`), servi par une boucle asyncio dans un fil du processus de test,
sur une socket Unix, avec des `Services` que le test règle (profils, horloge)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from apicfa.opco.depot_distant import ServeurDepot
from apicfa.opco.services import Services


@contextmanager
def depot_en_fil(services: Services, dossier: Path) -> Iterator[tuple[str, Callable[[], None]]]:
    """(chemin de la socket, fermeture) ; à la sortie, le serveur finit ses dépôts et s'arrête.

    La fermeture cesse d'écouter sur la socket (nouvelle connexion refusée : panne simulée)."""
    chemin = str(dossier / "depot.sock")
    boucle = asyncio.new_event_loop()
    pret = threading.Event()
    arret: asyncio.Event | None = None
    connexions: list[asyncio.Server] = []

    async def servir() -> None:
        nonlocal arret
        arret = asyncio.Event()
        serveur = ServeurDepot(services)
        ecoute = await serveur.ecouter(chemin)
        connexions.append(ecoute)
        pret.set()
        await arret.wait()
        ecoute.close()
        await serveur.terminer()
        await services.ecrivain.arreter()

    fil = threading.Thread(target=boucle.run_until_complete, args=(servir(),), daemon=True)
    fil.start()
    assert pret.wait(30), "le serveur de dépôt n'a pas démarré"

    def couper() -> None:
        def fermer() -> None:
            for ecoute in connexions:
                ecoute.close()

        boucle.call_soon_threadsafe(fermer)

    try:
        yield chemin, couper
    finally:
        assert arret is not None
        boucle.call_soon_threadsafe(arret.set)
        fil.join(30)
        boucle.close()
        services.fermer_bases()
