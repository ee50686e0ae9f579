"""Comptes CFA, clés d'API (empreintes seulement), logiciels et jetons OAuth2."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from apicfa.stockage.base import Base
from apicfa.stockage.tables.types import IdAuto


class Cfa(Base):
    __tablename__ = "cfa"

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    siret: Mapped[str] = mapped_column(String(14), unique=True)
    uai: Mapped[str] = mapped_column(String(16))
    nom: Mapped[str] = mapped_column(String(200))
    date_creation: Mapped[datetime] = mapped_column(DateTime)


class CleApi(Base):
    """Une clé `X-API-KEY` d'un CFA pour UNE OPCO ; seule son empreinte SHA-256 est gardée."""

    __tablename__ = "cle_api"
    __table_args__ = (Index(None, "cfa_id", "opco"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    opco: Mapped[str] = mapped_column(String(16))
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)
    prefixe: Mapped[str] = mapped_column(String(32))
    date_fin_validite: Mapped[date | None] = mapped_column(Date)
    revoquee_le: Mapped[datetime | None] = mapped_column(DateTime)
    date_creation: Mapped[datetime] = mapped_column(DateTime)


class Logiciel(Base):
    """Identifiants OAuth2 (client credentials) d'un logiciel de CFA ; secret haché."""

    __tablename__ = "logiciel"

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    empreinte_secret: Mapped[str] = mapped_column(String(64))
    editeur: Mapped[str] = mapped_column(String(200))
    logiciel: Mapped[str] = mapped_column(String(200))
    # Codes OPCO séparés par des virgules ; `*` = toutes.
    opcos: Mapped[str] = mapped_column(String(200))
    revoque_le: Mapped[datetime | None] = mapped_column(DateTime)
    date_creation: Mapped[datetime] = mapped_column(DateTime)


class JetonOauth(Base):
    __tablename__ = "jeton_oauth"

    empreinte: Mapped[str] = mapped_column(String(64), primary_key=True)
    logiciel_id: Mapped[int] = mapped_column(ForeignKey("logiciel.id"))
    opco: Mapped[str] = mapped_column(String(16))
    expire_le: Mapped[datetime] = mapped_column(DateTime)
