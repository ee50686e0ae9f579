"""Identifiants OAuth2 des logiciels (client credentials) et jetons d'accès."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from apicfa.portail.comptes import lire_opcos
from apicfa.portail.secrets import empreinte, generer_secret
from apicfa.stockage.tables import JetonOauth, Logiciel

DUREE_JETON = timedelta(hours=1)


@dataclass(frozen=True)
class LogicielCree:
    client_id: str
    client_secret: str
    editeur: str
    logiciel: str
    opcos: list[str]


@dataclass(frozen=True)
class Jeton:
    access_token: str
    expires_in: int


def creer_logiciel(
    session: Session,
    *,
    editeur: str,
    logiciel: str,
    opcos: Iterable[str] | None,
    maintenant: datetime,
) -> LogicielCree:
    codes = lire_opcos(opcos)
    client_id = f"lgc_{secrets.token_hex(12)}"
    secret = generer_secret("sec")
    session.add(
        Logiciel(
            client_id=client_id,
            empreinte_secret=empreinte(secret),
            editeur=editeur,
            logiciel=logiciel,
            opcos=",".join(codes),
            date_creation=maintenant,
        )
    )
    session.flush()
    return LogicielCree(client_id, secret, editeur, logiciel, codes)


def emettre_jeton(
    session: Session, opco: str, client_id: str, client_secret: str, maintenant: datetime
) -> Jeton | None:
    """Un jeton pour cette OPCO si les identifiants sont bons et l'OPCO permise ; sinon None."""
    trouve = session.scalar(select(Logiciel).where(Logiciel.client_id == client_id))
    if trouve is None or trouve.revoque_le is not None:
        return None
    if not secrets.compare_digest(trouve.empreinte_secret, empreinte(client_secret)):
        return None
    if opco not in trouve.opcos.split(","):
        return None
    jeton = secrets.token_urlsafe(32)
    session.add(
        JetonOauth(
            empreinte=empreinte(jeton),
            logiciel_id=trouve.id,
            opco=opco,
            expire_le=maintenant + DUREE_JETON,
        )
    )
    session.flush()
    return Jeton(jeton, int(DUREE_JETON.total_seconds()))


def jeton_valide(session: Session, opco: str, jeton: str, maintenant: datetime) -> bool:
    trouve = session.get(JetonOauth, empreinte(jeton))
    return trouve is not None and trouve.opco == opco and trouve.expire_le > maintenant
