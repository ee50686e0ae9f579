"""Taille des corps (413) et délai maximal d'une requête (503)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opco_banc import Banc, dossier, ouvrir_banc


@pytest.fixture
def banc_petit(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base, limite_corps=4096)


def test_corps_trop_gros_413(banc_petit: Banc) -> None:
    envoye = dossier(17)
    envoye["cerfa"]["commentaireEtat"] = "x" * 5000
    reponse = banc_petit.client.post(
        "/atlas/v2/dossiers", json=envoye, headers=banc_petit.a.entetes()
    )
    assert reponse.status_code == 413
    assert reponse.json()["errors"][0]["code"] == "CORPS_TROP_VOLUMINEUX"


def test_corps_trop_gros_sans_content_length_413(banc_petit: Banc) -> None:
    def morceaux() -> Iterator[bytes]:
        for _ in range(10):
            yield b" " * 1000

    reponse = banc_petit.client.post(
        "/atlas/v2/dossiers", content=morceaux(), headers=banc_petit.a.entetes()
    )
    assert reponse.status_code == 413


def test_corps_sous_la_limite_accepte(banc_petit: Banc) -> None:
    reponse = banc_petit.client.post(
        "/atlas/v2/dossiers", json=dossier(18), headers=banc_petit.a.entetes()
    )
    assert reponse.status_code == 200


@pytest.fixture
def banc_lent(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base, delai_requete_s=0.05)


def test_delai_depasse_503(banc_lent: Banc, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    services = banc_lent.client.app.state.services  # type: ignore[attr-defined]
    lire = services.lire

    async def lire_lentement(fonction):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.2)
        return await lire(fonction)

    monkeypatch.setattr(services, "lire", lire_lentement)
    reponse = banc_lent.client.get("/atlas/v2/dossiers/etats", headers=banc_lent.a.entetes())
    assert reponse.status_code == 503
    assert reponse.json()["errors"][0]["code"] == "DELAI_DEPASSE"
