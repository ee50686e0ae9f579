"""Le transport léger émet et rend exactement ce qu'émet et rend le transport par défaut de httpx.

Un serveur HTTP/1.1 sur une vraie prise enregistre les octets reçus et répond selon un cas tiré
au hasard (statut, raison, en-têtes répétés ou à blancs, corps vide, long, par morceaux, gzip,
`Connection: close`). Les mêmes milliers de requêtes générées passent par les deux transports :
octets reçus par le serveur et réponses rendues par httpx doivent être identiques, de même que
les exceptions sur les pannes réseau.
"""

from __future__ import annotations

import gzip
import random
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import httpx
import pytest

from apicfa.client.opco import _contexte_tls
from apicfa.client.transport import TransportLeger

RAISONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _reponse(cas: int) -> tuple[bytes, bool]:
    """La réponse (octets) du cas `cas`, et s'il faut fermer la connexion après."""
    alea = random.Random(cas)
    statut = alea.choice(list(RAISONS))
    raison = alea.choice([RAISONS[statut], "", "Raison libre é"])
    entetes = [("Content-Type", alea.choice(["application/json", "text/plain; charset=utf-8"]))]
    for rang in range(alea.randint(0, 4)):
        nom = alea.choice(["X-Multi", "x-trace", "Retry-After", f"X-Rang-{rang}", "ETag"])
        valeur = alea.choice(
            [
                "1",
                "a b",
                "  blancs autour\t ",
                "Fri, 28 Nov 2026 10:00:00 GMT",
                "é-latin1",
                "",
                "v=1; w=2",
            ]
        )
        entetes.append((nom, valeur))
    corps = alea.choice([b"", b"{}", b'{"a": 1}', alea.randbytes(alea.randint(1, 200_000))])
    if statut == 204:
        corps = b""
    if corps and alea.random() < 0.2:
        corps = gzip.compress(corps)
        entetes.append(("Content-Encoding", "gzip"))
    fermer = alea.random() < 0.15
    if fermer:
        entetes.append(("Connection", "close"))
    if statut != 204 and alea.random() < 0.3:
        entetes.append(("Transfer-Encoding", "chunked"))
        morceaux = []
        debut = 0
        while debut < len(corps):
            taille = alea.randint(1, 70_000)
            morceaux.append(
                b"%x\r\n%s\r\n"
                % (len(corps[debut : debut + taille]), corps[debut : debut + taille])
            )
            debut += taille
        fil = b"".join(morceaux) + b"0\r\n\r\n"
    else:
        if statut != 204:
            entetes.append(("Content-Length", str(len(corps))))
        fil = corps
    tete = f"HTTP/1.1 {statut} {raison}\r\n".encode("latin-1") + b"".join(
        f"{n}: {v}\r\n".encode("latin-1") for n, v in entetes
    )
    return tete + b"\r\n" + fil, fermer


class ServeurEnregistreur:
    """Serveur HTTP/1.1 minimal : garde les octets de chaque requête, par cas (`X-Cas`)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.prise = socket.socket()
        self.prise.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.prise.bind(("127.0.0.1", 0))
        self.prise.listen(64)
        self.port = self.prise.getsockname()[1]
        self.recus: dict[str, bytes] = {}
        self.connexions = 0
        self.mode = "normal"  # ou « muet » : ferme sans répondre ; « lent » : ne répond pas
        threading.Thread(target=self._accepter, daemon=True).start()

    def _accepter(self) -> None:
        while True:
            try:
                connexion, _ = self.prise.accept()
            except OSError:
                return
            self.connexions += 1
            threading.Thread(target=self._servir, args=(connexion,), daemon=True).start()

    def _servir(self, connexion: socket.socket) -> None:
        tampon = b""
        if self.tls is not None:
            try:
                connexion = self.tls.wrap_socket(connexion, server_side=True)
            except (OSError, ssl.SSLError):  # certificat refusé par le client
                connexion.close()
                return
        with connexion:
            while True:
                while b"\r\n\r\n" not in tampon:
                    morceau = connexion.recv(65536)
                    if not morceau:
                        return
                    tampon += morceau
                tete, _, tampon = tampon.partition(b"\r\n\r\n")
                longueur = 0
                cas = "?"
                for ligne in tete.split(b"\r\n")[1:]:
                    nom, _, valeur = ligne.partition(b":")
                    if nom.strip().lower() == b"content-length":
                        longueur = int(valeur)
                    if nom.strip().lower() == b"x-cas":
                        cas = valeur.strip().decode()
                while len(tampon) < longueur:
                    morceau = connexion.recv(65536)
                    if not morceau:
                        return
                    tampon += morceau
                corps, tampon = tampon[:longueur], tampon[longueur:]
                self.recus[cas] = tete + b"\r\n\r\n" + corps
                if self.mode == "muet":
                    return
                if self.mode == "lent":
                    threading.Event().wait(2)
                    return
                octets, fermer = _reponse(int(cas) if cas.isdigit() else 0)
                connexion.sendall(octets)
                if fermer:
                    return

    def fermer(self) -> None:
        with suppress(OSError):
            self.prise.shutdown(socket.SHUT_RDWR)
        self.prise.close()


@contextmanager
def _serveur(tls: ssl.SSLContext | None = None) -> Iterator[ServeurEnregistreur]:
    serveur = ServeurEnregistreur(tls)
    try:
        yield serveur
    finally:
        serveur.fermer()


def _clients(
    limites: httpx.Limits, verify: ssl.SSLContext | None = None
) -> tuple[httpx.Client, httpx.Client]:
    verify = verify or _contexte_tls()
    leger = httpx.Client(transport=TransportLeger(verify=verify, limits=limites))
    defaut = httpx.Client(transport=httpx.HTTPTransport(verify=verify, limits=limites))
    return leger, defaut


def _requete(cas: int, port: int, schema: str = "http", hote: str = "127.0.0.1") -> dict[str, Any]:
    """Les arguments de `httpx.Client.request` du cas `cas`."""
    alea = random.Random(-cas)
    methode = alea.choice(["GET", "POST", "POST", "PUT", "DELETE", "PATCH"])
    segments = [
        alea.choice(["v1", "v2", "dossiers", "é t", "a%2Fb", "~x", "rupture", "ÿ"])
        for _ in range(alea.randint(0, 4))
    ]
    params = {
        alea.choice(["numeroPage", "etat", "siren", "q é"]): alea.choice(["1", "a b", "é&="])
        for _ in range(alea.randint(0, 3))
    }
    entetes = {"X-Cas": str(cas), "Idempotency-Key": f"{alea.getrandbits(128):032x}"}
    for rang in range(alea.randint(0, 3)):
        entetes[alea.choice(["X-API-KEY", "EDITEUR", f"x-libre-{rang}", "Authorization"])] = (
            alea.choice(["valeur", "Mon éditeur".encode("latin-1"), "Bearer abc.def", ""])
        )
    arguments: dict[str, Any] = {
        "method": methode,
        "url": f"{schema}://{hote}:{port}/" + "/".join(segments),
        "params": params,
        "headers": entetes,
    }
    if methode in ("POST", "PUT", "PATCH"):
        forme = alea.random()
        if forme < 0.6:
            arguments["content"] = alea.randbytes(alea.choice([0, 10, 4000, 300_000]))
        elif forme < 0.8:
            arguments["json"] = {"cerfa": {"n": alea.random(), "t": "é"}}
        else:
            arguments["files"] = {
                "convention": (None, b'{"a": 1}', "application/json"),
                "fichier": (
                    "piece.pdf",
                    alea.randbytes(alea.randint(0, 50_000)),
                    "application/pdf",
                ),
            }
            entetes["Content-Type"] = "multipart/form-data; boundary=limite-du-test"
    return arguments


def _vue(reponse: httpx.Response) -> tuple[Any, ...]:
    return (
        reponse.status_code,
        reponse.reason_phrase,
        reponse.http_version,
        reponse.headers.raw,
        reponse.content,
    )


def test_memes_octets_emis_et_memes_reponses_que_le_transport_par_defaut() -> None:
    limites = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    leger, defaut = _clients(limites)
    with _serveur() as serveur, _serveur() as serveur_defaut, leger, defaut:
        for cas in range(2500):
            reponse_leger = _vue(leger.request(**_requete(cas, serveur.port)))
            recu_leger = serveur.recus.pop(str(cas))
            reponse_defaut = _vue(defaut.request(**_requete(cas, serveur_defaut.port)))
            tete, _, corps = serveur_defaut.recus.pop(str(cas)).partition(b"\r\n\r\n")
            hote = f"127.0.0.1:{serveur_defaut.port}".encode()
            tete = tete.replace(hote, f"127.0.0.1:{serveur.port}".encode())
            recu_defaut = tete + b"\r\n\r\n" + corps
            assert recu_leger == recu_defaut, f"cas {cas} : octets émis différents"
            assert reponse_leger == reponse_defaut, f"cas {cas} : réponses différentes"
        # Connexions persistantes réutilisées de la même façon (rouvertes après un `close`).
        assert serveur.connexions == serveur_defaut.connexions < 1000


def test_entre_fils_d_execution_chaque_reponse_va_a_sa_requete() -> None:
    from concurrent.futures import ThreadPoolExecutor

    limites = httpx.Limits(max_connections=6, max_keepalive_connections=3)
    leger, defaut = _clients(limites)
    with _serveur() as serveur, leger, defaut:
        cas = list(range(10_000, 10_800))
        with ThreadPoolExecutor(12) as groupe:
            vues = list(groupe.map(lambda n: _vue(leger.request(**_requete(n, serveur.port))), cas))
        attendues = [_vue(defaut.request(**_requete(n, serveur.port))) for n in cas]
        assert vues == attendues


@pytest.mark.parametrize("mode", ["muet", "lent", "refus"])
def test_memes_exceptions_sur_les_pannes_reseau(mode: str) -> None:
    delais = httpx.Timeout(5.0, read=0.3)
    limites = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    types: list[type[BaseException]] = []
    with _serveur() as serveur:
        port = serveur.port
        serveur.mode = mode
        if mode == "refus":  # un port où personne n'écoute
            with socket.socket() as libre:
                libre.bind(("127.0.0.1", 0))
                port = libre.getsockname()[1]
        for client in _clients(limites):
            with client, pytest.raises(httpx.TransportError) as erreur:
                client.get(f"http://127.0.0.1:{port}/v1/status", timeout=delais)
            types.append(type(erreur.value))
    assert types[0] is types[1], types


def test_url_des_routes_en_cache_identique_a_la_fusion_de_httpx() -> None:
    """`ClientOpco._url` (analysée une fois) = ce que httpx bâtit depuis l'URL de base."""
    from apicfa.client import ClientOpco

    alea = random.Random(3)
    routes = [
        "v1/dossiers",
        "v2/dossiers",
        "v1/dossiers/etats",
        "v2/dossiers/etats",
        "v1/dossiers/liste",
        "v2/dossiers/rupture/employeur",
        "v1/conventions",
        "v1/factures",
        "v2/factures/etats",
        "v2/certificats",
        "v1/documents",
        "v2/cfakeyinfo",
        "v1/status",
    ]
    caracteres = "abcXYZ019-._~%20é ü:@!$&'()*+,;="
    for _ in range(3000):
        hote = alea.choice(["127.0.0.1:8080", "api.opco.example", "xn--opc-dma.fr", "[::1]:9000"])
        prefixe = "/".join(
            "".join(alea.choice(caracteres) for _ in range(alea.randint(1, 8)))
            for _ in range(alea.randint(0, 3))
        )
        base = f"{alea.choice(['http', 'https'])}://{hote}/{prefixe}" + alea.choice(["", "/", "//"])
        chemin = alea.choice([*routes, "".join(alea.choice(caracteres) for _ in range(5))])
        with ClientOpco(
            base, "cle", transport=httpx.MockTransport(lambda r: httpx.Response(200))
        ) as c:
            for params in (None, {"numeroPage": "2", "etat": "a b"}):
                attendu = _url_demandee(c._http, chemin, params)
                obtenu = _url_demandee(c._http, c._url(chemin), params)
                assert obtenu == attendu, (base, chemin)


def _url_demandee(
    client: httpx.Client, url: httpx.URL | str, params: dict[str, str] | None
) -> tuple[str, bytes] | type[Exception]:
    try:
        construite = client.build_request("GET", url, params=params).url
    except httpx.InvalidURL as exc:
        return type(exc)
    return str(construite), construite.raw_path


@pytest.fixture(scope="module")
def certificat(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """Un certificat autosigné pour localhost (outil `openssl` de la machine)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl absent : pas de certificat de test")
    dossier = tmp_path_factory.mktemp("tls")
    cle, cert = str(dossier / "cle.pem"), str(dossier / "cert.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            cle,
            "-out",
            cert,
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cle, cert


def test_en_tls_memes_octets_memes_reponses_et_certificat_verifie(
    certificat: tuple[str, str],
) -> None:
    cle, cert = certificat
    serveur_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    serveur_tls.load_cert_chain(cert, cle)
    confiance = ssl.create_default_context(cafile=cert)
    limites = httpx.Limits(max_connections=3, max_keepalive_connections=3)
    leger, defaut = _clients(limites, confiance)
    with _serveur(serveur_tls) as serveur, leger, defaut:
        for cas in range(20_000, 20_300):
            arguments = _requete(cas, serveur.port, "https", "localhost")
            reponse_leger = _vue(leger.request(**arguments))
            recu_leger = serveur.recus.pop(str(cas))
            reponse_defaut = _vue(defaut.request(**arguments))
            recu_defaut = serveur.recus.pop(str(cas))
            assert (recu_leger, reponse_leger) == (recu_defaut, reponse_defaut), f"cas {cas}"
        # Certificat inconnu des autorités de certifi : refusé par l'un comme par l'autre.
        types = []
        for client in _clients(limites):
            with client, pytest.raises(httpx.TransportError) as erreur:
                client.get(f"https://localhost:{serveur.port}/v1/status")
            types.append(type(erreur.value))
        assert types == [httpx.ConnectError, httpx.ConnectError]


def test_mandataire_de_l_environnement_laisse_le_transport_de_httpx(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apicfa.client import ClientOpco

    for variable in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "interne.example")
    with ClientOpco("https://api.opco.example", "cle") as client:
        assert isinstance(client._http._transport, TransportLeger)
    monkeypatch.setenv("HTTPS_PROXY", "http://mandataire.example:3128")
    with ClientOpco("https://api.opco.example", "cle") as client:
        assert not isinstance(client._http._transport, TransportLeger)
        assert client._http._mounts  # le mandataire de l'environnement est monté par httpx
