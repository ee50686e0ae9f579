"""Numérotation sûre en concurrence, identique sur SQLite et PostgreSQL.

Chaque compteur avance par un seul `INSERT … ON CONFLICT DO UPDATE … RETURNING` : la ligne du
compteur est verrouillée jusqu'à la validation de la transaction, donc deux dépôts simultanés
n'obtiennent jamais le même numéro (et un dépôt annulé ne consomme pas de numéro).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from apicfa.stockage.aller_retour import Instruction, executer_ensemble

# Textes du pilote (`exec_driver_sql`, paramètres positionnels) : sans compilation par SQLAlchemy
# ni traitement des paramètres ; `{m}` est la marque du dialecte (`?` SQLite, `%s` psycopg).
_SEQUENCE = (
    "INSERT INTO sequence_numero (opco, annee, valeur) VALUES ({m}, {m}, {m}) "
    "ON CONFLICT (opco, annee) DO UPDATE SET valeur = sequence_numero.valeur + excluded.valeur "
    "RETURNING valeur"
)
_COMPTEUR_CFA = (
    "INSERT INTO compteur_cfa (opco, cfa_id, dossiers) VALUES ({m}, {m}, {m}) "
    "ON CONFLICT (opco, cfa_id) DO UPDATE SET dossiers = compteur_cfa.dossiers + excluded.dossiers "
    "RETURNING dossiers"
)
_COMPTEUR_ETAT = (
    "INSERT INTO compteur_etat (opco, cfa_id, etat, nombre) VALUES ({m}, {m}, {m}, {m}) "
    "ON CONFLICT (opco, cfa_id, etat) DO UPDATE SET nombre = compteur_etat.nombre + excluded.nombre"
)

# PostgreSQL : les trois compteurs d'un lot de dépôts en UN aller-retour (CTE modifiantes,
# toujours exécutées jusqu'au bout même si la requête principale ne les lit pas) ; un compteur
# d'état par état des dossiers du lot (`unnest` de deux tableaux de même longueur).
_RESERVER_PG = (
    "WITH s AS (INSERT INTO sequence_numero (opco, annee, valeur) VALUES (%(opco)s, %(annee)s, "
    "%(pas)s) ON CONFLICT (opco, annee) DO UPDATE SET valeur = sequence_numero.valeur + "
    "excluded.valeur RETURNING valeur), "
    "r AS (INSERT INTO compteur_cfa (opco, cfa_id, dossiers) VALUES (%(opco)s, %(cfa)s, %(pas)s) "
    "ON CONFLICT (opco, cfa_id) DO UPDATE SET dossiers = compteur_cfa.dossiers + "
    "excluded.dossiers RETURNING dossiers), "
    "e AS (INSERT INTO compteur_etat (opco, cfa_id, etat, nombre) "
    "SELECT %(opco)s, %(cfa)s, etat, nombre "
    "FROM unnest(%(etats)s::varchar[], %(nombres)s::bigint[]) AS u (etat, nombre) "
    "ON CONFLICT (opco, cfa_id, etat) DO UPDATE SET nombre = compteur_etat.nombre + "
    "excluded.nombre) "
    "SELECT s.valeur, r.dossiers{ids} FROM s, r"
)
# … et les identifiants des nouveaux dossiers, tirés de la séquence de leur clé primaire (dans
# l'ordre : les dossiers d'un lot gardent l'ordre de leur dépôt)
_IDS_PG = ", ARRAY(SELECT nextval('dossier_id_seq') FROM generate_series(1, %(pas)s))"


def _marque(paramstyle: str) -> str:
    """La marque de paramètre positionnel du pilote (`?` SQLite, `%s` psycopg)."""
    if paramstyle not in ("qmark", "format", "pyformat"):
        raise ValueError(f"style de paramètres non pris en charge : {paramstyle}")
    return "?" if paramstyle == "qmark" else "%s"


@lru_cache(maxsize=32)
def _sql(modele: str, paramstyle: str) -> str:
    """`modele` avec la marque de paramètre positionnel du pilote."""
    return modele.format(m=_marque(paramstyle))


def _plage(dernier: int, nombre: int) -> range:
    """Les `nombre` valeurs réservées d'un compteur qui vaut `dernier` après la réservation."""
    return range(dernier - nombre + 1, dernier + 1)


def _executer(connexion: Connection, modele: str, parametres: tuple[object, ...]) -> None:
    connexion.exec_driver_sql(_sql(modele, connexion.dialect.paramstyle), parametres)


def _dernier(connexion: Connection, modele: str, parametres: tuple[object, ...]) -> int:
    """Exécute `modele` (un `… RETURNING` d'une ligne) ; rend la valeur rendue."""
    sql = _sql(modele, connexion.dialect.paramstyle)
    return int(connexion.exec_driver_sql(sql, parametres).scalar_one())


# Préfixes lisibles des numéros externes, par OPCO.
PREFIXES_OPCO: dict[str, str] = {
    "afdas": "AFD",
    "akto": "AKT",
    "atlas": "ATL",
    "constructys": "CST",
    "opcommerce": "OPC",
    "ocapiat": "OCA",
    "opco2i": "O2I",
    "opcoep": "OEP",
    "mobilites": "MOB",
    "sante": "SAN",
    "uniformation": "UNI",
}


def numeros_externes(session: Session, opco: str, annee: int, nombre: int = 1) -> list[str]:
    """Réserve `nombre` numéros consécutifs (`ATL-2025-000123`) en une instruction."""
    dernier = _dernier(session.connection(), _SEQUENCE, (opco, annee, nombre))
    return _numeros(opco, annee, dernier, nombre)


def _numeros(opco: str, annee: int, dernier: int, nombre: int) -> list[str]:
    """Les `nombre` numéros externes réservés qui finissent à la valeur `dernier` du compteur."""
    prefixe = PREFIXES_OPCO.get(opco, opco[:3].upper())
    return [f"{prefixe}-{annee}-{v:06d}" for v in _plage(dernier, nombre)]


def prochain_numero_externe(session: Session, opco: str, annee: int) -> str:
    return numeros_externes(session, opco, annee)[0]


def rangs(session: Session, opco: str, cfa_id: int, nombre: int = 1) -> range:
    """Réserve `nombre` rangs consécutifs pour les dossiers de ce CFA chez cette OPCO."""
    dernier = _dernier(session.connection(), _COMPTEUR_CFA, (opco, cfa_id, nombre))
    return _plage(dernier, nombre)


def reserver_depots(
    session: Session, opco: str, cfa_id: int, annee: int, etats: Mapping[str, int]
) -> tuple[list[str], range]:
    """Pour de nouveaux dossiers (`etats` : combien de dossiers dans chaque état, les
    `sum(etats.values())` du lot) : leurs numéros externes, leurs rangs, et les compteurs de
    ces états augmentés d'autant."""
    connexion = session.connection()
    nombre = sum(etats.values())
    if connexion.dialect.name != "postgresql":
        valeur = _dernier(connexion, _SEQUENCE, (opco, annee, nombre))
        dossiers = _dernier(connexion, _COMPTEUR_CFA, (opco, cfa_id, nombre))
        for etat, pas in etats.items():
            _executer(connexion, _COMPTEUR_ETAT, (opco, cfa_id, etat, pas))
    else:
        valeur, dossiers = connexion.exec_driver_sql(
            _RESERVER_PG.format(ids=""), _parametres_pg(opco, cfa_id, annee, etats)
        ).one()
    return _numeros(opco, annee, valeur, nombre), _plage(dossiers, nombre)


def _parametres_pg(opco: str, cfa_id: int, annee: int, etats: Mapping[str, int]) -> dict[str, Any]:
    return {
        "opco": opco,
        "annee": annee,
        "cfa": cfa_id,
        "pas": sum(etats.values()),
        "etats": list(etats),
        "nombres": list(etats.values()),
    }


# (OPCO, département, mois AAAAMM) : un compteur de numéros DECA
CleDeca = tuple[str, str, int]


@dataclass(frozen=True, slots=True)
class DemandeLot:
    """Ce que demande un lot de nouveaux dossiers d'un CFA chez une OPCO : combien de dossiers
    dans chaque état final (`etats`), et de numéros DECA par compteur (`deca`)."""

    opco: str
    cfa_id: int
    annee: int
    etats: Mapping[str, int]
    deca: Mapping[CleDeca, int]


@dataclass(frozen=True, slots=True)
class LotReserve:
    """Ce que réserve un lot de nouveaux dossiers (`reserver_lot`) : numéros externes et rangs
    (un par dossier), séquences DECA par compteur, et sur PostgreSQL les identifiants des
    dossiers (None sur SQLite : la base les attribue à l'insertion)."""

    numeros: list[str]
    rangs: range
    deca: dict[CleDeca, range]
    ids: list[int] | None


def reserver_lot(session: Session, demande: DemandeLot) -> LotReserve:
    """Tout ce que réserve l'écriture d'un lot de nouveaux dossiers d'un CFA : les séquences
    DECA (`sequences_deca`, d'abord, comme l'instruction), puis numéros, rangs et compteurs
    d'état (`reserver_depots`). Sur PostgreSQL, les deux instructions partent en un seul
    aller-retour, avec les identifiants des dossiers : l'insertion des échéances n'a plus à
    relire ceux des dossiers qu'elle vient d'insérer."""
    connexion = session.connection()
    instructions = _instructions_pg(connexion, demande)
    if instructions is None:
        deca = sequences_deca(session, demande.deca) if demande.deca else {}
        numeros, rangs = reserver_depots(
            session, demande.opco, demande.cfa_id, demande.annee, demande.etats
        )
        return LotReserve(numeros, rangs, deca, None)
    liste, lire = instructions
    return lire(executer_ensemble(connexion, liste))


POINT_RESERVATION = "reservation_lot"


def lire_puis_reserver_lot(
    session: Session, lecture: list[Instruction], demande: DemandeLot
) -> tuple[list[list[Any]], LotReserve | None]:
    """`lecture` (les instructions de la recherche des doublons d'un lot), puis, sur PostgreSQL
    et dans le même aller-retour, la réservation de `reserver_lot` pour tous les dossiers que le
    lot créera s'il n'a aucun doublon. La réservation est faite sous un point de sauvegarde : si
    la lecture trouve un doublon, `rendre_lot` l'annule (compteurs, séquences et leurs verrous),
    et le lot réserve pour ses seuls nouveaux dossiers. Rend les résultats des instructions de
    la lecture et la réservation (None sur SQLite, sans aller-retour à gagner : à faire ensuite
    par `reserver_lot`)."""
    connexion = session.connection()
    instructions = _instructions_pg(connexion, demande)
    if instructions is None:
        return executer_ensemble(connexion, lecture), None
    liste, lire = instructions
    resultats = executer_ensemble(
        connexion, [*lecture, (f"SAVEPOINT {POINT_RESERVATION}", ()), *liste]
    )
    return resultats[: len(lecture)], lire(resultats[len(lecture) + 1 :])


def rendre_lot(session: Session) -> None:
    """Annule la réservation de `lire_puis_reserver_lot` (PostgreSQL)."""
    session.connection().exec_driver_sql(f"ROLLBACK TO SAVEPOINT {POINT_RESERVATION}")


def _instructions_pg(
    connexion: Connection, demande: DemandeLot
) -> tuple[list[Instruction], Callable[[list[list[Any]]], LotReserve]] | None:
    """Les instructions de `reserver_lot` sur PostgreSQL et de quoi lire leurs lignes ; None
    ailleurs, ou quand deux demandes DECA tombent sur un même compteur (une à une)."""
    if connexion.dialect.name != "postgresql":
        return None
    deca_pg = _instruction_deca(connexion, demande.deca) if demande.deca else None
    if demande.deca and deca_pg is None:
        return None
    opco, annee = demande.opco, demande.annee
    instructions: list[Instruction] = [] if deca_pg is None else [deca_pg[0]]
    instructions.append(
        (
            _RESERVER_PG.format(ids=_IDS_PG),
            _parametres_pg(opco, demande.cfa_id, annee, demande.etats),
        )
    )
    nombre = sum(demande.etats.values())

    def lire(resultats: list[list[Any]]) -> LotReserve:
        *lignes_deca, (reserve,) = resultats
        valeur, dossiers, ids = reserve
        return LotReserve(
            _numeros(opco, annee, valeur, nombre),
            _plage(dossiers, nombre),
            {} if deca_pg is None else deca_pg[1](lignes_deca[0]),
            list(ids),
        )

    return instructions, lire


def sequences_deca(session: Session, demandes: Mapping[CleDeca, int]) -> dict[CleDeca, range]:
    """Pour chaque (OPCO, département, mois AAAAMM) → nombre : des numéros de séquence DECA
    consécutifs, réservés en UNE instruction (`INSERT … VALUES (…), (…) ON CONFLICT DO UPDATE
    … RETURNING`) sur les compteurs de `sequence_deca` (mêmes clés, même sûreté en
    concurrence). Compteurs pris dans l'ordre des clés : deux processus qui numérotent en même
    temps les verrouillent dans le même ordre."""
    connexion = session.connection()
    instruction = _instruction_deca(connexion, demandes)
    if instruction is None:  # deux demandes sur un même compteur : une à une
        return {
            demande: sequence_deca(session, demande[0], demande[1], demande[2], nombre)
            for demande, nombre in demandes.items()
        }
    (sql, parametres), lire = instruction
    return lire(list(connexion.exec_driver_sql(sql, parametres)))  # type: ignore[arg-type]


def _instruction_deca(
    connexion: Connection, demandes: Mapping[CleDeca, int]
) -> tuple[Instruction, Callable[[list[Any]], dict[CleDeca, range]]] | None:
    """L'instruction de `sequences_deca` et de quoi lire ses lignes ; None quand deux demandes
    tombent sur un même compteur (clé tronquée à 16 caractères)."""
    cles = {demande: (cle_deca(demande[1], demande[0]), demande[2]) for demande in demandes}
    if len(set(cles.values())) != len(cles):
        return None
    ordre = sorted(demandes, key=cles.__getitem__)
    marque = _marque(connexion.dialect.paramstyle)
    valeurs = ", ".join([f"({marque}, {marque}, {marque})"] * len(ordre))
    parametres = tuple(
        valeur for demande in ordre for valeur in (*cles[demande], demandes[demande])
    )
    sql = (
        f"INSERT INTO sequence_numero (opco, annee, valeur) VALUES {valeurs} "
        "ON CONFLICT (opco, annee) DO UPDATE "
        "SET valeur = sequence_numero.valeur + excluded.valeur "
        "RETURNING opco, annee, valeur"
    )

    def lire(lignes: list[Any]) -> dict[CleDeca, range]:
        derniers = {(cle, mois): int(dernier) for cle, mois, dernier in lignes}
        resultat = {}
        for demande, nombre in demandes.items():
            dernier = derniers[cles[demande]]
            resultat[demande] = _plage(dernier, nombre)
        return resultat

    return (sql, parametres), lire


def ajuster_compteur_etat(session: Session, opco: str, cfa_id: int, etat: str, pas: int) -> None:
    _executer(session.connection(), _COMPTEUR_ETAT, (opco, cfa_id, etat, pas))


def cle_deca(departement: str, opco: str) -> str:
    """La clé du compteur DECA d'une OPCO pour un département dans `sequence_numero` :
    `D<département><opco>`, 16 caractères au plus."""
    return f"D{departement}{opco}"[:16]


def sequence_deca(
    session: Session, opco: str, departement: str, mois: int, nombre: int = 1
) -> range:
    """Réserve `nombre` numéros de séquence DECA consécutifs d'une OPCO pour un département et
    un mois (`mois` = AAAAMM). Même compteur sûr en concurrence que les numéros externes, sous
    la clé `cle_deca`."""
    cle = cle_deca(departement, opco)
    dernier = _dernier(session.connection(), _SEQUENCE, (cle, mois, nombre))
    return _plage(dernier, nombre)
