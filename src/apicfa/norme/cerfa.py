"""Modèle pydantic du `cerfa` (SPEC §4), enveloppes v1 et v2.

`lire_cerfa` accepte l'enveloppe `{"cerfa": …}` ou le cerfa nu et les variantes d'entrée (dates
avec décalage lues telles qu'écrites, RNCP sans préfixe, `CERFAsignatureProbante`, NIR de 13 ou
15 caractères, nombres en texte) ; `model_dump(mode="json", by_alias=True)` en donne la forme
canonique. Les champs inconnus sont conservés. La vérification des règles est l'affaire de
`validation.valider_cerfa` : le modèle ne contrôle que ce qu'il doit convertir.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field

from apicfa.norme.types_norme import (
    Booleen,
    CodeClasse,
    DateNorme,
    Departement,
    Entier,
    Idcc,
    Identifiant,
    ModeleNorme,
    Montant,
    Naf,
    Nir,
    Rncp,
    Siret,
    Uai,
)


class Adresse(ModeleNorme):
    adresse1: str | None = None
    adresse2: str | None = None
    numero: str | None = None
    voie: str | None = None
    complement: str | None = None
    codePostal: Identifiant | None = None
    commune: str | None = None
    pays: str | None = None


class Employeur(ModeleNorme):
    denomination: str | None = None
    siret: Siret | None = None
    naf: Naf | None = None
    nombreDeSalaries: Entier | None = None
    codeIdcc: Idcc | None = None
    libelleIdcc: str | None = None
    telephone: str | None = None
    courriel: str | None = None
    adresse: Adresse | None = None
    typeEmployeur: Entier | None = None
    employeurSpecifique: Entier | None = None
    caisseComplementaire: str | None = None
    regimeSpecifique: Booleen | None = None
    attestationEligibilite: Booleen | None = None
    attestationPieces: Booleen | None = None
    nom: str | None = None
    prenom: str | None = None


class ResponsableLegal(ModeleNorme):
    nom: str | None = None
    prenom: str | None = None
    courriel: str | None = None
    adresse: Adresse | None = None


class Apprenti(ModeleNorme):
    nom: str | None = None
    nomUsage: str | None = None
    prenom: str | None = None
    sexe: str | None = None
    dateNaissance: DateNorme | None = None
    departementNaissance: Departement | None = None
    communeNaissance: str | None = None
    nir: Nir | None = None
    nationalite: Entier | None = None
    regimeSocial: Entier | None = None
    handicap: Booleen | None = None
    inscriptionSportifDeHautNiveau: Booleen | None = None
    projetCreationRepriseEntreprise: Booleen | None = None
    situationAvantContrat: Entier | None = None
    diplome: Entier | None = None
    diplomePrepare: Entier | None = None
    derniereClasse: CodeClasse | None = None
    intituleDiplomePrepare: str | None = None
    telephone: str | None = None
    courriel: str | None = None
    adresse: Adresse | None = None
    responsableLegal: ResponsableLegal | None = None


class Maitre(ModeleNorme):
    nom: str | None = None
    prenom: str | None = None
    dateNaissance: DateNorme | None = None
    courriel: str | None = None
    emploiOccupe: str | None = None
    intituleDiplomeObtenu: str | None = None
    niveauDiplomeObtenu: Entier | None = None
    nir: Nir | None = None


class Remuneration(ModeleNorme):
    ordre: str | None = None
    dateDebut: DateNorme | None = None
    dateFin: DateNorme | None = None
    taux: Montant | None = None
    typeSalaire: str | None = None


class Contrat(ModeleNorme):
    modeContractuel: Entier | None = None
    typeContratApp: Entier | None = None
    numeroContratPrecedent: str | None = None
    noContrat: str | None = None
    noAvenant: str | None = None
    dateConclusion: DateNorme | None = None
    dateDebutContrat: DateNorme | None = None
    dateFormationPratiqueEmployeur: DateNorme | None = None
    dateFinContrat: DateNorme | None = None
    dateEffetAvenant: DateNorme | None = None
    dateRupture: DateNorme | None = None
    lieuSignatureContrat: str | None = None
    typeDerogation: Entier | None = None
    dureeTravailHebdoHeures: Entier | None = None
    dureeTravailHebdoMinutes: Entier | None = None
    travailRisque: Booleen | None = None
    salaireEmbauche: Montant | None = None
    avantageNourriture: Montant | None = None
    avantageLogement: Montant | None = None
    autreAvantageEnNature: Booleen | None = None
    remunerationsAnnuelles: list[Remuneration] | None = None


class Formation(ModeleNorme):
    rncp: Rncp | None = None
    codeDiplome: str | None = None
    typeDiplome: Entier | None = None
    intituleQualification: str | None = None
    dateDebutFormation: DateNorme | None = None
    dateFinFormation: DateNorme | None = None
    dureeFormation: Entier | None = None
    nombreHeuresEnDistanciel: Entier | None = None


class OrganismeFormation(ModeleNorme):
    denomination: str | None = None
    formationInterne: Booleen | None = None
    siret: Siret | None = None
    uaiCfa: Uai | None = None
    visaCfa: Booleen | None = None
    adresse: Adresse | None = None
    lieuFormationIdentique: Booleen | None = None


class Cerfa(ModeleNorme):
    versionCERFA: str | None = None
    signatureProbante: Booleen | None = Field(
        default=None,
        validation_alias=AliasChoices("CERFASignatureProbante", "CERFAsignatureProbante"),
        serialization_alias="CERFASignatureProbante",
    )
    etat: str | None = None
    commentaireEtat: str | None = None
    numeroInterne: Identifiant | None = None
    numeroExterne: Identifiant | None = None
    numeroDeca: str | None = None
    employeur: Employeur | None = None
    apprenti: Apprenti | None = None
    maitre1: Maitre | None = None
    maitre2: Maitre | None = None
    contrat: Contrat | None = None
    formation: Formation | None = None
    organismeFormation: OrganismeFormation | None = None
    organismeFormationLieuFormationPrincipal: OrganismeFormation | None = None


def lire_cerfa(donnees: Any) -> Cerfa:
    """Le cerfa de `{"cerfa": …}` ou d'un cerfa nu ; lève `pydantic.ValidationError` sur une
    valeur inconvertible (le détail des règles vient de `valider_cerfa`)."""
    if isinstance(donnees, dict) and "cerfa" in donnees:
        donnees = donnees["cerfa"]
    return Cerfa.model_validate(donnees)


def emettre_cerfa(cerfa: Cerfa) -> dict[str, Any]:
    """La forme canonique, enveloppée : `{"cerfa": {…}}`."""
    return {"cerfa": cerfa.model_dump(mode="json", by_alias=True)}
