"""L'espace d'un CFA chez une OPCO : le SEUL endroit où l'on lit ou écrit ses objets.

Toute requête sur un objet d'un CFA passe par `EspaceCfa`, qui ajoute `opco` et `cfa_id` à chaque
filtre. Un objet trouvé chez la même OPCO mais pour un autre CFA lève `ObjetAutreCfa` (403) ; un
objet absent lève `ObjetIntrouvable` (404, ou 400 selon le profil de l'OPCO).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Dialect,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from apicfa.norme.etats import EtatDossier, message_transition_refusee, transition_permise
from apicfa.stockage.aller_retour import Instruction, erreur_sqlalchemy, executer_ensemble
from apicfa.stockage.erreurs import ObjetAutreCfa, ObjetIntrouvable, TransitionRefusee
from apicfa.stockage.sequences import LotReserve, ajuster_compteur_etat, reserver_depots
from apicfa.stockage.tables import (
    Certificat,
    CompteurCfa,
    CompteurEtat,
    Convention,
    Document,
    DocumentObjet,
    Dossier,
    Echeance,
    EngagementFraisAnnexe,
    Facture,
    Fichier,
    Idempotence,
    LigneFacture,
    PeriodeFraisAnnexe,
    Rupture,
)

if TYPE_CHECKING:
    from apicfa.stockage.guichet import DecisionAEcrire

TAILLE_PAGE = 100

# États où l'empreinte anti-doublon est libérée : le même contrat peut être déposé à nouveau.
ETATS_LIBERANT_EMPREINTE = frozenset({EtatDossier.REFUSE.value, EtatDossier.ANNULE.value})
_SANS_COLONNES: dict[str, Any] = {}
# SQLite : lignes d'une insertion multiple (les textes SQL sont gardés par nombre de lignes) et
# paramètres par instruction (sous la limite de SQLite : 32 766 depuis la 3.32, 999 avant).
LIGNES_PAR_INSERTION_SQLITE = 256
PARAMETRES_SQLITE = 999


# --- écriture par le pilote (chemins chauds : dépôt groupé, instruction automatique) ---------


class _JoursIso(dict[date, str]):
    """Jour → `date.isoformat(jour)`, calculé une fois par jour : `isoformat` passe par un
    formatage à la printf (≈ 3 000 instructions par appel, mesuré sous callgrind) et les mêmes
    jours reviennent d'un dossier et d'une échéance à l'autre ; une consultation (en C) coûte
    bien moins. Un `datetime` n'est jamais égal à une `date` : pas de confusion de clés."""

    TAILLE_MAX = 100_000

    def __missing__(self, jour: date) -> str:
        if len(self) >= self.TAILLE_MAX:
            self.clear()
        texte = self[jour] = date.isoformat(jour)
        return texte


_JOURS_ISO = _JoursIso()


def convertisseur(colonne: Column[Any], dialecte: Dialect) -> Callable[[Any], Any] | None:
    """Le convertisseur de valeur liée que SQLAlchemy appliquerait à cette colonne (à n'appeler
    que sur une valeur non nulle)."""
    type_ = colonne.type
    if dialecte.name == "sqlite" and isinstance(type_, Date) and not isinstance(type_, DateTime):
        # le texte du convertisseur `DATE` de SQLAlchemy (`AAAA-MM-JJ`, année sur 4 chiffres),
        # sans dictionnaire de formatage par valeur, et gardé par jour
        return _JOURS_ISO.__getitem__
    if isinstance(type_, Boolean):
        # celui de SQLAlchemy (booléen strict, puis `bool` ou `int` selon le dialecte) en une
        # consultation de dictionnaire : mêmes valeurs, et une valeur non booléenne lève
        forme = bool if dialecte.supports_native_boolean else int
        return {True: forme(True), False: forme(False)}.__getitem__
    convertir: Callable[[Any], Any] | None = type_.dialect_impl(dialecte).bind_processor(dialecte)
    return convertir


# La recherche des doublons (`EspaceCfa.lecture_empreintes`) n'est servie que par l'index
# d'empreinte : PostgreSQL ne lit pas toute la table, même sans statistiques.
_SANS_LECTURE_DE_TABLE: Instruction = ("SET LOCAL enable_seqscan = off", ())
_LECTURE_DE_TABLE_PERMISE: Instruction = ("SET LOCAL enable_seqscan TO DEFAULT", ())


class EcriturePilote:
    """Les instructions d'écriture par le pilote pour un dialecte : SQL à paramètres
    positionnels, gardé une fois construit, et convertisseurs de valeurs de chaque colonne de
    chaque table (ceux de SQLAlchemy : ce qui est écrit est ce qu'écrirait l'ORM)."""

    def __init__(self, dialecte: Dialect) -> None:
        if dialecte.paramstyle not in ("qmark", "format", "pyformat"):
            raise ValueError(f"style de paramètres non pris en charge : {dialecte.paramstyle}")
        self.marque = "?" if dialecte.paramstyle == "qmark" else "%s"
        self.postgresql = dialecte.name == "postgresql"
        self._convertisseurs = {
            (table.name, colonne.name): convertir
            for table in Dossier.metadata.tables.values()
            for colonne in table.columns
            if (convertir := convertisseur(colonne, dialecte)) is not None
        }
        self._sql: dict[tuple[Any, ...], str] = {}
        self._types: dict[tuple[Any, ...], list[int]] = {}

    def convertisseurs_de(
        self, table: str, colonnes: tuple[str, ...]
    ) -> tuple[Callable[[Any], Any] | None, ...]:
        return tuple(self._convertisseurs.get((table, nom)) for nom in colonnes)

    def convertir(self, table: str, colonne: str, valeur: Any) -> Any:
        convertir = self._convertisseurs.get((table, colonne))
        return valeur if convertir is None or valeur is None else convertir(valeur)

    def sql(self, cle: tuple[Any, ...], construire: Callable[[], str]) -> str:
        """Le texte SQL de clé `cle`, construit une fois."""
        texte = self._sql.get(cle)
        if texte is None:
            texte = self._sql[cle] = construire()
        return texte

    def inserer(
        self,
        connexion: Connection,
        table: str,
        colonnes: tuple[str, ...],
        valeurs: Sequence[tuple[Any, ...]],
    ) -> None:
        """Insère des lignes déjà converties (n-uplets dans l'ordre de `colonnes`).

        PostgreSQL : `COPY … FROM STDIN (FORMAT BINARY)` par le curseur de psycopg dans la
        transaction en cours (une seule requête, lignes mises en forme par le pilote en C : bien
        moins de calcul qu'un executemany, qui lie et envoie chaque ligne) ; une erreur du pilote
        remonte comme SQLAlchemy l'aurait rendue (`IntegrityError`…). SQLite : `INSERT` de
        plusieurs lignes (`_inserer_sqlite`)."""
        if not valeurs:
            return
        if not self.postgresql:
            self._inserer_sqlite(connexion, table, colonnes, valeurs)
            return
        sql = self.sql(
            ("copie", table, colonnes),
            lambda: f"COPY {table} ({', '.join(colonnes)}) FROM STDIN (FORMAT BINARY)",
        )
        pilote = connexion.connection.driver_connection
        erreur_pilote = connexion.dialect.loaded_dbapi.Error
        try:
            types = self._types_copie(pilote, table, colonnes)
            with pilote.cursor() as curseur, curseur.copy(sql) as copie:  # type: ignore[union-attr]
                copie.set_types(types)
                ecrire = copie.write_row
                for ligne in valeurs:
                    ecrire(ligne)
        except erreur_pilote as erreur:
            raise erreur_sqlalchemy(connexion, sql, erreur) from erreur

    def _inserer_sqlite(
        self,
        connexion: Connection,
        table: str,
        colonnes: tuple[str, ...],
        valeurs: Sequence[tuple[Any, ...]],
    ) -> None:
        """SQLite : `INSERT … VALUES (…), (…), …` de `LIGNES_PAR_INSERTION_SQLITE` lignes au
        plus (et `PARAMETRES_SQLITE` paramètres), plutôt qu'un executemany.

        Le module `sqlite3` relâche le GIL pendant chaque pas de SQLite et doit le reprendre
        ensuite : un executemany le reprend une fois par ligne. Dans le processus de dépôt, où
        la boucle valide les dépôts suivants pendant que l'écrivain écrit, chaque reprise peut
        attendre jusqu'à l'intervalle de bascule du GIL (5 ms) : mesuré sur un lot de 100
        échéances avec un fil Python occupé à côté, 11 ms de mur au lieu de 0,8 ms seul. Une
        instruction par paquet de lignes ne le reprend qu'une fois (et coûte moins de CPU :
        0,38 au lieu de 0,53 ms par lot, seul). Mêmes valeurs liées, mêmes lignes, dans le même
        ordre (les `rowid` suivent l'ordre des lignes)."""
        largeur = len(colonnes)
        par_paquet = max(1, min(LIGNES_PAR_INSERTION_SQLITE, PARAMETRES_SQLITE // largeur))
        for debut in range(0, len(valeurs), par_paquet):
            paquet = valeurs[debut : debut + par_paquet]
            nombre = len(paquet)
            sql = self.sql(
                ("insertion_multiple", table, colonnes, nombre),
                lambda nombre=nombre: (
                    f"INSERT INTO {table} ({', '.join(colonnes)}) VALUES "
                    + ", ".join(["(" + ", ".join([self.marque] * largeur) + ")"] * nombre)
                ),
            )
            connexion.exec_driver_sql(sql, tuple(chain.from_iterable(paquet)))

    def _types_copie(self, pilote: Any, table: str, colonnes: tuple[str, ...]) -> list[int]:
        """Les types (OID) des colonnes tels que la base les a créés, lus une fois : la copie
        binaire envoie chaque valeur dans le format exact de sa colonne (un octet par octet pour
        `bytea`, là où la copie texte l'écrit en hexadécimal puis l'échappe)."""
        cle = ("types", table, colonnes)
        types = self._types.get(cle)
        if types is None:
            with pilote.cursor() as curseur:
                curseur.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
                    "AND attnum > 0 AND NOT attisdropped",
                    (table,),
                )
                par_nom = {nom: int(oid) for nom, oid in curseur.fetchall()}
            types = self._types[cle] = [par_nom[nom] for nom in colonnes]
        return types


_ECRITURES: dict[str, EcriturePilote] = {}


def ecriture_pilote(dialecte: Dialect) -> EcriturePilote:
    """L'`EcriturePilote` de ce dialecte (une par pilote et style de paramètres)."""
    cle = f"{dialecte.name}:{dialecte.driver}:{dialecte.paramstyle}"
    ecriture = _ECRITURES.get(cle)
    if ecriture is None:
        ecriture = _ECRITURES[cle] = EcriturePilote(dialecte)
    return ecriture


# Colonnes d'une insertion de dossier (`inserer_dossiers`), dans l'ordre des n-uplets.
COLONNES_DOSSIER = (
    "numero_interne",
    "numero_externe",
    "opco",
    "cfa_id",
    "rang",
    "version_api",
    "charge_utile",
    "numero_deca",
    "etat",
    "commentaire_etat",
    "date_creation",
    "date_modification",
    "empreinte",
    "siret_employeur",
    "rncp",
    "type_contrat",
    "date_conclusion",
    "date_debut_contrat",
    "date_fin_contrat",
    "trop_percu_centimes",
    "premier_equipement_regle_centimes",
    "mobilite_reglee_centimes",
    "npec_centimes",
    "engagement_centimes",
    "plafond_premier_equipement_centimes",
)
_COLONNES_ACCUSE = "numero_interne, numero_externe, etat, empreinte"

# UUID version 7 (RFC 9562) : instant en millisecondes (48 bits), version (7), 74 bits
# aléatoires dont la variante (RFC 4122) est fixée.
_MASQUE_UUID = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_BITS_UUID7 = (0x8000 << 48) | (7 << 76)


def numeros_internes_de(alea: bytes, instant_ms: int) -> list[str]:
    """Un numéro de dossier par tranche de 10 octets aléatoires de `alea` : un UUID version 7
    en hexadécimal, dont les 48 premiers bits sont `instant_ms` (millisecondes depuis 1970).

    Toujours opaque et imprévisible (74 bits aléatoires), mais croissant avec le temps : les
    dossiers d'un lot s'insèrent au bout de l'index unique des numéros internes au lieu d'y
    salir une page au hasard chacun (pages écrites au WAL à chaque validation, sur SQLite comme
    sur PostgreSQL). Il révèle l'instant du dépôt, comme le numéro externe en révèle le rang."""
    prefixe = (instant_ms & 0xFFFF_FFFF_FFFF) << 80
    return [
        f"{(prefixe | int.from_bytes(alea[debut : debut + 10])) & _MASQUE_UUID | _BITS_UUID7:032x}"
        for debut in range(0, len(alea) - 9, 10)
    ]


def nouveau_numero_interne() -> str:
    """Identifiant technique opaque (128 bits aléatoires, hexadécimal)."""
    return uuid4().hex


@dataclass(frozen=True)
class NouveauDossier:
    version_api: int
    charge_utile: bytes
    empreinte: str | None
    siret_employeur: str | None
    rncp: str | None
    type_contrat: str | None
    date_conclusion: date | None
    date_debut_contrat: date | None
    date_fin_contrat: date | None


@dataclass(frozen=True)
class DossierDepose:
    """Ce que rend un dépôt : de quoi écrire l'accusé, sans objet ORM (chemin chaud)."""

    numero_interne: str
    numero_externe: str
    etat: str


@dataclass(frozen=True)
class VueArgent:
    dossier: Dossier
    echeances: Sequence[Echeance]
    frais: Sequence[EngagementFraisAnnexe]
    periodes: Sequence[PeriodeFraisAnnexe]


@dataclass(frozen=True)
class Page:
    total: int
    lignes: Sequence[Any]


def etats_finals(issues: Sequence[DecisionAEcrire | None]) -> dict[str, int]:
    """Combien de nouveaux dossiers dans chaque état final (`TRANSMIS` sans issue) : les pas des
    compteurs d'état que réserve leur insertion."""
    etats: dict[str, int] = {}
    for issue in issues:
        final = EtatDossier.TRANSMIS.value if issue is None else issue.etat
        etats[final] = etats.get(final, 0) + 1
    return etats


class EspaceCfa:
    def __init__(self, session: Session, opco: str, cfa_id: int) -> None:
        self.session = session
        self.opco = opco
        self.cfa_id = cfa_id

    # --- localisation (le cloisonnement) -------------------------------------------------

    def _verifier(self, ligne: Any, nature: str, identifiant: str, champ: str) -> Any:
        if ligne is None or ligne.opco != self.opco:
            raise ObjetIntrouvable(nature, identifiant, champ)
        if ligne.cfa_id != self.cfa_id:
            raise ObjetAutreCfa(nature, identifiant, champ)
        return ligne

    def dossier(self, numero_interne: str, champ: str = "numeroInterne") -> Dossier:
        ligne = self.session.scalar(select(Dossier).where(Dossier.numero_interne == numero_interne))
        return self._verifier(ligne, "dossier", numero_interne, champ)

    def dossier_par_externe(self, numero_externe: str, champ: str) -> Dossier:
        ligne = self.session.scalar(
            select(Dossier).where(
                Dossier.opco == self.opco, Dossier.numero_externe == numero_externe
            )
        )
        return self._verifier(ligne, "dossier", numero_externe, champ)

    def facture(self, numero_interne: str, champ: str) -> Facture:
        ligne = self.session.scalar(select(Facture).where(Facture.numero_interne == numero_interne))
        return self._verifier(ligne, "facture", numero_interne, champ)

    # --- dossiers ----------------------------------------------------------------------

    def dossiers_par_empreinte(self, empreintes: Sequence[str]) -> dict[str, DossierDepose]:
        """Les dossiers de ce CFA qui portent ces empreintes anti-doublon (objets détachés)."""
        if not empreintes:
            return {}
        instructions, lire = self.lecture_empreintes(empreintes)
        # premières instructions d'un lot : sur PostgreSQL, partent avec le BEGIN
        return lire(executer_ensemble(self.session.connection(), instructions))

    def lecture_empreintes(
        self, empreintes: Sequence[str]
    ) -> tuple[list[Instruction], Callable[[list[list[Any]]], dict[str, DossierDepose]]]:
        """Les instructions de `dossiers_par_empreinte` (non vide) et de quoi lire leurs
        résultats, pour les envoyer avec d'autres (`sequences.lire_puis_reserver_lot`).

        Une requête du pilote, `empreinte IN (…)` : une marque par empreinte (texte gardé par
        nombre d'empreintes), chacune convertie par le pilote en C ; un tableau (`= ANY(…)`)
        obligerait psycopg à mettre en forme et échapper chaque élément en Python.

        La requête ne filtre QUE sur l'empreinte, en tête de l'index d'unicité (empreinte, opco,
        cfa_id) : c'est le seul index qui la serve. Avec `opco = … AND cfa_id = …`, PostgreSQL
        sans statistiques prenait l'index (opco, cfa_id, etat, rang) et lisait tous les dossiers
        du CFA (migration opco_0004). Les dossiers d'une autre OPCO ou d'un autre CFA (même
        contrat déposé ailleurs) sont écartés à la lecture.

        Sur PostgreSQL, la requête est encadrée par `SET LOCAL enable_seqscan = off` puis le
        retour à la valeur par défaut : sans statistiques sur la colonne (base neuve, table qui
        grandit entre deux analyses de l'autovacuum), le planificateur prête à chaque empreinte
        0,5 % des lignes et préfère lire toute la table, de plus en plus longue (docs/serveur.md,
        « Recherche des doublons sans lecture de la table »)."""
        ecriture = ecriture_pilote(self.session.connection().dialect)
        marque = ecriture.marque
        nombre = len(empreintes)
        sql = ecriture.sql(
            ("empreintes", nombre),
            lambda: (
                f"SELECT {_COLONNES_ACCUSE}, opco, cfa_id FROM dossier "
                f"WHERE empreinte IN ({', '.join([marque] * nombre)})"
            ),
        )
        opco, cfa_id = self.opco, self.cfa_id
        lecture: Instruction = (sql, tuple(empreintes))
        if ecriture.postgresql:
            instructions, position = [_SANS_LECTURE_DE_TABLE, lecture, _LECTURE_DE_TABLE_PERMISE], 1
        else:
            instructions, position = [lecture], 0

        def lire(resultats: list[list[Any]]) -> dict[str, DossierDepose]:
            return {
                empreinte: DossierDepose(numero_interne, numero_externe, etat)
                for numero_interne, numero_externe, etat, empreinte, opco_ligne, cfa_ligne in (
                    resultats[position]
                )
                if opco_ligne == opco and cfa_ligne == cfa_id
            }

        return instructions, lire

    def dossier_par_empreinte(self, empreinte: str) -> DossierDepose | None:
        return self.dossiers_par_empreinte([empreinte]).get(empreinte)

    def inserer_dossiers(
        self,
        nouveaux: Sequence[NouveauDossier],
        maintenant: datetime,
        issues: Sequence[DecisionAEcrire | None] | None = None,
        reserve: LotReserve | None = None,
    ) -> list[DossierDepose]:
        """Insère des dossiers en une fois : numéros et rangs réservés par plages, une insertion
        multiple. Rend de quoi écrire les accusés (état `TRANSMIS` : celui de la réception).

        `reserve` : numéros, rangs (et sur PostgreSQL identifiants) déjà réservés pour ces
        dossiers, compteurs d'état compris (`sequences.reserver_lot`) ; sinon réservés ici.

        `issues` (une par dossier, ou None) : l'issue de l'instruction décidée au dépôt ; le
        dossier est alors inséré directement dans son état final, avec ses colonnes (argent,
        DECA, commentaire, empreinte libérée d'un refus), et compté dans cet état ; ses lignes
        liées sont l'affaire de `guichet.ecrire_instruits_au_depot`. Sans issue : `TRANSMIS`.

        Chemin chaud du dépôt : lignes en n-uplets (`COLONNES_DOSSIER`) passées au pilote
        (`EcriturePilote.inserer` : COPY sur PostgreSQL, executemany sur SQLite), chaque valeur
        par le convertisseur de SQLAlchemy de sa colonne ; les valeurs communes au lot
        (instant, OPCO, CFA, état) converties une fois."""
        if not nouveaux:
            return []
        etat = EtatDossier.TRANSMIS.value
        nombre = len(nouveaux)
        if issues is None:
            issues = [None] * nombre
        if reserve is None:
            numeros, reserves = reserver_depots(
                self.session, self.opco, self.cfa_id, maintenant.year, etats_finals(issues)
            )
            ids: list[int] | None = None
        else:  # réservé par l'appelant (`sequences.reserver_lot`) pour ces dossiers et ces états
            numeros, reserves, ids = reserve.numeros, reserve.rangs, reserve.ids
        connexion = self.session.connection()
        ecriture = ecriture_pilote(connexion.dialect)
        convertir = ecriture.convertir
        instant = convertir("dossier", "date_creation", maintenant)
        opco = convertir("dossier", "opco", self.opco)
        etats_stockes = {etat: convertir("dossier", "etat", etat)}
        charge, dates = (
            ecriture.convertisseurs_de("dossier", ("charge_utile",))[0],
            ecriture.convertisseurs_de("dossier", ("date_conclusion",))[0],
        )
        internes = numeros_internes_de(os.urandom(10 * nombre), time.time_ns() // 1_000_000)
        cfa_id = self.cfa_id
        valeurs: list[tuple[Any, ...]] = []
        for nouveau, interne, numero, rang, issue in zip(
            nouveaux, internes, numeros, reserves, issues, strict=True
        ):
            conclusion = nouveau.date_conclusion
            debut = nouveau.date_debut_contrat
            fin = nouveau.date_fin_contrat
            if dates is not None:
                conclusion = None if conclusion is None else dates(conclusion)
                debut = None if debut is None else dates(debut)
                fin = None if fin is None else dates(fin)
            empreinte = nouveau.empreinte
            if issue is None:
                etat_ligne, commentaire, colonnes = etat, None, _SANS_COLONNES
            else:
                etat_ligne, commentaire, colonnes = issue.etat, issue.commentaire, issue.colonnes
                if etat_ligne in ETATS_LIBERANT_EMPREINTE:
                    empreinte = None
            etat_stocke = etats_stockes.get(etat_ligne)
            if etat_stocke is None:
                etat_stocke = etats_stockes[etat_ligne] = convertir("dossier", "etat", etat_ligne)
            valeurs.append(
                (
                    interne,
                    numero,
                    opco,
                    cfa_id,
                    rang,
                    nouveau.version_api,
                    nouveau.charge_utile if charge is None else charge(nouveau.charge_utile),
                    colonnes.get("numero_deca"),
                    etat_stocke,
                    commentaire,
                    instant,
                    instant,
                    empreinte,
                    nouveau.siret_employeur,
                    nouveau.rncp,
                    nouveau.type_contrat,
                    conclusion,
                    debut,
                    fin,
                    colonnes.get("trop_percu_centimes", 0),
                    0,
                    0,
                    colonnes.get("npec_centimes"),
                    colonnes.get("engagement_centimes"),
                    colonnes.get("plafond_premier_equipement_centimes"),
                )
            )
        if ids is None:
            ecriture.inserer(connexion, "dossier", COLONNES_DOSSIER, valeurs)
        else:
            ecriture.inserer(
                connexion,
                "dossier",
                ("id", *COLONNES_DOSSIER),
                [(ident, *ligne) for ident, ligne in zip(ids, valeurs, strict=True)],
            )
        return [
            DossierDepose(interne, numero, etat)
            for interne, numero in zip(internes, numeros, strict=True)
        ]

    def inserer_dossier(self, nouveau: NouveauDossier, maintenant: datetime) -> DossierDepose:
        return self.inserer_dossiers([nouveau], maintenant)[0]

    def changer_etat(
        self,
        dossier: Dossier,
        vers: str,
        maintenant: datetime,
        commentaire: str | None = None,
    ) -> None:
        """Change l'état d'un dossier de ce CFA en respectant les transitions de SPEC §6.1."""
        if dossier.cfa_id != self.cfa_id or dossier.opco != self.opco:
            raise ObjetAutreCfa("dossier", dossier.numero_interne, "numeroInterne")
        if not transition_permise(dossier.etat, vers):
            raise TransitionRefusee(message_transition_refusee(dossier.etat, vers))
        ajuster_compteur_etat(self.session, self.opco, self.cfa_id, dossier.etat, -1)
        ajuster_compteur_etat(self.session, self.opco, self.cfa_id, vers, 1)
        dossier.etat = vers
        dossier.commentaire_etat = commentaire
        dossier.date_modification = maintenant
        if vers in ETATS_LIBERANT_EMPREINTE:
            dossier.empreinte = None
        self.session.flush()

    def vue_argent(self, dossier: Dossier) -> VueArgent:
        echeances = self.session.scalars(
            select(Echeance).where(Echeance.dossier_id == dossier.id).order_by(Echeance.numero)
        ).all()
        frais = self.session.scalars(
            select(EngagementFraisAnnexe)
            .where(EngagementFraisAnnexe.dossier_id == dossier.id)
            .order_by(EngagementFraisAnnexe.id)
        ).all()
        periodes = self.session.scalars(
            select(PeriodeFraisAnnexe)
            .where(PeriodeFraisAnnexe.dossier_id == dossier.id)
            .order_by(PeriodeFraisAnnexe.numero_echeance, PeriodeFraisAnnexe.id)
        ).all()
        return VueArgent(dossier, echeances, frais, periodes)

    def page_etats(
        self, numero_page: int, etat: str | None = None, modifie_depuis: datetime | None = None
    ) -> Page:
        """Une page des états des dossiers, 100 par page.

        Sans filtre, l'ordre est celui du dépôt (`rang`) et la page n est l'intervalle de rangs
        ](n-1)·100, n·100] : une lecture d'index, aussi rapide pour la dernière page que pour la
        première ; le total vient du compteur. Avec `etat`, total par compteur et parcours de
        l'index (opco, cfa_id, etat, rang). Avec `modifieDepuis`, ordre (date_modification, id).
        """
        colonnes = (
            Dossier.numero_interne,
            Dossier.numero_externe,
            Dossier.numero_deca,
            Dossier.etat,
            Dossier.commentaire_etat,
            Dossier.date_modification,
        )
        debut = (numero_page - 1) * TAILLE_PAGE
        portee = (Dossier.opco == self.opco, Dossier.cfa_id == self.cfa_id)
        if modifie_depuis is not None:
            filtres = [*portee, Dossier.date_modification >= modifie_depuis]
            if etat is not None:
                filtres.append(Dossier.etat == etat)
            total = self.session.scalar(select(func.count()).where(*filtres)) or 0
            lignes = self.session.execute(
                select(*colonnes)
                .where(*filtres)
                .order_by(Dossier.date_modification, Dossier.id)
                .offset(debut)
                .limit(TAILLE_PAGE)
            ).all()
            return Page(total, lignes)
        if etat is not None:
            total = (
                self.session.scalar(
                    select(CompteurEtat.nombre).where(
                        CompteurEtat.opco == self.opco,
                        CompteurEtat.cfa_id == self.cfa_id,
                        CompteurEtat.etat == etat,
                    )
                )
                or 0
            )
            lignes = self.session.execute(
                select(*colonnes)
                .where(*portee, Dossier.etat == etat)
                .order_by(Dossier.rang)
                .offset(debut)
                .limit(TAILLE_PAGE)
            ).all()
            return Page(total, lignes)
        total = (
            self.session.scalar(
                select(CompteurCfa.dossiers).where(
                    CompteurCfa.opco == self.opco, CompteurCfa.cfa_id == self.cfa_id
                )
            )
            or 0
        )
        lignes = self.session.execute(
            select(*colonnes)
            .where(*portee, Dossier.rang > debut, Dossier.rang <= debut + TAILLE_PAGE)
            .order_by(Dossier.rang)
        ).all()
        return Page(total, lignes)

    def dossiers_listes(self, numeros: Sequence[str], champ: str) -> list[Dossier]:
        """Les dossiers demandés, dans l'ordre ; les inconnus sont omis, un dossier d'un autre
        CFA lève `ObjetAutreCfa`."""
        if not numeros:
            return []
        trouves: dict[str, Dossier] = {}
        for dossier in self.session.scalars(
            select(Dossier).where(
                Dossier.numero_interne.in_(list(numeros)), Dossier.opco == self.opco
            )
        ):
            if dossier.cfa_id != self.cfa_id:
                raise ObjetAutreCfa("dossier", dossier.numero_interne, champ)
            trouves[dossier.numero_interne] = dossier
        return [trouves[n] for n in dict.fromkeys(numeros) if n in trouves]

    # --- argent : échéancier, frais annexes, pièces qui comptent pour le paiement ----------

    def verrouiller(self, dossiers_ids: Sequence[int]) -> dict[int, Dossier]:
        """Relit ces dossiers de ce CFA en les verrouillant jusqu'à la fin de la transaction
        (PostgreSQL : `SELECT … FOR UPDATE` ; SQLite : l'écrivain sérialise déjà les écritures).
        Deux factures simultanées d'un même dossier sont ainsi contrôlées l'une après l'autre."""
        if not dossiers_ids:
            return {}
        lignes = self.session.scalars(
            select(Dossier)
            .where(
                Dossier.id.in_(sorted(set(dossiers_ids))),
                Dossier.opco == self.opco,
                Dossier.cfa_id == self.cfa_id,
            )
            .order_by(Dossier.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        return {d.id: d for d in lignes}

    def echeances(self, dossier: Dossier) -> list[Echeance]:
        return list(
            self.session.scalars(
                select(Echeance)
                .where(Echeance.dossier_id == dossier.id)
                .order_by(Echeance.numero)
                .execution_options(populate_existing=True)
            )
        )

    def ecrire_echeances(self, dossier: Dossier, lignes: Sequence[dict[str, Any]]) -> None:
        """Remplace l'échéancier du dossier par `lignes` (colonnes de `echeance`, par numéro) :
        les échéances de même numéro sont mises à jour, les nouvelles ajoutées, les autres
        supprimées."""
        existantes = {e.numero: e for e in self.echeances(dossier)}
        gardees: set[int] = set()
        for ligne in lignes:
            echeance = existantes.get(ligne["numero"])
            if echeance is None:
                self.session.add(Echeance(dossier_id=dossier.id, **ligne))
            else:
                for colonne, valeur in ligne.items():
                    setattr(echeance, colonne, valeur)
            gardees.add(ligne["numero"])
        for numero, echeance in existantes.items():
            if numero not in gardees:
                self.session.delete(echeance)
        self.session.flush()

    def ecrire_frais_annexes(
        self,
        dossier: Dossier,
        lignes: Sequence[dict[str, Any]],
        periodes: Sequence[dict[str, Any]] = (),
    ) -> None:
        """Remplace les lignes `engagementsFraisAnnexe` du dossier et leurs périodes de
        facturation (`periodesFraisAnnexes`)."""
        for table in (EngagementFraisAnnexe, PeriodeFraisAnnexe):
            self.session.execute(delete(table).where(table.dossier_id == dossier.id))
        for ligne in lignes:
            self.session.add(EngagementFraisAnnexe(dossier_id=dossier.id, **ligne))
        for periode in periodes:
            self.session.add(PeriodeFraisAnnexe(dossier_id=dossier.id, **periode))
        self.session.flush()

    def frais_annexes(self, dossier: Dossier) -> list[EngagementFraisAnnexe]:
        return list(
            self.session.scalars(
                select(EngagementFraisAnnexe)
                .where(EngagementFraisAnnexe.dossier_id == dossier.id)
                .order_by(EngagementFraisAnnexe.id)
            )
        )

    def frais_deja_factures(self, dossier: Dossier) -> dict[str, int]:
        """Frais annexes déjà acceptés (VALIDE) ou payés (REGLE), par nature, en centimes."""
        lignes = self.session.execute(
            select(LigneFacture.nature, func.sum(LigneFacture.montant_centimes))
            .join(Facture, Facture.id == LigneFacture.facture_id)
            .where(
                LigneFacture.dossier_id == dossier.id,
                LigneFacture.nature != "PEDAGOGIE",
                Facture.etat.in_(("VALIDE", "REGLE")),
            )
            .group_by(LigneFacture.nature)
        ).all()
        return {str(nature): int(total or 0) for nature, total in lignes if nature}

    def certificats_finals(self, dossier: Dossier) -> list[date]:
        """Jours de réception des certificats de réalisation `Final` du dossier."""
        return [
            recu.date()
            for recu in self.session.scalars(
                select(Certificat.date_reception).where(
                    Certificat.dossier_id == dossier.id,
                    func.lower(Certificat.type_certificat) == "final",
                )
            )
        ]

    def derniere_convention(self, dossier: Dossier) -> Convention | None:
        return self.session.scalar(
            select(Convention)
            .where(Convention.dossier_id == dossier.id)
            .order_by(Convention.id.desc())
            .limit(1)
        )

    # --- fichiers et documents ------------------------------------------------------------

    def stocker_fichier(
        self, sha256: str, contenu: bytes, type_mime: str, maintenant: datetime
    ) -> None:
        """Range un fichier une seule fois, adressé par son SHA-256."""
        if self.session.get(Fichier, sha256) is None:
            self.session.add(
                Fichier(
                    sha256=sha256,
                    taille=len(contenu),
                    type_mime=type_mime,
                    contenu=contenu,
                    date_reception=maintenant,
                )
            )
            self.session.flush()

    def inserer_document(
        self,
        type_fichier: str,
        sha256: str,
        nom_fichier: str | None,
        maintenant: datetime,
        charge_utile: bytes | None = None,
        objets: Sequence[tuple[str, str]] = (),
    ) -> Document:
        document = Document(
            numero_interne=nouveau_numero_interne(),
            opco=self.opco,
            cfa_id=self.cfa_id,
            type_fichier=type_fichier,
            fichier_sha256=sha256,
            nom_fichier=nom_fichier,
            charge_utile=charge_utile,
            date_reception=maintenant,
        )
        self.session.add(document)
        self.session.flush()
        for type_objet, id_objet in objets:
            self.session.add(
                DocumentObjet(document_id=document.id, type_objet=type_objet, id_objet=id_objet)
            )
        self.session.flush()
        return document

    def inserer_convention(
        self, dossier: Dossier, document: Document, charge_utile: bytes, maintenant: datetime
    ) -> Convention:
        convention = Convention(
            numero_interne=nouveau_numero_interne(),
            opco=self.opco,
            cfa_id=self.cfa_id,
            dossier_id=dossier.id,
            document_id=document.id,
            charge_utile=charge_utile,
            date_reception=maintenant,
        )
        self.session.add(convention)
        self.session.flush()
        return convention

    def inserer_certificat(
        self,
        dossier: Dossier,
        facture: Facture | None,
        type_certificat: str,
        date_signature: date | None,
        document: Document,
        charge_utile: bytes,
        maintenant: datetime,
    ) -> Certificat:
        certificat = Certificat(
            numero_interne=nouveau_numero_interne(),
            opco=self.opco,
            cfa_id=self.cfa_id,
            dossier_id=dossier.id,
            facture_id=facture.id if facture else None,
            type_certificat=type_certificat,
            date_signature=date_signature,
            document_id=document.id,
            charge_utile=charge_utile,
            date_reception=maintenant,
        )
        self.session.add(certificat)
        self.session.flush()
        return certificat

    # --- factures -------------------------------------------------------------------------

    def inserer_facture(
        self,
        valeurs: dict[str, Any],
        lignes: Sequence[dict[str, Any]],
        document: Document,
        maintenant: datetime,
    ) -> Facture:
        facture = Facture(
            numero_interne=nouveau_numero_interne(),
            opco=self.opco,
            cfa_id=self.cfa_id,
            etat="TRANSMIS",
            document_id=document.id,
            date_reception=maintenant,
            date_modification=maintenant,
            **valeurs,
        )
        self.session.add(facture)
        self.session.flush()
        for ordre, ligne in enumerate(lignes):
            self.session.add(LigneFacture(facture_id=facture.id, ordre=ordre, **ligne))
        self.session.flush()
        return facture

    def page_factures(self, numero_page: int) -> Page:
        portee = (Facture.opco == self.opco, Facture.cfa_id == self.cfa_id)
        total = self.session.scalar(select(func.count()).select_from(Facture).where(*portee)) or 0
        factures = self.session.scalars(
            select(Facture)
            .where(*portee)
            .order_by(Facture.id)
            .offset((numero_page - 1) * TAILLE_PAGE)
            .limit(TAILLE_PAGE)
        ).all()
        return Page(total, factures)

    def lignes_facture(self, facture_ids: Sequence[int]) -> list[tuple[LigneFacture, Dossier]]:
        if not facture_ids:
            return []
        return [
            (ligne, dossier)
            for ligne, dossier in self.session.execute(
                select(LigneFacture, Dossier)
                .join(Dossier, Dossier.id == LigneFacture.dossier_id)
                .where(LigneFacture.facture_id.in_(list(facture_ids)))
                .order_by(LigneFacture.facture_id, LigneFacture.ordre)
            )
        ]

    # --- ruptures -------------------------------------------------------------------------

    def inserer_rupture(
        self,
        dossier: Dossier,
        date_rupture: date,
        initiative: str | None,
        motif: str | None,
        dans_periode_essai: bool | None,
        charge_utile: bytes,
        maintenant: datetime,
    ) -> Rupture:
        rupture = Rupture(
            dossier_id=dossier.id,
            date_rupture=date_rupture,
            initiative=initiative,
            motif=motif,
            dans_periode_essai=dans_periode_essai,
            charge_utile=charge_utile,
            date_reception=maintenant,
        )
        self.session.add(rupture)
        self.session.flush()
        return rupture

    # --- idempotence ----------------------------------------------------------------------

    def reponse_memorisee(self, cle: str) -> Idempotence | None:
        return self.session.scalar(
            select(Idempotence).where(
                Idempotence.opco == self.opco,
                Idempotence.cfa_id == self.cfa_id,
                Idempotence.cle == cle,
            )
        )

    def memoriser_reponse(
        self,
        cle: str,
        route: str,
        empreinte_corps: str,
        statut: int,
        reponse: bytes,
        maintenant: datetime,
    ) -> None:
        self.session.execute(
            insert(Idempotence).values(
                opco=self.opco,
                cfa_id=self.cfa_id,
                cle=cle,
                route=route,
                empreinte_corps=empreinte_corps,
                statut=statut,
                reponse=reponse,
                date_creation=maintenant,
            )
        )
