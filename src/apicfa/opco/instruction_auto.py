"""Instruction d'un dossier stocké : la décision pure (`apicfa.instruction.instruire`) appliquée
à la base — état, `commentaireEtat`, engagement, échéancier, numéro DECA.

Utilisé par l'instructeur du serveur (automatique, juste après le dépôt) et par
`apicfa opco instruire` (décision de l'agent)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from apicfa.financement.montants import en_centimes
from apicfa.financement.npec import ReferentielNpec
from apicfa.instruction import ParametresInstruction, departement_deca, instruire, numero_deca
from apicfa.instruction.lecture import contenu_cerfa, departement_employeur
from apicfa.norme.etats import EtatDossier
from apicfa.norme.validation import valider_cerfa
from apicfa.opco.echeancier_dossier import (
    cerfa_du_dossier,
    contrat_du_dossier,
    couts_de_convention,
    echeancier_initial,
    ecrire_frais,
    lignes_echeances,
)
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.referentiel_npec import resoudre_pour_cerfa
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.sequences import sequence_deca
from apicfa.stockage.tables import Dossier

EN_COURS = EtatDossier.EN_COURS_INSTRUCTION.value


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
    sequence = sequence_deca(
        espace.session, dossier.opco, departement, jour.year * 100 + jour.month
    )
    dossier.numero_deca = numero_deca(departement, jour, sequence)
    dossier.engagement_centimes = en_centimes(echeancier.engagement)
    dossier.trop_percu_centimes = en_centimes(echeancier.trop_percu)
    espace.ecrire_echeances(dossier, lignes_echeances(echeancier.echeances))
    ecrire_frais(espace, dossier, echeancier.engagements_frais_annexe)
    espace.changer_etat(dossier, EtatDossier.ENGAGE.value, maintenant, commentaire)


def instruire_dossier(
    espace: EspaceCfa,
    dossier: Dossier,
    profil: ProfilOpco,
    referentiel: ReferentielNpec,
    maintenant: datetime,
) -> str:
    """Instruit un dossier `TRANSMIS` ; rend l'état atteint."""
    donnees = cerfa_du_dossier(dossier)
    depot = dossier.date_creation.date()
    decision = instruire(
        donnees,
        constats=valider_cerfa(donnees, aujourd_hui=depot),
        resolution_npec=resoudre_pour_cerfa(referentiel, donnees, depot),
        date_depot=depot,
        profil=parametres(profil),
    )
    espace.changer_etat(dossier, EN_COURS, maintenant, decision.commentaire_etat)
    if decision.etat is EtatDossier.REFUSE:
        espace.changer_etat(dossier, decision.etat.value, maintenant, decision.commentaire_etat)
    elif decision.engage and decision.npec is not None:
        try:
            with espace.session.begin_nested():
                engager(
                    espace,
                    dossier,
                    profil,
                    decision.npec.valeur,
                    depot,
                    maintenant,
                    decision.commentaire_etat,
                )
        except ValueError as probleme:
            dossier.commentaire_etat = (
                f"Dossier en instruction : échéancier impossible à calculer ({probleme}) : "
                "décision manuelle de l'OPCO."
            )
    return dossier.etat
