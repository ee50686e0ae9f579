"""Échéancier → JSON de la norme (noms de champs camelCase, montants en texte à deux décimales)."""

from __future__ import annotations

from typing import Any

from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe


def echeance_en_json(echeance: Echeance) -> dict[str, Any]:
    return {
        "numero": echeance.numero,
        "codification": echeance.codification,
        "montantTotal": str(echeance.montant_total),
        "montantRegle": str(echeance.montant_regle),
        "montantEnCoursInstruction": str(echeance.montant_en_cours_instruction),
        "dateOuverture": echeance.date_ouverture.isoformat(),
        "dateDebut": echeance.date_debut.isoformat(),
        "dateFin": echeance.date_fin.isoformat(),
        "anneeExecution": echeance.annee,
        "solde": echeance.solde,
    }


def frais_en_json(ligne: EngagementFraisAnnexe) -> dict[str, Any]:
    donnees: dict[str, Any] = {
        "natureFrais": ligne.nature_frais,
        "quantite": ligne.quantite,
        "prixUnitaire": str(ligne.prix_unitaire),
        "montantTotal": str(ligne.montant_total),
    }
    if ligne.annee is not None:
        donnees["anneeExecution"] = ligne.annee
    return donnees


def echeancier_en_json(echeancier: Echeancier) -> dict[str, Any]:
    """La forme JSON de `apicfa simuler --json` (et du relu d'un dossier, côté montants)."""
    return {
        "regime": echeancier.regime,
        "npec": str(echeancier.npec),
        "engagement": str(echeancier.engagement),
        "participationEmployeur": str(echeancier.participation_employeur),
        "echeances": [echeance_en_json(e) for e in echeancier.echeances],
        "engagementsFraisAnnexe": [frais_en_json(f) for f in echeancier.engagements_frais_annexe],
        "tropPercu": str(echeancier.trop_percu),
        "detail": list(echeancier.detail),
    }
