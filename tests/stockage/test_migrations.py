"""La branche Alembic `opco` crée toutes les tables du service et ses index de liste."""

from __future__ import annotations

import orjson
from sqlalchemy import inspect, text

from apicfa.stockage.base import Base
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Dossier


def test_tables_du_service_creees(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    inspecteur = inspect(moteur)
    tables = set(inspecteur.get_table_names())
    attendues = {t.name for t in Base.metadata.sorted_tables if t.name in _TABLES_OPCO}
    assert attendues == _TABLES_OPCO and attendues <= tables
    index = {tuple(i["column_names"]) for i in inspecteur.get_indexes(Dossier.__tablename__)}
    uniques = {
        tuple(u["column_names"]) for u in inspecteur.get_unique_constraints(Dossier.__tablename__)
    }
    moteur.dispose()
    assert ("opco", "cfa_id", "date_modification", "id") in index
    assert ("opco", "cfa_id", "etat", "rang") in index
    assert ("opco", "cfa_id", "rang") in uniques
    assert ("opco", "numero_externe") in uniques


_TABLES_OPCO = {
    "cfa",
    "cle_api",
    "logiciel",
    "jeton_oauth",
    "dossier",
    "echeance",
    "engagement_frais_annexe",
    "periode_frais_annexe",
    "sequence_numero",
    "compteur_cfa",
    "compteur_etat",
    "fichier",
    "document",
    "document_objet",
    "convention",
    "facture",
    "ligne_facture",
    "certificat",
    "rupture",
    "idempotence",
    "journal",
}


def test_charges_utiles_en_lz4_sur_postgresql(url_base: str) -> None:
    """PostgreSQL (avec LZ4) : une charge utile de dossier insérée est compressée en LZ4 (la
    migration opco_0003) ; SQLite ne compresse rien."""
    moteur = creer_moteur(url_base)
    with moteur.begin() as connexion:
        if connexion.dialect.name != "postgresql":
            moteur.dispose()
            return
        lz4 = connexion.execute(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
        ).scalar()
        connexion.execute(
            text(
                "INSERT INTO cfa (siret, uai, nom, date_creation) "
                "VALUES ('13002526500013', '0751234J', 'CFA', now())"
            )
        )
        charge = orjson.dumps({"cerfa": {"texte": "apprentissage " * 400}})
        connexion.execute(
            text(
                "INSERT INTO dossier (numero_interne, numero_externe, opco, cfa_id, rang, "
                "version_api, charge_utile, etat, date_creation, date_modification, "
                "trop_percu_centimes, premier_equipement_regle_centimes, "
                "mobilite_reglee_centimes) SELECT 'x', 'ATL-2026-000001', 'atlas', id, 1, 2, "
                ":charge, 'TRANSMIS', now(), now(), 0, 0, 0 FROM cfa"
            ),
            {"charge": charge},
        )
        # relue après l'insertion : `RETURNING` voit la valeur avant sa compression
        methode = connexion.execute(
            text("SELECT pg_column_compression(charge_utile) FROM dossier")
        ).scalar()
    moteur.dispose()
    assert methode == ("lz4" if lz4 else "pglz")
