"""Le guichet de l'OPCO : ce que voit l'OPCO elle-même, tous CFA confondus.

Les routes d'un CFA passent par `EspaceCfa` (cloisonnement par CFA) ; le travail interne de
l'OPCO — instruction automatique, file de l'agent instructeur, campagne de paiement — porte sur
tous les CFA d'une OPCO, et passe par ici. Rien de ce module n'est exposé à un CFA.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Connection, Select, select, text
from sqlalchemy.orm import Session

from apicfa.norme.etats import EtatDossier
from apicfa.stockage.espace import ETATS_LIBERANT_EMPREINTE, EcriturePilote, ecriture_pilote
from apicfa.stockage.sequences import ajuster_compteur_etat
from apicfa.stockage.tables import (
    Cfa,
    Convention,
    Dossier,
    Facture,
    LigneFacture,
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


class DossierAInstruire(NamedTuple):
    """Ce que l'instruction lit d'un dossier `TRANSMIS` réservé : ses colonnes utiles et la
    charge utile de sa dernière convention reçue (None s'il n'y en a pas)."""

    id: int
    opco: str
    cfa_id: int
    numero_externe: str
    etat: str
    charge_utile: bytes
    date_creation: datetime
    convention: bytes | None


_DERNIERE_CONVENTION = (
    select(Convention.charge_utile)
    .where(Convention.dossier_id == Dossier.id)
    .order_by(Convention.id.desc())
    .limit(1)
    .correlate(Dossier)
    .scalar_subquery()
)


@lru_cache(maxsize=8)
def _requete_candidats(limite: int) -> Select[Any]:
    """Les plus anciens dossiers `TRANSMIS` avec leur dernière convention, sans verrou."""
    return (
        select(
            Dossier.id,
            Dossier.opco,
            Dossier.cfa_id,
            Dossier.numero_externe,
            Dossier.etat,
            Dossier.charge_utile,
            Dossier.date_creation,
            _DERNIERE_CONVENTION.label("convention"),
        )
        .where(Dossier.etat == EtatDossier.TRANSMIS.value)
        .order_by(Dossier.id)
        .limit(limite)
    )


def lire_a_instruire(session: Session, limite: int) -> list[DossierAInstruire]:
    """Les plus anciens dossiers `TRANSMIS` et leur dernière convention, SANS verrou : les
    candidats d'une instruction décidée hors de toute transaction d'écriture. Seuls ceux que
    `retenir_a_instruire` garde ensuite, sous verrou, seront écrits."""
    lignes = session.connection().execute(_requete_candidats(limite))
    return [DossierAInstruire._make(ligne) for ligne in lignes]


def retenir_a_instruire(session: Session, candidats: Sequence[DossierAInstruire]) -> set[int]:
    """Parmi des candidats lus sans verrou, ceux qui sont ENCORE `TRANSMIS` avec la MÊME
    dernière convention, verrouillés pour cette transaction. SQLite : une écriture vide prend
    d'abord le verrou d'écriture de la base. PostgreSQL : `FOR UPDATE OF dossier SKIP LOCKED`,
    l'état est réévalué sur la ligne verrouillée ; deux processus n'écrivent jamais la décision
    d'un même dossier, et aucun n'attend l'autre. Un dossier instruit entre-temps par un autre
    processus, ou dont une convention est arrivée depuis la lecture, n'est pas retenu : il sera
    relu au passage suivant."""
    if not candidats:
        return set()
    prendre_verrou_ecriture(session)
    lus = {candidat.id: candidat.convention for candidat in candidats}
    requete = (
        select(Dossier.id, _DERNIERE_CONVENTION.label("convention"))
        .where(Dossier.id.in_(list(lus)), Dossier.etat == EtatDossier.TRANSMIS.value)
        .with_for_update(skip_locked=True, of=Dossier)
    )
    return {
        ligne.id
        for ligne in session.connection().execute(requete)
        if ligne.convention == lus[ligne.id]
    }


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


#: L'ordre des valeurs d'une ligne `echeance` dans `DecisionAEcrire.echeances`.
COLONNES_ECHEANCE = (
    "numero",
    "codification",
    "montant_total_centimes",
    "montant_regle_centimes",
    "montant_en_cours_centimes",
    "date_ouverture",
    "date_debut",
    "date_fin",
    "solde",
)


@dataclass
class DecisionAEcrire:
    """L'issue de l'instruction d'un dossier, prête à écrire : état final, commentaire,
    colonnes du dossier (argent, DECA…), lignes `echeance` (n-uplets de valeurs dans l'ordre de
    `COLONNES_ECHEANCE` : plusieurs par dossier, les plus nombreuses), `engagement_frais_annexe`
    et `periode_frais_annexe` (dictionnaires nommés comme les colonnes)."""

    dossier: DossierAInstruire
    etat: str
    commentaire: str | None
    colonnes: dict[str, Any] = field(default_factory=dict)
    echeances: list[tuple[Any, ...]] = field(default_factory=list)
    frais: list[dict[str, Any]] = field(default_factory=list)
    periodes: list[dict[str, Any]] = field(default_factory=list)


def _mise_a_jour(ecriture: EcriturePilote, colonnes: tuple[str, ...], libere: bool) -> str:
    """La mise à jour d'un dossier instruit : état, commentaire, instant, `colonnes`."""

    def construire() -> str:
        noms = ("etat", "commentaire_etat", "date_modification", *colonnes)
        affectations = [f"{nom} = {ecriture.marque}" for nom in noms]
        if libere:
            affectations.append("empreinte = NULL")
        return f"UPDATE dossier SET {', '.join(affectations)} WHERE id = {ecriture.marque}"

    return ecriture.sql(("mise_a_jour", colonnes, libere), construire)


def _inserer_echeances(
    connexion: Connection,
    ecriture: EcriturePilote,
    lignes: list[tuple[int, list[tuple[Any, ...]]]],
) -> None:
    """Les échéances (n-uplets de `COLONNES_ECHEANCE`), les plus nombreuses des lignes écrites :
    quand seules les trois dates et le booléen `solde` ont un convertisseur (SQLite), chaque
    ligne est construite par une seule compréhension, sans liste intermédiaire ni boucle sur les
    convertisseurs (≈ 0,8 µs par ligne au lieu de ≈ 1 µs) ; sinon par `_inserer_valeurs`."""
    convertisseurs = ecriture.convertisseurs_de("echeance", COLONNES_ECHEANCE)
    jour, debut, fin, solde = convertisseurs[5:]
    if any(convertisseurs[:5]) or jour is None or jour is not debut or jour is not fin:
        _inserer_valeurs(connexion, ecriture, "echeance", COLONNES_ECHEANCE, lignes)
        return
    if solde is None:
        solde = _identite
    valeurs = [
        (
            dossier_id,
            numero,
            codification,
            total,
            regle,
            en_cours,
            None if ouverture is None else jour(ouverture),
            None if date_debut is None else jour(date_debut),
            None if date_fin is None else jour(date_fin),
            None if est_solde is None else solde(est_solde),
        )
        for dossier_id, rangees in lignes
        for (
            numero,
            codification,
            total,
            regle,
            en_cours,
            ouverture,
            date_debut,
            date_fin,
            est_solde,
        ) in rangees
    ]
    ecriture.inserer(connexion, "echeance", ("dossier_id", *COLONNES_ECHEANCE), valeurs)


def _identite(valeur: Any) -> Any:
    return valeur


def _inserer(
    connexion: Connection,
    ecriture: EcriturePilote,
    table: str,
    lignes: list[tuple[int, list[dict[str, Any]]]],
) -> None:
    """Insertion multiple des lignes de chaque dossier données en dictionnaires nommés comme les
    colonnes : les lignes de mêmes colonnes ensemble, chaque groupe par `_inserer_valeurs`."""
    par_colonnes: dict[tuple[str, ...], list[tuple[int, list[tuple[Any, ...]]]]] = {}
    for dossier_id, lignes_du_dossier in lignes:
        for ligne in lignes_du_dossier:
            rangee = (dossier_id, [tuple(ligne.values())])
            par_colonnes.setdefault(tuple(ligne), []).append(rangee)
    for colonnes, rangees in par_colonnes.items():
        _inserer_valeurs(connexion, ecriture, table, colonnes, rangees)


def _inserer_valeurs(
    connexion: Connection,
    ecriture: EcriturePilote,
    table: str,
    colonnes: tuple[str, ...],
    lignes: list[tuple[int, list[tuple[Any, ...]]]],
) -> None:
    """Insertion multiple (COPY ou executemany du pilote) des lignes de chaque dossier, données
    en n-uplets dans l'ordre de `colonnes` ; seules les colonnes qui ont un convertisseur (dates
    sur SQLite, booléens) sont converties, ligne par ligne (mesuré : la conversion colonne par
    colonne, par `zip` et `map`, coûtait 8 % de plus par ligne)."""
    a_convertir = [
        (rang, convertir)
        for rang, convertir in enumerate(ecriture.convertisseurs_de(table, colonnes), start=1)
        if convertir is not None
    ]
    valeurs: list[tuple[Any, ...]] = []
    ajouter = valeurs.append
    for dossier_id, rangees in lignes:
        for rangee in rangees:
            ligne = [dossier_id, *rangee]
            for rang, convertir in a_convertir:
                valeur = ligne[rang]
                if valeur is not None:
                    ligne[rang] = convertir(valeur)
            ajouter(tuple(ligne))
    ecriture.inserer(connexion, table, ("dossier_id", *colonnes), valeurs)


def ecrire_decisions(
    session: Session, decisions: Sequence[DecisionAEcrire], maintenant: datetime
) -> None:
    """Écrit les issues d'un lot d'instructions en peu d'allers-retours, sans objets ORM : une
    mise à jour multiple (executemany du pilote) des dossiers par forme d'issue, une insertion
    multiple des échéances, une des frais, une des périodes, un ajustement par compteur d'état
    (le passage par EN_COURS_INSTRUCTION s'annule). Les valeurs passent par les convertisseurs
    de SQLAlchemy de chaque colonne : ce qui est écrit est ce qu'écrirait l'ORM."""
    connexion = session.connection()
    ecriture = ecriture_pilote(connexion.dialect)
    instant = ecriture.convertir("dossier", "date_modification", maintenant)
    deltas: dict[tuple[str, int, str], int] = {}
    mises_a_jour: dict[tuple[tuple[str, ...], bool], tuple[Any, list[tuple[Any, ...]]]] = {}
    for decision in decisions:
        dossier = decision.dossier
        cle = (dossier.opco, dossier.cfa_id)
        deltas[(*cle, dossier.etat)] = deltas.get((*cle, dossier.etat), 0) - 1
        deltas[(*cle, decision.etat)] = deltas.get((*cle, decision.etat), 0) + 1
        colonnes = decision.colonnes
        forme = (tuple(colonnes), decision.etat in ETATS_LIBERANT_EMPREINTE)
        lot = mises_a_jour.get(forme)
        if lot is None:
            lot = mises_a_jour[forme] = (ecriture.convertisseurs_de("dossier", forme[0]), [])
        convertisseurs, valeurs = lot
        valeurs.append(
            (
                decision.etat,
                decision.commentaire,
                instant,
                *[
                    valeur if convertir is None or valeur is None else convertir(valeur)
                    for convertir, valeur in zip(convertisseurs, colonnes.values(), strict=True)
                ],
                dossier.id,
            )
        )
    for (colonnes, libere), (_convertisseurs, valeurs) in mises_a_jour.items():
        connexion.exec_driver_sql(_mise_a_jour(ecriture, colonnes, libere), valeurs)
    _ecrire_lignes_liees(
        connexion, ecriture, [(decision.dossier.id, decision) for decision in decisions]
    )
    for (opco, cfa_id, etat), pas in deltas.items():
        if pas:
            ajuster_compteur_etat(session, opco, cfa_id, etat, pas)


def ecrire_instruits_au_depot(
    session: Session,
    instruits: Sequence[tuple[str, DecisionAEcrire]],
    ids: Mapping[str, int] | None = None,
) -> None:
    """Pour des dossiers que `EspaceCfa.inserer_dossiers` vient d'insérer dans leur état final
    (instruits au dépôt, déjà comptés dans cet état ; `instruits` : numéro interne et issue) :
    leurs lignes liées (échéances, frais, périodes), écrites comme par `ecrire_decisions`.
    `ids` : l'identifiant de chaque numéro interne quand il est connu (réservé avant
    l'insertion, PostgreSQL) ; sinon relu."""
    if not instruits:
        return
    connexion = session.connection()
    ecriture = ecriture_pilote(connexion.dialect)
    avec_lignes = [
        (interne, issue)
        for interne, issue in instruits
        if issue.echeances or issue.frais or issue.periodes
    ]
    if avec_lignes and ids is not None:
        _ecrire_lignes_liees(
            connexion, ecriture, [(ids[interne], issue) for interne, issue in avec_lignes]
        )
    elif avec_lignes:
        # requête du pilote (texte gardé par nombre de numéros), comme `dossiers_par_empreinte` :
        # un `select().where(in_())` de SQLAlchemy coûtait ici ≈ un quart de l'écrivain
        marque, nombre = ecriture.marque, len(avec_lignes)
        sql = ecriture.sql(
            ("ids_par_numero", nombre),
            lambda: (
                "SELECT numero_interne, id FROM dossier "
                f"WHERE numero_interne IN ({', '.join([marque] * nombre)})"
            ),
        )
        lignes_ids = connexion.exec_driver_sql(sql, tuple(interne for interne, _ in avec_lignes))
        ids = {interne: ident for interne, ident in lignes_ids}
        _ecrire_lignes_liees(
            connexion, ecriture, [(ids[interne], issue) for interne, issue in avec_lignes]
        )


def _ecrire_lignes_liees(
    connexion: Connection,
    ecriture: EcriturePilote,
    decisions: Sequence[tuple[int, DecisionAEcrire]],
) -> None:
    """Les échéances, frais et périodes de dossiers instruits (identifiant du dossier et son
    issue) : une insertion multiple par table."""
    echeances = [(ident, d.echeances) for ident, d in decisions if d.echeances]
    if echeances:
        _inserer_echeances(connexion, ecriture, echeances)
    for table, lignes in (
        ("engagement_frais_annexe", [(ident, d.frais) for ident, d in decisions if d.frais]),
        ("periode_frais_annexe", [(ident, d.periodes) for ident, d in decisions if d.periodes]),
    ):
        if lignes:
            _inserer(connexion, ecriture, table, lignes)
