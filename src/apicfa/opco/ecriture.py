"""Le chemin commun des POST : idempotence, écrivain groupé, réponse JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from apicfa.opco.idempotence import ENTETE, avec_idempotence, lire_cle
from apicfa.opco.identite import Appelant, services_de
from apicfa.stockage.espace import EspaceCfa

Produire = Callable[[EspaceCfa, datetime], dict[str, Any]]


def reponse_json(contenu: Any, statut: int = 200) -> Response:
    return Response(orjson.dumps(contenu), status_code=statut, media_type="application/json")


async def ecrire(
    request: Request,
    appelant: Appelant,
    route: str,
    empreinte_corps: str,
    produire: Produire,
) -> Response:
    """Exécute `produire(espace, maintenant)` dans une transaction de l'écrivain groupé."""
    services = services_de(request)
    cle = lire_cle(request.headers.get(ENTETE))
    request.state.empreinte_corps = empreinte_corps

    def travail(session: Any) -> tuple[int, bytes]:
        maintenant = services.horloge()
        espace = EspaceCfa(session, appelant.opco, appelant.cfa_id)
        return avec_idempotence(
            espace,
            cle,
            route,
            empreinte_corps,
            maintenant,
            lambda: (200, orjson.dumps(produire(espace, maintenant))),
        )

    statut, corps = await services.ecrivain.executer(travail)
    return Response(corps, status_code=statut, media_type="application/json")
