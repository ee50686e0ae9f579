"""Le processus de dépôt (`opco.processus_depot`, `opco.depot_distant`) : un vrai processus lancé
par l'application, qui valide, écrit et instruit ; relancé s'il meurt ; arrêté avec son parent."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from depot_en_fil import depot_en_fil
from opco_banc import Banc, attendre_etat, creer_compte, dossier

from apicfa.opco.app import creer_app, creer_services
from apicfa.opco.depot_distant import ClientDepot
from apicfa.opco.protocole_http import H11SansNagle
from apicfa.stockage.moteur import VARIABLE_BASE

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture
def banc_processus(url_base: str) -> Iterator[Banc]:
    a = creer_compte(url_base, "13002526500013", "0751234J")
    b = creer_compte(url_base, "44306184100047", "0691234A")
    app = creer_app(url_base, duree_cache_cles_s=0, processus_depot=True)
    with TestClient(app) as client:
        yield Banc(client, url_base, a, b)


def _processus_depot(banc: Banc) -> subprocess.Popen[bytes]:
    services = banc.client.app.state.services  # type: ignore[attr-defined]
    assert services.instructeur is None  # l'instruction tourne dans le processus de dépôt
    processus = banc.client.app.state.processus_depot  # type: ignore[attr-defined]
    assert processus._processus is not None
    return processus._processus  # type: ignore[no-any-return]


def test_depot_valide_ecrit_et_instruit_par_le_processus(banc_processus: Banc) -> None:
    banc = banc_processus
    enfant = _processus_depot(banc)
    assert enfant.poll() is None and enfant.pid != os.getpid()
    reponse = banc.client.post("/atlas/v2/dossiers", json=dossier(1), headers=banc.a.entetes())
    assert reponse.status_code == 200, reponse.text
    accuse = reponse.json()
    assert accuse["etat"] == "TRANSMIS"
    # même dossier une seconde fois : l'empreinte de doublon rend le même numéro
    encore = banc.client.post("/atlas/v2/dossiers", json=dossier(1), headers=banc.a.entetes())
    assert encore.json()["numeroInterne"] == accuse["numeroInterne"]
    # l'autre CFA ne le voit pas
    autre = banc.client.get(
        "/atlas/v2/dossiers",
        params={"numeroInterne": accuse["numeroInterne"]},
        headers=banc.b.entetes(),
    )
    assert autre.status_code in (403, 404)
    relu = attendre_etat(banc, accuse["numeroInterne"])
    assert relu["cerfa"]["etat"] != "TRANSMIS"


def test_refus_de_validation_rendu_par_le_processus(banc_processus: Banc) -> None:
    banc = banc_processus
    invalide = dossier(2)
    del invalide["cerfa"]["apprenti"]["nom"]
    reponse = banc.client.post("/atlas/v2/dossiers", json=invalide, headers=banc.a.entetes())
    assert reponse.status_code == 400
    assert any(e.get("champ", "").endswith("apprenti.nom") for e in reponse.json()["errors"])
    illisible = banc.client.post(
        "/atlas/v2/dossiers",
        content=b"{pas du json",
        headers={**banc.a.entetes(), "Content-Type": "application/json"},
    )
    assert illisible.status_code == 400
    assert illisible.json()["errors"][0]["code"] == "JSON_INVALIDE"


def test_processus_tue_relance_par_la_surveillance(banc_processus: Banc) -> None:
    banc = banc_processus
    premier = _processus_depot(banc)
    premier.send_signal(signal.SIGKILL)
    premier.wait(10)
    limite = time.monotonic() + 30
    statuts = []
    while time.monotonic() < limite:
        reponse = banc.client.post("/atlas/v2/dossiers", json=dossier(3), headers=banc.a.entetes())
        statuts.append(reponse.status_code)
        if reponse.status_code == 200:
            break
        # pendant la relance : 503 en français, sans rien écrire
        assert reponse.status_code == 503, reponse.text
        assert reponse.json()["errors"][0]["code"] == "DEPOT_INDISPONIBLE"
        time.sleep(0.2)
    assert statuts[-1] == 200, statuts
    assert _processus_depot(banc).pid != premier.pid


def test_processus_s_arrete_quand_son_parent_meurt(url_base: str, tmp_path: Path) -> None:
    chemin = str(tmp_path / "depot.sock")
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "p = subprocess.Popen([sys.executable, '-m', 'apicfa.opco.processus_depot', "
            f"{chemin!r}])\n"
            "print(p.pid, flush=True)\n"
            "time.sleep(600)\n",
        ],
        env={**os.environ, VARIABLE_BASE: url_base},
        stdout=subprocess.PIPE,
    )
    assert parent.stdout is not None
    enfant = int(parent.stdout.readline())
    limite = time.monotonic() + 60
    while not os.path.exists(chemin) and time.monotonic() < limite:
        time.sleep(0.05)
    assert os.path.exists(chemin), "le processus de dépôt n'a pas démarré"
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    limite = time.monotonic() + 15
    while time.monotonic() < limite and _vivant(enfant):
        time.sleep(0.1)
    assert not _vivant(enfant), "le processus de dépôt survit à son parent"


def _vivant(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fichier:
            return fichier.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_panne_du_processus_donne_500(url_base: str, tmp_path: Path) -> None:
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    arriere = creer_services(url_base, instruction_automatique=False)
    del arriere.profils["atlas"]  # le traitement lèvera une erreur inattendue
    with depot_en_fil(arriere, tmp_path) as (chemin, _):
        app = creer_app(url_base, duree_cache_cles_s=0, socket_depot=chemin)
        with TestClient(app, raise_server_exceptions=False) as client:
            reponse = client.post("/atlas/v2/dossiers", json=dossier(4), headers=cfa.entetes())
    assert reponse.status_code == 500
    assert reponse.json()["errors"][0]["code"] == "ERREUR_INTERNE"


def test_processus_injoignable_donne_503(url_base: str, tmp_path: Path) -> None:
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    app = creer_app(url_base, duree_cache_cles_s=0, socket_depot=str(tmp_path / "absent.sock"))
    app.state.services.depot_distant = ClientDepot(
        str(tmp_path / "absent.sock"), attente_connexion_s=0.2
    )
    with TestClient(app) as client:
        reponse = client.post("/atlas/v2/dossiers", json=dossier(5), headers=cfa.entetes())
    assert reponse.status_code == 503
    corps = orjson.loads(reponse.content)
    assert corps["errors"][0]["code"] == "DEPOT_INDISPONIBLE"
    assert "réessayez" in corps["errors"][0]["description"]


def test_connexion_coupee_en_cours_donne_503(url_base: str, tmp_path: Path) -> None:
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    arriere = creer_services(url_base, instruction_automatique=False)
    with depot_en_fil(arriere, tmp_path) as (chemin, couper):
        app = creer_app(url_base, duree_cache_cles_s=0, socket_depot=chemin)
        app.state.services.depot_distant = ClientDepot(chemin, attente_connexion_s=0.2)
        with TestClient(app) as client:
            premier = client.post("/atlas/v2/dossiers", json=dossier(6), headers=cfa.entetes())
            assert premier.status_code == 200
            couper()  # plus d'écoute…
            app.state.services.depot_distant.fermer()  # …et la connexion établie est perdue
            time.sleep(0.2)
            apres = client.post("/atlas/v2/dossiers", json=dossier(7), headers=cfa.entetes())
    assert apres.status_code == 503
    assert apres.json()["errors"][0]["code"] == "DEPOT_INDISPONIBLE"


def test_protocole_pose_tcp_nodelay() -> None:
    class Transport:
        def __init__(self, prise: socket.socket) -> None:
            self.prise = prise

        def get_extra_info(self, nom: str, defaut: object = None) -> object:
            return self.prise if nom == "socket" else defaut

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as prise:
        assert prise.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
        protocole = H11SansNagle.__new__(H11SansNagle)
        with contextlib.suppress(Exception):  # le reste attend un vrai transport d'uvicorn
            protocole.connection_made(Transport(prise))
        assert prise.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_meme_application_relancee_sur_une_autre_boucle(url_base: str, tmp_path: Path) -> None:
    """Une application démarrée deux fois (deux boucles d'événements successives) : son arrêt
    ferme la connexion au processus de dépôt, le redémarrage en ouvre une neuve (sans cela, la
    connexion de la boucle fermée ne répondrait plus : 503 après le délai)."""
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    arriere = creer_services(url_base, instruction_automatique=False)
    with depot_en_fil(arriere, tmp_path) as (chemin, _):
        app = creer_app(url_base, duree_cache_cles_s=0, socket_depot=chemin)
        app.state.services.depot_distant.attente_connexion_s = 2.0
        statuts = []
        for numero in (8, 9):
            with TestClient(app) as client:
                reponse = client.post(
                    "/atlas/v2/dossiers", json=dossier(numero), headers=cfa.entetes()
                )
                statuts.append(reponse.status_code)
    assert statuts == [200, 200]
