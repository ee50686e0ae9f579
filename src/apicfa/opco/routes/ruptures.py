"""Rupture d'un contrat par l'employeur (`POST v2/dossiers/rupture/employeur`, SPEC §5.6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.norme.etats import EtatDossier, message_transition_refusee, transition_permise
from apicfa.opco.corps import empreinte_corps, lire_corps, lire_json_objet
from apicfa.opco.documentation import corps_json, documenter
from apicfa.opco.ecriture import ecrire
from apicfa.opco.erreurs import erreur
from apicfa.opco.formats import lire_date
from apicfa.opco.identite import identifier, services_de
from apicfa.opco.routes.pieces import texte
from apicfa.opco.rupture_dossier import echeancier_coupe, ecrire_echeancier_coupe
from apicfa.opco.validation import verifier
from apicfa.opco.vues import dossier_relu
from apicfa.stockage.erreurs import TransitionRefusee
from apicfa.stockage.espace import EspaceCfa

routeur = APIRouter(tags=["dossiers"])

EXEMPLE = {
    "numeroInterne": "3f2a…",
    "dateRupture": "2026-01-20",
    "initiative": "EMPLOYEUR",
    "motif": "Fin d'un commun accord",
    "dansPeriodeEssai": False,
}


@routeur.post(
    "/{opco}/v2/dossiers/rupture/employeur",
    summary="Déclarer la rupture d'un contrat engagé (rend la vue argent du dossier)",
    openapi_extra=documenter(corps_json("rupture", EXEMPLE), idempotent=True),
)
async def declarer_rupture(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "rupture")
    services = services_de(request)
    corps = await lire_corps(request, services.limite_corps)
    donnees = lire_json_objet(corps)
    verifier("rupture", donnees, services.horloge().date())
    numero = texte(donnees.get("numeroInterne")) or ""
    date_rupture = lire_date(donnees.get("dateRupture"))
    if date_rupture is None:
        raise erreur(
            400,
            "DATE_INVALIDE",
            "dateRupture doit être une date AAAA-MM-JJ.",
            "rupture.dateRupture",
        )
    periode_essai = donnees.get("dansPeriodeEssai")
    vers = EtatDossier.RUPTURE.value

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        dossier = espace.dossier(numero, "rupture.numeroInterne")
        # verrou du dossier : une facture ou un paiement simultané attend l'échéancier coupé
        dossier = espace.verrouiller([dossier.id]).get(dossier.id, dossier)
        if dossier.date_debut_contrat and date_rupture < dossier.date_debut_contrat:
            raise erreur(
                400,
                "DATE_RUPTURE_AVANT_DEBUT",
                "La date de rupture précède le début du contrat.",
                "rupture.dateRupture",
            )
        if not transition_permise(dossier.etat, vers):
            raise TransitionRefusee(message_transition_refusee(dossier.etat, vers))
        try:
            coupe = echeancier_coupe(
                espace, dossier, appelant.profil, date_rupture, periode_essai is True
            )
        except ValueError as probleme:
            raise erreur(
                400,
                "DATE_RUPTURE_INVALIDE",
                f"Rupture impossible : {probleme}.",
                "rupture.dateRupture",
            ) from None
        espace.inserer_rupture(
            dossier,
            date_rupture,
            (texte(donnees.get("initiative")) or "")[:16] or None,
            texte(donnees.get("motif")),
            periode_essai if isinstance(periode_essai, bool) else None,
            corps,
            maintenant,
        )
        ecrire_echeancier_coupe(espace, dossier, coupe)
        espace.changer_etat(dossier, vers, maintenant, texte(donnees.get("motif")))
        return dossier_relu(espace.vue_argent(dossier), appelant.profil)

    return await ecrire(request, appelant, "POST rupture", empreinte_corps(corps), produire)
