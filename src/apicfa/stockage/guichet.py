"""Le guichet de l'OPCO : ce que voit l'OPCO elle-même, tous CFA confondus.

Les routes d'un CFA passent par `EspaceCfa` (cloisonnement par CFA) ; le travail interne de
l'OPCO — instruction automatique, file de l'agent instructeur, campagne de paiement — porte sur
tous les CFA d'une OPCO, et passe par ici. Rien de ce module n'est exposé à un CFA.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from apicfa.norme.etats import EtatDossier
from apicfa.stockage.espace import ETATS_LIBERANT_EMPREINTE
from apicfa.stockage.sequences import ajuster_compteur_etat
from apicfa.stockage.tables import (
    Cfa,
    Convention,
    Dossier,
    Echeance,
    EngagementFraisAnnexe,
    Facture,
    LigneFacture,
    PeriodeFraisAnnexe,
)

LIMITE_FILE = 1000
_PRENDRE_VERROU_SQLITE = text("UPDATE dossier SET etat = etat WHERE 0")


def prendre_verrou_ecriture(session: Session) -> None:
    """SQLite : prend le verrou d'écriture de la base avant toute lecture, pour qu'un autre
    processus (serveur, commande de l'OPCO) ne modifie pas entre-temps ce que la transaction va
    lire puis réécrire. PostgreSQL : rien (les lignes sont verrouillées une à une)."""
    if session.connection().dialect.name == "sqlite":
        session.execute(_PRENDRE_VERROU_SQLITE)


def verrouiller_dossiers(session: Session, dossiers_ids: Sequence[int]) -> dict[int, Dossier]:
    """Ces dossiers, relus et verrouillés (`FOR UPDATE`) jusqu'à la fin de la transaction :
    même ordre de verrouillage que le contrôle des factures (dossier, puis ses échéances)."""
    if not dossiers_ids:
        return {}
    lignes = session.scalars(
        select(Dossier)
        .where(Dossier.id.in_(sorted(set(dossiers_ids))))
        .order_by(Dossier.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {d.id: d for d in lignes}


def reserver_a_instruire(session: Session, limite: int) -> list[Dossier]:
    """Les plus anciens dossiers `TRANSMIS`, verrouillés pour cette transaction.

    PostgreSQL : `FOR UPDATE SKIP LOCKED` — deux processus serveurs ne prennent jamais le même
    dossier, et aucun n'attend l'autre ; la condition `etat = 'TRANSMIS'` est réévaluée sur la
    ligne verrouillée, donc un dossier déjà instruit et validé ailleurs n'est pas repris.
    SQLite : la clause est sans objet ; une écriture vide prend d'abord le verrou d'écriture de
    la base, pour qu'un autre processus ne lise pas les mêmes dossiers entre-temps."""
    prendre_verrou_ecriture(session)
    return list(
        session.scalars(
            select(Dossier)
            .where(Dossier.etat == EtatDossier.TRANSMIS.value)
            .order_by(Dossier.id)
            .limit(limite)
            .with_for_update(skip_locked=True)
        )
    )


def dossier_par_externe(session: Session, opco: str, numero_externe: str) -> Dossier | None:
    return session.scalar(
        select(Dossier).where(Dossier.opco == opco, Dossier.numero_externe == numero_externe)
    )


def file_dossiers(
    session: Session, opco: str, etat: str | None, limite: int = LIMITE_FILE
) -> list[Dossier]:
    """Les dossiers d'une OPCO (d'un état donné), du plus ancien au plus récent."""
    requete = select(Dossier).where(Dossier.opco == opco)
    if etat is not None:
        requete = requete.where(Dossier.etat == etat)
    return list(session.scalars(requete.order_by(Dossier.id).limit(limite)))


def factures_validees(session: Session, opco: str) -> list[tuple[Facture, str]]:
    """Les factures `VALIDE` d'une OPCO et le nom de leur CFA, verrouillées pour le paiement."""
    return [
        (facture, nom)
        for facture, nom in session.execute(
            select(Facture, Cfa.nom)
            .join(Cfa, Cfa.id == Facture.cfa_id)
            .where(Facture.opco == opco, Facture.etat == "VALIDE")
            .order_by(Facture.id)
            .with_for_update(of=Facture)
        )
    ]


def lignes_des_factures(session: Session, factures_ids: Sequence[int]) -> list[LigneFacture]:
    if not factures_ids:
        return []
    return list(
        session.scalars(
            select(LigneFacture)
            .where(LigneFacture.facture_id.in_(list(factures_ids)))
            .order_by(LigneFacture.facture_id, LigneFacture.ordre)
        )
    )


@dataclass
class DecisionAEcrire:
    """L'issue de l'instruction d'un dossier, prête à écrire : état final, commentaire,
    colonnes du dossier (argent, DECA…), lignes `echeance`, `engagement_frais_annexe` et
    `periode_frais_annexe`."""

    dossier: Dossier
    etat: str
    commentaire: str | None
    colonnes: dict[str, Any] = field(default_factory=dict)
    echeances: list[dict[str, Any]] = field(default_factory=list)
    frais: list[dict[str, Any]] = field(default_factory=list)
    periodes: list[dict[str, Any]] = field(default_factory=list)


def ecrire_decisions(
    session: Session, decisions: Sequence[DecisionAEcrire], maintenant: datetime
) -> None:
    """Écrit les issues d'un lot d'instructions en peu d'allers-retours : mises à jour des
    dossiers groupées par l'ORM, une insertion multiple des échéances et une des frais, un
    ajustement par compteur d'état (le passage par EN_COURS_INSTRUCTION s'annule)."""
    deltas: dict[tuple[str, int, str], int] = {}
    echeances: list[dict[str, Any]] = []
    frais: list[dict[str, Any]] = []
    periodes: list[dict[str, Any]] = []
    for decision in decisions:
        dossier = decision.dossier
        cle = (dossier.opco, dossier.cfa_id)
        deltas[(*cle, dossier.etat)] = deltas.get((*cle, dossier.etat), 0) - 1
        deltas[(*cle, decision.etat)] = deltas.get((*cle, decision.etat), 0) + 1
        dossier.etat = decision.etat
        dossier.commentaire_etat = decision.commentaire
        dossier.date_modification = maintenant
        if decision.etat in ETATS_LIBERANT_EMPREINTE:
            dossier.empreinte = None
        for colonne, valeur in decision.colonnes.items():
            setattr(dossier, colonne, valeur)
        echeances += [{"dossier_id": dossier.id, **ligne} for ligne in decision.echeances]
        frais += [{"dossier_id": dossier.id, **ligne} for ligne in decision.frais]
        periodes += [{"dossier_id": dossier.id, **ligne} for ligne in decision.periodes]
    session.flush()
    # Insertions Core (executemany) : ni objets ORM ni machinerie d'insertion groupée de l'ORM.
    for table, lignes in (
        (Echeance.__table__, echeances),
        (EngagementFraisAnnexe.__table__, frais),
        (PeriodeFraisAnnexe.__table__, periodes),
    ):
        if lignes:
            session.execute(insert(table), lignes)
    for (opco, cfa_id, etat), pas in deltas.items():
        if pas:
            ajuster_compteur_etat(session, opco, cfa_id, etat, pas)


def conventions_recues(session: Session, dossiers_ids: Sequence[int]) -> dict[int, bytes]:
    """La charge utile de la dernière convention reçue pour chacun de ces dossiers."""
    if not dossiers_ids:
        return {}
    lignes = session.execute(
        select(Convention.dossier_id, Convention.charge_utile)
        .where(Convention.dossier_id.in_(list(dossiers_ids)))
        .order_by(Convention.id)
    ).all()
    return {dossier_id: charge for dossier_id, charge in lignes}
