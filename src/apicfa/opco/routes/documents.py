"""Documents libres (`POST v1/documents`, multipart `document` + `fichier`), rattachés à des
dossiers ou des factures du CFA par leur numéro interne."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.opco.documentation import corps_multipart, documenter
from apicfa.opco.ecriture import ecrire
from apicfa.opco.erreurs import Erreur, ErreurApi
from apicfa.opco.identite import identifier
from apicfa.opco.routes.pieces import recevoir_piece, texte
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["documents"])
TYPES_OBJET = ("dossier", "facture")


def _objets(donnees: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(type, identifiant, champ) de chaque objet cité ; 400 listant chaque objet mal formé."""
    objets = donnees.get("objets")
    erreurs: list[Erreur] = []
    lus: list[tuple[str, str, str]] = []
    if not isinstance(objets, list) or not objets:
        raise ErreurApi(
            400,
            [
                Erreur(
                    "CHAMP_OBLIGATOIRE",
                    "Le document doit citer au moins un objet.",
                    "document.objets",
                )
            ],
        )
    for i, objet in enumerate(objets):
        champ = f"document.objets[{i}]"
        type_objet = texte(objet.get("typeObjet")) if isinstance(objet, dict) else None
        ident = texte(objet.get("idObjet")) if isinstance(objet, dict) else None
        if type_objet is None or type_objet.lower() not in TYPES_OBJET:
            erreurs.append(
                Erreur(
                    "TYPE_OBJET_INVALIDE",
                    f"typeObjet doit valoir {' ou '.join(TYPES_OBJET)}.",
                    f"{champ}.typeObjet",
                )
            )
        if ident is None:
            erreurs.append(
                Erreur("CHAMP_OBLIGATOIRE", "idObjet est obligatoire.", f"{champ}.idObjet")
            )
        if type_objet and ident:
            lus.append((type_objet.lower(), ident, f"{champ}.idObjet"))
    if erreurs:
        raise ErreurApi(400, erreurs)
    return lus


@routeur.post(
    "/{opco}/v1/documents",
    summary="Envoyer un document rattaché à des dossiers ou factures",
    openapi_extra=documenter(
        corps_multipart("document", "JSON du document (SPEC §5.5)"), idempotent=True
    ),
)
async def deposer_document(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "documents")
    envoi, empreinte, _ = await recevoir_piece(request, "document")
    objets = _objets(envoi.donnees)
    type_fichier = (texte(envoi.donnees.get("typeFichier")) or "autre")[:32]

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        for type_objet, ident, champ in objets:
            if type_objet == "dossier":
                espace.dossier(ident, champ)
            else:
                espace.facture(ident, champ)
        fichier = envoi.fichier
        espace.stocker_fichier(fichier.sha256, fichier.contenu, fichier.type_mime, maintenant)
        document = espace.inserer_document(
            type_fichier,
            fichier.sha256,
            fichier.nom,
            maintenant,
            charge_utile=envoi.brut,
            objets=[(t, i) for t, i, _ in objets],
        )
        return {"numeroInterneDocument": document.numero_interne}

    return await ecrire(request, appelant, "POST documents", empreinte, produire)
