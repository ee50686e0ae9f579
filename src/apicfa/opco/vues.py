"""Ce que l'API rend : dossier relu avec sa vue argent (SPEC §6.2), lignes d'états (§3)."""

from __future__ import annotations

from typing import Any

import orjson

from apicfa.opco.formats import convertir_dates, ecrire_date, ecrire_instant, ecrire_montant
from apicfa.opco.profils import ProfilOpco
from apicfa.stockage.espace import DossierDepose, VueArgent
from apicfa.stockage.tables import Dossier


def etat_affiche(etat: str, profil: ProfilOpco) -> str:
    """L'état tel que cette OPCO l'écrit (`RUPTURE` ou `RUPTU`)."""
    return profil.etat_rupture if etat == "RUPTURE" else etat


def accuse_depot(dossier: Dossier | DossierDepose, profil: ProfilOpco) -> dict[str, Any]:
    return {
        "numeroInterne": dossier.numero_interne,
        "numeroExterne": dossier.numero_externe,
        "etat": etat_affiche(dossier.etat, profil),
    }


def cerfa_relu(dossier: Dossier, profil: ProfilOpco) -> dict[str, Any]:
    """Le cerfa tel que reçu, dates au format du profil, et les identifiants de l'OPCO."""
    recu = orjson.loads(dossier.charge_utile)
    cerfa = recu.get("cerfa", recu) if isinstance(recu, dict) else {}
    cerfa = convertir_dates(cerfa if isinstance(cerfa, dict) else {}, profil.format_dates)
    cerfa.update(
        {
            "numeroInterne": dossier.numero_interne,
            "numeroExterne": dossier.numero_externe,
            "numeroDeca": dossier.numero_deca,
            "etat": etat_affiche(dossier.etat, profil),
            "commentaireEtat": dossier.commentaire_etat,
        }
    )
    return cerfa


def dossier_relu(vue: VueArgent, profil: ProfilOpco) -> dict[str, Any]:
    dossier = vue.dossier
    fd = profil.format_dates
    return {
        "cerfa": cerfa_relu(dossier, profil),
        "engagement": ecrire_montant(dossier.engagement_centimes or 0),
        "echeances": [
            {
                "numero": e.numero,
                "codification": e.codification,
                "montantTotal": ecrire_montant(e.montant_total_centimes),
                "montantRegle": ecrire_montant(e.montant_regle_centimes),
                "montantEnCoursInstruction": ecrire_montant(e.montant_en_cours_centimes),
                "dateOuverture": ecrire_date(e.date_ouverture, fd),
                "dateDebut": ecrire_date(e.date_debut, fd),
                "dateFin": ecrire_date(e.date_fin, fd),
            }
            for e in vue.echeances
        ],
        "engagementsFraisAnnexe": [
            {
                "natureFrais": f.nature,
                "quantite": float(f.quantite),
                "prixUnitaire": ecrire_montant(f.prix_unitaire_centimes),
                "montantTotal": ecrire_montant(f.montant_total_centimes),
            }
            for f in vue.frais
        ],
        "detailsFacturation": {
            "IBAN": dossier.iban,
            # 0 tant qu'aucun premier équipement n'est engagé (toujours un nombre, §6.2).
            "plafondFraisPremierEquipement": ecrire_montant(
                dossier.plafond_premier_equipement_centimes or 0
            ),
            "fraisPremierEquipementRegles": ecrire_montant(
                dossier.premier_equipement_regle_centimes
            ),
            "fraisMobiliteRegles": ecrire_montant(dossier.mobilite_reglee_centimes),
            "periodesFraisAnnexes": [
                {"numeroEcheance": p.numero_echeance, "nature": p.nature} for p in vue.periodes
            ],
        },
        "tropPercu": ecrire_montant(dossier.trop_percu_centimes),
    }


def ligne_etat(ligne: Any, profil: ProfilOpco) -> dict[str, Any]:
    return {
        "numeroInterne": ligne.numero_interne,
        "numeroExterne": ligne.numero_externe,
        "numeroDeca": ligne.numero_deca,
        "etat": etat_affiche(ligne.etat, profil),
        "commentaireEtat": ligne.commentaire_etat,
        "dateModification": ecrire_instant(ligne.date_modification),
    }
