"""Pièces rattachées aux dossiers : conventions, factures, certificats, documents, ruptures,
et fichiers adressés par leur SHA-256."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from apicfa.stockage.base import Base
from apicfa.stockage.tables.types import IdAuto


class Fichier(Base):
    """Contenu d'un fichier reçu, une seule fois quel que soit le nombre de pièces qui le citent."""

    __tablename__ = "fichier"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    taille: Mapped[int] = mapped_column(BigInteger)
    type_mime: Mapped[str] = mapped_column(String(40))
    contenu: Mapped[bytes] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (Index(None, "opco", "cfa_id", "id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    numero_interne: Mapped[str] = mapped_column(String(32), unique=True)
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    type_fichier: Mapped[str] = mapped_column(String(32))
    fichier_sha256: Mapped[str] = mapped_column(ForeignKey("fichier.sha256"))
    nom_fichier: Mapped[str | None] = mapped_column(String(255))
    charge_utile: Mapped[bytes | None] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)


class DocumentObjet(Base):
    __tablename__ = "document_objet"
    __table_args__ = (Index(None, "document_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    type_objet: Mapped[str] = mapped_column(String(16))
    id_objet: Mapped[str] = mapped_column(String(64))


class Convention(Base):
    __tablename__ = "convention"
    __table_args__ = (Index(None, "dossier_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    numero_interne: Mapped[str] = mapped_column(String(32), unique=True)
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    charge_utile: Mapped[bytes] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)


class Facture(Base):
    __tablename__ = "facture"
    __table_args__ = (
        Index(None, "opco", "cfa_id", "id"),
        Index(None, "etat"),
        Index("ix_facture_opco_etat", "opco", "etat"),
    )

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    numero_interne: Mapped[str] = mapped_column(String(32), unique=True)
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    numero: Mapped[str] = mapped_column(String(64))
    date_emission: Mapped[date | None] = mapped_column(Date)
    montant_total_centimes: Mapped[int] = mapped_column(BigInteger)
    iban_emetteur: Mapped[str | None] = mapped_column(String(34))
    siret_emetteur: Mapped[str | None] = mapped_column(String(14))
    est_certificat_realisation: Mapped[bool] = mapped_column(Boolean, default=False)
    etat: Mapped[str] = mapped_column(String(16))
    commentaire: Mapped[str | None] = mapped_column(Text)
    reference_virement: Mapped[str | None] = mapped_column(String(64))
    date_reglement: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    charge_utile: Mapped[bytes] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)
    date_modification: Mapped[datetime] = mapped_column(DateTime)


class LigneFacture(Base):
    __tablename__ = "ligne_facture"
    __table_args__ = (Index(None, "facture_id"), Index(None, "dossier_id"))

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    facture_id: Mapped[int] = mapped_column(ForeignKey("facture.id"))
    ordre: Mapped[int] = mapped_column(Integer)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"))
    montant_centimes: Mapped[int] = mapped_column(BigInteger)
    nature: Mapped[str | None] = mapped_column(String(32))
    quantite: Mapped[float | None] = mapped_column(Numeric(12, 2))
    numero_echeance: Mapped[int | None] = mapped_column(Integer)
    codification_echeance: Mapped[str | None] = mapped_column(String(16))
    numero_deca: Mapped[str | None] = mapped_column(String(20))
    numero_dossier: Mapped[str | None] = mapped_column(String(32))


class Certificat(Base):
    __tablename__ = "certificat"
    __table_args__ = (Index(None, "dossier_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    numero_interne: Mapped[str] = mapped_column(String(32), unique=True)
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    facture_id: Mapped[int | None] = mapped_column(ForeignKey("facture.id"))
    type_certificat: Mapped[str] = mapped_column(String(16))
    date_signature: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    charge_utile: Mapped[bytes] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)


class Rupture(Base):
    __tablename__ = "rupture"
    __table_args__ = (Index(None, "dossier_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    date_rupture: Mapped[date] = mapped_column(Date)
    initiative: Mapped[str | None] = mapped_column(String(16))
    motif: Mapped[str | None] = mapped_column(Text)
    dans_periode_essai: Mapped[bool | None] = mapped_column(Boolean)
    charge_utile: Mapped[bytes] = mapped_column(LargeBinary)
    date_reception: Mapped[datetime] = mapped_column(DateTime)
