"""Modèles des réponses de la norme (SPEC §2, §3, §5.2, §6.2) : ce que l'OPCO renvoie.

Montants en `Decimal`, émis en nombres JSON au centime. Les états de dossier admettent l'alias
`RUPTU` en entrée et s'émettent sous leur forme canonique. Les pages acceptent aussi la variante
« tableau d'un élément » de certains serveurs (`lire_page_…`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from apicfa.norme.cerfa import Cerfa
from apicfa.norme.constats import Constat
from apicfa.norme.etats import EtatDossier, EtatFacture, lire_etat_dossier, lire_etat_facture
from apicfa.norme.types_norme import DateNorme, Entier, Identifiant, ModeleNorme, Montant

Etat = Annotated[
    EtatDossier, BeforeValidator(lambda v: lire_etat_dossier(v) if isinstance(v, str) else v)
]
EtatDeFacture = Annotated[
    EtatFacture, BeforeValidator(lambda v: lire_etat_facture(v) if isinstance(v, str) else v)
]
TAILLE_PAGE = 100


class ReponseDepot(ModeleNorme):
    """Réponse à `POST /v{1,2}/dossiers`."""

    numeroInterne: Identifiant
    numeroExterne: Identifiant
    etat: Etat = EtatDossier.TRANSMIS


class Echeance(ModeleNorme):
    numero: Entier
    codification: str
    montantTotal: Montant
    montantRegle: Montant = Decimal(0)
    montantEnCoursInstruction: Montant = Decimal(0)
    dateOuverture: DateNorme
    dateDebut: DateNorme | None = None
    dateFin: DateNorme | None = None

    @model_validator(mode="after")
    def _invariant(self) -> Echeance:
        if self.montantRegle + self.montantEnCoursInstruction > self.montantTotal:
            raise ValueError(
                f"échéance {self.codification} : le réglé et l'en cours d'instruction "
                f"dépassent le montant total {self.montantTotal}"
            )
        return self


class EngagementFraisAnnexe(ModeleNorme):
    natureFrais: str
    quantite: Montant
    prixUnitaire: Montant
    montantTotal: Montant


class PeriodeFraisAnnexes(ModeleNorme):
    numeroEcheance: Entier
    nature: str


class DetailsFacturation(ModeleNorme):
    IBAN: str | None = None
    plafondFraisPremierEquipement: Montant = Decimal(0)
    fraisPremierEquipementRegles: Montant = Decimal(0)
    fraisMobiliteRegles: Montant = Decimal(0)
    periodesFraisAnnexes: list[PeriodeFraisAnnexes] = Field(default_factory=list)


class DossierRelu(ModeleNorme):
    """Relecture d'un dossier (`GET dossiers`) : le cerfa et sa vue financière (§6.2).

    `tropPercu` (extension apicfa) : ce qui reste à reprendre après une rupture, 0,00 sinon.
    """

    cerfa: Cerfa
    engagement: Montant = Decimal(0)
    echeances: list[Echeance] = Field(default_factory=list)
    engagementsFraisAnnexe: list[EngagementFraisAnnexe] = Field(default_factory=list)
    detailsFacturation: DetailsFacturation = Field(default_factory=DetailsFacturation)
    tropPercu: Montant = Decimal(0)


class EtatDossierItem(ModeleNorme):
    """Élément de la page `EtatDossierResult`."""

    numeroInterne: Identifiant
    numeroExterne: Identifiant | None = None
    numeroDeca: str | None = None
    etat: Etat
    commentaireEtat: str | None = None
    dateModification: datetime | None = None


class DossierListe(ModeleNorme):
    """Élément de `GET /v1/dossiers/liste`."""

    numeroInterne: Identifiant
    numeroExterne: Identifiant | None = None
    numeroDeca: str | None = None
    etat: Etat


class PageEtatsDossiers(ModeleNorme):
    total: int
    count: int
    page: int
    EtatDossierResult: list[EtatDossierItem] = Field(default_factory=list)


class OrganismeFacture(ModeleNorme):
    siret: str | None = None
    IBAN: str | None = None


class DossierFacture(ModeleNorme):
    numeroInterneDossier: Identifiant | None = None
    numeroExterneDossier: Identifiant | None = None
    montant: Montant


class EtatFactureItem(ModeleNorme):
    numeroInterneFacture: Identifiant
    referenceFactureCFA: Identifiant | None = None
    montantFacture: Montant
    etatFacture: EtatDeFacture
    referenceVirement: str | None = None
    dateReglement: DateNorme | None = None
    commentaire: str | None = None
    organismeFormation: OrganismeFacture | None = None
    dossiers: list[DossierFacture] = Field(default_factory=list)


class PageEtatsFactures(ModeleNorme):
    total: int
    count: int
    page: int
    factures: list[EtatFactureItem] = Field(default_factory=list)


def _deballer_page(donnees: Any) -> Any:
    if isinstance(donnees, list) and len(donnees) == 1:
        return donnees[0]
    return donnees


def lire_page_etats_dossiers(donnees: Any) -> PageEtatsDossiers:
    """Une page d'états de dossiers, objet ou tableau d'un élément."""
    return PageEtatsDossiers.model_validate(_deballer_page(donnees))


def lire_page_etats_factures(donnees: Any) -> PageEtatsFactures:
    """Une page d'états de factures, objet ou tableau d'un élément."""
    return PageEtatsFactures.model_validate(_deballer_page(donnees))


class ReponseFacture(ModeleNorme):
    numeroInterneFacture: Identifiant
    numeroInterneDocument: Identifiant


class ReponseConvention(ModeleNorme):
    numeroInterneConvention: Identifiant
    numeroInterneDocument: Identifiant


class ReponseCertificat(ModeleNorme):
    numeroInterneCertificat: Identifiant
    numeroInterneDocument: Identifiant


class ReponseDocument(ModeleNorme):
    numeroInterneDocument: Identifiant


class CfaKeyInfo(ModeleNorme):
    status: Literal["success", "error"]
    dateFinValidite: DateNorme | None = None
    comment: str | None = None


class Statut(ModeleNorme):
    status: Literal["healthy", "degraded", "unhealthy"]
    versions: list[str] = Field(default_factory=lambda: ["1", "2"])


class Erreur(ModeleNorme):
    code: str
    description: str
    champ: str | None = None


class CorpsErreur(ModeleNorme):
    """Corps d'erreur `{"errors": [{"code", "description", "champ"}]}`."""

    errors: list[Erreur]


def corps_erreur(constats: Iterable[Constat]) -> CorpsErreur:
    """Le corps d'erreur qui liste tous les constats donnés (tous à la fois)."""
    return CorpsErreur(
        errors=[Erreur(code=c.code, description=c.message, champ=c.champ) for c in constats]
    )
