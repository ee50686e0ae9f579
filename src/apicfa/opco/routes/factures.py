"""Factures : envoi (`POST v1/factures`, multipart `facture` + `fichier` PDF) et états
(`GET v2/factures/etats`, SPEC §5.2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from apicfa.opco.controle_factures import controler_et_imputer
from apicfa.opco.documentation import corps_multipart, documenter
from apicfa.opco.ecriture import ecrire, reponse_json
from apicfa.opco.erreurs import Erreur, ErreurApi
from apicfa.opco.formats import ecrire_date, ecrire_montant, lire_centimes, lire_date
from apicfa.opco.identite import identifier, services_de
from apicfa.opco.routes.pagination import lire_numero_page
from apicfa.opco.routes.pieces import recevoir_piece, texte
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.tables import Dossier

routeur = APIRouter(tags=["factures"])


def _entier(valeur: Any) -> int | None:
    try:
        return int(str(valeur).strip()) if valeur is not None else None
    except ValueError:
        return None


def _lignes(donnees: dict[str, Any]) -> list[dict[str, Any]]:
    lignes = donnees.get("lignes")
    if not isinstance(lignes, list) or not lignes:
        raise ErreurApi(
            400,
            [
                Erreur(
                    "CHAMP_OBLIGATOIRE",
                    "La facture doit avoir au moins une ligne.",
                    "facture.lignes",
                )
            ],
        )
    lues: list[dict[str, Any]] = []
    erreurs: list[Erreur] = []
    for i, ligne in enumerate(lignes):
        champ = f"facture.lignes[{i}]"
        if not isinstance(ligne, dict):
            erreurs.append(Erreur("STRUCTURE", "Chaque ligne doit être un objet.", champ))
            continue
        montant = lire_centimes(ligne.get("montant"))
        numero_dossier = texte(ligne.get("numeroDossier"))
        if montant is None:
            erreurs.append(
                Erreur("MONTANT_INVALIDE", "Le montant est illisible.", f"{champ}.montant")
            )
        if numero_dossier is None:
            erreurs.append(
                Erreur(
                    "CHAMP_OBLIGATOIRE",
                    "numeroDossier (le numéro externe du dossier) est obligatoire.",
                    f"{champ}.numeroDossier",
                )
            )
        quantite = ligne.get("quantite")
        lues.append(
            {
                "montant_centimes": montant or 0,
                "nature": (texte(ligne.get("natureLigne")) or "")[:32] or None,
                "quantite": quantite if isinstance(quantite, int | float) else None,
                "numero_echeance": _entier(ligne.get("numeroEcheance")),
                "codification_echeance": (texte(ligne.get("codificationEcheance")) or "")[:16]
                or None,
                "numero_deca": (texte(ligne.get("numeroDeca")) or "")[:20] or None,
                "numero_dossier": numero_dossier,
                "_champ": f"{champ}.numeroDossier",
            }
        )
    if erreurs:
        raise ErreurApi(400, erreurs)
    return lues


@routeur.post(
    "/{opco}/v1/factures",
    summary="Envoyer une facture (une ou plusieurs lignes, un ou plusieurs dossiers)",
    openapi_extra=documenter(
        corps_multipart("facture", "JSON de la facture (SPEC §5.1)"), idempotent=True
    ),
)
async def deposer_facture(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "factures")
    envoi, empreinte, _ = await recevoir_piece(request, "facture", ("application/pdf",))
    donnees = envoi.donnees
    lignes = _lignes(donnees)
    total = lire_centimes(donnees.get("montantTotal"))
    if total is None:
        raise ErreurApi(
            400,
            [Erreur("MONTANT_INVALIDE", "montantTotal est illisible.", "facture.montantTotal")],
        )
    valeurs = {
        "numero": (texte(donnees.get("numero")) or "")[:64],
        "date_emission": lire_date(donnees.get("dateEmission")),
        "montant_total_centimes": total,
        "iban_emetteur": (texte(donnees.get("ibanEmetteur")) or "").replace(" ", "")[:34] or None,
        "siret_emetteur": (texte(donnees.get("siretEmetteur")) or "")[:14] or None,
        "est_certificat_realisation": donnees.get("estCertificatRealisation") is True,
        "charge_utile": envoi.brut,
    }

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        a_inserer = []
        dossiers: dict[str, Dossier] = {}
        for ligne in lignes:
            champ = ligne["_champ"]
            dossier = espace.dossier_par_externe(ligne["numero_dossier"], champ)
            dossiers[ligne["numero_dossier"]] = dossier
            a_inserer.append(
                {k: v for k, v in ligne.items() if k != "_champ"} | {"dossier_id": dossier.id}
            )
        fichier = envoi.fichier
        espace.stocker_fichier(fichier.sha256, fichier.contenu, fichier.type_mime, maintenant)
        document = espace.inserer_document("facture", fichier.sha256, fichier.nom, maintenant)
        facture = espace.inserer_facture(valeurs, a_inserer, document, maintenant)
        controler_et_imputer(espace, facture, donnees, dossiers, maintenant)
        return {
            "numeroInterneFacture": facture.numero_interne,
            "numeroInterneDocument": document.numero_interne,
        }

    return await ecrire(request, appelant, "POST factures", empreinte, produire)


@routeur.get(
    "/{opco}/v2/factures/etats",
    summary="États des factures du CFA, 100 par page",
    openapi_extra={
        "parameters": [
            *documenter()["parameters"],
            {"name": "numeroPage", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        ]
    },
)
async def etats_factures(request: Request, opco: str) -> Response:
    appelant = await identifier(request, opco, "factures_etats")
    page = lire_numero_page(request)
    fd = appelant.profil.format_dates

    def lire(session: Any) -> dict[str, Any]:
        espace = EspaceCfa(session, opco, appelant.cfa_id)
        resultat = espace.page_factures(page)
        par_facture: dict[int, dict[str, dict[str, Any]]] = {}
        for ligne, dossier in espace.lignes_facture([f.id for f in resultat.lignes]):
            dossiers = par_facture.setdefault(ligne.facture_id, {})
            cumul = dossiers.setdefault(
                dossier.numero_interne,
                {
                    "numeroInterneDossier": dossier.numero_interne,
                    "numeroExterneDossier": dossier.numero_externe,
                    "centimes": 0,
                },
            )
            cumul["centimes"] += ligne.montant_centimes
        factures = [
            {
                "numeroInterneFacture": f.numero_interne,
                "referenceFactureCFA": f.numero,
                "montantFacture": ecrire_montant(f.montant_total_centimes),
                "etatFacture": f.etat,
                "referenceVirement": f.reference_virement,
                "dateReglement": ecrire_date(f.date_reglement, fd),
                "commentaire": f.commentaire,
                "organismeFormation": {"siret": f.siret_emetteur, "IBAN": f.iban_emetteur},
                "dossiers": [
                    {
                        "numeroInterneDossier": d["numeroInterneDossier"],
                        "numeroExterneDossier": d["numeroExterneDossier"],
                        "montant": ecrire_montant(d["centimes"]),
                    }
                    for d in par_facture.get(f.id, {}).values()
                ],
            }
            for f in resultat.lignes
        ]
        return {"total": resultat.total, "count": len(factures), "page": page, "factures": factures}

    return reponse_json(await services_de(request).lire(lire))
