"""Dossiers (contrats), leur échéancier et leurs frais annexes, numérotation et compteurs."""

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
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from apicfa.stockage.base import Base
from apicfa.stockage.tables.types import IdAuto


class Dossier(Base):
    """Un contrat déposé : la charge utile telle que reçue, et les colonnes que lisent les requêtes.

    `rang` numérote les dossiers d'un CFA chez une OPCO (1, 2, 3…) : la page n de la liste des
    états est une lecture d'intervalle sur l'index (opco, cfa_id, rang), sans OFFSET.
    """

    __tablename__ = "dossier"
    __table_args__ = (
        UniqueConstraint("opco", "numero_externe"),
        UniqueConstraint("opco", "cfa_id", "rang"),
        # l'empreinte en tête : la recherche des doublons ne filtre que sur elle
        # (migration opco_0004, `EspaceCfa.dossiers_par_empreinte`)
        UniqueConstraint("empreinte", "opco", "cfa_id"),
        Index(None, "opco", "cfa_id", "etat", "rang"),
        Index(None, "opco", "cfa_id", "date_modification", "id"),
        # Les dossiers qui attendent l'instruction automatique (index partiel, petit).
        Index(
            "ix_dossier_a_instruire",
            "id",
            sqlite_where=text("etat = 'TRANSMIS'"),
            postgresql_where=text("etat = 'TRANSMIS'"),
        ),
    )

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    numero_interne: Mapped[str] = mapped_column(String(32), unique=True)
    numero_externe: Mapped[str] = mapped_column(String(32))
    opco: Mapped[str] = mapped_column(String(16))
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"))
    rang: Mapped[int] = mapped_column(Integer)
    version_api: Mapped[int] = mapped_column(Integer)
    charge_utile: Mapped[bytes] = mapped_column(LargeBinary)
    numero_deca: Mapped[str | None] = mapped_column(String(20))
    etat: Mapped[str] = mapped_column(String(24))
    commentaire_etat: Mapped[str | None] = mapped_column(Text)
    date_creation: Mapped[datetime] = mapped_column(DateTime)
    date_modification: Mapped[datetime] = mapped_column(DateTime)
    # Empreinte anti-doublon ; remise à NULL quand le dossier est refusé ou annulé.
    empreinte: Mapped[str | None] = mapped_column(String(64))
    siret_employeur: Mapped[str | None] = mapped_column(String(14))
    rncp: Mapped[str | None] = mapped_column(String(16))
    type_contrat: Mapped[str | None] = mapped_column(String(4))
    date_conclusion: Mapped[date | None] = mapped_column(Date)
    date_debut_contrat: Mapped[date | None] = mapped_column(Date)
    date_fin_contrat: Mapped[date | None] = mapped_column(Date)
    # Vue argent (remplie par l'instruction).
    engagement_centimes: Mapped[int | None] = mapped_column(BigInteger)
    # NPEC retenue à l'engagement (recalcul de l'échéancier à la rupture, frais annexes).
    npec_centimes: Mapped[int | None] = mapped_column(BigInteger)
    trop_percu_centimes: Mapped[int] = mapped_column(BigInteger, default=0)
    iban: Mapped[str | None] = mapped_column(String(34))
    plafond_premier_equipement_centimes: Mapped[int | None] = mapped_column(BigInteger)
    premier_equipement_regle_centimes: Mapped[int] = mapped_column(BigInteger, default=0)
    mobilite_reglee_centimes: Mapped[int] = mapped_column(BigInteger, default=0)


class Echeance(Base):
    __tablename__ = "echeance"
    __table_args__ = (UniqueConstraint("dossier_id", "numero"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    numero: Mapped[int] = mapped_column(Integer)
    codification: Mapped[str] = mapped_column(String(8))
    montant_total_centimes: Mapped[int] = mapped_column(BigInteger)
    montant_regle_centimes: Mapped[int] = mapped_column(BigInteger, default=0)
    montant_en_cours_centimes: Mapped[int] = mapped_column(BigInteger, default=0)
    date_ouverture: Mapped[date] = mapped_column(Date)
    date_debut: Mapped[date] = mapped_column(Date)
    date_fin: Mapped[date] = mapped_column(Date)
    solde: Mapped[bool] = mapped_column(Boolean, default=False)


class EngagementFraisAnnexe(Base):
    __tablename__ = "engagement_frais_annexe"
    __table_args__ = (Index(None, "dossier_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    nature: Mapped[str] = mapped_column(String(32))
    quantite: Mapped[float] = mapped_column(Numeric(12, 2))
    prix_unitaire_centimes: Mapped[int] = mapped_column(BigInteger)
    montant_total_centimes: Mapped[int] = mapped_column(BigInteger)


class PeriodeFraisAnnexe(Base):
    __tablename__ = "periode_frais_annexe"
    __table_args__ = (Index(None, "dossier_id"),)

    id: Mapped[int] = mapped_column(IdAuto, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"))
    numero_echeance: Mapped[int] = mapped_column(Integer)
    nature: Mapped[str] = mapped_column(String(32))


class SequenceNumero(Base):
    """Compteur des numéros externes, par OPCO et par année (`ATL-2025-000123`)."""

    __tablename__ = "sequence_numero"

    opco: Mapped[str] = mapped_column(String(16), primary_key=True)
    annee: Mapped[int] = mapped_column(Integer, primary_key=True)
    valeur: Mapped[int] = mapped_column(BigInteger)


class CompteurCfa(Base):
    """Nombre de dossiers d'un CFA chez une OPCO : donne le `rang` et le total sans compter."""

    __tablename__ = "compteur_cfa"

    opco: Mapped[str] = mapped_column(String(16), primary_key=True)
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"), primary_key=True)
    dossiers: Mapped[int] = mapped_column(BigInteger)


class CompteurEtat(Base):
    """Nombre de dossiers par état d'un CFA chez une OPCO (total du filtre `etat`)."""

    __tablename__ = "compteur_etat"

    opco: Mapped[str] = mapped_column(String(16), primary_key=True)
    cfa_id: Mapped[int] = mapped_column(ForeignKey("cfa.id"), primary_key=True)
    etat: Mapped[str] = mapped_column(String(24), primary_key=True)
    nombre: Mapped[int] = mapped_column(BigInteger)
