"""Numérotation sûre en concurrence, identique sur SQLite et PostgreSQL.

Chaque compteur avance par un seul `INSERT … ON CONFLICT DO UPDATE … RETURNING` : la ligne du
compteur est verrouillée jusqu'à la validation de la transaction, donc deux dépôts simultanés
n'obtiennent jamais le même numéro (et un dépôt annulé ne consomme pas de numéro).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from sqlalchemy import Connection
from sqlalchemy.orm import Session

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
    "SELECT s.valeur, r.dossiers FROM s, r"
)


@lru_cache(maxsize=32)
def _sql(modele: str, paramstyle: str) -> str:
    """`modele` avec la marque de paramètre positionnel du pilote."""
    if paramstyle not in ("qmark", "format", "pyformat"):
        raise ValueError(f"style de paramètres non pris en charge : {paramstyle}")
    return modele.format(m="?" if paramstyle == "qmark" else "%s")


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
    prefixe = PREFIXES_OPCO.get(opco, opco[:3].upper())
    return [f"{prefixe}-{annee}-{v:06d}" for v in range(dernier - nombre + 1, dernier + 1)]


def prochain_numero_externe(session: Session, opco: str, annee: int) -> str:
    return numeros_externes(session, opco, annee)[0]


def rangs(session: Session, opco: str, cfa_id: int, nombre: int = 1) -> range:
    """Réserve `nombre` rangs consécutifs pour les dossiers de ce CFA chez cette OPCO."""
    dernier = _dernier(session.connection(), _COMPTEUR_CFA, (opco, cfa_id, nombre))
    return range(dernier - nombre + 1, dernier + 1)


def reserver_depots(
    session: Session, opco: str, cfa_id: int, annee: int, etats: Mapping[str, int]
) -> tuple[list[str], range]:
    """Pour de nouveaux dossiers (`etats` : combien de dossiers dans chaque état, les
    `sum(etats.values())` du lot) : leurs numéros externes, leurs rangs, et les compteurs de
    ces états augmentés d'autant."""
    connexion = session.connection()
    prefixe = PREFIXES_OPCO.get(opco, opco[:3].upper())
    nombre = sum(etats.values())
    if connexion.dialect.name != "postgresql":
        valeur = _dernier(connexion, _SEQUENCE, (opco, annee, nombre))
        dossiers = _dernier(connexion, _COMPTEUR_CFA, (opco, cfa_id, nombre))
        for etat, pas in etats.items():
            _executer(connexion, _COMPTEUR_ETAT, (opco, cfa_id, etat, pas))
    else:
        valeur, dossiers = connexion.exec_driver_sql(
            _RESERVER_PG,
            {
                "opco": opco,
                "annee": annee,
                "cfa": cfa_id,
                "pas": nombre,
                "etats": list(etats),
                "nombres": list(etats.values()),
            },
        ).one()
    numeros = [f"{prefixe}-{annee}-{v:06d}" for v in range(valeur - nombre + 1, valeur + 1)]
    return numeros, range(dossiers - nombre + 1, dossiers + 1)


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
    return range(dernier - nombre + 1, dernier + 1)
