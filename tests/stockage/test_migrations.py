"""La branche Alembic `opco` crée toutes les tables du service et ses index de liste."""

from __future__ import annotations

from sqlalchemy import inspect

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
