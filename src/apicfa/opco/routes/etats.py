"""États des dossiers du CFA, page par page (`GET v1|v2/dossiers/etats`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.norme.etats import lire_etat_dossier
from apicfa.opco.documentation import documenter
from apicfa.opco.ecriture import reponse_json
from apicfa.opco.erreurs import Erreur, ErreurApi
from apicfa.opco.formats import lire_instant
from apicfa.opco.identite import identifier, services_de
from apicfa.opco.routes.pagination import lire_numero_page
from apicfa.opco.vues import ligne_etat
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["dossiers"])

PARAMETRES = [
    {"name": "numeroPage", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {
        "name": "etat",
        "in": "query",
        "description": "Extension apicfa : seulement les dossiers dans cet état.",
        "schema": {"type": "string"},
    },
    {
        "name": "modifieDepuis",
        "in": "query",
        "description": "Extension apicfa : modifiés à partir de cet instant (date ou date-heure).",
        "schema": {"type": "string"},
    },
]


def _filtres(request: Request) -> tuple[str | None, datetime | None]:
    erreurs: list[Erreur] = []
    etat: str | None = None
    depuis: datetime | None = None
    brut_etat = request.query_params.get("etat", "").strip()
    if brut_etat:
        try:
            etat = lire_etat_dossier(brut_etat).value
        except ValueError as cause:
            erreurs.append(Erreur("PARAMETRE_INVALIDE", str(cause), "etat"))
    brut_depuis = request.query_params.get("modifieDepuis", "").strip()
    if brut_depuis:
        depuis = lire_instant(brut_depuis)
        if depuis is None:
            erreurs.append(
                Erreur(
                    "PARAMETRE_INVALIDE",
                    f"modifieDepuis « {brut_depuis[:40]} » n'est ni une date AAAA-MM-JJ ni une "
                    "date-heure ISO 8601.",
                    "modifieDepuis",
                )
            )
    if erreurs:
        raise ErreurApi(400, erreurs)
    return etat, depuis


for _version in (1, 2):

    def _route(version: int) -> None:
        @routeur.get(
            f"/{{opco}}/v{version}/dossiers/etats",
            summary=f"États des dossiers du CFA, 100 par page (v{version})",
            openapi_extra={"parameters": [*documenter()["parameters"], *PARAMETRES]},
            name=f"etats_v{version}",
        )
        async def etats(request: Request, opco: str) -> Response:
            appelant = await identifier(request, opco, f"dossiers_v{version}")
            page = lire_numero_page(request)
            etat, depuis = _filtres(request)

            def lire(session: Any) -> dict[str, Any]:
                resultat = EspaceCfa(session, opco, appelant.cfa_id).page_etats(page, etat, depuis)
                lignes = [ligne_etat(ligne, appelant.profil) for ligne in resultat.lignes]
                return {
                    "total": resultat.total,
                    "count": len(lignes),
                    "page": page,
                    "EtatDossierResult": lignes,
                }

            return reponse_json(await services_de(request).lire(lire))

    _route(_version)
