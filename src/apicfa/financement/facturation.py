"""Contrôle d'une facture contre l'échéancier (SPEC §5.1, §6.5) et mouvements qu'elle cause.

Fonctions pures : la facture (dictionnaire JSON), l'état de chaque dossier facturé et la date
de réception sont donnés ; rien n'est lu ni daté ici.

`controler_facture` rend TOUS les contrôles manqués, chacun un motif distinct qui nomme la
ligne (`facture.lignes[1].montant`, indices à partir de 0 comme tout chemin JSON) :
- dossier inconnu, ou ni `ENGAGE` ni `RUPTURE` (après une rupture, seul le reste dû se facture) ;
- échéance inconnue, pas encore ouverte le jour de la réception, déjà facturée par une autre
  ligne de la même facture, ou déjà en attente dans une autre facture (montant en cours
  d'instruction) ;
- montant au-delà de `montantTotal − montantRegle − montantEnCoursInstruction` ;
- frais annexes sans engagement de cette nature, ou au-delà de leur plafond ;
- solde final sans certificat de réalisation `Final` reçu dans les 4 mois qui suivent la fin
  (ou facture `estCertificatRealisation: true` reçue dans ce délai) ;
- `montantTotal` différent de la somme des lignes, au centime.

Les contrôles de forme (IBAN et SIRET de l'émetteur, formats, codes, somme des lignes) sont
ceux du validateur de la norme, `valider_facture`, appelé ici : ses constats bloquants sont
repris comme motifs, et un contrôle d'ici ne répète pas un champ qu'il a déjà mis en cause.

Mouvements (invariant `montantRegle + montantEnCoursInstruction ≤ montantTotal` toujours tenu) :
- `mettre_en_instruction` : une facture acceptée met ses montants en cours d'instruction ;
- `regler` : le paiement les fait passer en montant réglé ;
- `liberer` : une facture acceptée puis écartée rend ses montants facturables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from apicfa.financement.calendrier import ajouter_mois
from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe
from apicfa.financement.montants import en_euros, texte_euros
from apicfa.norme.codes import NATURES_LIGNE_FACTURE
from apicfa.norme.constats import AVERTISSEMENT
from apicfa.norme.dates import lire_date
from apicfa.norme.etats import EtatDossier, EtatFacture, lire_etat_dossier
from apicfa.norme.validation import valider_facture

PEDAGOGIE = "PEDAGOGIE"
ETATS_FACTURABLES = frozenset({EtatDossier.ENGAGE, EtatDossier.RUPTURE})
MOIS_CERTIFICAT_FINAL = 4
_CHEMIN = "facture"


# --- Données d'entrée --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlafondFrais:
    """Ce qu'une nature de frais annexes d'un dossier permet encore de facturer.

    `plafond` : montant engagé (somme des lignes `engagementsFraisAnnexe` de la nature) ;
    `deja_facture` : déjà réglé ou en attente dans d'autres factures ;
    `prix_unitaire` : prix maximal d'une unité (nuitée, repas) quand la nature en a un.
    """

    plafond: Decimal
    deja_facture: Decimal = Decimal("0.00")
    prix_unitaire: Decimal | None = None


@dataclass(frozen=True)
class DossierFacture:
    """Ce que le contrôle sait d'un dossier facturé (clé : son `numeroExterne`).

    `echeances` : l'`Echeancier` du moteur, ses `Echeance`, ou les échéances telles que la
    norme les relit (`{"numero", "codification", "montantTotal", "montantRegle",
    "montantEnCoursInstruction", "dateOuverture", "solde"}`).
    `certificats_finals` : dates de réception des certificats de réalisation `Final`.
    """

    etat: EtatDossier | str
    echeances: Echeancier | Sequence[Echeance | Mapping[str, Any]]
    numero_deca: str | None = None
    frais: Mapping[str, PlafondFrais] = field(default_factory=dict)
    certificats_finals: Sequence[date] = ()


def plafonds_frais(
    engagements: Iterable[EngagementFraisAnnexe],
    deja_factures: Mapping[str, Decimal] | None = None,
) -> dict[str, PlafondFrais]:
    """Les plafonds par nature à partir des lignes `engagementsFraisAnnexe` du moteur.

    Les lignes d'une même nature (majoration RQTH année par année) s'additionnent ; le prix
    unitaire n'est retenu que pour les natures comptées à l'unité (quantité > 1 possible).
    """
    totaux: dict[str, Decimal] = {}
    prix: dict[str, Decimal | None] = {}
    for ligne in engagements:
        totaux[ligne.nature_frais] = totaux.get(ligne.nature_frais, Decimal("0.00")) + (
            ligne.montant_total
        )
        unitaire = ligne.prix_unitaire if ligne.quantite > 1 else None
        prix[ligne.nature_frais] = prix.get(ligne.nature_frais) or unitaire
    deja = deja_factures or {}
    return {
        nature: PlafondFrais(total, deja.get(nature, Decimal("0.00")), prix[nature])
        for nature, total in totaux.items()
    }


# --- Résultat ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Motif:
    """Un contrôle manqué : le chemin JSON du champ en cause et la phrase française."""

    champ: str
    message: str

    def __str__(self) -> str:
        return f"{self.champ} : {self.message}"


@dataclass(frozen=True, slots=True)
class Imputation:
    """Une ligne de pédagogie lue : ce qu'elle demande sur une échéance d'un dossier."""

    numero_dossier: str
    numero_echeance: int
    montant: Decimal


@dataclass(frozen=True, slots=True)
class ImputationFrais:
    """Une ligne de frais annexes lue : ce qu'elle demande pour une nature d'un dossier."""

    numero_dossier: str
    nature: str
    montant: Decimal


@dataclass(frozen=True)
class ResultatControle:
    """Issue du contrôle : valide sans aucun motif ; sinon rejetée avec tous ses motifs."""

    motifs: tuple[Motif, ...]
    imputations: tuple[Imputation, ...]
    frais: tuple[ImputationFrais, ...]
    montant_lignes: Decimal

    @property
    def valide(self) -> bool:
        return not self.motifs

    @property
    def etat(self) -> EtatFacture:
        return EtatFacture.VALIDE if self.valide else EtatFacture.REJETE

    @property
    def commentaire(self) -> str | None:
        """Le `commentaire` de l'état de facture : chaque motif, séparés par « ; »."""
        if self.valide:
            return None
        return " ; ".join(str(m) for m in self.motifs)

    def montants_par_echeance(self, numero_dossier: str) -> dict[int, Decimal]:
        """Montant demandé par numéro d'échéance pour un dossier (pour les mouvements)."""
        montants: dict[int, Decimal] = {}
        for imputation in self.imputations:
            if imputation.numero_dossier == numero_dossier:
                numero = imputation.numero_echeance
                montants[numero] = montants.get(numero, Decimal("0.00")) + imputation.montant
        return montants

    def montants_par_dossier(self) -> dict[str, Decimal]:
        """Montant de la facture par dossier (pédagogie et frais), pour `dossiers[]` (§5.2)."""
        montants: dict[str, Decimal] = {}
        for ligne in (*self.imputations, *self.frais):
            montants[ligne.numero_dossier] = (
                montants.get(ligne.numero_dossier, Decimal("0.00")) + ligne.montant
            )
        return montants


# --- Lecture des données --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _VueEcheance:
    numero: int
    codification: str
    total: int
    regle: int
    en_cours: int
    ouverture: date
    solde: bool

    @property
    def disponible(self) -> int:
        return self.total - self.regle - self.en_cours


def _centimes(valeur: Any) -> int | None:
    """Un montant JSON (nombre ou texte) en centimes ; None s'il est illisible ou sous le centime."""
    if isinstance(valeur, bool) or valeur is None:
        return None
    if isinstance(valeur, int):
        return valeur * 100
    if isinstance(valeur, Decimal):
        montant = valeur
    else:
        try:
            montant = Decimal(repr(valeur) if isinstance(valeur, float) else str(valeur).strip())
        except InvalidOperation:
            return None
    if not montant.is_finite():
        return None
    centimes = montant * 100
    if centimes != centimes.to_integral_value():
        return None
    return int(centimes)


def _date(valeur: Any) -> date | None:
    return valeur if isinstance(valeur, date) else lire_date(valeur)


def _vue(echeance: Echeance | Mapping[str, Any]) -> _VueEcheance:
    if isinstance(echeance, Echeance):
        return _VueEcheance(
            numero=echeance.numero,
            codification=echeance.codification,
            total=_centimes(echeance.montant_total) or 0,
            regle=_centimes(echeance.montant_regle) or 0,
            en_cours=_centimes(echeance.montant_en_cours_instruction) or 0,
            ouverture=echeance.date_ouverture,
            solde=echeance.solde,
        )
    ouverture = _date(echeance.get("dateOuverture"))
    if ouverture is None:
        raise ValueError(f"échéance sans dateOuverture lisible : {echeance!r}")
    numero = int(echeance["numero"])
    return _VueEcheance(
        numero=numero,
        codification=str(echeance.get("codification") or f"E{numero}"),
        total=_centimes(echeance.get("montantTotal")) or 0,
        regle=_centimes(echeance.get("montantRegle")) or 0,
        en_cours=_centimes(echeance.get("montantEnCoursInstruction")) or 0,
        ouverture=ouverture,
        solde=bool(echeance.get("solde", False)),
    )


def _echeances(dossier: DossierFacture) -> dict[int, _VueEcheance]:
    source = (
        dossier.echeances.echeances
        if isinstance(dossier.echeances, Echeancier)
        else dossier.echeances
    )
    return {vue.numero: vue for vue in map(_vue, source)}


def _numero_echeance(ligne: Mapping[str, Any]) -> int | None:
    numero = ligne.get("numeroEcheance")
    if isinstance(numero, int) and not isinstance(numero, bool):
        return numero
    if isinstance(numero, str) and numero.strip().isdigit():
        return int(numero)
    codification = str(ligne.get("codificationEcheance") or "").strip().upper()
    if codification.startswith("E") and codification[1:].isdigit():
        return int(codification[1:])
    return None


def _est_vrai(valeur: Any) -> bool:
    return valeur is True or str(valeur).strip().lower() in {"true", "1", "oui"}


def _jour(jour: date) -> str:
    return f"{jour:%d/%m/%Y}"


# --- Contrôle -----------------------------------------------------------------------------------


@dataclass
class _Controle:
    """L'état d'avancement du contrôle d'une facture (interne)."""

    dossiers: Mapping[str, DossierFacture]
    date_reception: date
    certificat_joint: bool
    motifs: list[Motif] = field(default_factory=list)
    imputations: list[Imputation] = field(default_factory=list)
    frais: list[ImputationFrais] = field(default_factory=list)
    echeances_vues: dict[tuple[str, int], int] = field(default_factory=dict)
    frais_vus: dict[tuple[str, str], int] = field(default_factory=dict)
    cache_echeances: dict[str, dict[int, _VueEcheance]] = field(default_factory=dict)
    champs_norme: set[str] = field(default_factory=set)

    def motif(self, champ: str, message: str) -> None:
        if champ not in self.champs_norme:
            self.motifs.append(Motif(champ, message))

    def motif_norme(self, champ: str, message: str) -> None:
        self.champs_norme.add(champ)
        self.motifs.append(Motif(champ, message))

    def echeances(self, numero_dossier: str, dossier: DossierFacture) -> dict[int, _VueEcheance]:
        if numero_dossier not in self.cache_echeances:
            self.cache_echeances[numero_dossier] = _echeances(dossier)
        return self.cache_echeances[numero_dossier]


def _controler_etat(ctrl: _Controle, chemin: str, numero: str, dossier: DossierFacture) -> None:
    etat = (
        dossier.etat if isinstance(dossier.etat, EtatDossier) else lire_etat_dossier(dossier.etat)
    )
    if etat not in ETATS_FACTURABLES:
        ctrl.motif(
            f"{chemin}.numeroDossier",
            f"le dossier {numero} est {etat.value} : seul un dossier ENGAGE (ou RUPTURE, pour "
            "le reste dû) peut être facturé",
        )


def _controler_deca(
    ctrl: _Controle, chemin: str, ligne: Mapping[str, Any], dossier: DossierFacture
) -> None:
    deca = str(ligne.get("numeroDeca") or "").strip()
    if deca and dossier.numero_deca and deca != dossier.numero_deca:
        ctrl.motif(
            f"{chemin}.numeroDeca",
            f"le numéro DECA {deca} n'est pas celui du dossier ({dossier.numero_deca})",
        )


def _controler_certificat(
    ctrl: _Controle, chemin: str, echeance: _VueEcheance, dossier: DossierFacture
) -> None:
    fin = echeance.ouverture - timedelta(days=1)
    limite = ajouter_mois(fin, MOIS_CERTIFICAT_FINAL)
    recus = sorted(dossier.certificats_finals)
    if any(recu <= limite for recu in recus):
        return
    if ctrl.certificat_joint and ctrl.date_reception <= limite:
        return
    base = (
        f"l'échéance {echeance.codification} est le solde final : elle n'est payable que sur un "
        f"certificat de réalisation Final reçu au plus tard le {_jour(limite)} (4 mois après la "
        f"fin, le {_jour(fin)}), par /v2/certificats ou avec estCertificatRealisation: true"
    )
    if recus:
        base += f" — le seul certificat Final reçu l'a été le {_jour(recus[0])}, trop tard"
    elif ctrl.certificat_joint:
        base += f" — cette facture reçue le {_jour(ctrl.date_reception)} arrive trop tard"
    else:
        base += " — aucun certificat Final n'a été reçu"
    ctrl.motif(f"{chemin}.numeroEcheance", base)


def _controler_pedagogie(
    ctrl: _Controle,
    chemin: str,
    indice: int,
    ligne: Mapping[str, Any],
    numero_dossier: str,
    dossier: DossierFacture,
    montant: int | None,
) -> None:
    numero = _numero_echeance(ligne)
    if numero is None:
        ctrl.motif(
            f"{chemin}.numeroEcheance",
            "numéro d'échéance manquant ou illisible (numeroEcheance ou codificationEcheance)",
        )
        return
    echeance = ctrl.echeances(numero_dossier, dossier).get(numero)
    if echeance is None:
        ctrl.motif(
            f"{chemin}.numeroEcheance",
            f"l'échéance n°{numero} n'existe pas dans l'échéancier du dossier {numero_dossier}",
        )
        return
    codification = str(ligne.get("codificationEcheance") or "").strip()
    if codification and codification.upper() != echeance.codification.upper():
        ctrl.motif(
            f"{chemin}.codificationEcheance",
            f"la codification {codification} ne correspond pas à l'échéance n°{numero} "
            f"({echeance.codification})",
        )
    if echeance.ouverture > ctrl.date_reception:
        ctrl.motif(
            f"{chemin}.numeroEcheance",
            f"l'échéance {echeance.codification} du dossier {numero_dossier} ne s'ouvre que le "
            f"{_jour(echeance.ouverture)}, or la facture a été reçue le {_jour(ctrl.date_reception)}",
        )
    cle = (numero_dossier, numero)
    if cle in ctrl.echeances_vues:
        ctrl.motif(
            f"{chemin}.numeroEcheance",
            f"l'échéance {echeance.codification} du dossier {numero_dossier} est déjà facturée "
            f"par la ligne facture.lignes[{ctrl.echeances_vues[cle]}] de cette facture",
        )
    else:
        ctrl.echeances_vues[cle] = indice
    if echeance.en_cours > 0:
        ctrl.motif(
            f"{chemin}.numeroEcheance",
            f"l'échéance {echeance.codification} du dossier {numero_dossier} est déjà en "
            f"attente dans une autre facture ({texte_euros(echeance.en_cours)} en cours "
            "d'instruction) : attendez son règlement ou son rejet",
        )
    if montant is not None and montant > echeance.disponible:
        ctrl.motif(
            f"{chemin}.montant",
            f"{texte_euros(montant)} demandés sur l'échéance {echeance.codification} du "
            f"dossier {numero_dossier}, qui n'en permet que {texte_euros(max(echeance.disponible, 0))} "
            f"(montantTotal {texte_euros(echeance.total)} − montantRegle "
            f"{texte_euros(echeance.regle)} − montantEnCoursInstruction "
            f"{texte_euros(echeance.en_cours)})",
        )
    if echeance.solde:
        _controler_certificat(ctrl, chemin, echeance, dossier)
    if montant is not None:
        ctrl.imputations.append(Imputation(numero_dossier, numero, en_euros(montant)))


def _controler_frais(
    ctrl: _Controle,
    chemin: str,
    ligne: Mapping[str, Any],
    nature: str,
    numero_dossier: str,
    dossier: DossierFacture,
    montant: int | None,
) -> None:
    plafond = dossier.frais.get(nature)
    if plafond is None:
        ctrl.motif(
            f"{chemin}.natureLigne",
            f"aucun frais annexe {nature} n'est engagé pour le dossier {numero_dossier} "
            "(voir engagementsFraisAnnexe de la convention)",
        )
        return
    if montant is None:
        return
    cle = (numero_dossier, nature)
    deja_ici = ctrl.frais_vus.get(cle, 0)
    reste = (_centimes(plafond.plafond) or 0) - (_centimes(plafond.deja_facture) or 0) - deja_ici
    if montant > reste:
        ctrl.motif(
            f"{chemin}.montant",
            f"{texte_euros(montant)} de frais {nature} demandés pour le dossier "
            f"{numero_dossier}, au-delà du plafond : reste {texte_euros(max(reste, 0))} "
            f"sur {texte_euros(_centimes(plafond.plafond) or 0)} engagés",
        )
    quantite = ligne.get("quantite")
    if (
        plafond.prix_unitaire is not None
        and isinstance(quantite, int)
        and not isinstance(quantite, bool)
    ):
        maximum = quantite * (_centimes(plafond.prix_unitaire) or 0)
        if montant > maximum:
            ctrl.motif(
                f"{chemin}.montant",
                f"{texte_euros(montant)} pour {quantite} unité(s) de {nature} : au plus "
                f"{texte_euros(maximum)} ({texte_euros(_centimes(plafond.prix_unitaire) or 0)} "
                "l'unité)",
            )
    ctrl.frais_vus[cle] = deja_ici + montant
    ctrl.frais.append(ImputationFrais(numero_dossier, nature, en_euros(montant)))


def _controler_ligne(ctrl: _Controle, indice: int, ligne: Any) -> int | None:
    """Contrôle une ligne ; rend son montant en centimes (None s'il est illisible)."""
    chemin = f"{_CHEMIN}.lignes[{indice}]"
    if not isinstance(ligne, Mapping):
        ctrl.motif(chemin, "une ligne de facture doit être un objet JSON")
        return None
    montant = _centimes(ligne.get("montant"))
    if montant is None:
        ctrl.motif(
            f"{chemin}.montant",
            f"montant manquant ou illisible ({ligne.get('montant')!r}) : un nombre en euros, "
            "au centime",
        )
    elif montant <= 0:
        ctrl.motif(f"{chemin}.montant", f"le montant doit être positif ({texte_euros(montant)})")
    nature = str(ligne.get("natureLigne") or "").strip().upper()
    if nature not in NATURES_LIGNE_FACTURE:
        attendues = ", ".join(sorted(NATURES_LIGNE_FACTURE))
        ctrl.motif(
            f"{chemin}.natureLigne",
            f"nature de ligne « {ligne.get('natureLigne')} » inconnue (attendues : {attendues})",
        )
    numero_dossier = str(ligne.get("numeroDossier") or "").strip()
    dossier = ctrl.dossiers.get(numero_dossier)
    if dossier is None:
        ctrl.motif(
            f"{chemin}.numeroDossier",
            f"dossier « {numero_dossier} » inconnu : numeroDossier doit être le numeroExterne "
            "d'un dossier de ce CFA",
        )
        return montant
    _controler_etat(ctrl, chemin, numero_dossier, dossier)
    _controler_deca(ctrl, chemin, ligne, dossier)
    utile = montant if montant is not None and montant > 0 else None
    if nature == PEDAGOGIE:
        _controler_pedagogie(ctrl, chemin, indice, ligne, numero_dossier, dossier, utile)
    elif nature in NATURES_LIGNE_FACTURE:
        _controler_frais(ctrl, chemin, ligne, nature, numero_dossier, dossier, utile)
    return montant


def controler_facture(
    facture: Mapping[str, Any],
    *,
    dossiers: Mapping[str, DossierFacture],
    date_reception: date,
) -> ResultatControle:
    """Contrôle une facture reçue le `date_reception` (voir le module).

    `facture` : l'objet `facture` (ou son enveloppe `{"facture": …}`) ; `dossiers` : l'état de
    chaque dossier du CFA, par `numeroExterne`. Les avertissements du validateur de la norme
    n'empêchent rien et ne sont pas repris.
    """
    corps = facture.get("facture") if isinstance(facture.get("facture"), Mapping) else facture
    ctrl = _Controle(
        dossiers=dossiers,
        date_reception=date_reception,
        certificat_joint=_est_vrai(corps.get("estCertificatRealisation")),
    )
    for constat in valider_facture(dict(corps), aujourd_hui=date_reception):
        if constat.niveau != AVERTISSEMENT:
            ctrl.motif_norme(constat.champ, constat.message.strip().rstrip("."))
    lignes = corps.get("lignes")
    somme = 0
    lisibles = True
    if not isinstance(lignes, list) or not lignes:
        ctrl.motif(f"{_CHEMIN}.lignes", "la facture doit avoir au moins une ligne")
        lignes = []
    for indice, ligne in enumerate(lignes):
        montant = _controler_ligne(ctrl, indice, ligne)
        if montant is None:
            lisibles = False
        else:
            somme += montant
    total = _centimes(corps.get("montantTotal"))
    if total is None:
        ctrl.motif(
            f"{_CHEMIN}.montantTotal",
            f"montant total manquant ou illisible ({corps.get('montantTotal')!r})",
        )
    elif lisibles and total != somme:
        ctrl.motif(
            f"{_CHEMIN}.montantTotal",
            f"le montant total {texte_euros(total)} n'est pas la somme des lignes "
            f"({texte_euros(somme)})",
        )
    return ResultatControle(
        motifs=tuple(ctrl.motifs),
        imputations=tuple(ctrl.imputations),
        frais=tuple(ctrl.frais),
        montant_lignes=en_euros(somme),
    )


# --- Mouvements sur les échéances ------------------------------------------------------------


def _appliquer(
    echeances: Sequence[Echeance],
    montants: Mapping[int, Decimal],
    mouvement: str,
) -> tuple[Echeance, ...]:
    connues = {e.numero for e in echeances}
    inconnues = sorted(set(montants) - connues)
    if inconnues:
        raise ValueError(f"échéance(s) inconnue(s) : {', '.join(map(str, inconnues))}")
    resultat: list[Echeance] = []
    for echeance in echeances:
        montant = montants.get(echeance.numero)
        if montant is None:
            resultat.append(echeance)
            continue
        if montant < 0:
            raise ValueError(f"montant négatif sur l'échéance {echeance.codification}")
        regle, en_cours = echeance.montant_regle, echeance.montant_en_cours_instruction
        if mouvement == "instruction":
            en_cours += montant
        elif montant > en_cours:
            raise ValueError(
                f"échéance {echeance.codification} : {montant} € à {mouvement}, mais seulement "
                f"{en_cours} € en cours d'instruction"
            )
        elif mouvement == "regler":
            regle, en_cours = regle + montant, en_cours - montant
        else:
            en_cours -= montant
        if regle + en_cours > echeance.montant_total:
            raise ValueError(
                f"échéance {echeance.codification} : montantRegle ({regle} €) + "
                f"montantEnCoursInstruction ({en_cours} €) dépasseraient montantTotal "
                f"({echeance.montant_total} €)"
            )
        resultat.append(
            echeance._replace(montant_regle=regle, montant_en_cours_instruction=en_cours)
        )
    return tuple(resultat)


def mettre_en_instruction(
    echeances: Sequence[Echeance], montants: Mapping[int, Decimal]
) -> tuple[Echeance, ...]:
    """Facture acceptée : chaque montant (par numéro d'échéance) passe en cours d'instruction."""
    return _appliquer(echeances, montants, "instruction")


def regler(echeances: Sequence[Echeance], montants: Mapping[int, Decimal]) -> tuple[Echeance, ...]:
    """Facture payée : chaque montant passe d'« en cours d'instruction » à « réglé »."""
    return _appliquer(echeances, montants, "regler")


def liberer(echeances: Sequence[Echeance], montants: Mapping[int, Decimal]) -> tuple[Echeance, ...]:
    """Facture acceptée puis écartée : ses montants quittent « en cours d'instruction »."""
    return _appliquer(echeances, montants, "liberer")


def est_entierement_regle(echeances: Sequence[Echeance]) -> bool:
    """Vrai quand chaque échéance est réglée en entier : le dossier peut devenir `SOLDE`."""
    return bool(echeances) and all(e.montant_regle == e.montant_total for e in echeances)
