"""Numérotation sûre en concurrence (SQLite et PostgreSQL) et compteurs des listes."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from apicfa.portail.comptes import creer_cfa
from apicfa.stockage.espace import EspaceCfa, NouveauDossier
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.sequences import prochain_numero_externe
from apicfa.stockage.tables import CompteurCfa, Dossier


def _cfa(url: str, siret: str) -> int:
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        identifiant = creer_cfa(
            session,
            siret=siret,
            uai="0751234J",
            nom="CFA",
            opcos=["atlas"],
            expire_le=None,
            maintenant=datetime(2026, 1, 1),
        ).cfa.id
    moteur.dispose()
    return identifiant


def test_numeros_externes_uniques_en_concurrence(url_base: str) -> None:
    cfa_a, cfa_b = _cfa(url_base, "13002526500013"), _cfa(url_base, "44306184100047")
    moteur = creer_moteur(url_base)
    fabrique = sessionmaker(moteur)
    erreurs: list[BaseException] = []

    def deposer(cfa_id: int, debut: int) -> None:
        try:
            for i in range(15):
                with fabrique() as session, session.begin():
                    nouveau = NouveauDossier(
                        2, b"{}", f"{cfa_id}-{debut + i}", None, None, None, None, None, None
                    )
                    EspaceCfa(session, "atlas", cfa_id).inserer_dossier(
                        nouveau, datetime(2026, 5, 1)
                    )
        except BaseException as erreur:  # remonté au fil principal
            erreurs.append(erreur)

    fils = [
        threading.Thread(target=deposer, args=(c, k * 100)) for c in (cfa_a, cfa_b) for k in (1, 2)
    ]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert erreurs == []
    with fabrique() as session:
        numeros = session.scalars(select(Dossier.numero_externe)).all()
        rangs_a = session.scalars(
            select(Dossier.rang).where(Dossier.cfa_id == cfa_a).order_by(Dossier.rang)
        ).all()
        compteur_a = session.get(CompteurCfa, ("atlas", cfa_a))
    moteur.dispose()
    assert len(numeros) == len(set(numeros)) == 60
    assert sorted(numeros) == [f"ATL-2026-{n:06d}" for n in range(1, 61)]
    assert list(rangs_a) == list(range(1, 31))
    assert compteur_a is not None and compteur_a.dossiers == 30


def test_sequence_par_opco_et_par_annee(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        assert prochain_numero_externe(session, "akto", 2025) == "AKT-2025-000001"
        assert prochain_numero_externe(session, "akto", 2025) == "AKT-2025-000002"
        assert prochain_numero_externe(session, "akto", 2026) == "AKT-2026-000001"
        assert prochain_numero_externe(session, "opcoep", 2026) == "OEP-2026-000001"
    moteur.dispose()


def test_numero_annule_avec_sa_transaction(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        with session.begin():
            prochain_numero_externe(session, "atlas", 2026)
        session.begin()
        prochain_numero_externe(session, "atlas", 2026)
        session.rollback()
        with session.begin():
            assert prochain_numero_externe(session, "atlas", 2026) == "ATL-2026-000002"
    moteur.dispose()
