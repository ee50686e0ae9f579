"""Clés et jetons : `GET v2/cfakeyinfo` (validité d'une clé) et `POST oauth/token`
(jeton OAuth2 client credentials d'un logiciel)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.opco.corps import lire_corps
from apicfa.opco.documentation import ENTETES
from apicfa.opco.ecriture import reponse_json
from apicfa.opco.erreurs import Erreur, ErreurApi, erreur
from apicfa.opco.formats import ecrire_date
from apicfa.opco.identite import profil_de, services_de, verifier_entetes_logiciel
from apicfa.portail.logiciels import Jeton, emettre_jeton

routeur = APIRouter(tags=["clés"])


@routeur.get(
    "/{opco}/v2/cfakeyinfo",
    summary="Validité d'une clé d'API pour un SIREN : ?siren=&XAPIKEY=",
    openapi_extra={
        "parameters": [
            *ENTETES[1:],
            {"name": "siren", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "XAPIKEY", "in": "query", "schema": {"type": "string"}},
        ]
    },
)
async def cfakeyinfo(request: Request, opco: str) -> Response:
    profil = profil_de(request, opco)
    verifier_entetes_logiciel(request)
    services = services_de(request)
    siren = request.query_params.get("siren", "").replace(" ", "")
    cle = request.query_params.get("XAPIKEY") or request.headers.get("x-api-key", "")
    if not siren:
        raise erreur(400, "PARAMETRE_MANQUANT", "Le paramètre siren est obligatoire.", "siren")
    if not cle:
        raise erreur(
            400, "PARAMETRE_MANQUANT", "La clé à vérifier (XAPIKEY) est absente.", "XAPIKEY"
        )
    valide = await services.cle(cle)
    if valide is None or valide.opco != opco:
        return reponse_json(
            {
                "status": "error",
                "dateFinValidite": None,
                "comment": f"Clé inconnue, révoquée ou expirée pour {profil.nom}.",
            }
        )
    request.state.cfa_id = valide.cfa_id
    if valide.siret[:9] != siren:
        return reponse_json(
            {
                "status": "error",
                "dateFinValidite": None,
                "comment": f"Cette clé n'appartient pas au SIREN {siren}.",
            }
        )
    return reponse_json(
        {
            "status": "success",
            "dateFinValidite": ecrire_date(valide.date_fin_validite, "date"),
            "comment": "Clé valide"
            + (" sans date de fin." if valide.date_fin_validite is None else "."),
        }
    )


@routeur.post(
    "/{opco}/oauth/token",
    summary="Jeton OAuth2 (client credentials) d'un logiciel pour cette OPCO",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["grant_type", "client_id", "client_secret"],
                        "properties": {
                            "grant_type": {"type": "string", "example": "client_credentials"},
                            "client_id": {"type": "string"},
                            "client_secret": {"type": "string"},
                            "scope": {"type": "string", "example": "api.read api.write"},
                        },
                    }
                }
            },
        }
    },
)
async def jeton(request: Request, opco: str) -> Response:
    profil_de(request, opco)
    services = services_de(request)
    from urllib.parse import parse_qs

    corps = await lire_corps(request, 64 * 1024)
    champs = {k: v[0] for k, v in parse_qs(corps.decode("utf-8", "replace")).items()}
    manquants = [c for c in ("grant_type", "client_id", "client_secret") if not champs.get(c)]
    if manquants:
        raise ErreurApi(
            400,
            [Erreur("CHAMP_OBLIGATOIRE", f"Le champ {c} est obligatoire.", c) for c in manquants],
        )
    if champs["grant_type"] != "client_credentials":
        raise erreur(
            400,
            "GRANT_TYPE_NON_SUPPORTE",
            "Seul grant_type=client_credentials est admis.",
            "grant_type",
        )
    maintenant = services.horloge()

    def travail(session: object) -> Jeton | None:
        return emettre_jeton(
            session,  # type: ignore[arg-type]
            opco,
            champs["client_id"],
            champs["client_secret"],
            maintenant,
        )

    emis = await services.ecrivain.executer(travail)
    if emis is None:
        raise erreur(
            401,
            "IDENTIFIANTS_INVALIDES",
            "client_id ou client_secret invalide, ou logiciel non autorisé pour cette OPCO.",
            "client_id",
            {"WWW-Authenticate": "Bearer"},
        )
    return reponse_json(
        {"access_token": emis.access_token, "token_type": "Bearer", "expires_in": emis.expires_in}
    )
