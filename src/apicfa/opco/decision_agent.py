"""Décision d'un agent instructeur de l'OPCO sur un dossier (`apicfa opco instruire`) :
engager, refuser ou annuler, avec son motif."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from apicfa.financement.npec import ReferentielNpec
from apicfa.norme.etats import EtatDossier
from apicfa.opco.echeancier_dossier import cerfa_du_dossier
from apicfa.opco.instruction_auto import engager
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.referentiel_npec import resoudre_pour_cerfa
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.guichet import (
    dossier_par_externe,
    prendre_verrou_ecriture,
    verrouiller_dossiers,
)
from apicfa.stockage.tables import Dossier

DECISIONS = ("engager", "refuser", "annuler")


class DecisionImpossible(ValueError):
    """La décision ne peut pas être prise ; message en français, nommant l'option en cause."""


def decider(
    session: Session,
    profil: ProfilOpco,
    numero_externe: str,
    decision: str,
    *,
    motif: str | None,
    referentiel: ReferentielNpec,
    npec: Decimal | None,
    jour: date,
    maintenant: datetime,
) -> Dossier:
    """Applique la `decision` de l'agent au dossier `numero_externe` de l'OPCO du `profil`."""
    if decision not in DECISIONS:
        raise DecisionImpossible(
            f"--decision « {decision} » inconnue (attendues : {', '.join(DECISIONS)})"
        )
    prendre_verrou_ecriture(session)
    dossier = dossier_par_externe(session, profil.code, numero_externe)
    if dossier is not None:
        dossier = verrouiller_dossiers(session, [dossier.id]).get(dossier.id)
    if dossier is None:
        raise DecisionImpossible(f"--numero : aucun dossier {numero_externe} chez {profil.code}")
    espace = EspaceCfa(session, dossier.opco, dossier.cfa_id)
    en_cours = EtatDossier.EN_COURS_INSTRUCTION.value
    if decision == "annuler":
        espace.changer_etat(dossier, EtatDossier.ANNULE.value, maintenant, motif)
        return dossier
    if dossier.etat == EtatDossier.TRANSMIS.value:
        espace.changer_etat(dossier, en_cours, maintenant, None)
    if dossier.etat != en_cours:
        raise DecisionImpossible(
            f"le dossier {numero_externe} est {dossier.etat} : seul un dossier TRANSMIS ou "
            "EN_COURS_INSTRUCTION peut être engagé ou refusé"
        )
    if decision == "refuser":
        if not motif or not motif.strip():
            raise DecisionImpossible("--motif est obligatoire pour refuser un dossier")
        espace.changer_etat(
            dossier, EtatDossier.REFUSE.value, maintenant, f"Dossier refusé : {motif.strip()}"
        )
        return dossier
    if npec is None:
        donnees = cerfa_du_dossier(dossier)
        resolution = resoudre_pour_cerfa(referentiel, donnees, dossier.date_creation.date())
        if resolution is None:
            raise DecisionImpossible(
                "aucune NPEC connue pour cette certification ni valeur d'amorçage pour son "
                "niveau : donnez-la avec --npec MONTANT"
            )
        npec = resolution.valeur
    try:
        engager(espace, dossier, profil, npec, jour, maintenant, motif)
    except ValueError as probleme:
        raise DecisionImpossible(f"engagement impossible : {probleme}") from None
    return dossier
