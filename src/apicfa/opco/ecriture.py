"""Le chemin commun des POST : idempotence, écrivain groupé, réponse JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from apicfa.opco.idempotence import ENTETE, avec_idempotence, lire_cle
from apicfa.opco.identite import Appelant, services_de
from apicfa.opco.services import Services
from apicfa.stockage.espace import EspaceCfa

Produire = Callable[[EspaceCfa, datetime], dict[str, Any]]


def reponse_json(contenu: Any, statut: int = 200) -> Response:
    return Response(orjson.dumps(contenu), status_code=statut, media_type="application/json")


def ecrire_travail(
    services: Services,
    opco: str,
    cfa_id: int,
    cle: str | None,
    route: str,
    empreinte_corps: str,
    produire: Produire,
) -> Callable[[Session], tuple[int, bytes]]:
    """Le travail d'écrivain d'un POST : `produire(espace, maintenant)` sous l'idempotence."""

    def travail(session: Session) -> tuple[int, bytes]:
        maintenant = services.horloge()
        espace = EspaceCfa(session, opco, cfa_id)
        return avec_idempotence(
            espace,
            cle,
            route,
            empreinte_corps,
            maintenant,
            lambda: (200, orjson.dumps(produire(espace, maintenant))),
        )

    return travail


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
    travail = ecrire_travail(
        services, appelant.opco, appelant.cfa_id, cle, route, empreinte_corps, produire
    )
    statut, corps = await services.ecrivain.executer(travail)
    return Response(corps, status_code=statut, media_type="application/json")
