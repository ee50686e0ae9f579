"""Service OPCO : comptes CFA, clés, logiciels, dossiers, pièces, fichiers, journal.

Revision ID: opco_0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "opco_0001"
down_revision = None
branch_labels = ("opco",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cfa",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("siret", sa.String(length=14), nullable=False),
        sa.Column("uai", sa.String(length=16), nullable=False),
        sa.Column("nom", sa.String(length=200), nullable=False),
        sa.Column("date_creation", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cfa")),
        sa.UniqueConstraint("siret", name=op.f("uq_cfa_siret")),
    )
    op.create_table(
        "fichier",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taille", sa.BigInteger(), nullable=False),
        sa.Column("type_mime", sa.String(length=40), nullable=False),
        sa.Column("contenu", sa.LargeBinary(), nullable=False),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_fichier")),
    )
    op.create_table(
        "journal",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("horodatage", sa.DateTime(), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=True),
        sa.Column("cfa_id", sa.Integer(), nullable=True),
        sa.Column("editeur", sa.String(length=200), nullable=True),
        sa.Column("logiciel", sa.String(length=200), nullable=True),
        sa.Column("version", sa.String(length=100), nullable=True),
        sa.Column("methode", sa.String(length=8), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("statut", sa.Integer(), nullable=False),
        sa.Column("id_requete", sa.String(length=64), nullable=False),
        sa.Column("empreinte_corps", sa.String(length=64), nullable=True),
        sa.Column("duree_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
    )
    op.create_index(
        op.f("ix_journal_opco_cfa_id_horodatage"),
        "journal",
        ["opco", "cfa_id", "horodatage"],
        unique=False,
    )
    op.create_table(
        "logiciel",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("empreinte_secret", sa.String(length=64), nullable=False),
        sa.Column("editeur", sa.String(length=200), nullable=False),
        sa.Column("logiciel", sa.String(length=200), nullable=False),
        sa.Column("opcos", sa.String(length=200), nullable=False),
        sa.Column("revoque_le", sa.DateTime(), nullable=True),
        sa.Column("date_creation", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logiciel")),
        sa.UniqueConstraint("client_id", name=op.f("uq_logiciel_client_id")),
    )
    op.create_table(
        "sequence_numero",
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("annee", sa.Integer(), nullable=False),
        sa.Column("valeur", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("opco", "annee", name=op.f("pk_sequence_numero")),
    )
    op.create_table(
        "cle_api",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column("prefixe", sa.String(length=32), nullable=False),
        sa.Column("date_fin_validite", sa.Date(), nullable=True),
        sa.Column("revoquee_le", sa.DateTime(), nullable=True),
        sa.Column("date_creation", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_cle_api_cfa_id_cfa")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cle_api")),
        sa.UniqueConstraint("empreinte", name=op.f("uq_cle_api_empreinte")),
    )
    op.create_index(op.f("ix_cle_api_cfa_id_opco"), "cle_api", ["cfa_id", "opco"], unique=False)
    op.create_table(
        "compteur_cfa",
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("dossiers", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_compteur_cfa_cfa_id_cfa")),
        sa.PrimaryKeyConstraint("opco", "cfa_id", name=op.f("pk_compteur_cfa")),
    )
    op.create_table(
        "compteur_etat",
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("etat", sa.String(length=24), nullable=False),
        sa.Column("nombre", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_compteur_etat_cfa_id_cfa")),
        sa.PrimaryKeyConstraint("opco", "cfa_id", "etat", name=op.f("pk_compteur_etat")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero_interne", sa.String(length=32), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("type_fichier", sa.String(length=32), nullable=False),
        sa.Column("fichier_sha256", sa.String(length=64), nullable=False),
        sa.Column("nom_fichier", sa.String(length=255), nullable=True),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=True),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_document_cfa_id_cfa")),
        sa.ForeignKeyConstraint(
            ["fichier_sha256"], ["fichier.sha256"], name=op.f("fk_document_fichier_sha256_fichier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("numero_interne", name=op.f("uq_document_numero_interne")),
    )
    op.create_index(
        op.f("ix_document_opco_cfa_id_id"), "document", ["opco", "cfa_id", "id"], unique=False
    )
    op.create_table(
        "dossier",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero_interne", sa.String(length=32), nullable=False),
        sa.Column("numero_externe", sa.String(length=32), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("version_api", sa.Integer(), nullable=False),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=False),
        sa.Column("numero_deca", sa.String(length=20), nullable=True),
        sa.Column("etat", sa.String(length=24), nullable=False),
        sa.Column("commentaire_etat", sa.Text(), nullable=True),
        sa.Column("date_creation", sa.DateTime(), nullable=False),
        sa.Column("date_modification", sa.DateTime(), nullable=False),
        sa.Column("empreinte", sa.String(length=64), nullable=True),
        sa.Column("siret_employeur", sa.String(length=14), nullable=True),
        sa.Column("rncp", sa.String(length=16), nullable=True),
        sa.Column("type_contrat", sa.String(length=4), nullable=True),
        sa.Column("date_conclusion", sa.Date(), nullable=True),
        sa.Column("date_debut_contrat", sa.Date(), nullable=True),
        sa.Column("date_fin_contrat", sa.Date(), nullable=True),
        sa.Column("engagement_centimes", sa.BigInteger(), nullable=True),
        sa.Column("trop_percu_centimes", sa.BigInteger(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("plafond_premier_equipement_centimes", sa.BigInteger(), nullable=True),
        sa.Column("premier_equipement_regle_centimes", sa.BigInteger(), nullable=False),
        sa.Column("mobilite_reglee_centimes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_dossier_cfa_id_cfa")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
        sa.UniqueConstraint("numero_interne", name=op.f("uq_dossier_numero_interne")),
        sa.UniqueConstraint(
            "opco", "cfa_id", "empreinte", name=op.f("uq_dossier_opco_cfa_id_empreinte")
        ),
        sa.UniqueConstraint("opco", "cfa_id", "rang", name=op.f("uq_dossier_opco_cfa_id_rang")),
        sa.UniqueConstraint("opco", "numero_externe", name=op.f("uq_dossier_opco_numero_externe")),
    )
    op.create_index(
        op.f("ix_dossier_opco_cfa_id_date_modification_id"),
        "dossier",
        ["opco", "cfa_id", "date_modification", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_dossier_opco_cfa_id_etat_rang"),
        "dossier",
        ["opco", "cfa_id", "etat", "rang"],
        unique=False,
    )
    op.create_table(
        "idempotence",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("cle", sa.String(length=200), nullable=False),
        sa.Column("route", sa.String(length=100), nullable=False),
        sa.Column("empreinte_corps", sa.String(length=64), nullable=False),
        sa.Column("statut", sa.Integer(), nullable=False),
        sa.Column("reponse", sa.LargeBinary(), nullable=False),
        sa.Column("date_creation", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_idempotence_cfa_id_cfa")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotence")),
        sa.UniqueConstraint("opco", "cfa_id", "cle", name=op.f("uq_idempotence_opco_cfa_id_cle")),
    )
    op.create_table(
        "jeton_oauth",
        sa.Column("empreinte", sa.String(length=64), nullable=False),
        sa.Column(
            "logiciel_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("expire_le", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["logiciel_id"], ["logiciel.id"], name=op.f("fk_jeton_oauth_logiciel_id_logiciel")
        ),
        sa.PrimaryKeyConstraint("empreinte", name=op.f("pk_jeton_oauth")),
    )
    op.create_table(
        "convention",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero_interne", sa.String(length=32), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=False),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_convention_cfa_id_cfa")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_convention_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_convention_dossier_id_dossier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_convention")),
        sa.UniqueConstraint("numero_interne", name=op.f("uq_convention_numero_interne")),
    )
    op.create_index(op.f("ix_convention_dossier_id"), "convention", ["dossier_id"], unique=False)
    op.create_table(
        "document_objet",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("type_objet", sa.String(length=16), nullable=False),
        sa.Column("id_objet", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_objet_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_objet")),
    )
    op.create_index(
        op.f("ix_document_objet_document_id"), "document_objet", ["document_id"], unique=False
    )
    op.create_table(
        "echeance",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("codification", sa.String(length=8), nullable=False),
        sa.Column("montant_total_centimes", sa.BigInteger(), nullable=False),
        sa.Column("montant_regle_centimes", sa.BigInteger(), nullable=False),
        sa.Column("montant_en_cours_centimes", sa.BigInteger(), nullable=False),
        sa.Column("date_ouverture", sa.Date(), nullable=False),
        sa.Column("date_debut", sa.Date(), nullable=False),
        sa.Column("date_fin", sa.Date(), nullable=False),
        sa.Column("solde", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_echeance_dossier_id_dossier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_echeance")),
        sa.UniqueConstraint("dossier_id", "numero", name=op.f("uq_echeance_dossier_id_numero")),
    )
    op.create_table(
        "engagement_frais_annexe",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("nature", sa.String(length=32), nullable=False),
        sa.Column("quantite", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("prix_unitaire_centimes", sa.BigInteger(), nullable=False),
        sa.Column("montant_total_centimes", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_engagement_frais_annexe_dossier_id_dossier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement_frais_annexe")),
    )
    op.create_index(
        op.f("ix_engagement_frais_annexe_dossier_id"),
        "engagement_frais_annexe",
        ["dossier_id"],
        unique=False,
    )
    op.create_table(
        "facture",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero_interne", sa.String(length=32), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero", sa.String(length=64), nullable=False),
        sa.Column("date_emission", sa.Date(), nullable=True),
        sa.Column("montant_total_centimes", sa.BigInteger(), nullable=False),
        sa.Column("iban_emetteur", sa.String(length=34), nullable=True),
        sa.Column("siret_emetteur", sa.String(length=14), nullable=True),
        sa.Column("est_certificat_realisation", sa.Boolean(), nullable=False),
        sa.Column("etat", sa.String(length=16), nullable=False),
        sa.Column("commentaire", sa.Text(), nullable=True),
        sa.Column("reference_virement", sa.String(length=64), nullable=True),
        sa.Column("date_reglement", sa.Date(), nullable=True),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=False),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.Column("date_modification", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_facture_cfa_id_cfa")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_facture_document_id_document")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facture")),
        sa.UniqueConstraint("numero_interne", name=op.f("uq_facture_numero_interne")),
    )
    op.create_index(op.f("ix_facture_etat"), "facture", ["etat"], unique=False)
    op.create_index(
        op.f("ix_facture_opco_cfa_id_id"), "facture", ["opco", "cfa_id", "id"], unique=False
    )
    op.create_table(
        "periode_frais_annexe",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("numero_echeance", sa.Integer(), nullable=False),
        sa.Column("nature", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_periode_frais_annexe_dossier_id_dossier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_periode_frais_annexe")),
    )
    op.create_index(
        op.f("ix_periode_frais_annexe_dossier_id"),
        "periode_frais_annexe",
        ["dossier_id"],
        unique=False,
    )
    op.create_table(
        "rupture",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("date_rupture", sa.Date(), nullable=False),
        sa.Column("initiative", sa.String(length=16), nullable=True),
        sa.Column("motif", sa.Text(), nullable=True),
        sa.Column("dans_periode_essai", sa.Boolean(), nullable=True),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=False),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_rupture_dossier_id_dossier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rupture")),
    )
    op.create_index(op.f("ix_rupture_dossier_id"), "rupture", ["dossier_id"], unique=False)
    op.create_table(
        "certificat",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("numero_interne", sa.String(length=32), nullable=False),
        sa.Column("opco", sa.String(length=16), nullable=False),
        sa.Column("cfa_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "facture_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("type_certificat", sa.String(length=16), nullable=False),
        sa.Column("date_signature", sa.Date(), nullable=True),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("charge_utile", sa.LargeBinary(), nullable=False),
        sa.Column("date_reception", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cfa_id"], ["cfa.id"], name=op.f("fk_certificat_cfa_id_cfa")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_certificat_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_certificat_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["facture_id"], ["facture.id"], name=op.f("fk_certificat_facture_id_facture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificat")),
        sa.UniqueConstraint("numero_interne", name=op.f("uq_certificat_numero_interne")),
    )
    op.create_index(op.f("ix_certificat_dossier_id"), "certificat", ["dossier_id"], unique=False)
    op.create_table(
        "ligne_facture",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "facture_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("ordre", sa.Integer(), nullable=False),
        sa.Column(
            "dossier_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("montant_centimes", sa.BigInteger(), nullable=False),
        sa.Column("nature", sa.String(length=32), nullable=True),
        sa.Column("quantite", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("numero_echeance", sa.Integer(), nullable=True),
        sa.Column("codification_echeance", sa.String(length=16), nullable=True),
        sa.Column("numero_deca", sa.String(length=20), nullable=True),
        sa.Column("numero_dossier", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_ligne_facture_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["facture_id"], ["facture.id"], name=op.f("fk_ligne_facture_facture_id_facture")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ligne_facture")),
    )
    op.create_index(
        op.f("ix_ligne_facture_dossier_id"), "ligne_facture", ["dossier_id"], unique=False
    )
    op.create_index(
        op.f("ix_ligne_facture_facture_id"), "ligne_facture", ["facture_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_ligne_facture_facture_id"), table_name="ligne_facture")
    op.drop_index(op.f("ix_ligne_facture_dossier_id"), table_name="ligne_facture")
    op.drop_table("ligne_facture")
    op.drop_index(op.f("ix_certificat_dossier_id"), table_name="certificat")
    op.drop_table("certificat")
    op.drop_index(op.f("ix_rupture_dossier_id"), table_name="rupture")
    op.drop_table("rupture")
    op.drop_index(op.f("ix_periode_frais_annexe_dossier_id"), table_name="periode_frais_annexe")
    op.drop_table("periode_frais_annexe")
    op.drop_index(op.f("ix_facture_opco_cfa_id_id"), table_name="facture")
    op.drop_index(op.f("ix_facture_etat"), table_name="facture")
    op.drop_table("facture")
    op.drop_index(
        op.f("ix_engagement_frais_annexe_dossier_id"), table_name="engagement_frais_annexe"
    )
    op.drop_table("engagement_frais_annexe")
    op.drop_table("echeance")
    op.drop_index(op.f("ix_document_objet_document_id"), table_name="document_objet")
    op.drop_table("document_objet")
    op.drop_index(op.f("ix_convention_dossier_id"), table_name="convention")
    op.drop_table("convention")
    op.drop_table("jeton_oauth")
    op.drop_table("idempotence")
    op.drop_index(op.f("ix_dossier_opco_cfa_id_etat_rang"), table_name="dossier")
    op.drop_index(op.f("ix_dossier_opco_cfa_id_date_modification_id"), table_name="dossier")
    op.drop_table("dossier")
    op.drop_index(op.f("ix_document_opco_cfa_id_id"), table_name="document")
    op.drop_table("document")
    op.drop_table("compteur_etat")
    op.drop_table("compteur_cfa")
    op.drop_index(op.f("ix_cle_api_cfa_id_opco"), table_name="cle_api")
    op.drop_table("cle_api")
    op.drop_table("sequence_numero")
    op.drop_table("logiciel")
    op.drop_index(op.f("ix_journal_opco_cfa_id_horodatage"), table_name="journal")
    op.drop_table("journal")
    op.drop_table("fichier")
    op.drop_table("cfa")
