"""Modèle du certificat de réalisation (partie `certificat`, SPEC §5.4)."""

from __future__ import annotations

from typing import Any

from apicfa.norme.convention import ApprentiNom, EmployeurSiret
from apicfa.norme.types_norme import Booleen, DateNorme, Entier, Identifiant, ModeleNorme, Siret


class RepresentantLegal(ModeleNorme):
    nom: str | None = None
    prenom: str | None = None
    qualite: str | None = None


class OrganismeSiret(ModeleNorme):
    siret: Siret | None = None


class EcheanceCertifiee(ModeleNorme):
    numero: Entier | None = None
    codification: str | None = None
    duree: Entier | None = None
    dateDebut: DateNorme | None = None
    dateFin: DateNorme | None = None
    echeancePartielle: Booleen | None = None


class Certificat(ModeleNorme):
    typeCertificat: str | None = None
    numeroInterneDossier: Identifiant | None = None
    numeroInterneFacture: Identifiant | None = None
    dateSignature: DateNorme | None = None
    lieuSignatureContrat: str | None = None
    representantLegal: RepresentantLegal | None = None
    attestationConservationPieces: Booleen | None = None
    natureAction: str | None = None
    employeur: EmployeurSiret | None = None
    apprenti: ApprentiNom | None = None
    organismeFormation: OrganismeSiret | None = None
    echeance: EcheanceCertifiee | None = None


def lire_certificat(donnees: Any) -> Certificat:
    """Le certificat de `{"certificat": …}` ou d'un certificat nu."""
    if isinstance(donnees, dict) and "certificat" in donnees:
        donnees = donnees["certificat"]
    return Certificat.model_validate(donnees)
