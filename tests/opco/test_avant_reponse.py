"""Raccourcis du processus HTTP (issue #3, session 4) comparés à ce qu'ils remplacent, sur des
cas générés : la réponse du dépôt (`ReponseDepotJson`, envoyée par `Echange.repondre`) contre
`Response` de Starlette passée par l'`Intergiciel` ; `services_de` contre `app.state.services`."""

from __future__ import annotations

import asyncio
import random
import string
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response

from apicfa.opco.identite import services_de
from apicfa.opco.intergiciel import Echange
from apicfa.opco.routes.dossiers import ReponseDepotJson

STATUTS = [100, 199, 200, 201, 204, 304, 400, 403, 409, 413, 422, 429, 500, 503]
NOMS = [b"retry-after", b"www-authenticate", b"content-type", b"content-length", b"x-autre"]


def _cas(graine: int) -> tuple[int, bytes, tuple[tuple[bytes, bytes], ...]]:
    hasard = random.Random(graine)
    corps = hasard.choice([b"", b"{}", hasard.randbytes(hasard.randrange(1, 3000))])
    entetes: tuple[tuple[bytes, bytes], ...] = ()
    if hasard.random() < 0.4:
        entetes = tuple(
            (
                hasard.choice(NOMS),
                "".join(hasard.choice(string.printable.strip() + "é") for _ in range(5)).encode(
                    "latin-1"
                ),
            )
            for _ in range(hasard.randrange(1, 4))
        )
    return hasard.choice(STATUTS), corps, entetes


def _reference(statut: int, corps: bytes, entetes: tuple[tuple[bytes, bytes], ...]) -> Response:
    """Ce que rendait `deposer_dossier` avant (chemin local : sans `headers`)."""
    if not entetes:
        return Response(corps, status_code=statut, media_type="application/json")
    return Response(
        corps,
        status_code=statut,
        media_type="application/json",
        headers={nom.decode("latin-1"): valeur.decode("latin-1") for nom, valeur in entetes},
    )


async def _messages(reponse: Response, par_echange: bool) -> tuple[list[Any], Echange | None]:
    envoyes: list[Any] = []

    async def send(message: dict[str, Any]) -> None:
        envoyes.append(message)

    scope = {"type": "http", "method": "POST", "path": "/atlas/v2/dossiers", "headers": []}
    if not par_echange:
        await reponse(scope, None, send)
        return envoyes, None
    tache = asyncio.current_task()
    assert tache is not None
    echange = Echange(tache, 0.0, send, "identifiant-de-requete")
    await reponse(scope, None, echange)
    return envoyes, echange


@pytest.mark.parametrize("graine", range(400))
def test_reponse_depot_comme_response_de_starlette(graine: int) -> None:
    statut, corps, entetes = _cas(graine)
    reference, nouvelle = (
        _reference(statut, corps, entetes),
        ReponseDepotJson(statut, corps, entetes),
    )
    assert nouvelle.status_code == reference.status_code
    assert nouvelle.body == reference.body and nouvelle.background is reference.background is None
    assert nouvelle.raw_headers == reference.raw_headers  # mêmes en-têtes, même ordre
    assert nouvelle.media_type == reference.media_type and nouvelle.charset == reference.charset
    for par_echange in (False, True):
        attendus, echange_ref = asyncio.run(_messages(reference, par_echange))
        obtenus, echange = asyncio.run(_messages(nouvelle, par_echange))
        assert obtenus == attendus  # mêmes messages ASGI, x-request-id compris
        if par_echange:
            assert echange is not None and echange_ref is not None
            assert (echange.statut, echange.demarree) == (echange_ref.statut, echange_ref.demarree)
    assert nouvelle.raw_headers == reference.raw_headers  # l'envoi ne les a pas modifiés


def test_reponse_depot_corps_non_octets_comme_response() -> None:
    for corps in (memoryview(b'{"a":1}'), '{"é":1}'):
        reference = Response(corps, status_code=200, media_type="application/json")
        nouvelle = ReponseDepotJson(200, corps)  # type: ignore[arg-type]
        assert (nouvelle.body, nouvelle.raw_headers) == (reference.body, reference.raw_headers)


def test_services_de_comme_l_etat_de_l_application() -> None:
    app = FastAPI()
    services = object()
    app.state.services = services
    requete = Request({"type": "http", "app": app, "headers": []})
    assert services_de(requete) is app.state.services is services
    app.state.services = autre = object()  # remplacé : lu à nouveau, rien n'est gardé
    assert services_de(requete) is autre
    # un état qui n'est pas un `State` de Starlette : lu par attribut
    ailleurs = SimpleNamespace(state=SimpleNamespace(services=services))
    assert services_de(Request({"type": "http", "app": ailleurs, "headers": []})) is services
    # absent : la même erreur qu'avant
    del app.state.services
    with pytest.raises(AttributeError) as attendue:
        _ = app.state.services
    with pytest.raises(AttributeError) as obtenue:
        services_de(requete)
    assert str(obtenue.value) == str(attendue.value)
