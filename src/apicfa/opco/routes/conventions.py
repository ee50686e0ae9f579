"""Conventions de formation (`POST v1/conventions`, multipart `convention` + `fichier`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.financement.frais_annexes import lire_couts
from apicfa.opco.documentation import corps_multipart, documenter
from apicfa.opco.echeancier_dossier import ecrire_frais, frais_de_convention
from apicfa.opco.ecriture import ecrire
from apicfa.opco.erreurs import erreur
from apicfa.opco.identite import identifier
from apicfa.opco.routes.pieces import recevoir_piece, texte
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["conventions"])


@routeur.post(
    "/{opco}/v1/conventions",
    summary="Envoyer la convention de formation d'un dossier",
    openapi_extra=documenter(
        corps_multipart("convention", "JSON de la convention (SPEC §5.3)"), idempotent=True
    ),
)
async def deposer_convention(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "conventions")
    envoi, empreinte, _ = await recevoir_piece(request, "convention")
    numero_dossier = texte(envoi.donnees.get("numeroInterneDossier")) or ""

    try:
        couts = lire_couts(envoi.donnees)
    except ValueError as probleme:
        raise erreur(400, "COUTS_INVALIDES", f"{probleme}.", "convention.couts") from None

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        dossier = espace.dossier(numero_dossier, "convention.numeroInterneDossier")
        try:
            echeancier = frais_de_convention(dossier, appelant.profil, couts)
        except ValueError as probleme:
            raise erreur(
                400,
                "FRAIS_IMPOSSIBLES",
                f"Frais annexes impossibles : {probleme}.",
                "convention.couts",
            ) from None
        fichier = envoi.fichier
        espace.stocker_fichier(fichier.sha256, fichier.contenu, fichier.type_mime, maintenant)
        document = espace.inserer_document(
            "convention",
            fichier.sha256,
            fichier.nom,
            maintenant,
            objets=[("dossier", dossier.numero_interne)],
        )
        convention = espace.inserer_convention(dossier, document, envoi.brut, maintenant)
        if echeancier is not None:
            ecrire_frais(espace, dossier, echeancier)
            dossier.date_modification = maintenant
        return {
            "numeroInterneConvention": convention.numero_interne,
            "numeroInterneDocument": document.numero_interne,
        }

    return await ecrire(request, appelant, "POST conventions", empreinte, produire)
