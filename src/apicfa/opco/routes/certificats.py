"""Certificats de réalisation (`POST v2/certificats`, multipart `certificat` + `fichier`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.opco.documentation import corps_multipart, documenter
from apicfa.opco.ecriture import ecrire
from apicfa.opco.formats import lire_date
from apicfa.opco.identite import identifier
from apicfa.opco.routes.pieces import recevoir_piece, texte
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["certificats"])


@routeur.post(
    "/{opco}/v2/certificats",
    summary="Envoyer un certificat de réalisation (intermédiaire ou final)",
    openapi_extra=documenter(
        corps_multipart("certificat", "JSON du certificat (SPEC §5.4)"), idempotent=True
    ),
)
async def deposer_certificat(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "certificats")
    envoi, empreinte, _ = await recevoir_piece(request, "certificat")
    donnees = envoi.donnees
    numero_dossier = texte(donnees.get("numeroInterneDossier")) or ""
    numero_facture = texte(donnees.get("numeroInterneFacture"))

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        dossier = espace.dossier(numero_dossier, "certificat.numeroInterneDossier")
        facture = (
            espace.facture(numero_facture, "certificat.numeroInterneFacture")
            if numero_facture
            else None
        )
        fichier = envoi.fichier
        espace.stocker_fichier(fichier.sha256, fichier.contenu, fichier.type_mime, maintenant)
        document = espace.inserer_document(
            "certificat",
            fichier.sha256,
            fichier.nom,
            maintenant,
            objets=[("dossier", dossier.numero_interne)],
        )
        certificat = espace.inserer_certificat(
            dossier,
            facture,
            (texte(donnees.get("typeCertificat")) or "")[:16],
            lire_date(donnees.get("dateSignature")),
            document,
            envoi.brut,
            maintenant,
        )
        return {
            "numeroInterneCertificat": certificat.numero_interne,
            "numeroInterneDocument": document.numero_interne,
        }

    return await ecrire(request, appelant, "POST certificats", empreinte, produire)
