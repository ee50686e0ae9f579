"""Le chemin direct du dépôt (`opco.chemin_direct`) rend EXACTEMENT ce que rend le chemin FastAPI.

Une même suite de requêtes générées (graine fixe) est jouée deux fois, sur deux bases neuves
identiques : une fois par le chemin direct, une fois par le routage FastAPI
(`creer_app(…, chemin_direct=False)`). Statuts, en-têtes et corps des réponses, lignes du
journal d'audit, dossiers et réponses mémorisées (idempotence) doivent être identiques. Les
requêtes couvrent : dépôts v1 et v2 pour toutes les OPCO, doublons, idempotence (rejeu, conflit,
clé trop longue), cerfa invalides (400 avec tous les constats et leur `champ`), JSON illisible ou
non objet, en-têtes du logiciel manquants, clé absente, inconnue, révoquée, expirée ou d'une
autre OPCO (403), OPCO inconnue (404), route non offerte par le profil (501), jeton OAuth2
absent ou invalide (401), limite de débit (429 + `Retry-After`), corps trop gros (413, annoncé
ou en flux), et quelques requêtes qui ne sont pas des dépôts (elles passent par FastAPI).
"""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import Any

import orjson
import pytest
from depot_en_fil import depot_en_fil
from opco_banc import DOSSIERS, creer_compte
from sqlalchemy import text
from sqlalchemy.orm import Session

from apicfa.norme.codes import OPCOS
from apicfa.opco.app import creer_app, creer_services
from apicfa.opco.chemin_direct import CheminDirect
from apicfa.opco.limites import LimiteurDebit
from apicfa.opco.profils import FICHIER_INSTANTANE, charger_profils
from apicfa.portail.comptes import revoquer
from apicfa.stockage.moteur import creer_moteur, est_sqlite, migrer

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

NOMBRE_REQUETES = 1200
LIMITE_CORPS = 9000
MAINTENANT = datetime(2026, 11, 28, 10, 0, 0)
OPCO_LIMITEE = "ocapiat"  # 12 requêtes par minute : la limite de débit sert
# Instantané 2026-07 : santé sans contrats v1, v2 chez cinq OPCO seulement (501 ailleurs),
# AKTO exige OAuth2 (401), OPCO EP répond 400 à un objet inconnu.
PROFILS = {
    code: replace(profil, limite_requetes_par_minute=12) if code == OPCO_LIMITEE else profil
    for code, profil in charger_profils(FICHIER_INSTANTANE).items()
}


@dataclass(frozen=True)
class Requete:
    methode: str
    chemin: str
    cfa: str  # a | b | c (clé expirée)
    mode_cle: str  # bonne | absente | inconnue | autre_opco | revoquee
    entetes: tuple[tuple[str, str], ...]
    corps: bytes | None
    en_flux: bool = False


# --- génération des requêtes -------------------------------------------------------------------


def _supprimer(chemin: str) -> Callable[[dict[str, Any]], None]:
    def muter(cerfa: dict[str, Any]) -> None:
        *blocs, dernier = chemin.split(".")
        cible = cerfa
        for bloc in blocs:
            cible = cible.get(bloc) or {}
        if isinstance(cible, dict):
            cible.pop(dernier, None)

    return muter


def _poser(chemin: str, valeur: Any) -> Callable[[dict[str, Any]], None]:
    def muter(cerfa: dict[str, Any]) -> None:
        *blocs, dernier = chemin.split(".")
        cible = cerfa
        for bloc in blocs:
            cible = cible.setdefault(bloc, {})
        cible[dernier] = valeur

    return muter


MUTATIONS = [
    _poser("employeur.siret", "123"),
    _poser("employeur.siret", 73282932000074),
    _supprimer("apprenti.nom"),
    _supprimer("apprenti.dateNaissance"),
    _poser("apprenti.dateNaissance", "2006-13-45"),
    _poser("contrat.dateDebutContrat", "pas une date"),
    _supprimer("contrat.typeContratApp"),
    _poser("contrat.typeContratApp", 99),
    _poser("formation.rncp", "RNCPXYZ"),
    _supprimer("formation"),
    _poser("apprenti.nir", "123456789012345"),
    _poser("organismeFormation.uaiCfa", "0000000A"),
    _poser("contrat.remunerationsAnnuelles", "beaucoup"),
]


def _corps_valide(alea: random.Random) -> dict[str, Any]:
    # 40 dossiers seulement : les tirages répétés font des doublons (même empreinte).
    envoye: dict[str, Any] = orjson.loads(orjson.dumps(alea.choice(DOSSIERS)))
    if alea.random() < 0.5:
        envoye["cerfa"]["apprenti"]["nom"] += f" {alea.randrange(200)}"
    return envoye


def generer_requetes(graine: int, nombre: int) -> list[Requete]:
    alea = random.Random(graine)
    cles_idempotence = [f"cle-{n}" for n in range(12)]
    requetes = []
    for _ in range(nombre):
        tirage = alea.random()
        opco = (
            "inconnue"
            if tirage < 0.01
            else OPCO_LIMITEE
            if tirage < 0.12
            else alea.choice(["atlas", "akto", "sante", *OPCOS])
        )
        version = alea.choice([1, 2, 2])
        methode = "POST"
        chemin = f"/{opco}/v{version}/dossiers"
        if alea.random() < 0.03:
            methode, chemin = alea.choice(
                [("GET", chemin), ("PUT", chemin), ("POST", f"/{opco}/v3/dossiers")]
            )
        entetes = {"EDITEUR": "Editeur test", "LOGICIEL": "Logiciel test", "VERSION": "1.0"}
        for nom in list(entetes):
            if alea.random() < 0.04:
                if alea.random() < 0.5:
                    del entetes[nom]
                else:
                    entetes[nom] = "   "
        if alea.random() < 0.03:
            entetes["EDITEUR"] = "E" * 300  # tronqué à 200 dans le journal
        if opco == "akto" and alea.random() < 0.5:
            entetes["Authorization"] = alea.choice(["Bearer jeton-inconnu", "Basic abc", "Bearer "])
        if alea.random() < 0.15:
            entetes["Idempotency-Key"] = (
                "k" * 201 if alea.random() < 0.15 else alea.choice(cles_idempotence)
            )
        mode_cle = alea.choices(
            ["bonne", "absente", "inconnue", "autre_opco", "revoquee"], [90, 3, 3, 2, 2]
        )[0]
        cfa = alea.choices(["a", "b", "c"], [70, 27, 3])[0]

        forme = alea.random()
        en_flux = False
        if forme < 0.70:
            corps = orjson.dumps(_corps_valide(alea))
        elif forme < 0.85:
            envoye = _corps_valide(alea)
            for mutation in alea.sample(MUTATIONS, alea.randint(1, 3)):
                mutation(envoye["cerfa"])
            corps = orjson.dumps(envoye if alea.random() < 0.8 else envoye["cerfa"])
        elif forme < 0.89:
            corps = alea.choice([b"{pas du json", b"[1, 2]", b"", b'"texte"', b"\xff\xfe"])
        elif forme < 0.95:
            envoye = _corps_valide(alea)
            envoye["cerfa"]["commentaire"] = "x" * alea.choice([100, LIMITE_CORPS])
            corps = orjson.dumps(envoye)
            en_flux = alea.random() < 0.4
        else:
            corps = orjson.dumps(_corps_valide(alea))
            en_flux = True
        entetes["Content-Type"] = "application/json"
        requetes.append(
            Requete(methode, chemin, cfa, mode_cle, tuple(entetes.items()), corps, en_flux)
        )
    return requetes


# --- exécution sur une base neuve ----------------------------------------------------------


def _base_neuve(url_base: str, dossier: Path, nom: str) -> str:
    if est_sqlite(url_base):
        url = f"sqlite:///{dossier / nom}"
        migrer(url)
        return url
    moteur = creer_moteur(url_base)
    with moteur.begin() as connexion:
        tables = connexion.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        noms = ", ".join(f'"{t}"' for t in tables)
        connexion.execute(text(f"TRUNCATE {noms} RESTART IDENTITY CASCADE"))
    moteur.dispose()
    return url_base


_NUMERO_INTERNE = re.compile(rb'"numeroInterne":"([0-9a-f]{32})"')


def _normaliser(corps: bytes, vus: dict[bytes, bytes]) -> bytes:
    """Les numéros internes sont aléatoires : chacun est remplacé par son rang d'apparition."""
    return _NUMERO_INTERNE.sub(
        lambda m: b'"numeroInterne":"#%s"' % vus.setdefault(m[1], b"%d" % len(vus)), corps
    )


def _en_morceaux(corps: bytes) -> Iterator[bytes]:
    for debut in range(0, len(corps), 1000):
        yield corps[debut : debut + 1000]


def jouer(
    url: str, requetes: list[Requete], chemin_direct: bool, dossier_depot: Path | None = None
) -> tuple[list[Any], int]:
    """Les réponses (normalisées), puis l'état de la base ; et le nombre de dépôts servis par
    le chemin direct. `dossier_depot` : les dépôts sont confiés à un processus de dépôt (servi
    dans un fil, mêmes profils, même horloge) qui écoute dans ce dossier."""
    comptes = {
        "a": creer_compte(url, "13002526500013", "0751234J"),
        "b": creer_compte(url, "44306184100047", "0691234A"),
        "c": creer_compte(url, "19750000100011", "0751999Z", expire_le=date(2026, 6, 30)),
    }
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        revoquer(session, "44306184100047", "opcoep", MAINTENANT)
    servis = count()
    servir = CheminDirect._servir

    async def servir_compte(self: CheminDirect, *args: Any) -> None:
        next(servis)
        await servir(self, *args)

    with ExitStack() as pile:
        socket_depot = None
        if dossier_depot is not None:
            arriere = creer_services(
                url,
                PROFILS,
                duree_cache_cles_s=0,
                limite_corps=LIMITE_CORPS,
                instruction_automatique=False,
            )
            arriere.horloge = lambda: MAINTENANT
            socket_depot, _ = pile.enter_context(depot_en_fil(arriere, dossier_depot))
        CheminDirect._servir = servir_compte  # type: ignore[method-assign]
        try:
            app = creer_app(
                url,
                PROFILS,
                duree_cache_cles_s=0,
                limite_corps=LIMITE_CORPS,
                instruction_automatique=False,
                chemin_direct=chemin_direct,
                socket_depot=socket_depot,
            )
        finally:
            CheminDirect._servir = servir  # type: ignore[method-assign]
        services = app.state.services
        services.horloge = lambda: MAINTENANT
        tic = count()
        services.limiteur = LimiteurDebit(horloge=lambda: next(tic) * 0.5)
        vus: dict[bytes, bytes] = {}
        sorties: list[Any] = []
        client = pile.enter_context(TestClient(app))
        for numero, requete in enumerate(requetes):
            opco = requete.chemin.split("/")[1]
            cles = comptes[requete.cfa].cles
            entetes = dict(requete.entetes)
            entetes["X-Request-ID"] = f"req-{numero}"
            cle = {
                "bonne": cles.get(opco, "cfa_inconnue"),
                "absente": None,
                "inconnue": "cfa_atlas_" + "0" * 43,
                "autre_opco": cles["atlas" if opco != "atlas" else "akto"],
                "revoquee": comptes["b"].cles["opcoep"],
            }[requete.mode_cle]
            if cle is not None:
                entetes["X-API-KEY"] = cle
            reponse = client.request(
                requete.methode,
                requete.chemin,
                content=_en_morceaux(requete.corps or b"") if requete.en_flux else requete.corps,
                headers=entetes,
            )
            sorties.append(
                (
                    numero,
                    reponse.status_code,
                    sorted(reponse.headers.multi_items()),
                    _normaliser(reponse.content, vus),
                )
            )
    with moteur.connect() as connexion:
        journal = connexion.execute(
            text(
                "SELECT opco, cfa_id, editeur, logiciel, version, methode, route, statut, "
                "id_requete, empreinte_corps FROM journal ORDER BY id_requete, id"
            )
        ).all()
        dossiers = connexion.execute(
            text(
                "SELECT opco, cfa_id, rang, numero_externe, version_api, charge_utile, etat, "
                "empreinte, siret_employeur, rncp, type_contrat, date_conclusion, "
                "date_debut_contrat, date_fin_contrat FROM dossier ORDER BY id"
            )
        ).all()
        idempotence = connexion.execute(
            text(
                "SELECT opco, cfa_id, cle, route, empreinte_corps, statut, reponse "
                "FROM idempotence ORDER BY id"
            )
        ).all()
    moteur.dispose()
    etat = [
        [tuple(ligne) for ligne in journal],
        [tuple(ligne) for ligne in dossiers],
        [(*ligne[:6], _normaliser(bytes(ligne[6]), vus)) for ligne in idempotence],
    ]
    return [sorties, etat], next(servis)


def test_chemin_direct_identique_au_chemin_fastapi(url_base: str, tmp_path: Path) -> None:
    """Et le dépôt confié au processus de dépôt (`opco.depot_distant`) rend lui aussi
    exactement les mêmes réponses et la même base."""
    requetes = generer_requetes(2026, NOMBRE_REQUETES)
    depots = sum(
        1
        for r in requetes
        if r.methode == "POST" and re.fullmatch(r"/[^/]+/v[12]/dossiers", r.chemin)
    )
    direct, servis_direct = jouer(_base_neuve(url_base, tmp_path, "direct.db"), requetes, True)
    fastapi, servis_fastapi = jouer(_base_neuve(url_base, tmp_path, "fastapi.db"), requetes, False)
    (tmp_path / "depot").mkdir()
    distant, servis_distant = jouer(
        _base_neuve(url_base, tmp_path, "distant.db"), requetes, True, tmp_path / "depot"
    )
    assert servis_distant == depots
    assert distant == direct
    assert servis_direct == depots  # chaque dépôt est bien passé par le chemin direct
    assert servis_fastapi == 0
    sorties_direct, sorties_fastapi = direct[0], fastapi[0]
    for une, autre in zip(sorties_direct, sorties_fastapi, strict=True):
        assert une == autre, requetes[une[0]]
    assert direct[1][0] == fastapi[1][0]  # journal d'audit
    assert direct[1][1] == fastapi[1][1]  # dossiers
    assert direct[1][2] == fastapi[1][2]  # réponses mémorisées
    # la suite couvre bien chaque comportement
    statuts = {s[1] for s in sorties_direct}
    assert {200, 400, 401, 403, 404, 405, 409, 413, 429, 501} <= statuts
    codes = {
        e["code"]
        for s in sorties_direct
        if s[1] >= 400
        for e in orjson.loads(s[3]).get("errors", [])
    }
    assert {
        "ENTETE_MANQUANT",
        "CLE_ABSENTE",
        "CLE_INVALIDE",
        "CLE_AUTRE_OPCO",
        "JETON_ABSENT",
        "JETON_INVALIDE",
        "NON_SUPPORTE",
        "OPCO_INCONNUE",
        "TROP_DE_REQUETES",
        "CORPS_TROP_VOLUMINEUX",
        "JSON_INVALIDE",
        "IDEMPOTENCE_CONFLIT",
        "IDEMPOTENCE_CLE_INVALIDE",
    } <= codes
    assert len(direct[1][1]) < sum(1 for s in sorties_direct if s[1] == 200)  # des doublons
    assert any(s[1] == 400 and len(orjson.loads(s[3])["errors"]) > 1 for s in sorties_direct)


@pytest.mark.parametrize("chemin_direct", [True, False])
def test_openapi_garde_la_route_de_depot(url_base: str, chemin_direct: bool) -> None:
    app = creer_app(url_base, instruction_automatique=False, chemin_direct=chemin_direct)
    with TestClient(app) as client:
        document = client.get("/openapi.json").json()
        assert client.get("/docs").status_code == 200
    for version in (1, 2):
        operation = document["paths"][f"/{{opco}}/v{version}/dossiers"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["example"]
