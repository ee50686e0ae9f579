"""Journal d'audit des échanges et réponses mémorisées pour `Idempotency-Key`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from apicfa.stockage.base import Base
from apicfa.stockage.tables.types import IdAuto


class Idempotence(Base):
    __tablename__ = "idempotence"
    __table_args__ = (UniqueConstraint("opco", "cfa_id", "cle"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    cle: Mapped[str] = mapped_column(String(200))
    route: Mapped[str] = mapped_column(String(100))
    empreinte_corps: Mapped[str] = mapped_column(String(64))
    statut: Mapped[int] = mapped_column(Integer)
    reponse: Mapped[bytes] = mapped_column(LargeBinary)
    date_creation: Mapped[datetime] = mapped_column(DateTime)


class Journal(Base):
    """Une ligne par échange. Jamais de clé, de secret ni de NIR : l'empreinte du corps suffit."""

    __tablename__ = "journal"
    __table_args__ = (Index(None, "opco", "cfa_id", "horodatage"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    horodatage: Mapped[datetime] = mapped_column(DateTime)
    opco: Mapped[str | None] = mapped_column(String(16))
    cfa_id: Mapped[int | None] = mapped_column(Integer)
    editeur: Mapped[str | None] = mapped_column(String(200))
    logiciel: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(100))
    methode: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(200))
    statut: Mapped[int] = mapped_column(Integer)
    id_requete: Mapped[str] = mapped_column(String(64))
    empreinte_corps: Mapped[str | None] = mapped_column(String(64))
    duree_ms: Mapped[int] = mapped_column(Integer)
