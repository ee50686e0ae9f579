"""Chemin HTTP allégé (issue #3) : chaque raccourci est comparé, sur des cas générés, à ce qu'il
remplace (en-têtes Starlette, `uuid4().hex`, `request.stream()`, `asyncio.timeout`,
`executemany` de SQLAlchemy, cache des clés par empreinte)."""

from __future__ import annotations

import asyncio
import os
import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from opco_banc import Banc, TestClient, creer_compte, journal_par_sqlalchemy_et_par_le_pilote
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect, Request

import apicfa.opco.intergiciel as intergiciel
from apicfa.opco.app import creer_app
from apicfa.opco.corps import _lire_flux, lire_corps
from apicfa.opco.erreurs import ErreurApi
from apicfa.opco.identite import verifier_entetes_logiciel
from apicfa.opco.intergiciel import (
    Intergiciel,
    entete,
    entetes_de,
    id_aleatoire,
)
from apicfa.opco.journal import LIGNES_PAR_INSTRUCTION
from apicfa.opco.profils import charger_profils
from apicfa.portail.comptes import CleValide

NOMS = [b"editeur", b"logiciel", b"version", b"x-api-key", b"x-request-id", b"content-length"]
VALEURS = [b"", b" ", b"  a  ", b"Editeur test", b"\xe9t\xe9", b"x" * 300, b"1.0", b"42"]


def _entetes_generes(graine: int) -> list[tuple[bytes, bytes]]:
    hasard = random.Random(graine)
    return [
        (hasard.choice([*NOMS, b"autre", b"host"]), hasard.choice(VALEURS))
        for _ in range(hasard.randrange(0, 9))
    ]


def _scope(entetes: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {"type": "http", "method": "POST", "path": "/atlas/v2/dossiers", "headers": entetes}


@pytest.mark.parametrize("graine", range(300))
def test_entetes_comme_starlette(graine: int) -> None:
    """Première valeur d'un nom répété, absence, latin-1 : comme `Request.headers.get`."""
    entetes = _entetes_generes(graine)
    scope = _scope(entetes)
    reference = Headers(scope=_scope(list(entetes)))
    for nom in [*NOMS, b"autre", b"absent"]:
        assert entete(scope, nom) == reference.get(nom.decode())
    assert entetes_de(scope) is entetes_de(scope)  # construit une fois


def test_entetes_d_un_iterable_quelconque() -> None:
    """ASGI admet tout itérable de paires : lu une fois, en liste (comme Starlette)."""
    entetes = [(b"x-request-id", b"a"), (b"editeur", b"E"), (b"x-request-id", b"b")]
    scope = _scope(entetes)
    scope["headers"] = (paire for paire in entetes)
    assert entete(scope, b"editeur") == "E" and entete(scope, b"x-request-id") == "a"
    assert scope["headers"] == entetes and intergiciel._id_requete(scope) == "b"


@pytest.mark.parametrize("graine", range(300))
def test_id_requete_comme_avant(graine: int) -> None:
    """X-Request-ID : la DERNIÈRE valeur d'un nom répété (l'ancien `dict(headers)`), coupée à
    64 caractères ; absent ou vide, un identifiant neuf."""
    entetes = _entetes_generes(graine)
    ancien = dict(entetes).get(b"x-request-id", b"").decode("latin-1")[:64]
    nouveau = intergiciel._id_requete(_scope(entetes))
    if ancien:
        assert nouveau == ancien
    else:
        assert uuid.UUID(hex=nouveau).version == 4 and len(nouveau) == 32


def test_id_aleatoire_a_la_forme_de_uuid4(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chaque identifiant : exactement `uuid4().hex` (qui lit os.urandom(16)) pour les 16 octets
    suivants du flux de `os.urandom`, lu par blocs (un appel pour 256 identifiants)."""
    hasard = random.Random(7)
    lus: list[bytes] = []

    def urandom(n: int) -> bytes:
        lus.append(hasard.randbytes(n))
        return lus[-1]

    monkeypatch.setattr(intergiciel.os, "urandom", urandom)
    intergiciel._ALEAS.vider()
    identifiants = [id_aleatoire() for _ in range(2000)]
    flux = b"".join(lus)
    assert len(lus) == 8 and len(flux) == 8 * 4096  # 2 000 identifiants, 8 appels
    for rang, identifiant in enumerate(identifiants):
        seize = flux[16 * rang : 16 * rang + 16]
        monkeypatch.setattr(intergiciel.os, "urandom", lambda n, o=seize: o[:n])  # aussi uuid
        assert identifiant == uuid.uuid4().hex
    monkeypatch.undo()
    intergiciel._ALEAS.vider()
    assert len({id_aleatoire() for _ in range(1000)}) == 1000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork absent de cette plateforme")
def test_id_aleatoire_un_enfant_de_fork_ne_rejoue_pas_les_octets_du_parent() -> None:
    id_aleatoire()  # un bloc entamé
    lecture, ecriture = os.pipe()
    enfant = os.fork()
    if enfant == 0:  # pragma: no cover - processus enfant
        os.write(ecriture, id_aleatoire().encode())
        os._exit(0)
    os.close(ecriture)
    os.waitpid(enfant, 0)
    de_l_enfant = os.read(lecture, 64).decode()
    os.close(lecture)
    assert len(de_l_enfant) == 32 and de_l_enfant != id_aleatoire()


# --- lecture du corps ------------------------------------------------------------------------


def _messages(graine: int) -> list[dict[str, Any]]:
    hasard = random.Random(graine)
    messages: list[dict[str, Any]] = []
    for _ in range(hasard.randrange(0, 5)):
        messages.append(
            {"type": "http.request", "body": hasard.randbytes(hasard.choice([0, 1, 7, 40]))}
            | ({"more_body": True} if hasard.random() < 0.7 else {})
        )
        if "more_body" not in messages[-1]:
            return messages
    if hasard.random() < 0.3:
        messages.append({"type": "http.disconnect"})
    else:
        messages.append({"type": "http.request"} | ({"body": b"fin"} if graine % 2 else {}))
    return messages


async def _lire(lecture: Any, messages: list[dict[str, Any]], limite: int) -> tuple[Any, ...]:
    file = iter(messages)

    async def recevoir() -> dict[str, Any]:
        return next(file)

    requete = Request({"type": "http", "headers": []}, recevoir)
    try:
        issue: Any = await lecture(requete, limite)
    except ErreurApi as refus:
        issue = ("refus", refus.statut)
    except ClientDisconnect:
        issue = "deconnexion"
    restants = len(list(file))
    etat = (requete._stream_consumed, requete._is_disconnected)
    if issue == "deconnexion" or isinstance(issue, tuple):
        return issue, restants, etat
    # ce que voit ensuite un lecteur du corps : Starlette refuse un flux déjà consommé
    try:
        await requete.body()
        relu: Any = "relu"
    except RuntimeError as refus:
        relu = str(refus)
    return issue, restants, etat, relu


@pytest.mark.parametrize("graine", range(400))
def test_lire_corps_comme_le_flux_starlette(graine: int) -> None:
    messages = _messages(graine)
    for limite in (0, 10, 45, 10_000):
        assert asyncio.run(_lire(lire_corps, messages, limite)) == asyncio.run(
            _lire(_lire_flux, messages, limite)
        )


def test_lire_corps_annonce_trop_grande_413() -> None:
    async def jamais() -> dict[str, Any]:
        raise AssertionError("le corps ne doit pas être lu")

    requete = Request({"type": "http", "headers": [(b"content-length", b"5000")]}, jamais)
    with pytest.raises(ErreurApi) as refus:
        asyncio.run(lire_corps(requete, 4096))
    assert refus.value.statut == 413


# --- en-têtes du logiciel ---------------------------------------------------------------------


def _ancien_entetes_logiciel(request: Request) -> tuple[dict[str, Any], list[str]]:
    """L'ancienne lecture (`request.headers`, `request.state`), gardée ici comme référence."""
    etat: dict[str, Any] = {}
    manquants = []
    for nom in ("EDITEUR", "LOGICIEL", "VERSION"):
        valeur = request.headers.get(nom, "")
        if not valeur.strip():
            manquants.append(nom)
        etat[nom.lower()] = valeur[: 100 if nom == "VERSION" else 200] or None
    return etat, manquants


@pytest.mark.parametrize("graine", range(300))
def test_entetes_logiciel_comme_avant(graine: int) -> None:
    entetes = _entetes_generes(graine)
    attendu, manquants = _ancien_entetes_logiciel(Request(_scope(list(entetes))))
    requete = Request(_scope(entetes))
    try:
        verifier_entetes_logiciel(requete)
        refus: list[str | None] = []
    except ErreurApi as erreur:
        assert erreur.statut == 400
        refus = [e.champ for e in erreur.erreurs]
    assert refus == manquants
    assert {nom: requete.scope["state"][nom] for nom in attendu} == attendu
    assert {nom: getattr(requete.state, nom) for nom in attendu} == attendu


# --- délai maximal : une surveillance pour toutes les requêtes --------------------------------


class _Services:
    def __init__(self, delai: float) -> None:
        self.delai_requete_s = delai
        self.lignes: list[tuple[Any, ...]] = []
        self.journal = self
        self.horloge = datetime.now

    def noter(self, ligne: tuple[Any, ...]) -> None:
        self.lignes.append(ligne)


async def _servir(
    intergiciel_: Intergiciel, attente: float, annuler_apres: float | None = None
) -> tuple[list[dict[str, Any]], BaseException | None, int]:
    envoyes: list[dict[str, Any]] = []

    async def envoyer(message: dict[str, Any]) -> None:
        envoyes.append(message)

    async def recevoir() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    tache = asyncio.ensure_future(
        intergiciel_({"type": "http", "path": "/x", "headers": []}, recevoir, envoyer)
    )
    if annuler_apres is not None:
        await asyncio.sleep(annuler_apres)
        tache.cancel()
    arret: BaseException | None = None
    try:
        await tache
    except BaseException as exc:
        arret = exc
    return envoyes, arret, tache.cancelling()


def _application_lente(attente: float) -> Any:
    async def application(scope: dict[str, Any], recevoir: Any, envoyer: Any) -> None:
        await asyncio.sleep(attente)
        await envoyer({"type": "http.response.start", "status": 204, "headers": []})
        await envoyer({"type": "http.response.body", "body": b""})

    return application


def test_delai_depasse_503_puis_la_surveillance_s_arrete() -> None:
    async def scenario() -> None:
        services = _Services(0.05)
        lent = Intergiciel(_application_lente(0.5), services)  # type: ignore[arg-type]
        rapide = Intergiciel(_application_lente(0.0), services)  # type: ignore[arg-type]
        boucle = asyncio.get_running_loop()
        debut = boucle.time()
        (envoyes, arret, annulations), (envoyes_rapides, _, _) = await asyncio.gather(
            _servir(lent, 0.5), _servir(rapide, 0.0)
        )
        duree = boucle.time() - debut
        assert arret is None and annulations == 0  # l'annulation a été retirée du compte
        assert envoyes[0]["status"] == 503 and b"DELAI_DEPASSE" in envoyes[1]["body"]
        (id_lent,) = [ligne[9] for ligne in services.lignes if ligne[8] == 503]
        assert (b"x-request-id", id_lent.encode()) in envoyes[0]["headers"]
        assert envoyes_rapides[0]["status"] == 204
        assert 0.05 <= duree < 0.05 + 2 * lent.surveillance.periode + 0.1
        assert sorted(ligne[8] for ligne in services.lignes) == [204, 503]
        await asyncio.sleep(2 * lent.surveillance.periode)
        assert lent.surveillance._tache is None and not lent.surveillance._en_cours

    asyncio.run(scenario())


def test_annulation_exterieure_propagee_sans_503() -> None:
    """Une annulation qui ne vient pas de la surveillance (arrêt du serveur) reste une
    annulation, comme sous `asyncio.timeout`."""

    async def scenario() -> None:
        services = _Services(30.0)
        lent = Intergiciel(_application_lente(5.0), services)  # type: ignore[arg-type]
        envoyes, arret, _ = await _servir(lent, 5.0, annuler_apres=0.02)
        assert isinstance(arret, asyncio.CancelledError) and envoyes == []
        assert [ligne[8] for ligne in services.lignes] == [500]  # journalisée comme avant

    asyncio.run(scenario())


def test_surveillance_repart_sur_une_autre_boucle() -> None:
    services = _Services(0.05)
    lent = Intergiciel(_application_lente(0.3), services)  # type: ignore[arg-type]
    for _ in range(2):  # deux clients de test : deux boucles d'événements
        envoyes, arret, _ = asyncio.run(_servir(lent, 0.3))
        assert arret is None and envoyes[0]["status"] == 503


# --- journal : mêmes valeurs stockées que l'executemany de SQLAlchemy -------------------------


def _lignes_journal(graine: int, nombre: int) -> list[Any]:
    hasard = random.Random(graine)
    depart = datetime(2026, 12, 6, 1, 2, 3)

    def texte(longueur: int) -> str | None:
        if hasard.random() < 0.2:
            return None
        return "".join(hasard.choice("aé€ 'x\"%?;") for _ in range(hasard.randrange(longueur)))

    return [
        (
            depart
            + timedelta(microseconds=hasard.choice([0, 1, 999_999, hasard.randrange(10**9)])),
            texte(16),
            hasard.choice([None, 1, 2**31 - 1]),
            texte(200),
            texte(200),
            texte(100),
            hasard.choice(["POST", "GET"]),
            texte(200) or "(route inconnue)",
            hasard.choice([200, 404, 503]),
            uuid.UUID(int=hasard.getrandbits(128)).hex,
            texte(64),
            hasard.randrange(100_000),
        )
        for _ in range(nombre)
    ]


def test_journal_memes_valeurs_stockees_qu_executemany(url_base: str) -> None:
    lignes = _lignes_journal(3, 2 * LIGNES_PAR_INSTRUCTION + 5)
    avant, apres = journal_par_sqlalchemy_et_par_le_pilote(url_base, lignes)
    assert len(avant) == len(lignes) and apres == avant


# --- cache des clés : indexé par la clé, entrées échues retirées ------------------------------


@pytest.fixture
def banc_cache(url_base: str) -> Iterator[Banc]:
    """Un banc dont le cache des clés est actif (2 s, comme en service)."""
    a = creer_compte(url_base, "13002526500013", "0751234J")
    b = creer_compte(url_base, "44306184100047", "0691234A")
    with TestClient(creer_app(url_base, charger_profils(), duree_cache_cles_s=2.0)) as client:
        yield Banc(client, url_base, a, b)


def test_cache_des_cles_ne_garde_pas_une_cle_echue(
    banc_cache: Banc, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = banc_cache.client.app.state.services  # type: ignore[attr-defined]
    lectures: list[str] = []
    lire = services.lire

    async def lire_compte(fonction: Any) -> Any:
        lectures.append("lu")
        return await lire(fonction)

    monkeypatch.setattr(services, "lire", lire_compte)
    instant = [1000.0]

    class Horloge:  # le `time` vu par services.py seulement (la boucle garde la sienne)
        @staticmethod
        def monotonic() -> float:
            return instant[0]

    monkeypatch.setattr("apicfa.opco.services.time", Horloge)
    cle_a, cle_b = banc_cache.a.cles["atlas"], banc_cache.b.cles["atlas"]

    async def cle(valeur: str) -> CleValide | None:
        return await services.cle(valeur)  # type: ignore[no-any-return]

    portail = banc_cache.client.portal  # type: ignore[attr-defined]
    premiere = portail.call(cle, cle_a)
    assert premiere is not None and premiere.cfa_id == banc_cache.a.id
    assert portail.call(cle, cle_a) == premiere and lectures == ["lu"]  # servie du cache
    assert portail.call(cle, "inconnue") is None and len(lectures) == 2
    instant[0] += services.duree_cache_cles_s + 0.001
    assert portail.call(cle, cle_b) is not None
    assert cle_a not in services._cles and "inconnue" not in services._cles
    assert list(services._cles) == [cle_b]
    assert portail.call(cle, cle_a) == premiere and len(lectures) == 4  # relue en base
