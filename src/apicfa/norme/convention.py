"""Modèle de la convention de formation (partie `convention`, SPEC §5.3)."""

from __future__ import annotations

from typing import Any

from apicfa.norme.types_norme import (
    Booleen,
    DateNorme,
    Entier,
    Identifiant,
    ModeleNorme,
    Montant,
    Rncp,
    Siret,
    Uai,
)


class EmployeurSiret(ModeleNorme):
    siret: Siret | None = None


class ApprentiNom(ModeleNorme):
    nom: str | None = None
    prenom: str | None = None
    nomUsage: str | None = None


class ContratDates(ModeleNorme):
    dateDebutContrat: DateNorme | None = None
    dateFinContrat: DateNorme | None = None


class OrganismeConvention(ModeleNorme):
    siret: Siret | None = None
    uaiCfa: Uai | None = None


class FormationConvention(ModeleNorme):
    dateDebutFormation: DateNorme | None = None
    dateFinFormation: DateNorme | None = None
    dureeFormation: Entier | None = None
    rncp: Rncp | None = None
    intituleQualification: str | None = None


class Couts(ModeleNorme):
    coutTotalPedagogieCFA: Montant | None = None
    montantRQTHAnnee1: Montant | None = None
    montantRQTHAnnee2: Montant | None = None
    montantRQTHAnnee3: Montant | None = None
    montantRQTHAnnee4: Montant | None = None
    nombreRepasTotaux: Entier | None = None
    nombreHebergementTotaux: Entier | None = None
    montantPremierEquipement: Montant | None = None
    mentionMobiliteInternationale: Booleen | None = None
    accompagnementDROM: Booleen | None = None


class Convention(ModeleNorme):
    numeroInterneDossier: Identifiant | None = None
    employeur: EmployeurSiret | None = None
    apprenti: ApprentiNom | None = None
    contrat: ContratDates | None = None
    organismeFormation: OrganismeConvention | None = None
    formation: FormationConvention | None = None
    couts: Couts | None = None
    mandatEmployeur: Booleen | None = None
    dateSignature: DateNorme | None = None
    attestationConventionSigneeEntreprise: Booleen | None = None
    attestationConventionSigneeCFA: Booleen | None = None
    attestationConventionSignatureProbante: Booleen | None = None
    attestationConventionConformeJSON: Booleen | None = None


def lire_convention(donnees: Any) -> Convention:
    """La convention de `{"convention": …}` ou d'une convention nue."""
    if isinstance(donnees, dict) and "convention" in donnees:
        donnees = donnees["convention"]
    return Convention.model_validate(donnees)
