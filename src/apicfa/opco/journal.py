"""Journal d'audit : une ligne par échange, écrite par lots à travers l'écrivain.

Ce qui est noté : heure, OPCO, CFA, EDITEUR/LOGICIEL/VERSION, méthode, route (gabarit, sans
paramètres), statut, identifiant de requête, empreinte SHA-256 du corps, durée. Jamais une clé,
un secret, un jeton ni un NIR : les paramètres de requête ne sont pas notés.

Une ligne est un n-uplet dans l'ordre de `COLONNES` (pas de dictionnaire par requête). Un lot
est écrit en quelques `INSERT … VALUES (…), (…), …` de `LIGNES_PAR_INSTRUCTION` lignes, avec
les conversions de SQLAlchemy pour chaque colonne (mêmes valeurs stockées qu'un `executemany`
de l'insertion de la table) : le pilote n'exécute qu'une instruction par paquet de lignes au
lieu d'une par ligne (sous SQLite, chacune relâchait et reprenait le verrou global de Python,
disputé avec la boucle des requêtes).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Dialect
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from apicfa.stockage.tables import Journal

if TYPE_CHECKING:
    from apicfa.opco.ecrivain import Ecrivain

journaliseur = logging.getLogger("apicfa.opco")

DELAI_VIDAGE_S = 0.2
LIGNES_PAR_INSTRUCTION = 64  # 64 × 12 paramètres : sous la limite historique de SQLite (999)
COLONNES = (
    "horodatage",
    "opco",
    "cfa_id",
    "editeur",
    "logiciel",
    "version",
    "methode",
    "route",
    "statut",
    "id_requete",
    "empreinte_corps",
    "duree_ms",
)
# horodatage, opco, cfa_id, editeur, logiciel, version, methode, route, statut, id_requete,
# empreinte_corps, duree_ms
LigneJournal = tuple[
    datetime,
    str | None,
    int | None,
    str | None,
    str | None,
    str | None,
    str,
    str,
    int,
    str,
    str | None,
    int,
]
_INSERER = Journal.__table__.insert()
_MARQUES = {"qmark": "?", "format": "%s", "pyformat": "%s"}


# Le format de texte des instants de SQLAlchemy sous SQLite (`sqlite.DATETIME`, format par
# défaut) : « AAAA-MM-JJ HH:MM:SS.ffffff », microsecondes toujours écrites, fuseau ignoré.
_FORMAT_DATETIME_SQLITE = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)


def _datetime_sqlite_rapide(conversion: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """La conversion `conversion` de SQLAlchemy (un `datetime` en texte sous SQLite), par
    `isoformat(" ", "microseconds")` pour un `datetime` naïf : le même texte (année sur quatre
    chiffres, microsecondes toujours écrites) en ≈ 0,5 µs au lieu de ≈ 1,3 µs (un dictionnaire
    et un formatage `%` par valeur) ; tout le reste passe par `conversion`."""

    def convertir(valeur: Any) -> Any:
        if type(valeur) is datetime and valeur.tzinfo is None:
            return valeur.isoformat(" ", "microseconds")
        return conversion(valeur)

    return convertir


@lru_cache(maxsize=8)
def _conversions(dialecte: Dialect) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """(rang, conversion) des colonnes que SQLAlchemy convertit avant le pilote (sous SQLite :
    l'horodatage en texte)."""
    table = Journal.__table__
    conversions = []
    for rang, nom in enumerate(COLONNES):
        impl = table.c[nom].type.dialect_impl(dialecte)
        conversion = impl.bind_processor(dialecte)
        if conversion is None:
            continue
        if (
            isinstance(impl, sqlite.DATETIME)
            and getattr(impl, "_storage_format", None) == _FORMAT_DATETIME_SQLITE
        ):
            conversion = _datetime_sqlite_rapide(conversion)
        conversions.append((rang, conversion))
    return tuple(conversions)


@lru_cache(maxsize=256)
def _instruction(dialecte: Dialect, marque: str, lignes: int) -> str:
    preparateur = dialecte.identifier_preparer
    colonnes = ", ".join(preparateur.quote(nom) for nom in COLONNES)
    valeurs = "(" + ", ".join([marque] * len(COLONNES)) + ")"
    return (
        f"INSERT INTO {preparateur.format_table(Journal.__table__)} ({colonnes}) VALUES "
        + ", ".join([valeurs] * lignes)
    )


@lru_cache(maxsize=8)
def _copie(dialecte: Dialect) -> str:
    preparateur = dialecte.identifier_preparer
    colonnes = ", ".join(preparateur.quote(nom) for nom in COLONNES)
    return f"COPY {preparateur.format_table(Journal.__table__)} ({colonnes}) FROM STDIN"


def inserer_lignes(session: Session, lignes: list[LigneJournal]) -> None:
    """Écrit `lignes` dans la transaction de `session`.

    PostgreSQL (psycopg) : `COPY … FROM STDIN` (texte) par le curseur du pilote, dans la même
    transaction ; chaque valeur mise en forme par le pilote en C. Un `INSERT` de 64 lignes y
    passait par l'analyse des marques `%s` de psycopg, en Python et sans cache au-delà de 50
    paramètres (≈ la moitié du fil de l'écrivain du processus HTTP, py-spy)."""
    connexion = session.connection()
    dialecte = connexion.dialect
    if dialecte.name == "postgresql" and dialecte.driver == "psycopg":
        pilote = connexion.connection.driver_connection
        with pilote.cursor() as curseur, curseur.copy(_copie(dialecte)) as copie:  # type: ignore[union-attr]
            ecrire = copie.write_row
            for ligne in lignes:
                ecrire(ligne)
        return
    marque = _MARQUES.get(dialecte.paramstyle)
    if marque is None:  # autre pilote : l'insertion de SQLAlchemy, ligne à ligne
        connexion.execute(_INSERER, [dict(zip(COLONNES, ligne, strict=True)) for ligne in lignes])
        return
    conversions = _conversions(dialecte)
    largeur = len(COLONNES)
    for debut in range(0, len(lignes), LIGNES_PAR_INSTRUCTION):
        paquet = lignes[debut : debut + LIGNES_PAR_INSTRUCTION]
        valeurs: list[Any] = []
        for ligne in paquet:
            valeurs.extend(ligne)
        if conversions:
            for base in range(0, len(valeurs), largeur):
                for rang, conversion in conversions:
                    valeur = valeurs[base + rang]
                    if valeur is not None:
                        valeurs[base + rang] = conversion(valeur)
        connexion.exec_driver_sql(_instruction(dialecte, marque, len(paquet)), tuple(valeurs))


class JournalAudit:
    def __init__(self, ecrivain: Ecrivain) -> None:
        self._ecrivain = ecrivain
        self._en_attente: list[LigneJournal] = []
        self._vidage: asyncio.Task[None] | None = None

    def noter(self, ligne: LigneJournal) -> None:
        """Note une ligne (valeurs dans l'ordre de `COLONNES`) ; elle est écrite au plus tard
        `DELAI_VIDAGE_S` après."""
        self._en_attente.append(ligne)
        vidage = self._vidage
        if vidage is None or vidage.done():
            self._vidage = asyncio.get_running_loop().create_task(self._vider_plus_tard())

    async def _vider_plus_tard(self) -> None:
        """Écrit ce qui attend toutes les `DELAI_VIDAGE_S` secondes, tant qu'il en arrive.

        Sous charge, un lot part toutes les 0,2 s (et non dès la fin du précédent : chaque
        écriture coûte un aller-retour avec le fil de l'écrivain et une synchronisation disque,
        pour quelques lignes seulement si elles s'enchaînaient)."""
        while self._en_attente:
            await asyncio.sleep(DELAI_VIDAGE_S)
            lot, self._en_attente = self._en_attente, []
            if lot:
                await self._ecrire(lot)

    async def vider(self) -> None:
        """Écrit tout ce qui attend, sans délai (arrêt du serveur)."""
        while self._en_attente:
            lot, self._en_attente = self._en_attente, []
            await self._ecrire(lot)

    async def _ecrire(self, lot: list[LigneJournal]) -> None:
        try:
            await self._ecrivain.executer(lambda session: inserer_lignes(session, lot))
        except Exception as panne:
            journaliseur.error("journal d'audit non écrit (%d lignes) : %s", len(lot), panne)
