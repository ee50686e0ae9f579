"""Instruction d'un dossier stocké : la décision pure (`apicfa.instruction.instruire`) appliquée
à la base — état, `commentaireEtat`, engagement, échéancier, numéro DECA.

Utilisé par l'instructeur du serveur (automatique, juste après le dépôt) et par
`apicfa opco instruire` (décision de l'agent)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy.orm import Session

from apicfa.financement.frais_annexes import PREMIER_EQUIPEMENT, CoutsConvention, lire_couts
from apicfa.financement.lecture_cerfa import conclusion_financement, depuis_cerfa
from apicfa.financement.montants import en_centimes
from apicfa.financement.npec import ReferentielNpec
from apicfa.financement.periodes_frais import periodes_frais_annexes
from apicfa.instruction import ParametresInstruction, departement_deca, instruire, numero_deca
from apicfa.instruction.lecture import contenu_cerfa, departement_employeur
from apicfa.norme.etats import EtatDossier
from apicfa.norme.validation import valider_cerfa
from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.echeancier_dossier import (
    centimes,
    cerfa_de_charge,
    cerfa_du_dossier,
    contrat_du_dossier,
    couts_de_convention,
    echeancier_initial,
    ecrire_frais,
    lignes_echeances,
    lignes_frais,
    valeurs_echeances,
)
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.referentiel_npec import resoudre_pour_cerfa
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.guichet import (
    DecisionAEcrire,
    DossierAInstruire,
    ecrire_decisions,
)
from apicfa.stockage.sequences import CleDeca, sequence_deca, sequences_deca
from apicfa.stockage.tables import Dossier

EN_COURS = EtatDossier.EN_COURS_INSTRUCTION.value
ENGAGE = EtatDossier.ENGAGE.value
COMMENTAIRE_PANNE = (
    "Dossier en instruction : l'instruction automatique a échoué (erreur interne) : "
    "décision manuelle de l'OPCO."
)
journaliseur = logging.getLogger("apicfa.opco")


def parametres(profil: ProfilOpco) -> ParametresInstruction:
    return ParametresInstruction(
        instruction_manuelle=profil.instruction_manuelle,
        amorcage_autorise=profil.amorcage_autorise,
    )


def engager(
    espace: EspaceCfa,
    dossier: Dossier,
    profil: ProfilOpco,
    npec: Decimal,
    jour: date,
    maintenant: datetime,
    commentaire: str | None = None,
) -> None:
    """Engage un dossier `EN_COURS_INSTRUCTION` : NPEC, échéancier, frais annexes d'une
    convention déjà reçue, numéro DECA (mois de `jour`), état `ENGAGE`.

    Lève `ValueError` (message français) quand le cerfa ne permet pas de calculer l'échéancier."""
    dossier.npec_centimes = en_centimes(npec)
    couts = couts_de_convention(espace, dossier)
    echeancier = echeancier_initial(contrat_du_dossier(dossier, profil, couts))
    departement = departement_deca(
        departement_employeur(contenu_cerfa(cerfa_du_dossier(dossier))),
        parametres(profil).departement_deca_defaut,
    )
    (sequence,) = sequence_deca(
        espace.session, dossier.opco, departement, jour.year * 100 + jour.month
    )
    dossier.numero_deca = numero_deca(departement, jour, sequence)
    dossier.engagement_centimes = en_centimes(echeancier.engagement)
    dossier.trop_percu_centimes = en_centimes(echeancier.trop_percu)
    espace.ecrire_echeances(dossier, lignes_echeances(echeancier.echeances))
    ecrire_frais(espace, dossier, echeancier)
    espace.changer_etat(dossier, EtatDossier.ENGAGE.value, maintenant, commentaire)


def _decider(
    dossier: DossierAInstruire,
    donnees: dict[str, Any],
    constats: Sequence[Any],
    profil: ProfilOpco,
    referentiel: ReferentielNpec,
    couts: CoutsConvention | None,
    reglages: ParametresInstruction | None = None,
) -> tuple[DecisionAEcrire, str | None]:
    """L'issue d'un dossier `TRANSMIS` (rien n'est écrit) et, s'il est engagé, le département
    de son numéro DECA. `reglages` : `parametres(profil)` déjà construits (une fois par lot).

    La date de conclusion du financement est calculée une fois : pour la NPEC, puis pour
    l'échéancier (None si le cerfa ne la donne pas : chacun la recalcule et lève ou se rabat
    comme sans elle)."""
    depot = dossier.date_creation.date()
    if reglages is None:
        reglages = parametres(profil)
    cerfa = contenu_cerfa(donnees)
    try:
        conclusion: date | None = conclusion_financement(cerfa)
    except ValueError:
        conclusion = None
    decision = instruire(
        donnees,
        constats=constats,
        resolution_npec=resoudre_pour_cerfa(referentiel, donnees, depot, conclusion=conclusion),
        date_depot=depot,
        profil=reglages,
    )
    if not decision.engage or decision.npec is None:
        return DecisionAEcrire(dossier, decision.etat.value, decision.commentaire_etat), None
    try:
        contrat = depuis_cerfa(
            donnees,
            decision.npec.valeur,
            couts=couts,
            forfait_mobilite=profil.forfait_mobilite,
            conclusion=conclusion,
        )
        echeancier = echeancier_initial(contrat)
    except ValueError as probleme:
        commentaire = (
            f"Dossier en instruction : échéancier impossible à calculer ({probleme}) : "
            "décision manuelle de l'OPCO."
        )
        return DecisionAEcrire(dossier, EN_COURS, commentaire), None
    frais = echeancier.engagements_frais_annexe
    premier = [centimes(f.montant_total) for f in frais if f.nature_frais == PREMIER_EQUIPEMENT]
    issue = DecisionAEcrire(
        dossier,
        ENGAGE,
        decision.commentaire_etat,
        colonnes={
            "npec_centimes": centimes(decision.npec.valeur),
            "engagement_centimes": centimes(echeancier.engagement),
            "trop_percu_centimes": centimes(echeancier.trop_percu),
            "plafond_premier_equipement_centimes": sum(premier) if premier else None,
        },
        echeances=valeurs_echeances(echeancier.echeances),
        frais=lignes_frais(frais) if frais else [],
        periodes=periodes_frais_annexes(echeancier.echeances, frais) if frais else [],
    )
    departement = departement_deca(departement_employeur(cerfa), reglages.departement_deca_defaut)
    return issue, departement


def _lire(
    dossier: DossierAInstruire, gardes: ConstatsDepot | None
) -> tuple[dict[str, Any], Sequence[Any]]:
    """Le cerfa décodé et ses constats : ceux que le dépôt de ce processus a gardés (avec le
    cerfa qu'il avait déjà décodé), sinon la charge utile relue et une nouvelle validation."""
    depot = dossier.date_creation.date()
    connus = gardes.prendre(dossier.charge_utile, depot) if gardes is not None else None
    if connus is not None:
        constats, donnees = connus
        if donnees is not None:
            return donnees, constats
        return cerfa_de_charge(dossier.charge_utile), constats
    donnees = cerfa_de_charge(dossier.charge_utile)
    return donnees, valider_cerfa(donnees, aujourd_hui=depot)


def _couts(charge: bytes | None) -> CoutsConvention | None:
    if charge is None:
        return None
    donnees = orjson.loads(charge)
    return lire_couts(donnees) if isinstance(donnees, dict) else None


Decision = tuple[DecisionAEcrire, str | None]  # l'issue et le département DECA s'il faut un numéro


def decider_lot(
    dossiers: Sequence[DossierAInstruire],
    profils: Mapping[str, ProfilOpco],
    referentiel: ReferentielNpec,
    constats_depot: ConstatsDepot | None = None,
) -> list[Decision]:
    """Les décisions de ces dossiers, sans rien lire ni écrire en base : l'instructeur les
    calcule hors de la transaction d'écriture (les dépôts n'attendent pas ce calcul), puis les
    écrit par `ecrire_lot`. Un dossier dont la décision lève une erreur imprévue reste
    `EN_COURS_INSTRUCTION` avec un commentaire générique ; les autres sont instruits."""
    decisions: list[Decision] = []
    reglages: dict[str, ParametresInstruction] = {}
    for dossier in dossiers:
        try:
            donnees, constats = _lire(dossier, constats_depot)
        except Exception as panne:
            decisions.append(_panne(dossier, panne))
            continue
        decisions.append(decider_un(dossier, donnees, constats, profils, referentiel, reglages))
    return decisions


def decider_un(
    dossier: DossierAInstruire,
    donnees: dict[str, Any],
    constats: Sequence[Any],
    profils: Mapping[str, ProfilOpco],
    referentiel: ReferentielNpec,
    reglages: dict[str, ParametresInstruction],
) -> Decision:
    """La décision d'un dossier dont le cerfa est décodé et validé (`constats`) ; `reglages` :
    les paramètres d'instruction déjà construits, par OPCO (complété ici). Une erreur imprévue
    laisse le dossier `EN_COURS_INSTRUCTION` avec un commentaire générique."""
    try:
        profil = profils[dossier.opco]
        reglages_opco = reglages.get(dossier.opco)
        if reglages_opco is None:
            reglages_opco = reglages[dossier.opco] = parametres(profil)
        return _decider(
            dossier,
            donnees,
            constats,
            profil,
            referentiel,
            _couts(dossier.convention),
            reglages_opco,
        )
    except Exception as panne:
        return _panne(dossier, panne)


def _panne(dossier: DossierAInstruire, panne: Exception) -> Decision:
    journaliseur.error(
        "instruction : dossier %s non instruit (%s)",
        dossier.numero_externe or "en cours de dépôt",
        type(panne).__name__,
    )
    return DecisionAEcrire(dossier, EN_COURS, COMMENTAIRE_PANNE), None


def ecrire_lot(
    session: Session, decisions: Sequence[Decision], maintenant: datetime
) -> list[DecisionAEcrire]:
    """Numérote (DECA) et écrit des décisions dans la transaction de `session`."""
    issues = numeroter_deca(session, decisions)
    ecrire_decisions(session, issues, maintenant)
    return issues


def numeroter_deca(session: Session, decisions: Sequence[Decision]) -> list[DecisionAEcrire]:
    """Les issues de `decisions`, les engagées pourvues de leur numéro DECA (séquences du mois
    de dépôt de chaque dossier, réservées dans la transaction de `session`)."""
    numerotation = NumerotationDeca(decisions)
    demandes = numerotation.demandes()
    return numerotation.appliquer(sequences_deca(session, demandes) if demandes else {})


class NumerotationDeca:
    """La numérotation DECA de décisions en deux temps : les séquences à réserver par compteur
    (`demandes`), puis les numéros posés sur les issues engagées (`appliquer`). Le dépôt réserve
    ces séquences avec ses propres numéros (`stockage.sequences.reserver_lot`)."""

    def __init__(self, decisions: Sequence[Decision]) -> None:
        self.issues: list[DecisionAEcrire] = []
        self._a_numeroter: dict[CleDeca, list[DecisionAEcrire]] = {}
        for issue, departement in decisions:
            self.issues.append(issue)
            if departement is not None:
                depot = issue.dossier.date_creation
                cle = (issue.dossier.opco, departement, depot.year * 100 + depot.month)
                self._a_numeroter.setdefault(cle, []).append(issue)

    def demandes(self) -> dict[CleDeca, int]:
        return {cle: len(lot) for cle, lot in self._a_numeroter.items()}

    def appliquer(self, sequences: Mapping[CleDeca, range]) -> list[DecisionAEcrire]:
        for cle, engages in self._a_numeroter.items():
            departement = cle[1]
            for issue, sequence in zip(engages, sequences[cle], strict=True):
                depot = issue.dossier.date_creation.date()
                issue.colonnes["numero_deca"] = numero_deca(departement, depot, sequence)
        return self.issues
