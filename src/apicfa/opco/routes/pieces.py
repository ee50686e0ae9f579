"""Ce que partagent les envois de pièces multipart : lecture, validation, fichier rangé."""

from __future__ import annotations

import hashlib
from datetime import date

import orjson
from starlette.requests import Request

from apicfa.opco.corps import EnvoiMultipart, lire_corps, lire_multipart
from apicfa.opco.identite import services_de
from apicfa.opco.validation import verifier


async def recevoir_piece(
    request: Request,
    partie: str,
    types_admis: tuple[str, ...] = ("application/pdf", "image/png", "image/jpeg"),
) -> tuple[EnvoiMultipart, str, date]:
    """L'envoi validé, son empreinte (JSON + SHA-256 du fichier, indépendante de la frontière
    multipart) et la date du jour du serveur."""
    services = services_de(request)
    corps = await lire_corps(request, services.limite_corps)
    envoi = await lire_multipart(request, corps, partie, types_admis)
    aujourd_hui = services.horloge().date()
    verifier(partie, envoi.donnees, aujourd_hui)
    empreinte = hashlib.sha256(
        orjson.dumps(envoi.donnees, option=orjson.OPT_SORT_KEYS) + envoi.fichier.sha256.encode()
    ).hexdigest()
    request.state.empreinte_corps = empreinte
    return envoi, empreinte, aujourd_hui


def texte(valeur: object) -> str | None:
    return None if valeur is None or str(valeur).strip() == "" else str(valeur).strip()
