"""Tables des référentiels : versions du référentiel NPEC, valeurs, CPNE, rattachements
IDCC → CPNE, et table IDCC → OPCO (migration : branche Alembic `referentiels`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from apicfa.stockage.base import Base

_ID = BigInteger().with_variant(Integer(), "sqlite")


class VersionNpecTable(Base):
    """Une version importée du référentiel NPEC (un classeur de France compétences)."""

    __tablename__ = "referentiel_npec_version"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    date_applicabilite: Mapped[date] = mapped_column(Date, index=True)
    fichier: Mapped[str] = mapped_column(String(255))
    #: SHA-256 du fichier : le même classeur importé deux fois ne crée pas de seconde version.
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)
    mise_en_page: Mapped[str] = mapped_column(String(8))
    nombre_valeurs: Mapped[int] = mapped_column(Integer, default=0)
    date_import: Mapped[datetime] = mapped_column(DateTime)


class ValeurNpecTable(Base):
    """Une valeur : (version, certification, CPNE) → montant, statut."""

    __tablename__ = "referentiel_npec_valeur"
    __table_args__ = (
        Index(
            "ix_referentiel_npec_valeur_recherche",
            "code_certification",
            "code_cpne",
            "version_id",
        ),
    )

    version_id: Mapped[int] = mapped_column(
        ForeignKey(
            "referentiel_npec_version.id",
            ondelete="CASCADE",
            name="fk_referentiel_npec_valeur_version",
        ),
        primary_key=True,
    )
    numero_ligne: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_certification: Mapped[str] = mapped_column(String(20), primary_key=True)
    code_cpne: Mapped[str] = mapped_column(String(12))
    valeur: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    statut: Mapped[str] = mapped_column(String(12), default="")
    date_applicabilite: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: Nombre de certifications de la cellule d'origine (« RNCP1/RNCP2 » → 2) : à défaut
    #: d'autre règle, la ligne qui nomme la certification seule l'emporte.
    partage: Mapped[int] = mapped_column(SmallInteger, default=1)


class CpneTable(Base):
    """Libellé d'une CPNE dans une version."""

    __tablename__ = "referentiel_npec_cpne"

    version_id: Mapped[int] = mapped_column(
        ForeignKey(
            "referentiel_npec_version.id",
            ondelete="CASCADE",
            name="fk_referentiel_npec_cpne_version",
        ),
        primary_key=True,
    )
    code_cpne: Mapped[str] = mapped_column(String(12), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(300), default="")


class IdccCpneTable(Base):
    """Rattachement d'un IDCC à une CPNE dans une version (`rang` : ordre du classeur)."""

    __tablename__ = "referentiel_npec_idcc_cpne"

    version_id: Mapped[int] = mapped_column(
        ForeignKey(
            "referentiel_npec_version.id",
            ondelete="CASCADE",
            name="fk_referentiel_npec_idcc_cpne_version",
        ),
        primary_key=True,
    )
    idcc: Mapped[str] = mapped_column(String(8), primary_key=True)
    code_cpne: Mapped[str] = mapped_column(String(12), primary_key=True)
    rang: Mapped[int] = mapped_column(Integer, default=0)


class IdccOpcoTable(Base):
    """Table IDCC → OPCO (code de la norme : `afdas`, `akto`, …)."""

    __tablename__ = "referentiel_idcc_opco"

    idcc: Mapped[str] = mapped_column(String(8), primary_key=True)
    opco: Mapped[str] = mapped_column(String(16), index=True)
    libelle_idcc: Mapped[str] = mapped_column(String(300), default="")
