"""Journal d'audit : une ligne par échange, écrite par lots à travers l'écrivain.

Ce qui est noté : heure, OPCO, CFA, EDITEUR/LOGICIEL/VERSION, méthode, route (gabarit, sans
paramètres), statut, identifiant de requête, empreinte SHA-256 du corps, durée. Jamais une clé,
un secret, un jeton ni un NIR : les paramètres de requête ne sont pas notés.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from apicfa.stockage.tables import Journal

if TYPE_CHECKING:
    from apicfa.opco.ecrivain import Ecrivain

journaliseur = logging.getLogger("apicfa.opco")

DELAI_VIDAGE_S = 0.2
_INSERER = Journal.__table__.insert()


class JournalAudit:
    def __init__(self, ecrivain: Ecrivain) -> None:
        self._ecrivain = ecrivain
        self._en_attente: list[dict[str, Any]] = []
        self._vidage: asyncio.Task[None] | None = None

    def noter(self, entree: dict[str, Any]) -> None:
        self._en_attente.append(entree)
        if self._vidage is None or self._vidage.done():
            self._vidage = asyncio.get_running_loop().create_task(self._vider_plus_tard())

    async def _vider_plus_tard(self) -> None:
        await asyncio.sleep(DELAI_VIDAGE_S)
        await self.vider()

    async def vider(self) -> None:
        while self._en_attente:
            lot, self._en_attente = self._en_attente, []
            try:
                await self._ecrivain.executer(
                    lambda session, lignes=lot: session.connection().execute(_INSERER, lignes)
                )
            except Exception as panne:
                journaliseur.error("journal d'audit non écrit (%d lignes) : %s", len(lot), panne)
