"""Numérotation sûre en concurrence (SQLite et PostgreSQL) et compteurs des listes."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apicfa.portail.comptes import creer_cfa
from apicfa.stockage.aller_retour import executer_ensemble
from apicfa.stockage.espace import EspaceCfa, NouveauDossier
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.sequences import (
    DemandeLot,
    prochain_numero_externe,
    reserver_depots,
    reserver_lot,
    sequences_deca,
)
from apicfa.stockage.tables import CompteurCfa, CompteurEtat, Dossier


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


def test_lot_reserve_comme_les_reservations_une_a_une(url_base: str) -> None:
    """`reserver_lot` (sur PostgreSQL : un aller-retour, identifiants compris) réserve les mêmes
    numéros, rangs, séquences DECA et compteurs d'état que les réservations faites une à une ;
    les identifiants réservés sont ceux que prennent les dossiers insérés, et la séquence de la
    clé primaire continue après eux."""
    cfa_lot, cfa_un = _cfa(url_base, "13002526500013"), _cfa(url_base, "44306184100047")
    etats = {"ENGAGE": 3, "TRANSMIS": 2}
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        deja = sequences_deca(session, {("atlas", "75", 202603): 4})  # compteur déjà entamé
        lot = reserver_lot(
            session,
            DemandeLot(
                "atlas",
                cfa_lot,
                2026,
                etats,
                {("atlas", "75", 202603): 3, ("atlas", "971", 202603): 2},
            ),
        )
        deca_un = sequences_deca(session, {("atlas", "75", 202603): 3})
        numeros_un, rangs_un = reserver_depots(session, "atlas", cfa_un, 2026, etats)
        nouveaux = [
            NouveauDossier(2, b"{}", f"e{n}", None, None, None, None, None, None) for n in range(5)
        ]
        crees = EspaceCfa(session, "atlas", cfa_lot).inserer_dossiers(
            nouveaux, datetime(2026, 3, 2), reserve=lot
        )
        apres = EspaceCfa(session, "atlas", cfa_un).inserer_dossier(
            NouveauDossier(2, b"{}", "suivant", None, None, None, None, None, None),
            datetime(2026, 3, 2),
        )
    with Session(moteur) as session:
        lignes = session.execute(
            select(Dossier.id, Dossier.numero_interne, Dossier.numero_externe, Dossier.rang)
            .where(Dossier.cfa_id == cfa_lot)
            .order_by(Dossier.rang)
        ).all()
        comptes = dict(
            session.execute(
                select(CompteurEtat.etat, CompteurEtat.nombre).where(CompteurEtat.cfa_id == cfa_lot)
            ).all()
        )
        id_apres = session.scalar(
            select(Dossier.id).where(Dossier.numero_interne == apres.numero_interne)
        )
    moteur.dispose()
    assert deja[("atlas", "75", 202603)] == range(1, 5)
    assert lot.deca == {("atlas", "75", 202603): range(5, 8), ("atlas", "971", 202603): range(1, 3)}
    assert deca_un == {("atlas", "75", 202603): range(8, 11)}
    assert lot.numeros == [f"ATL-2026-{n:06d}" for n in range(1, 6)]
    assert numeros_un == [f"ATL-2026-{n:06d}" for n in range(6, 11)]
    assert lot.rangs == rangs_un == range(1, 6)
    assert comptes == etats
    assert [(ligne.numero_interne, ligne.numero_externe, ligne.rang) for ligne in lignes] == [
        (c.numero_interne, c.numero_externe, r) for c, r in zip(crees, range(1, 6), strict=True)
    ]
    if lot.ids is None:  # SQLite : la base attribue les identifiants
        assert not url_base.startswith("postgresql")
    else:
        assert [ligne.id for ligne in lignes] == lot.ids
        assert lot.ids == sorted(lot.ids) and id_apres is not None and id_apres > max(lot.ids)


def test_aller_retour_rend_les_lignes_et_les_erreurs_comme_sqlalchemy(url_base: str) -> None:
    """`executer_ensemble` : les lignes de chaque instruction, dans l'ordre ; une erreur du
    pilote remonte en exception de SQLAlchemy (`IntegrityError`), sans les valeurs liées."""
    cfa = _cfa(url_base, "13002526500013")
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        connexion = session.connection()
        marque = "?" if connexion.dialect.paramstyle == "qmark" else "%s"
        lignes = executer_ensemble(
            connexion,
            [
                (f"SELECT siret FROM cfa WHERE id = {marque}", (cfa,)),
                (f"UPDATE cfa SET nom = {marque} WHERE id = {marque}", ("Renommé", cfa)),
                (f"SELECT nom FROM cfa WHERE id = {marque}", (cfa,)),
            ],
        )
        assert lignes == [[("13002526500013",)], [], [("Renommé",)]]
    with Session(moteur) as session, session.begin():
        connexion = session.connection()
        marque = "?" if connexion.dialect.paramstyle == "qmark" else "%s"
        with pytest.raises(IntegrityError) as erreur:
            executer_ensemble(
                connexion,
                [
                    (
                        "INSERT INTO cfa (id, siret, uai, nom, date_creation) "
                        f"VALUES ({marque}, 'x', 'y', 'secret-nom', {marque})",
                        (cfa, datetime(2026, 1, 1)),
                    )
                ],
            )
        assert "secret-nom" not in str(erreur.value.params)
        session.rollback()
    moteur.dispose()


def test_aller_retour_sur_connexion_coupee_l_invalide(url_base: str) -> None:
    """PostgreSQL : une connexion coupée par la base (redémarrage, `pg_terminate_backend`) sous
    `executer_ensemble` lève une `OperationalError` marquée « connexion invalidée », et la
    connexion est invalidée : la suivante est neuve (comme pour une instruction de SQLAlchemy)."""
    if not url_base.startswith("postgresql"):
        pytest.skip("PostgreSQL seulement : SQLite n'a pas de connexion réseau à couper")
    moteur = creer_moteur(url_base, pool_pre_ping=False)
    autre = creer_moteur(url_base)
    with moteur.connect() as connexion:
        ((pid,),) = executer_ensemble(connexion, [("SELECT pg_backend_pid()", ())])[0]
        connexion.commit()
        with autre.begin() as tueuse:
            tueuse.exec_driver_sql("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(OperationalError) as coupure:
            executer_ensemble(connexion, [("SELECT 1", ())])
        assert coupure.value.connection_invalidated and connexion.invalidated
        connexion.rollback()
        ((neuf,),) = executer_ensemble(connexion, [("SELECT pg_backend_pid()", ())])[0]
        assert neuf != pid
    autre.dispose()
    moteur.dispose()
