"""Application HTTP du service OPCO : `creer_app(url, profils)`.

Les routes lisent le corps brut et le valident avec `apicfa.norme` (pas de modèle de corps
FastAPI sur le chemin d'une requête) ; la documentation des corps passe par `openapi_extra`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException
from starlette.responses import Response

from apicfa.opco.chemin_direct import AppOpco, CheminDirect, reponse_exception
from apicfa.opco.corps import LIMITE_CORPS_DEFAUT
from apicfa.opco.depot_distant import ClientDepot
from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.erreurs import ErreurApi, erreur
from apicfa.opco.instructeur import Instructeur
from apicfa.opco.intergiciel import Intergiciel
from apicfa.opco.journal import JournalAudit
from apicfa.opco.processus_depot import ProcessusDepot
from apicfa.opco.profils import ProfilOpco, charger_profils
from apicfa.opco.referentiel_npec import CacheReferentiel
from apicfa.opco.routes import (
    certificats,
    cles,
    conventions,
    documents,
    dossiers,
    etats,
    factures,
    ruptures,
    statut,
)
from apicfa.opco.services import Services
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee
from apicfa.stockage.moteur import creer_moteur, est_sqlite, url_base

DESCRIPTION = """Serveur OPCO de la norme d'échange API CFA, pour les 11 OPCO sous `/{opco}/`.

Chaque appel porte `X-API-KEY` (la clé du CFA pour cette OPCO) et les en-têtes `EDITEUR`,
`LOGICIEL`, `VERSION`. Erreurs : `{"errors": [{"code", "description", "champ"}]}`.
Extensions apicfa : `Idempotency-Key` sur chaque POST, `GET /health`, ce document OpenAPI."""


def _gestionnaires(app: FastAPI, services: Services) -> None:
    async def _refus(request: Request, exc: Exception) -> Response:
        reponse = reponse_exception(exc, services, request.path_params.get("opco", ""))
        if reponse is None:  # pragma: no cover - seuls les refus connus sont enregistrés
            raise exc
        return reponse

    for refus in (ErreurApi, ObjetIntrouvable, ObjetAutreCfa, TransitionRefusee):
        app.add_exception_handler(refus, _refus)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        return ErreurApi(
            400,
            [
                erreur(
                    400, "REQUETE_INVALIDE", str(e.get("msg")), ".".join(map(str, e["loc"]))
                ).erreurs[0]
                for e in exc.errors()
            ],
        ).reponse()

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        codes = {404: "ROUTE_INCONNUE", 405: "METHODE_NON_ADMISE"}
        textes = {
            404: f"La route {request.url.path} n'existe pas.",
            405: f"La méthode {request.method} n'est pas admise sur {request.url.path}.",
        }
        return erreur(
            exc.status_code,
            codes.get(exc.status_code, "ERREUR_HTTP"),
            textes.get(exc.status_code, str(exc.detail)),
        ).reponse()


def creer_services(
    url: str | None = None,
    profils: dict[str, ProfilOpco] | str | Path | None = None,
    *,
    limite_corps: int = LIMITE_CORPS_DEFAUT,
    delai_requete_s: float = 30.0,
    duree_cache_cles_s: float = 2.0,
    instruction_automatique: bool = True,
) -> Services:
    """Base, écrivain, journal, profils et (si demandé) instructeur d'un processus du service."""
    url = url_base(url)
    options = {} if est_sqlite(url) else {"pool_size": 10, "max_overflow": 20}
    moteur = creer_moteur(url, wal_en_fond=True, **options)
    fabrique = sessionmaker(moteur, expire_on_commit=False)
    moteur_ecriture = None
    if not est_sqlite(url):
        # L'écrivain prend une connexion à la réserve à chaque lot : avec `pool_pre_ping`, c'est
        # un aller-retour de plus par lot (≈ 8 % du temps de l'écrivain sous charge). Ses
        # connexions ne sont pas vérifiées : après une coupure, le lot échoue, la réserve est
        # invalidée et chaque travail est rejoué seul sur une connexion neuve (`Ecrivain`).
        moteur_ecriture = creer_moteur(url, pool_pre_ping=False, pool_size=2, max_overflow=8)
    ecrivain = Ecrivain(
        fabrique
        if moteur_ecriture is None
        else sessionmaker(moteur_ecriture, expire_on_commit=False)
    )
    services = Services(
        url=url,
        moteur=moteur,
        moteur_ecriture=moteur_ecriture,
        fabrique=fabrique,
        profils=profils if isinstance(profils, dict) else charger_profils(profils),
        ecrivain=ecrivain,
        journal=JournalAudit(ecrivain),
        limite_corps=limite_corps,
        delai_requete_s=delai_requete_s,
        duree_cache_cles_s=duree_cache_cles_s,
    )
    if instruction_automatique:
        services.instructeur = Instructeur(
            ecrivain,
            services.profils,
            CacheReferentiel(url),
            lambda: services.horloge(),
            constats_depot=services.constats_depot,
        )
    return services


def creer_app(
    url: str | None = None,
    profils: dict[str, ProfilOpco] | str | Path | None = None,
    *,
    limite_corps: int = LIMITE_CORPS_DEFAUT,
    delai_requete_s: float = 30.0,
    duree_cache_cles_s: float = 2.0,
    instruction_automatique: bool = True,
    chemin_direct: bool = True,
    processus_depot: bool = False,
    socket_depot: str | None = None,
) -> FastAPI:
    """L'application ASGI du service OPCO sur la base `url` (déjà migrée).

    `instruction_automatique=False` : pas d'instructeur (les dossiers restent `TRANSMIS` ; pour
    un processus de lecture seule ou un banc d'essai des listes).
    `chemin_direct=False` : le dépôt passe par le routage FastAPI comme les autres routes (les
    tests comparent les deux chemins ; voir `opco.chemin_direct`).
    `processus_depot=True` : au démarrage, l'application lance son processus de dépôt
    (`opco.processus_depot`, profils lus d'un fichier), qui valide, écrit et instruit les dépôts
    et porte l'instructeur ; `socket_depot` : confier les dépôts à un processus de dépôt qui
    écoute déjà sur cette socket Unix."""
    if processus_depot and isinstance(profils, dict):
        raise ValueError("le processus de dépôt lit ses profils d'un fichier, pas d'un dict")
    distant = processus_depot or socket_depot is not None
    services = creer_services(
        url,
        profils,
        limite_corps=limite_corps,
        delai_requete_s=delai_requete_s,
        duree_cache_cles_s=duree_cache_cles_s,
        instruction_automatique=instruction_automatique and not distant,
    )
    ecrivain = services.ecrivain
    if socket_depot is not None:
        services.depot_distant = ClientDepot(socket_depot)
    processus = (
        ProcessusDepot(
            services.url, None if profils is None else str(profils), instruction_automatique
        )
        if processus_depot
        else None
    )

    @asynccontextmanager
    async def cycle_de_vie(_: FastAPI) -> AsyncIterator[None]:
        if processus is not None:
            await processus.demarrer()
            services.depot_distant = ClientDepot(processus.chemin)
        instructeur = services.instructeur
        if instructeur is not None:
            instructeur.demarrer()  # reprend aussi les dossiers laissés TRANSMIS
            instructeur.signaler()
        yield
        if instructeur is not None:
            await instructeur.arreter()
        if services.depot_distant is not None:
            services.depot_distant.fermer()
        if processus is not None:
            await processus.arreter()
        await services.journal.vider()
        await ecrivain.arreter()
        services.fermer_bases()

    app = AppOpco(
        title="apicfa — serveur OPCO (norme d'échange API CFA)",
        version="1",
        description=DESCRIPTION,
        lifespan=cycle_de_vie,
    )
    app.state.services = services
    app.state.processus_depot = processus
    _gestionnaires(app, services)
    for module in (
        statut,
        cles,
        dossiers,
        etats,
        conventions,
        factures,
        certificats,
        documents,
        ruptures,
    ):
        app.include_router(module.routeur)
    app.add_middleware(Intergiciel, services=services)
    if chemin_direct:
        app.chemin_direct = CheminDirect(app, services, dossiers.deposer_dossier)
    return app
