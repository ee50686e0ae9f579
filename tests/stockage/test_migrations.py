"""La branche Alembic `opco` crée toutes les tables du service et ses index de liste."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

import apicfa.stockage.moteur as module_moteur
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
    assert ("empreinte", "opco", "cfa_id") in uniques  # l'empreinte en tête (opco_0004)


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


def test_index_d_empreinte_recree_sans_perdre_de_lignes_sur_sqlite(tmp_path: Path) -> None:
    """SQLite ne sait pas retirer une contrainte d'unicité : la migration opco_0004 recrée la
    table `dossier` (mode « batch »), que les échéances référencent. Sur une base remplie à
    opco_0003, les lignes et leurs liens restent, et la nouvelle contrainte tient. (PostgreSQL
    change la contrainte sur place : son schéma est vérifié par le test ci-dessus.)"""
    chemin = tmp_path / "migree.db"
    config = Config()
    config.set_main_option(
        "script_location", str(Path(module_moteur.__file__).parent / "migrations")
    )
    config.set_main_option("sqlalchemy.url", f"sqlite:///{chemin}")
    command.upgrade(config, "opco_0003")
    with sqlite3.connect(chemin) as base:
        base.execute(
            "INSERT INTO cfa (id, siret, uai, nom, date_creation) "
            "VALUES (1, '13002526500013', '0751234J', 'CFA', '2026-01-01')"
        )
        base.execute(
            "INSERT INTO dossier (id, numero_interne, numero_externe, opco, cfa_id, rang, "
            "version_api, charge_utile, etat, date_creation, date_modification, empreinte, "
            "trop_percu_centimes, premier_equipement_regle_centimes, mobilite_reglee_centimes) "
            "VALUES (7, 'n7', 'ATL-2026-000001', 'atlas', 1, 1, 2, x'7b7d', 'ENGAGE', "
            "'2026-01-01', '2026-01-01', 'e7', 0, 0, 0)"
        )
        base.execute(
            "INSERT INTO echeance (dossier_id, numero, codification, montant_total_centimes, "
            "montant_regle_centimes, montant_en_cours_centimes, date_ouverture, date_debut, "
            "date_fin, solde) VALUES (7, 1, 'OF', 100, 0, 0, '2026-01-01', '2026-01-01', "
            "'2026-03-31', 0)"
        )
    command.upgrade(config, "opco@head")
    with sqlite3.connect(chemin) as base:
        base.execute("PRAGMA foreign_keys=ON")
        assert base.execute("SELECT id, empreinte FROM dossier").fetchall() == [(7, "e7")]
        assert base.execute("SELECT dossier_id FROM echeance").fetchall() == [(7,)]
        assert base.execute("PRAGMA foreign_key_check").fetchall() == []
        assert base.execute("PRAGMA foreign_keys").fetchone() == (1,)
        try:
            base.execute(
                "INSERT INTO dossier (numero_interne, numero_externe, opco, cfa_id, rang, "
                "version_api, charge_utile, etat, date_creation, date_modification, empreinte, "
                "trop_percu_centimes, premier_equipement_regle_centimes, "
                "mobilite_reglee_centimes) VALUES ('n8', 'ATL-2026-000002', 'atlas', 1, 2, 2, "
                "x'7b7d', 'TRANSMIS', '2026-01-02', '2026-01-02', 'e7', 0, 0, 0)"
            )
        except sqlite3.IntegrityError as conflit:
            assert "empreinte" in str(conflit)
        else:
            raise AssertionError("doublon d'empreinte accepté après la migration")
