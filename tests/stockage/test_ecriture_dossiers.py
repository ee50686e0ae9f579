"""L'insertion groupée des dossiers par le pilote (`EspaceCfa.inserer_dossiers` : COPY sur
PostgreSQL, executemany sur SQLite) stocke EXACTEMENT ce qu'écrit l'ORM, et la lecture des
empreintes par le pilote trouve ce que trouve une requête ORM.

Comparaison sur les dossiers du générateur de démo (et des variantes : dates absentes, empreinte
absente, noms accentués, charge utile non ASCII), valeurs brutes telles que stockées : sur SQLite
le type de stockage (`typeof`) et la valeur de chaque colonne, sur PostgreSQL chaque colonne
relue en texte par le serveur.
"""

from __future__ import annotations

import itertools
import os
import uuid
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import Boolean, Date, DateTime, LargeBinary, Numeric, select
from sqlalchemy.dialects.postgresql import psycopg
from sqlalchemy.dialects.sqlite import pysqlite
from sqlalchemy.orm import Session

from apicfa.demo.generateur import generer_dossiers
from apicfa.opco.empreinte_dossier import extraire_dossier
from apicfa.portail.comptes import creer_cfa
from apicfa.stockage.base import Base
from apicfa.stockage.espace import (
    EspaceCfa,
    NouveauDossier,
    convertisseur,
    ecriture_pilote,
    nouveau_numero_interne,
    numeros_internes_de,
)
from apicfa.stockage.guichet import COLONNES_ECHEANCE
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Dossier, Echeance

DEPOT = datetime(2026, 3, 14, 9, 26, 53, 589793)
# un instant sans microsecondes : le texte de SQLAlchemy (`.000000`) n'est pas celui du pilote
INSTANTS = (DEPOT, datetime(2026, 3, 14, 10, 0))
# colonnes propres à chaque insertion (numéros, CFA, rang) : comparées à part
PROPRES = ("id", "numero_interne", "numero_externe", "cfa_id", "rang")


def _cfa(session: Session, siret: str) -> int:
    return creer_cfa(
        session,
        siret=siret,
        uai="0751234J",
        nom="CFA",
        opcos=["atlas"],
        expire_le=None,
        maintenant=datetime(2026, 1, 1),
    ).cfa.id


def _nouveaux(cfa_id: int) -> list[NouveauDossier]:
    """Dossiers de démo et variantes qui exercent chaque convertisseur (dates absentes ou
    lointaines, empreinte absente, charge non ASCII, colonnes courtes)."""
    nouveaux: list[NouveauDossier] = []
    for rang, dossier in enumerate(generer_dossiers(60, 2026)):
        charge = orjson.dumps(dossier)
        nouveau = extraire_dossier(dossier, charge, 1 + rang % 2, "atlas", cfa_id)
        nouveaux.append(replace(nouveau, empreinte=f"{cfa_id}-{rang}"))
    nouveaux += [
        NouveauDossier(2, b"{}", None, None, None, None, None, None, None),
        NouveauDossier(
            1,
            '{"nom": "Éloïse Œdipe 東京"}'.encode(),
            "accents",
            "13002526500013",
            "RNCP34567",
            "11",
            date(1, 1, 1),
            date(999, 12, 31),
            date(9999, 12, 31),
        ),
        NouveauDossier(
            2, bytes(range(256)), "octets", None, None, "4", date(2026, 2, 28), None, None
        ),
    ]
    return nouveaux


def _instant(rang: int) -> datetime:
    """L'instant de dépôt du dossier de ce rang : un lot de 32 sur deux a le second."""
    return INSTANTS[(rang - 1) // 32 % 2]


def _par_l_orm(session: Session, cfa_id: int, nouveaux: list[NouveauDossier]) -> None:
    """Le chemin de référence : un objet `Dossier` par dossier, ajouté puis écrit par l'ORM."""
    for rang, nouveau in enumerate(nouveaux, start=1):
        session.add(
            Dossier(
                numero_interne=nouveau_numero_interne(),
                numero_externe=f"ORM-{cfa_id}-{rang}",
                opco="atlas",
                cfa_id=cfa_id,
                rang=rang,
                version_api=nouveau.version_api,
                charge_utile=nouveau.charge_utile,
                numero_deca=None,
                etat="TRANSMIS",
                commentaire_etat=None,
                date_creation=_instant(rang),
                date_modification=_instant(rang),
                empreinte=nouveau.empreinte,
                siret_employeur=nouveau.siret_employeur,
                rncp=nouveau.rncp,
                type_contrat=nouveau.type_contrat,
                date_conclusion=nouveau.date_conclusion,
                date_debut_contrat=nouveau.date_debut_contrat,
                date_fin_contrat=nouveau.date_fin_contrat,
                trop_percu_centimes=0,
                premier_equipement_regle_centimes=0,
                mobilite_reglee_centimes=0,
            )
        )
    session.flush()


def _brut(session: Session, cfa_id: int) -> list[tuple[Any, ...]]:
    """Les dossiers d'un CFA tels que stockés, par rang, sans leurs colonnes propres."""
    colonnes = [c.name for c in Dossier.__table__.columns if c.name not in PROPRES]
    connexion = session.connection()
    if connexion.dialect.name == "sqlite":
        champs = ", ".join(f"typeof({c}), {c}" for c in colonnes)
        marque = "?"
    else:
        champs = ", ".join(f"{c}::text" for c in colonnes)
        marque = "%s"
    return list(
        connexion.exec_driver_sql(
            f"SELECT {champs} FROM dossier WHERE cfa_id = {marque} ORDER BY rang", (cfa_id,)
        )
    )


def test_insertion_par_le_pilote_identique_a_l_orm(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        cfa_pilote, cfa_orm = _cfa(session, "13002526500013"), _cfa(session, "44306184100047")
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", cfa_pilote)
        nouveaux = _nouveaux(cfa_pilote)
        deposes = []
        for debut in range(0, len(nouveaux), 32):  # des lots comme l'écrivain
            lot = nouveaux[debut : debut + 32]
            deposes += espace.inserer_dossiers(lot, _instant(debut + 1))
        _par_l_orm(session, cfa_orm, _nouveaux(cfa_orm))
    with Session(moteur) as session:
        pilote, orm = _brut(session, cfa_pilote), _brut(session, cfa_orm)
        assert len(pilote) == len(nouveaux) > 60
        # mêmes valeurs hors empreinte (elle contient l'identifiant du CFA)
        rang_empreinte = [c.name for c in Dossier.__table__.columns if c.name not in PROPRES].index(
            "empreinte"
        )
        largeur = 2 if session.connection().dialect.name == "sqlite" else 1
        for a, b in zip(pilote, orm, strict=True):
            debut, fin = rang_empreinte * largeur, (rang_empreinte + 1) * largeur
            assert a[:debut] + a[fin:] == b[:debut] + b[fin:]
        lignes = session.execute(
            select(Dossier.numero_interne, Dossier.numero_externe, Dossier.rang, Dossier.empreinte)
            .where(Dossier.cfa_id == cfa_pilote)
            .order_by(Dossier.rang)
        ).all()
    moteur.dispose()
    assert [(d.numero_interne, d.numero_externe) for d in deposes] == [
        (ligne.numero_interne, ligne.numero_externe) for ligne in lignes
    ]
    assert [ligne.rang for ligne in lignes] == list(range(1, len(nouveaux) + 1))
    assert [ligne.empreinte for ligne in lignes] == [n.empreinte for n in nouveaux]
    assert [ligne.numero_externe for ligne in lignes] == [
        f"ATL-2026-{n:06d}" for n in range(1, len(nouveaux) + 1)
    ]
    for ligne in lignes:
        assert uuid.UUID(hex=ligne.numero_interne).version == 7
    assert len({ligne.numero_interne for ligne in lignes}) == len(lignes)


def test_empreintes_lues_par_le_pilote_comme_par_l_orm(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        cfa_a, cfa_b = _cfa(session, "13002526500013"), _cfa(session, "44306184100047")
        for cfa in (cfa_a, cfa_b):
            EspaceCfa(session, "atlas", cfa).inserer_dossiers(_nouveaux(cfa)[:40], DEPOT)
    with Session(moteur) as session:
        espace = EspaceCfa(session, "atlas", cfa_a)
        demandes = [
            [f"{cfa_a}-{n}" for n in range(0, 40, 3)],
            [f"{cfa_a}-{n}" for n in range(35, 45)],  # dont inconnues
            [f"{cfa_b}-{n}" for n in range(5)],  # celles d'un autre CFA : jamais trouvées
            [f"{cfa_a}-7"],
            [f"{cfa_a}-7", f"{cfa_a}-7", "inconnue"],
            [f"{cfa_a}-{n}" for n in range(40)] + [f"{cfa_b}-{n}" for n in range(40)],
        ]
        for empreintes in demandes:
            attendu = {
                ligne.empreinte: (ligne.numero_interne, ligne.numero_externe, ligne.etat)
                for ligne in session.execute(
                    select(Dossier).where(
                        Dossier.opco == "atlas",
                        Dossier.cfa_id == cfa_a,
                        Dossier.empreinte.in_(empreintes),
                    )
                ).scalars()
            }
            trouves = espace.dossiers_par_empreinte(empreintes)
            assert {
                e: (d.numero_interne, d.numero_externe, d.etat) for e, d in trouves.items()
            } == attendu
            assert len(attendu) == len(
                {e for e in empreintes if e.startswith(f"{cfa_a}-")}
                - {f"{cfa_a}-{n}" for n in range(40, 45)}
            )
        assert EspaceCfa(session, "akto", cfa_a).dossiers_par_empreinte([f"{cfa_a}-1"]) == {}
    moteur.dispose()


def _uuid7(instant_ms: int, alea: bytes) -> str:
    """La construction de la RFC 9562, pas à pas, par l'objet `uuid.UUID`."""
    brut = bytearray(instant_ms.to_bytes(6) + alea)
    brut[6] = 0x70 | (brut[6] & 0x0F)  # version 7
    brut[8] = 0x80 | (brut[8] & 0x3F)  # variante RFC 4122
    numero = uuid.UUID(bytes=bytes(brut))
    assert numero.version == 7 and numero.variant == uuid.RFC_4122
    return numero.hex


def test_numeros_internes_comme_uuid7() -> None:
    instants = [0, 1, 1_764_990_000_000, (1 << 48) - 1]
    for instant, taille in itertools.product(instants, (0, 1, 2, 31, 32, 33)):
        alea = os.urandom(10 * taille)
        assert numeros_internes_de(alea, instant) == [
            _uuid7(instant, alea[n : n + 10]) for n in range(0, len(alea), 10)
        ]
    extremes = [bytes(10), b"\xff" * 10, bytes(range(10)), bytes(range(255, 245, -1))]
    for instant, alea in itertools.product(instants, extremes):
        assert numeros_internes_de(alea, instant) == [_uuid7(instant, alea)]
    # croissants avec l'instant, quel que soit l'aléa
    assert numeros_internes_de(b"\xff" * 10, 1000) < numeros_internes_de(bytes(10), 1001)


def test_convertisseurs_comme_ceux_de_sqlalchemy() -> None:
    """Chaque convertisseur du pilote rend, pour chaque colonne de chaque table, sur SQLite et
    PostgreSQL, ce que rend le convertisseur de SQLAlchemy (ou il n'y en a ni l'un ni l'autre)."""
    jours = [date(1, 1, 1), date(999, 12, 31), date(2026, 2, 28), date(9999, 12, 31)]
    jours += [
        date(2020, 1, 1) + (date(2020, 1, 2) - date(2020, 1, 1)) * n for n in range(0, 900, 7)
    ]
    exemples: dict[type, list[Any]] = {
        Boolean: [True, False, 0, 1],
        Date: [*jours, datetime(2026, 3, 1, 12, 30)],
        DateTime: [DEPOT, *INSTANTS, datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999)],
        LargeBinary: [b"", b"{}", bytes(range(256))],
        Numeric: [Decimal(1), Decimal("0.5"), Decimal("12.345"), 3],
    }
    verifies = 0
    for dialecte in (pysqlite.dialect(), psycopg.dialect()):
        for table in Dossier.metadata.tables.values():
            for colonne in table.columns:
                reference = colonne.type.dialect_impl(dialecte).bind_processor(dialecte)
                notre = convertisseur(colonne, dialecte)
                if reference is None:
                    assert notre is None, (table.name, colonne.name)
                    continue
                assert notre is not None, (table.name, colonne.name)
                valeurs = next(v for t, v in exemples.items() if isinstance(colonne.type, t))
                for valeur in valeurs:
                    attendu, obtenu = reference(valeur), notre(valeur)
                    if isinstance(attendu, memoryview):
                        attendu, obtenu = bytes(attendu), bytes(obtenu)
                    assert (type(obtenu), obtenu) == (type(attendu), attendu), colonne.name
                    verifies += 1
    assert verifies > 500


def test_insertion_multiple_par_paquets(url_base: str) -> None:
    """Des lignes insérées par paquets (`INSERT` de plusieurs lignes sur SQLite, COPY sur
    PostgreSQL) sont celles données, dans l'ordre, quel que soit leur nombre autour des bornes
    des paquets (999 paramètres : 99 lignes de 10 colonnes)."""
    moteur = creer_moteur(url_base)
    colonnes = COLONNES_ECHEANCE
    attendu: list[tuple[Any, ...]] = []
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", _cfa(session, "13002526500013"))
        nouveau = NouveauDossier(2, b"{}", None, None, None, None, None, None, None)
        (depose,) = espace.inserer_dossiers([nouveau], DEPOT)
        dossier_id = session.scalar(
            select(Dossier.id).where(Dossier.numero_interne == depose.numero_interne)
        )
        connexion = session.connection()
        ecriture = ecriture_pilote(connexion.dialect)
        convertir = ecriture.convertisseurs_de("echeance", ("dossier_id", *colonnes))
        numero = 0
        for nombre in (1, 98, 99, 100, 257, 0):
            lignes = []
            for _ in range(nombre):
                numero += 1
                jour = date(2026, 1, 1 + numero % 28)
                brute = (
                    dossier_id,
                    numero,
                    f"E{numero}",
                    numero * 100,
                    0,
                    numero % 3,
                    jour,
                    jour,
                    jour,
                    numero % 2 == 0,
                )
                attendu.append(brute[1:])
                lignes.append(
                    tuple(
                        v if c is None or v is None else c(v)
                        for c, v in zip(convertir, brute, strict=True)
                    )
                )
            ecriture.inserer(connexion, "echeance", ("dossier_id", *colonnes), lignes)
    with Session(moteur) as session:
        relues = session.execute(
            select(*(getattr(Echeance, nom) for nom in colonnes))
            .where(Echeance.dossier_id == dossier_id)
            .order_by(Echeance.id)
        ).all()
    moteur.dispose()
    assert [tuple(ligne) for ligne in relues] == attendu


def test_empreinte_partagee_entre_cfa_et_opco(url_base: str) -> None:
    """Une même empreinte (même contrat déposé par un autre CFA, ou chez une autre OPCO) : chaque
    espace ne trouve que son propre dossier."""
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        cfa_a, cfa_b = _cfa(session, "13002526500013"), _cfa(session, "44306184100047")
        commune = replace(_nouveaux(cfa_a)[0], empreinte="commune")
        deposes = {
            (opco, cfa): EspaceCfa(session, opco, cfa).inserer_dossiers([commune], DEPOT)[0]
            for opco, cfa in (("atlas", cfa_a), ("atlas", cfa_b), ("akto", cfa_a))
        }
    with Session(moteur) as session:
        for (opco, cfa), depose in deposes.items():
            trouves = EspaceCfa(session, opco, cfa).dossiers_par_empreinte(["commune", "autre"])
            assert trouves == {"commune": depose}
        assert EspaceCfa(session, "akto", cfa_b).dossiers_par_empreinte(["commune"]) == {}
    moteur.dispose()


def test_recherche_des_doublons_par_l_index_d_empreinte(url_base: str) -> None:
    """La recherche des doublons d'un lot n'est servie que par l'index (empreinte, opco,
    cfa_id), quelles que soient les statistiques : elle ne lit jamais tous les dossiers du CFA
    (PostgreSQL sans statistiques prenait l'index (opco, cfa_id, etat, rang), migration
    opco_0004)."""
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        cfa = _cfa(session, "13002526500013")
        EspaceCfa(session, "atlas", cfa).inserer_dossiers(_nouveaux(cfa)[:60], DEPOT)
    empreintes = [f"{cfa}-{n}" for n in range(30)]
    with Session(moteur) as session:
        espace = EspaceCfa(session, "atlas", cfa)
        assert len(espace.dossiers_par_empreinte(empreintes)) == 30
        connexion = session.connection()
        ecriture = ecriture_pilote(connexion.dialect)
        sql = ecriture.sql(("empreintes", 30), lambda: pytest.fail("requête non gardée"))
        if connexion.dialect.name == "postgresql":
            connexion.exec_driver_sql("SET LOCAL enable_seqscan = off")
            plan = connexion.exec_driver_sql(
                "EXPLAIN (FORMAT JSON) " + sql, tuple(empreintes)
            ).scalar_one()
            index = set(_index_du_plan(plan[0]["Plan"]))
            assert index == {"uq_dossier_empreinte_opco_cfa_id"}
        else:
            plan = " ".join(
                ligne[-1]
                for ligne in connexion.exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + sql, tuple(empreintes)
                )
            )
            assert "USING INDEX" in plan and "(empreinte=?" in plan, plan
    moteur.dispose()


SCHEMA_SANS_STATISTIQUES = "essai_sans_statistiques"


@pytest.mark.parametrize("preparee", [False, True], ids=["premiere", "preparee"])
def test_recherche_des_doublons_ne_lit_pas_la_table_sans_statistiques(
    url_base: str, preparee: bool
) -> None:
    """PostgreSQL sans statistiques sur `dossier` (base neuve, table qui grandit entre deux
    analyses) prête 0,5 % des lignes à chaque empreinte et préférait lire toute la table ; le
    plan restait ensuite celui de l'instruction préparée par psycopg. La recherche ne lit que
    l'index, y compris préparée, et rend ensuite la main au planificateur (`enable_seqscan`).

    Les tables sont créées dans un schéma à part, jamais analysées (autovacuum coupé sur
    `dossier`) : celles de la base de test gardent les statistiques des tests précédents."""
    if not url_base.startswith("postgresql"):
        pytest.skip("PostgreSQL seulement : SQLite prend l'index d'empreinte sans statistiques")
    schema = SCHEMA_SANS_STATISTIQUES
    administration = creer_moteur(url_base)
    with administration.begin() as connexion:
        connexion.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connexion.exec_driver_sql(f"CREATE SCHEMA {schema}")
    moteur = creer_moteur(url_base, connect_args={"options": f"-c search_path={schema}"})
    try:
        Base.metadata.create_all(moteur)
        with Session(moteur) as session, session.begin():
            session.connection().exec_driver_sql(
                "ALTER TABLE dossier SET (autovacuum_enabled = off)"
            )
            cfa = _cfa(session, "13002526500013")
            EspaceCfa(session, "atlas", cfa).inserer_dossiers(_nouveaux(cfa)[:60], DEPOT)
        empreintes = [f"{cfa}-{n}" for n in range(30)]
        lectures = "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'dossier'::regclass"
        with Session(moteur) as session, session.begin():
            connexion = session.connection()
            espace = EspaceCfa(session, "atlas", cfa)
            # compteur du processus serveur, pas encore publié : il compte aussi la préparation
            avant = connexion.exec_driver_sql(lectures).scalar_one()
            for _ in range(8 if preparee else 1):  # psycopg prépare à la 5e exécution
                assert len(espace.dossiers_par_empreinte(empreintes)) == 30
            assert connexion.exec_driver_sql(lectures).scalar_one() == avant
            assert connexion.exec_driver_sql("SHOW enable_seqscan").scalar_one() == "on"
    finally:
        moteur.dispose()
        with administration.begin() as connexion:
            connexion.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        administration.dispose()


def _index_du_plan(noeud: dict[str, Any]) -> list[str]:
    noms = [noeud["Index Name"]] if "Index Name" in noeud else []
    for enfant in noeud.get("Plans", []):
        noms += _index_du_plan(enfant)
    return noms
