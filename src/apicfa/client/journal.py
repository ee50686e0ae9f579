"""Journal local des envois du CFA (SQLite).

Règle d'or : un objet est écrit dans le journal, avec sa clé d'idempotence, et la
transaction validée AVANT qu'il parte. Au prochain lancement, tout envoi dont le sort
est inconnu (`a_envoyer`) ou qui a échoué pour une cause passagère (`echec`) repart
avec la MÊME clé : le serveur répond alors sa première réponse, sans doublon.

Un objet est identifié par (OPCO, nature, empreinte SHA-256 de son contenu) : renvoyer
le même fichier ne crée pas de second envoi. Le journal garde aussi ce que la
synchronisation rapporte : états des dossiers, échéanciers, états des factures.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from apicfa.client.erreurs import ErreurServeur
from apicfa.client.reponses import DossierLu, Echeance, EtatDossier, EtatFacture

A_ENVOYER = "a_envoyer"
ACCEPTE = "accepte"
REFUSE = "refuse"
ECHEC = "echec"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS envois (
    id INTEGER PRIMARY KEY,
    opco TEXT NOT NULL,
    nature TEXT NOT NULL,
    empreinte TEXT NOT NULL,
    cle_idempotence TEXT NOT NULL UNIQUE,
    source TEXT,
    charge BLOB NOT NULL,
    nom_fichier TEXT,
    fichier BLOB,
    statut TEXT NOT NULL,
    tentatives INTEGER NOT NULL DEFAULT 0,
    numero_interne TEXT,
    numero_externe TEXT,
    reponse BLOB,
    erreurs BLOB,
    cree_le TEXT NOT NULL,
    modifie_le TEXT NOT NULL,
    UNIQUE (opco, nature, empreinte)
);
CREATE INDEX IF NOT EXISTS envois_statut ON envois (statut, nature);
CREATE TABLE IF NOT EXISTS dossiers (
    opco TEXT NOT NULL,
    numero_interne TEXT NOT NULL,
    numero_externe TEXT,
    numero_deca TEXT,
    etat TEXT,
    commentaire_etat TEXT,
    date_modification TEXT,
    engagement TEXT,
    trop_percu TEXT,
    synchronise_le TEXT NOT NULL,
    PRIMARY KEY (opco, numero_interne)
);
CREATE TABLE IF NOT EXISTS echeances (
    opco TEXT NOT NULL,
    numero_interne TEXT NOT NULL,
    numero INTEGER NOT NULL,
    codification TEXT,
    montant_total TEXT NOT NULL,
    montant_regle TEXT NOT NULL,
    montant_en_cours TEXT NOT NULL,
    date_ouverture TEXT,
    date_debut TEXT,
    date_fin TEXT,
    PRIMARY KEY (opco, numero_interne, numero)
);
CREATE TABLE IF NOT EXISTS factures (
    opco TEXT NOT NULL,
    numero_interne_facture TEXT NOT NULL,
    reference TEXT,
    montant TEXT,
    etat TEXT,
    reference_virement TEXT,
    date_reglement TEXT,
    commentaire TEXT,
    synchronise_le TEXT NOT NULL,
    PRIMARY KEY (opco, numero_interne_facture)
);
CREATE TABLE IF NOT EXISTS lignes_facturees (
    opco TEXT NOT NULL,
    numero_facture TEXT NOT NULL,
    numero_interne TEXT NOT NULL,
    numero_echeance INTEGER NOT NULL,
    montant TEXT NOT NULL,
    PRIMARY KEY (opco, numero_interne, numero_echeance, numero_facture)
);
CREATE TABLE IF NOT EXISTS synchronisations (
    opco TEXT PRIMARY KEY,
    jour TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS series (
    nom TEXT PRIMARY KEY,
    dernier INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Envoi:
    """Une ligne du journal des envois."""

    id: int
    opco: str
    nature: str
    cle_idempotence: str
    source: str | None
    charge: dict[str, Any]
    nom_fichier: str | None
    fichier: bytes | None
    statut: str
    tentatives: int
    numero_interne: str | None
    numero_externe: str | None
    erreurs: list[ErreurServeur]


@dataclass(frozen=True)
class Objet:
    """Un objet à écrire au journal avant son envoi (voir `Journal.preparer_lot`)."""

    opco: str
    nature: str
    charge: dict[str, Any]
    source: str | None = None
    nom_fichier: str | None = None
    fichier: bytes | None = None


@dataclass(frozen=True)
class Accuse:
    """Un envoi accepté par l'OPCO (voir `Journal.marquer_lot`)."""

    id: int
    numero_interne: str | None
    numero_externe: str | None
    reponse: dict[str, Any]


@dataclass(frozen=True)
class Issue:
    """Un envoi refusé (`REFUSE`) ou en échec passager (`ECHEC`), avec ses erreurs."""

    id: int
    statut: str
    erreurs: tuple[ErreurServeur, ...]


def _erreurs_json(erreurs: Iterable[ErreurServeur]) -> bytes:
    return orjson.dumps(
        [{"code": e.code, "description": e.description, "champ": e.champ} for e in erreurs]
    )


def _maintenant() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def empreinte(charge: dict[str, Any], fichier: bytes | None = None) -> str:
    """Empreinte du contenu : JSON canonique (clés triées) puis pièce jointe."""
    h = hashlib.sha256(orjson.dumps(charge, option=orjson.OPT_SORT_KEYS))
    if fichier is not None:
        h.update(b"\x00")
        h.update(fichier)
    return h.hexdigest()


def chemin_par_defaut() -> Path:
    """`journal.sqlite` dans le dossier de données de l'utilisateur."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("apicfa", appauthor=False)) / "journal.sqlite"


class Journal:
    """Journal SQLite (WAL) ; une connexion protégée par un verrou, utilisable par un seul
    processus à la fois."""

    def __init__(self, chemin: Path | str | None = None) -> None:
        self.chemin = Path(chemin) if chemin else chemin_par_defaut()
        self.chemin.parent.mkdir(parents=True, exist_ok=True)
        if not self.chemin.exists():
            # Créé vide en 0600 avant que SQLite l'ouvre : jamais lisible par d'autres.
            os.close(os.open(self.chemin, os.O_WRONLY | os.O_CREAT, 0o600))
        self._verrou = threading.RLock()
        self._cnx = sqlite3.connect(self.chemin, check_same_thread=False, isolation_level=None)
        self._cnx.execute("PRAGMA journal_mode=WAL")
        self._cnx.execute("PRAGMA synchronous=NORMAL")
        self._cnx.execute("PRAGMA busy_timeout=10000")
        self._cnx.executescript(_SCHEMA)
        self.chemin.chmod(0o600)

    def close(self) -> None:
        with self._verrou:
            self._cnx.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, debut: str = "BEGIN") -> Iterator[None]:
        """Une transaction sous le verrou : validée à la fin du bloc, annulée si une exception
        (quelle qu'elle soit) en sort."""
        with self._verrou:
            self._cnx.execute(debut)
            try:
                yield
                self._cnx.execute("COMMIT")
            except BaseException:
                self._cnx.execute("ROLLBACK")
                raise

    # -- envois ---------------------------------------------------------------------------
    def preparer(
        self,
        opco: str,
        nature: str,
        charge: dict[str, Any],
        *,
        source: str | None = None,
        nom_fichier: str | None = None,
        fichier: bytes | None = None,
    ) -> Envoi:
        """L'envoi de cet objet : celui déjà connu, ou un nouveau, validé AVANT l'envoi."""
        (envoi,) = self.preparer_lot(
            [Objet(opco, nature, charge, source=source, nom_fichier=nom_fichier, fichier=fichier)]
        )
        return envoi

    def preparer_lot(self, objets: Sequence[Objet]) -> list[Envoi]:
        """`preparer` pour plusieurs objets en UNE transaction durable (synchronisée sur le
        disque avant de rendre la main) : chaque envoi rendu est au journal avant de partir.
        Deux objets identiques du lot donnent le même envoi."""
        if not objets:
            return []
        maintenant = _maintenant()
        envois: list[Envoi] = []
        with self._verrou:
            self._cnx.execute("PRAGMA synchronous=FULL")
            try:
                with self._transaction("BEGIN IMMEDIATE"):
                    for objet in objets:
                        envois.append(self._preparer_un(objet, maintenant))
            finally:
                self._cnx.execute("PRAGMA synchronous=NORMAL")
        return envois

    def _preparer_un(self, objet: Objet, maintenant: str) -> Envoi:
        signature = empreinte(objet.charge, objet.fichier)
        existant = self._une(
            "SELECT * FROM envois WHERE opco = ? AND nature = ? AND empreinte = ?",
            (objet.opco, objet.nature, signature),
        )
        if existant is not None:
            return existant
        cle = uuid.uuid4().hex
        curseur = self._cnx.execute(
            "INSERT INTO envois (opco, nature, empreinte, cle_idempotence, source, charge, "
            "nom_fichier, fichier, statut, cree_le, modifie_le) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                objet.opco,
                objet.nature,
                signature,
                cle,
                objet.source,
                orjson.dumps(objet.charge),
                objet.nom_fichier,
                objet.fichier,
                A_ENVOYER,
                maintenant,
                maintenant,
            ),
        )
        return Envoi(
            id=int(curseur.lastrowid or 0),
            opco=objet.opco,
            nature=objet.nature,
            cle_idempotence=cle,
            source=objet.source,
            charge=objet.charge,
            nom_fichier=objet.nom_fichier,
            fichier=objet.fichier,
            statut=A_ENVOYER,
            tentatives=0,
            numero_interne=None,
            numero_externe=None,
            erreurs=[],
        )

    def envoi(self, identifiant: int) -> Envoi | None:
        with self._verrou:
            return self._une("SELECT * FROM envois WHERE id = ?", (identifiant,))

    def marquer_accepte(
        self,
        identifiant: int,
        *,
        numero_interne: str | None,
        numero_externe: str | None,
        reponse: dict[str, Any],
    ) -> None:
        self.marquer_lot([Accuse(identifiant, numero_interne, numero_externe, reponse)])

    def marquer_refuse(self, identifiant: int, erreurs: Iterable[ErreurServeur]) -> None:
        self.marquer_lot([Issue(identifiant, REFUSE, tuple(erreurs))])

    def marquer_echec(self, identifiant: int, erreurs: Iterable[ErreurServeur]) -> None:
        self.marquer_lot([Issue(identifiant, ECHEC, tuple(erreurs))])

    def marquer_lot(self, issues: Sequence[Accuse | Issue]) -> None:
        """Enregistre, en une transaction et dans l'ordre donné, le sort de plusieurs envois
        (accusés de réception, refus, échecs) ; chacun comme par `marquer_…`."""
        if not issues:
            return
        maintenant = _maintenant()
        with self._transaction("BEGIN IMMEDIATE"):
            for issue in issues:
                if isinstance(issue, Accuse):
                    self._cnx.execute(
                        "UPDATE envois SET statut = ?, numero_interne = ?, "
                        "numero_externe = ?, reponse = ?, erreurs = NULL, "
                        "tentatives = tentatives + 1, modifie_le = ? WHERE id = ?",
                        (
                            ACCEPTE,
                            issue.numero_interne,
                            issue.numero_externe,
                            orjson.dumps(issue.reponse),
                            maintenant,
                            issue.id,
                        ),
                    )
                else:
                    self._cnx.execute(
                        "UPDATE envois SET statut = ?, erreurs = ?, "
                        "tentatives = tentatives + 1, modifie_le = ? WHERE id = ?",
                        (issue.statut, _erreurs_json(issue.erreurs), maintenant, issue.id),
                    )

    def en_suspens(self, nature: str | None = None) -> Iterator[Envoi]:
        """Envois au sort inconnu ou en échec passager, les plus anciens d'abord."""
        requete = "SELECT id FROM envois WHERE statut IN (?, ?)"
        parametres: tuple[Any, ...] = (A_ENVOYER, ECHEC)
        if nature:
            requete += " AND nature = ?"
            parametres += (nature,)
        with self._verrou:
            ids = [r[0] for r in self._cnx.execute(requete + " ORDER BY id", parametres)]
        for identifiant in ids:
            envoi = self.envoi(identifiant)
            if envoi is not None:
                yield envoi

    def opco_envoi(self, numero_interne: str) -> str | None:
        """L'OPCO auquel ce poste a envoyé le dossier `numero_interne`."""
        with self._verrou:
            ligne = self._cnx.execute(
                "SELECT opco FROM envois WHERE numero_interne = ? AND nature LIKE 'dossier-v%' "
                "LIMIT 1",
                (numero_interne,),
            ).fetchone()
        return None if ligne is None else str(ligne[0])

    def compter(self) -> dict[str, int]:
        with self._verrou:
            lignes = self._cnx.execute("SELECT statut, COUNT(*) FROM envois GROUP BY statut")
            return {statut: nombre for statut, nombre in lignes}

    def envois(self, nature: str | None = None, statut: str | None = None) -> Iterator[Envoi]:
        requete = "SELECT * FROM envois WHERE 1 = 1"
        parametres: list[Any] = []
        if nature:
            requete += " AND nature = ?"
            parametres.append(nature)
        if statut:
            requete += " AND statut = ?"
            parametres.append(statut)
        for ligne in self._dicts(requete + " ORDER BY id", tuple(parametres)):
            yield self._lire_envoi(ligne)

    def _une(self, requete: str, parametres: tuple[Any, ...]) -> Envoi | None:
        lignes = self._dicts(requete, parametres)
        return self._lire_envoi(lignes[0]) if lignes else None

    def _lire_envoi(self, d: dict[str, Any]) -> Envoi:
        erreurs = [ErreurServeur(**e) for e in orjson.loads(d["erreurs"])] if d["erreurs"] else []
        return Envoi(
            id=d["id"],
            opco=d["opco"],
            nature=d["nature"],
            cle_idempotence=d["cle_idempotence"],
            source=d["source"],
            charge=orjson.loads(d["charge"]),
            nom_fichier=d["nom_fichier"],
            fichier=d["fichier"],
            statut=d["statut"],
            tentatives=d["tentatives"],
            numero_interne=d["numero_interne"],
            numero_externe=d["numero_externe"],
            erreurs=erreurs,
        )

    # -- synchronisation ------------------------------------------------------------------
    def enregistrer_etats(self, opco: str, etats: Iterable[EtatDossier]) -> int:
        """Met à jour l'état des dossiers ; rend le nombre d'états reçus."""
        nombre = 0
        maintenant = _maintenant()
        with self._transaction():
            for etat in etats:
                self._cnx.execute(
                    "INSERT INTO dossiers (opco, numero_interne, numero_externe, numero_deca, "
                    "etat, commentaire_etat, date_modification, synchronise_le) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (opco, numero_interne) DO UPDATE SET "
                    "numero_externe = excluded.numero_externe, "
                    "numero_deca = excluded.numero_deca, etat = excluded.etat, "
                    "commentaire_etat = excluded.commentaire_etat, "
                    "date_modification = excluded.date_modification, "
                    "synchronise_le = excluded.synchronise_le",
                    (
                        opco,
                        etat.numero_interne,
                        etat.numero_externe,
                        etat.numero_deca,
                        etat.etat,
                        etat.commentaire_etat,
                        etat.date_modification,
                        maintenant,
                    ),
                )
                nombre += 1
        return nombre

    def enregistrer_dossier(self, opco: str, dossier: DossierLu) -> None:
        """Enregistre un dossier relu et remplace son échéancier."""
        maintenant = _maintenant()
        with self._transaction():
            self._cnx.execute(
                "INSERT INTO dossiers (opco, numero_interne, numero_externe, numero_deca, "
                "etat, commentaire_etat, engagement, trop_percu, synchronise_le) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (opco, numero_interne) DO UPDATE SET "
                "numero_externe = excluded.numero_externe, "
                "numero_deca = excluded.numero_deca, etat = excluded.etat, "
                "commentaire_etat = excluded.commentaire_etat, "
                "engagement = excluded.engagement, trop_percu = excluded.trop_percu, "
                "synchronise_le = excluded.synchronise_le",
                (
                    opco,
                    dossier.numero_interne,
                    dossier.numero_externe,
                    dossier.numero_deca,
                    dossier.etat,
                    dossier.commentaire_etat,
                    None if dossier.engagement is None else str(dossier.engagement),
                    str(dossier.trop_percu),
                    maintenant,
                ),
            )
            self._cnx.execute(
                "DELETE FROM echeances WHERE opco = ? AND numero_interne = ?",
                (opco, dossier.numero_interne),
            )
            for e in dossier.echeances:
                self._cnx.execute(
                    "INSERT INTO echeances VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        opco,
                        dossier.numero_interne,
                        e.numero,
                        e.codification,
                        str(e.montant_total),
                        str(e.montant_regle),
                        str(e.montant_en_cours_instruction),
                        _iso(e.date_ouverture),
                        _iso(e.date_debut),
                        _iso(e.date_fin),
                    ),
                )

    def enregistrer_etats_factures(self, opco: str, etats: Iterable[EtatFacture]) -> int:
        nombre = 0
        maintenant = _maintenant()
        with self._verrou:
            for f in etats:
                self._cnx.execute(
                    "INSERT INTO factures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (opco, numero_interne_facture) DO UPDATE SET "
                    "reference = excluded.reference, montant = excluded.montant, "
                    "etat = excluded.etat, reference_virement = excluded.reference_virement, "
                    "date_reglement = excluded.date_reglement, "
                    "commentaire = excluded.commentaire, synchronise_le = excluded.synchronise_le",
                    (
                        opco,
                        f.numero_interne_facture,
                        f.reference_facture_cfa,
                        None if f.montant_facture is None else str(f.montant_facture),
                        f.etat_facture,
                        f.reference_virement,
                        _iso(f.date_reglement),
                        f.commentaire,
                        maintenant,
                    ),
                )
                nombre += 1
        return nombre

    def dossiers(self, opco: str | None = None) -> list[dict[str, Any]]:
        requete = "SELECT * FROM dossiers"
        parametres: tuple[Any, ...] = ()
        if opco:
            requete += " WHERE opco = ?"
            parametres = (opco,)
        return self._dicts(requete + " ORDER BY opco, numero_externe, numero_interne", parametres)

    def dossier(self, numero_interne: str) -> dict[str, Any] | None:
        lignes = self._dicts("SELECT * FROM dossiers WHERE numero_interne = ?", (numero_interne,))
        return lignes[0] if lignes else None

    def echeances(self, opco: str, numero_interne: str) -> list[Echeance]:
        lignes = self._dicts(
            "SELECT * FROM echeances WHERE opco = ? AND numero_interne = ? ORDER BY numero",
            (opco, numero_interne),
        )
        return [
            Echeance(
                numero=ligne["numero"],
                codification=ligne["codification"],
                montant_total=Decimal(ligne["montant_total"]),
                montant_regle=Decimal(ligne["montant_regle"]),
                montant_en_cours_instruction=Decimal(ligne["montant_en_cours"]),
                date_ouverture=_jour(ligne["date_ouverture"]),
                date_debut=_jour(ligne["date_debut"]),
                date_fin=_jour(ligne["date_fin"]),
            )
            for ligne in lignes
        ]

    def factures(self, opco: str | None = None) -> list[dict[str, Any]]:
        if opco:
            return self._dicts("SELECT * FROM factures WHERE opco = ? ORDER BY reference", (opco,))
        return self._dicts("SELECT * FROM factures ORDER BY opco, reference", ())

    def jour_synchronisation(self, opco: str) -> date | None:
        """Le jour de la dernière synchronisation complète des états de cet OPCO."""
        lignes = self._dicts("SELECT jour FROM synchronisations WHERE opco = ?", (opco,))
        return _jour(lignes[0]["jour"]) if lignes else None

    def noter_synchronisation(self, opco: str, jour: date) -> None:
        with self._verrou:
            self._cnx.execute(
                "INSERT INTO synchronisations VALUES (?, ?) "
                "ON CONFLICT (opco) DO UPDATE SET jour = excluded.jour",
                (opco, jour.isoformat()),
            )

    # -- facturation ----------------------------------------------------------------------
    def deja_facture(self, opco: str, numero_interne: str, numero_echeance: int) -> bool:
        """Vrai quand une facture du journal (non refusée) couvre déjà cette échéance."""
        with self._verrou:
            ligne = self._cnx.execute(
                "SELECT 1 FROM lignes_facturees l JOIN envois e ON e.opco = l.opco "
                "AND e.nature = 'facture' AND json_extract(e.charge, '$.numero') = l.numero_facture "
                "WHERE l.opco = ? AND l.numero_interne = ? AND l.numero_echeance = ? "
                "AND e.statut <> ? LIMIT 1",
                (opco, numero_interne, numero_echeance, REFUSE),
            ).fetchone()
        return ligne is not None

    def enregistrer_lignes_facture(
        self, opco: str, numero_facture: str, lignes: Iterable[tuple[str, int, Decimal]]
    ) -> None:
        with self._verrou:
            for numero_interne, numero_echeance, montant in lignes:
                self._cnx.execute(
                    "INSERT OR IGNORE INTO lignes_facturees VALUES (?, ?, ?, ?, ?)",
                    (opco, numero_facture, numero_interne, numero_echeance, str(montant)),
                )

    def prochain_numero(self, serie: str) -> int:
        """Numéro suivant d'une série (factures), sans trou ni doublon dans ce journal."""
        with self._transaction("BEGIN IMMEDIATE"):
            self._cnx.execute(
                "INSERT INTO series VALUES (?, 1) "
                "ON CONFLICT (nom) DO UPDATE SET dernier = dernier + 1",
                (serie,),
            )
            (numero,) = self._cnx.execute(
                "SELECT dernier FROM series WHERE nom = ?", (serie,)
            ).fetchone()
        return int(numero)

    def _dicts(self, requete: str, parametres: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._verrou:
            curseur = self._cnx.execute(requete, parametres)
            colonnes = [c[0] for c in curseur.description]
            return [dict(zip(colonnes, ligne, strict=True)) for ligne in curseur.fetchall()]


def _iso(valeur: Any) -> str | None:
    return None if valeur is None else valeur.isoformat()


def _jour(valeur: str | None) -> date | None:
    return None if valeur is None else date.fromisoformat(valeur)
