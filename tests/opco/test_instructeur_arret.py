"""L'arrêt de l'instructeur se termine même si une annulation est perdue en route (Python 3.11 :
`asyncio.wait_for` peut en avaler une) : le drapeau d'arrêt arrête la boucle à son tour suivant."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from sqlalchemy.orm import sessionmaker

from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.instructeur import Instructeur
from apicfa.opco.profils import charger_profils
from apicfa.opco.referentiel_npec import CacheReferentiel
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.moteur import creer_moteur


def test_arret_malgre_une_annulation_perdue(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    ecrivain = Ecrivain(sessionmaker(moteur))
    instructeur = Instructeur(
        ecrivain, charger_profils(), CacheReferentiel(url_base), maintenant_utc, periode_s=0.05
    )
    passages = 0

    async def passage_qui_avale_l_annulation(*_: Any) -> int:
        nonlocal passages
        passages += 1
        with contextlib.suppress(asyncio.CancelledError):  # perdue, comme par wait_for
            await asyncio.sleep(0.2)
        return 0

    instructeur.instruire_en_attente = passage_qui_avale_l_annulation  # type: ignore[method-assign]

    async def scenario() -> float:
        instructeur.demarrer()
        instructeur.signaler()
        while passages == 0:
            await asyncio.sleep(0.01)
        debut = time.monotonic()
        await instructeur.arreter()
        await ecrivain.arreter()
        return time.monotonic() - debut

    async def borne() -> float:
        return await asyncio.wait_for(scenario(), 10)  # échoue (TimeoutError) au lieu de pendre

    duree = asyncio.run(borne())
    moteur.dispose()
    assert duree < 5, duree  # sans le drapeau : la boucle repartait et l'arrêt attendait
    assert passages == 1
