"""Numérotation sûre en concurrence, identique sur SQLite et PostgreSQL.

Chaque compteur avance par un seul `INSERT … ON CONFLICT DO UPDATE … RETURNING` : la ligne du
compteur est verrouillée jusqu'à la validation de la transaction, donc deux dépôts simultanés
n'obtiennent jamais le même numéro (et un dépôt annulé ne consomme pas de numéro).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_SEQUENCE = text(
    "INSERT INTO sequence_numero (opco, annee, valeur) VALUES (:opco, :annee, :pas) "
    "ON CONFLICT (opco, annee) DO UPDATE SET valeur = sequence_numero.valeur + :pas "
    "RETURNING valeur"
)
_COMPTEUR_CFA = text(
    "INSERT INTO compteur_cfa (opco, cfa_id, dossiers) VALUES (:opco, :cfa, :pas) "
    "ON CONFLICT (opco, cfa_id) DO UPDATE SET dossiers = compteur_cfa.dossiers + :pas "
    "RETURNING dossiers"
)
_COMPTEUR_ETAT = text(
    "INSERT INTO compteur_etat (opco, cfa_id, etat, nombre) VALUES (:opco, :cfa, :etat, :pas) "
    "ON CONFLICT (opco, cfa_id, etat) DO UPDATE SET nombre = compteur_etat.nombre + :pas"
)

# PostgreSQL : les trois compteurs d'un dépôt en UN aller-retour (CTE modifiantes).
_RESERVER_PG = text(
    "WITH s AS (INSERT INTO sequence_numero (opco, annee, valeur) VALUES (:opco, :annee, :pas) "
    "ON CONFLICT (opco, annee) DO UPDATE SET valeur = sequence_numero.valeur + :pas "
    "RETURNING valeur), "
    "r AS (INSERT INTO compteur_cfa (opco, cfa_id, dossiers) VALUES (:opco, :cfa, :pas) "
    "ON CONFLICT (opco, cfa_id) DO UPDATE SET dossiers = compteur_cfa.dossiers + :pas "
    "RETURNING dossiers), "
    "e AS (INSERT INTO compteur_etat (opco, cfa_id, etat, nombre) "
    "VALUES (:opco, :cfa, :etat, :pas) "
    "ON CONFLICT (opco, cfa_id, etat) DO UPDATE SET nombre = compteur_etat.nombre + :pas "
    "RETURNING nombre) "
    "SELECT s.valeur, r.dossiers FROM s, r, e"
)

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
    dernier = int(
        session.connection()
        .execute(_SEQUENCE, {"opco": opco, "annee": annee, "pas": nombre})
        .scalar_one()
    )
    prefixe = PREFIXES_OPCO.get(opco, opco[:3].upper())
    return [f"{prefixe}-{annee}-{v:06d}" for v in range(dernier - nombre + 1, dernier + 1)]


def prochain_numero_externe(session: Session, opco: str, annee: int) -> str:
    return numeros_externes(session, opco, annee)[0]


def rangs(session: Session, opco: str, cfa_id: int, nombre: int = 1) -> range:
    """Réserve `nombre` rangs consécutifs pour les dossiers de ce CFA chez cette OPCO."""
    dernier = int(
        session.connection()
        .execute(_COMPTEUR_CFA, {"opco": opco, "cfa": cfa_id, "pas": nombre})
        .scalar_one()
    )
    return range(dernier - nombre + 1, dernier + 1)


def reserver_depots(
    session: Session, opco: str, cfa_id: int, annee: int, etat: str, nombre: int
) -> tuple[list[str], range]:
    """Pour `nombre` nouveaux dossiers : leurs numéros externes, leurs rangs, et le compteur de
    l'état `etat` augmenté d'autant."""
    connexion = session.connection()
    if connexion.dialect.name != "postgresql":
        numeros = numeros_externes(session, opco, annee, nombre)
        reserves = rangs(session, opco, cfa_id, nombre)
        ajuster_compteur_etat(session, opco, cfa_id, etat, nombre)
        return numeros, reserves
    valeur, dossiers = connexion.execute(
        _RESERVER_PG,
        {"opco": opco, "annee": annee, "cfa": cfa_id, "etat": etat, "pas": nombre},
    ).one()
    prefixe = PREFIXES_OPCO.get(opco, opco[:3].upper())
    numeros = [f"{prefixe}-{annee}-{v:06d}" for v in range(valeur - nombre + 1, valeur + 1)]
    return numeros, range(dossiers - nombre + 1, dossiers + 1)


def ajuster_compteur_etat(session: Session, opco: str, cfa_id: int, etat: str, pas: int) -> None:
    session.connection().execute(
        _COMPTEUR_ETAT, {"opco": opco, "cfa": cfa_id, "etat": etat, "pas": pas}
    )


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
    dernier = int(
        session.connection()
        .execute(_SEQUENCE, {"opco": cle, "annee": mois, "pas": nombre})
        .scalar_one()
    )
    return range(dernier - nombre + 1, dernier + 1)
