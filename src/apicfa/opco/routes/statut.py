"""`GET /health` (prêt ?) et `GET /{opco}/v1/status` (santé et versions de l'API)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import Response

from apicfa.opco.ecriture import reponse_json
from apicfa.opco.identite import profil_de, services_de

routeur = APIRouter()


async def _base_repond(request: Request) -> bool:
    try:
        await services_de(request).lire(lambda session: session.execute(text("SELECT 1")))
        return True
    except Exception:
        return False


@routeur.get("/health", tags=["service"], summary="Le serveur est prêt")
async def sante(request: Request) -> Response:
    if await _base_repond(request):
        return reponse_json({"status": "ok"})
    return reponse_json({"status": "base injoignable"}, 503)


@routeur.get(
    "/{opco}/v1/status",
    tags=["service"],
    summary="État du service et versions de l'API offertes par cette OPCO",
)
async def statut_opco(request: Request, opco: str) -> Response:
    profil = profil_de(request, opco)
    versions = [v for v in ("1", "2") if profil.offre(f"dossiers_v{v}")] or ["1"]
    etat = "healthy" if await _base_repond(request) else "unhealthy"
    return reponse_json({"status": etat, "versions": versions}, 200 if etat == "healthy" else 503)
