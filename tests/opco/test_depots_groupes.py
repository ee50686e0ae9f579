"""Dépôts simultanés : écrits ensemble par l'écrivain groupé, sans doublon ni trou."""

from __future__ import annotations

import asyncio

import httpx
from opco_banc import creer_compte, dossier
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apicfa.opco.app import creer_app
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Dossier


def test_depots_simultanes_groupes_et_doublons_reconnus(url_base: str) -> None:
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    app = creer_app(url_base, duree_cache_cles_s=0)
    envois = [dossier(30 + i) for i in range(10)] * 2  # chaque dossier deux fois

    async def deposer_tout() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://opco") as client:
            reponses = await asyncio.gather(
                *(
                    client.post("/atlas/v2/dossiers", json=envoi, headers=cfa.entetes())
                    for envoi in envois
                )
            )
        await app.state.services.ecrivain.arreter()
        return list(reponses)

    reponses = asyncio.run(deposer_tout())
    app.state.services.fermer_bases()
    assert {r.status_code for r in reponses} == {200}
    corps = [r.json() for r in reponses]
    assert corps[:10] == corps[10:]
    externes = sorted(c["numeroExterne"] for c in corps[:10])
    assert externes == [f"ATL-{externes[0][4:8]}-{n:06d}" for n in range(1, 11)]
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 10
        rangs = session.scalars(select(Dossier.rang).order_by(Dossier.rang)).all()
    moteur.dispose()
    assert list(rangs) == list(range(1, 11))
