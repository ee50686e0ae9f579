"""Réponses typées des routes OPCO, lues avec tolérance envers les variantes réelles.

Variantes admises : réponse enveloppée dans un tableau à un élément, dates avec
décalage (date du calendrier telle qu'écrite), état `RUPTU` lu `RUPTURE`, montants
en nombres JSON lus en `Decimal` (jamais en flottant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from apicfa.client.dates import lire_date
from apicfa.client.erreurs import ErreurReponse
from apicfa.norme.etats import lire_etat_dossier, lire_etat_facture

if TYPE_CHECKING:
    from apicfa.norme import reponses as modeles

T = TypeVar("T")


def deballer(corps: Any) -> Any:
    """Retire l'enveloppe d'un tableau à un élément que certains OPCO ajoutent."""
    if isinstance(corps, list) and len(corps) == 1 and isinstance(corps[0], dict):
        return corps[0]
    return corps


def objet(corps: Any, route: str) -> dict[str, Any]:
    """Le corps sous forme d'objet JSON, ou une ErreurReponse nommant la route."""
    corps = deballer(corps)
    if not isinstance(corps, dict):
        raise ErreurReponse(f"Réponse inattendue de {route} : un objet JSON était attendu")
    return corps


def _texte(valeur: Any) -> str | None:
    if valeur is None or valeur == "":
        return None
    return str(valeur)


def _montant(valeur: Any) -> Decimal | None:
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, float):
        valeur = repr(valeur)
    try:
        return Decimal(str(valeur).replace(" ", "").replace(",", ".")).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise ErreurReponse(f"Montant illisible dans la réponse : « {valeur} »") from exc


def _date(valeur: Any, champ: str) -> date | None:
    try:
        return lire_date(valeur)
    except ValueError as exc:
        raise ErreurReponse(f"Champ {champ} de la réponse : {exc}") from exc


def lire_etat(valeur: Any) -> str | None:
    """État de dossier canonique (`RUPTU` → `RUPTURE`) ; un état inconnu est gardé tel quel."""
    texte = _texte(valeur)
    if texte is None:
        return None
    try:
        return lire_etat_dossier(texte).value
    except ValueError:
        return texte.strip().upper()


@dataclass(frozen=True)
class AccuseDepot:
    """Réponse d'un dépôt de dossier (`POST /v1|v2/dossiers`)."""

    numero_interne: str
    numero_externe: str | None
    etat: str | None
    brut: dict[str, Any] = field(repr=False, compare=False)

    def modele(self) -> modeles.ReponseDepot:
        """La réponse validée par le modèle strict de la norme (lève pydantic.ValidationError)."""
        from apicfa.norme.reponses import ReponseDepot

        return ReponseDepot.model_validate(self.brut)

    @classmethod
    def lire(cls, corps: Any) -> AccuseDepot:
        donnees = objet(corps, "POST dossiers")
        numero = _texte(donnees.get("numeroInterne"))
        if numero is None:
            raise ErreurReponse("Réponse de dépôt sans numeroInterne")
        return cls(
            numero_interne=numero,
            numero_externe=_texte(donnees.get("numeroExterne")),
            etat=lire_etat(donnees.get("etat")),
            brut=donnees,
        )


@dataclass(frozen=True)
class EtatDossier:
    """Un élément d'`EtatDossierResult` ou de `GET /v1/dossiers/liste`."""

    numero_interne: str
    numero_externe: str | None
    numero_deca: str | None
    etat: str | None
    commentaire_etat: str | None
    date_modification: str | None

    @classmethod
    def lire(cls, donnees: dict[str, Any]) -> EtatDossier:
        numero = _texte(donnees.get("numeroInterne"))
        if numero is None:
            raise ErreurReponse("État de dossier sans numeroInterne dans la réponse")
        return cls(
            numero_interne=numero,
            numero_externe=_texte(donnees.get("numeroExterne")),
            numero_deca=_texte(donnees.get("numeroDeca")),
            etat=lire_etat(donnees.get("etat")),
            commentaire_etat=_texte(donnees.get("commentaireEtat")),
            date_modification=_texte(donnees.get("dateModification")),
        )


@dataclass(frozen=True)
class Echeance:
    """Une échéance de l'échéancier d'un dossier relu (SPEC §6.2)."""

    numero: int
    codification: str | None
    montant_total: Decimal
    montant_regle: Decimal
    montant_en_cours_instruction: Decimal
    date_ouverture: date | None
    date_debut: date | None
    date_fin: date | None

    @property
    def reste_du(self) -> Decimal:
        """Ce qui peut encore être facturé sur l'échéance."""
        return self.montant_total - self.montant_regle - self.montant_en_cours_instruction

    @classmethod
    def lire(cls, donnees: dict[str, Any]) -> Echeance:
        zero = Decimal("0.00")
        try:
            numero = int(donnees["numero"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ErreurReponse("Échéance sans numéro lisible dans la réponse") from exc
        return cls(
            numero=numero,
            codification=_texte(donnees.get("codification")),
            montant_total=_montant(donnees.get("montantTotal")) or zero,
            montant_regle=_montant(donnees.get("montantRegle")) or zero,
            montant_en_cours_instruction=_montant(donnees.get("montantEnCoursInstruction")) or zero,
            date_ouverture=_date(donnees.get("dateOuverture"), "dateOuverture"),
            date_debut=_date(donnees.get("dateDebut"), "dateDebut"),
            date_fin=_date(donnees.get("dateFin"), "dateFin"),
        )


@dataclass(frozen=True)
class DossierLu:
    """Relecture d'un dossier avec sa vue financière (`GET dossiers`, SPEC §6.2)."""

    numero_interne: str
    numero_externe: str | None
    numero_deca: str | None
    etat: str | None
    commentaire_etat: str | None
    engagement: Decimal | None
    echeances: list[Echeance]
    trop_percu: Decimal
    cerfa: dict[str, Any] = field(repr=False, compare=False)
    brut: dict[str, Any] = field(repr=False, compare=False)

    def modele(self) -> modeles.DossierRelu:
        """Le dossier validé par le modèle strict de la norme (types, invariants des
        échéances) ; lève pydantic.ValidationError sur une relecture qui s'en écarte."""
        from apicfa.norme.reponses import DossierRelu

        return DossierRelu.model_validate(self.brut)

    @classmethod
    def lire(cls, corps: Any) -> DossierLu:
        donnees = objet(corps, "GET dossiers")
        cerfa = donnees.get("cerfa") if isinstance(donnees.get("cerfa"), dict) else donnees
        numero = _texte(cerfa.get("numeroInterne")) or _texte(donnees.get("numeroInterne"))
        if numero is None:
            raise ErreurReponse("Dossier relu sans numeroInterne")
        echeances = [
            Echeance.lire(e) for e in donnees.get("echeances") or [] if isinstance(e, dict)
        ]
        return cls(
            numero_interne=numero,
            numero_externe=_texte(cerfa.get("numeroExterne")),
            numero_deca=_texte(cerfa.get("numeroDeca")),
            etat=lire_etat(cerfa.get("etat")),
            commentaire_etat=_texte(cerfa.get("commentaireEtat")),
            engagement=_montant(donnees.get("engagement")),
            echeances=sorted(echeances, key=lambda e: e.numero),
            trop_percu=_montant(donnees.get("tropPercu")) or Decimal("0.00"),
            cerfa=cerfa,
            brut=donnees,
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    """Une page d'une liste paginée (`numeroPage`)."""

    total: int | None
    page: int | None
    elements: list[T]


@dataclass(frozen=True)
class AccuseObjet:
    """Réponse d'un envoi multipart (convention, facture, certificat, document)."""

    numero_interne: str | None
    numero_interne_document: str | None
    brut: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def lire(cls, corps: Any, cle_numero: str | None, route: str) -> AccuseObjet:
        donnees = objet(corps, route)
        return cls(
            numero_interne=_texte(donnees.get(cle_numero)) if cle_numero else None,
            numero_interne_document=_texte(donnees.get("numeroInterneDocument")),
            brut=donnees,
        )


@dataclass(frozen=True)
class EtatFacture:
    """Un élément de `GET /v2/factures/etats` (SPEC §5.2)."""

    numero_interne_facture: str
    reference_facture_cfa: str | None
    montant_facture: Decimal | None
    etat_facture: str | None
    reference_virement: str | None
    date_reglement: date | None
    commentaire: str | None
    dossiers: list[dict[str, Any]]

    @classmethod
    def lire(cls, donnees: dict[str, Any]) -> EtatFacture:
        numero = _texte(donnees.get("numeroInterneFacture"))
        if numero is None:
            raise ErreurReponse("État de facture sans numeroInterneFacture dans la réponse")
        etat = _texte(donnees.get("etatFacture"))
        if etat is not None:
            try:
                etat = lire_etat_facture(etat).value
            except ValueError:
                etat = etat.strip().upper()
        return cls(
            numero_interne_facture=numero,
            reference_facture_cfa=_texte(donnees.get("referenceFactureCFA")),
            montant_facture=_montant(donnees.get("montantFacture")),
            etat_facture=etat,
            reference_virement=_texte(donnees.get("referenceVirement")),
            date_reglement=_date(donnees.get("dateReglement"), "dateReglement"),
            commentaire=_texte(donnees.get("commentaire")),
            dossiers=[d for d in donnees.get("dossiers") or [] if isinstance(d, dict)],
        )


@dataclass(frozen=True)
class InfoCle:
    """Réponse de `GET /v2/cfakeyinfo`."""

    valide: bool
    date_fin_validite: date | None
    commentaire: str | None

    @classmethod
    def lire(cls, corps: Any) -> InfoCle:
        donnees = objet(corps, "GET cfakeyinfo")
        return cls(
            valide=str(donnees.get("status", "")).lower() == "success",
            date_fin_validite=_date(donnees.get("dateFinValidite"), "dateFinValidite"),
            commentaire=_texte(donnees.get("comment")),
        )


@dataclass(frozen=True)
class StatutService:
    """Réponse de `GET /v1/status`."""

    statut: str
    versions: list[str]

    @classmethod
    def lire(cls, corps: Any) -> StatutService:
        donnees = objet(corps, "GET status")
        return cls(
            statut=str(donnees.get("status", "")),
            versions=[str(v) for v in donnees.get("versions") or []],
        )
