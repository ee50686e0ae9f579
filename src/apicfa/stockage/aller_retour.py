"""Plusieurs instructions du pilote en un seul aller-retour avec PostgreSQL.

psycopg attend la réponse de chaque instruction avant d'envoyer la suivante, et ouvre une
transaction par un `BEGIN` envoyé seul : sous charge, sur une machine chargée, chaque
aller-retour coûte le réveil du processus PostgreSQL puis celui du fil qui attend. En mode
« pipeline » de libpq, les instructions (et le `BEGIN`) partent ensemble et leurs réponses
reviennent ensemble. SQLite n'a pas d'aller-retour : les instructions y sont exécutées une à une.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

# une instruction : texte SQL du pilote et ses paramètres (positionnels ou nommés)
Instruction = tuple[str, Sequence[Any] | Mapping[str, Any]]


def executer_ensemble(
    connexion: Connection, instructions: Sequence[Instruction]
) -> list[list[Any]]:
    """Exécute `instructions` dans l'ordre, dans la transaction de `connexion` ; rend les lignes
    rendues par chacune (liste vide pour une instruction qui n'en rend pas).

    Une erreur du pilote remonte comme SQLAlchemy l'aurait rendue (`IntegrityError`…), sans les
    valeurs liées ; la transaction est alors à annuler, comme après toute erreur."""
    if connexion.dialect.name != "postgresql":
        resultats: list[list[Any]] = []
        for sql, parametres in instructions:
            resultat = connexion.exec_driver_sql(sql, parametres)  # type: ignore[arg-type]
            resultats.append(list(resultat) if resultat.returns_rows else [])
        return resultats
    pilote: Any = connexion.connection.driver_connection
    erreur_pilote = connexion.dialect.loaded_dbapi.Error
    try:
        with pilote.pipeline():
            curseurs = []
            for sql, parametres in instructions:
                curseur = pilote.cursor()
                curseur.execute(sql, parametres)
                curseurs.append(curseur)
        resultats = []
        for curseur in curseurs:
            resultats.append(curseur.fetchall() if curseur.description is not None else [])
            curseur.close()
        return resultats
    except erreur_pilote as erreur:
        raise erreur_sqlalchemy(connexion, instructions[0][0], erreur) from erreur


def erreur_sqlalchemy(connexion: Connection, sql: str, erreur: Exception) -> DBAPIError:
    """L'exception que SQLAlchemy aurait levée pour cette erreur du pilote (`IntegrityError`,
    `OperationalError`…), sans les valeurs liées. Une connexion coupée (base redémarrée) est
    invalidée, comme SQLAlchemy le fait pour ses propres instructions : la transaction échoue,
    et la suivante prend une connexion neuve (l'écrivain rejoue alors ses travaux)."""
    dialecte = connexion.dialect
    coupee = dialecte.is_disconnect(erreur, connexion.connection.dbapi_connection, None)
    if coupee:
        connexion.invalidate(erreur)
    return DBAPIError.instance(
        sql,
        None,
        erreur,
        dialecte.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=coupee,
        dialect=dialecte,
    )
