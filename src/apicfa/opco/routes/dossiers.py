"""Dossiers : dépôt (`POST v1|v2/dossiers`), relecture avec la vue argent (`GET v1|v2/dossiers`),
liste courte (`GET v1/dossiers/liste`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.opco.corps import empreinte_corps, lire_corps
from apicfa.opco.depot_noyau import DemandeDepot, traiter_depot
from apicfa.opco.documentation import corps_json, documenter, exemple_cerfa
from apicfa.opco.ecriture import reponse_json
from apicfa.opco.erreurs import erreur
from apicfa.opco.idempotence import ENTETE
from apicfa.opco.identite import identifier, services_de
from apicfa.opco.intergiciel import Echange, entete
from apicfa.opco.vues import dossier_relu, etat_affiche
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["dossiers"])
MAX_NUMEROS_LISTE = 100
CAPACITES_DEPOT = {1: "dossiers_v1", 2: "dossiers_v2"}
ENTETE_OCTETS = ENTETE.lower().encode("latin-1")  # comme `Headers.get` de Starlette


class ReponseDepotJson(Response):
    """La réponse d'un dépôt : EXACTEMENT `Response(corps, status_code=statut,
    media_type="application/json", headers={…})` (mêmes statut, corps et en-têtes, dans le même
    ordre), construite sans `init_headers` dans le cas courant (pas d'en-tête supplémentaire), et
    envoyée par `Echange.repondre` quand elle passe par l'`Intergiciel` (chemin direct)."""

    media_type = "application/json"

    def __init__(
        self, statut: int, corps: bytes, entetes: tuple[tuple[bytes, bytes], ...] = ()
    ) -> None:
        if entetes or type(corps) is not bytes:
            super().__init__(
                corps,
                status_code=statut,
                media_type="application/json",
                headers={
                    nom.decode("latin-1"): valeur.decode("latin-1") for nom, valeur in entetes
                },
            )
            return
        self.status_code = statut
        self.background = None
        self.body = corps
        # `init_headers` : pas de longueur pour un statut < 200, 204 ou 304
        self.raw_headers = (
            [(b"content-type", b"application/json")]
            if statut < 200 or statut in (204, 304)
            else [(b"content-length", b"%d" % len(corps)), (b"content-type", b"application/json")]
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if type(send) is Echange and self.background is None and scope["type"] == "http":
            await send.repondre(self.status_code, self.raw_headers, self.body)
        else:
            await super().__call__(scope, receive, send)


async def deposer_dossier(request: Request, opco: str, version: int) -> Response:
    """Le dépôt d'un contrat : servi par la route FastAPI et par le chemin direct
    (`opco.chemin_direct`), qui appellent tous deux cette fonction. La couche HTTP identifie
    l'appelant et lit le corps ; le reste (`depot_noyau.traiter_depot`) s'exécute ici ou dans le
    processus de dépôt quand il y en a un (`opco.processus_depot`)."""
    appelant = await identifier(request, opco, CAPACITES_DEPOT[version])
    scope = request.scope
    services = services_de(request)
    corps = await lire_corps(request, services.limite_corps)
    # `request.state.empreinte_corps = …` sans objet `State` : l'état est `scope["state"]`
    scope.setdefault("state", {})["empreinte_corps"] = empreinte = empreinte_corps(corps)
    demande = DemandeDepot(
        opco, version, appelant.cfa_id, corps, empreinte, entete(scope, ENTETE_OCTETS)
    )
    distant = services.depot_distant
    if distant is None:
        statut, reponse = await traiter_depot(services, demande)
        return ReponseDepotJson(statut, reponse)
    statut, reponse, entetes = await distant.deposer(demande)
    return ReponseDepotJson(statut, reponse, entetes)


async def _relire(request: Request, opco: str, version: int) -> Response:
    appelant = await identifier(request, opco, f"dossiers_v{version}")
    numero = request.query_params.get("numeroInterne", "").strip()
    if not numero:
        raise erreur(
            400,
            "PARAMETRE_MANQUANT",
            "Le paramètre numeroInterne (le numéro du dossier chez l'OPCO) est obligatoire.",
            "numeroInterne",
        )

    def lire(session: Any) -> dict[str, Any]:
        espace = EspaceCfa(session, opco, appelant.cfa_id)
        return dossier_relu(espace.vue_argent(espace.dossier(numero)), appelant.profil)

    return reponse_json(await services_de(request).lire(lire))


for _version in (1, 2):

    def _routes(version: int) -> None:
        @routeur.post(
            f"/{{opco}}/v{version}/dossiers",
            summary=f"Déposer un contrat (cerfa, v{version})",
            openapi_extra=documenter(corps_json("cerfa", exemple_cerfa()), idempotent=True),
            name=f"deposer_v{version}",
        )
        async def deposer(request: Request, opco: str) -> Response:
            return await deposer_dossier(request, opco, version)

        @routeur.get(
            f"/{{opco}}/v{version}/dossiers",
            summary=f"Relire un dossier et sa vue argent (v{version}) : ?numeroInterne=",
            openapi_extra=documenter(),
            name=f"relire_v{version}",
        )
        async def relire(request: Request, opco: str) -> Response:
            return await _relire(request, opco, version)

    _routes(_version)


@routeur.get(
    "/{opco}/v1/dossiers/liste",
    summary="États de plusieurs dossiers : ?numerosInternes=a,b,c",
    openapi_extra=documenter(),
)
async def liste(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "dossiers_v1")
    brut = request.query_params.get("numerosInternes", "")
    numeros = [n.strip() for n in brut.split(",") if n.strip()]
    if not numeros:
        raise erreur(
            400,
            "PARAMETRE_MANQUANT",
            "Le paramètre numerosInternes (numéros séparés par des virgules) est obligatoire.",
            "numerosInternes",
        )
    if len(numeros) > MAX_NUMEROS_LISTE:
        raise erreur(
            400,
            "PARAMETRE_INVALIDE",
            f"Au plus {MAX_NUMEROS_LISTE} numéros par appel ({len(numeros)} reçus).",
            "numerosInternes",
        )

    def lire(session: Any) -> list[dict[str, Any]]:
        espace = EspaceCfa(session, opco, appelant.cfa_id)
        return [
            {
                "numeroInterne": d.numero_interne,
                "numeroExterne": d.numero_externe,
                "numeroDeca": d.numero_deca,
                "etat": etat_affiche(d.etat, appelant.profil),
            }
            for d in espace.dossiers_listes(numeros, "numerosInternes")
        ]

    return reponse_json(await services_de(request).lire(lire))
