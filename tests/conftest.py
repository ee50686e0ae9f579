"""Fixtures communes.

`url_base` donne une base migrée et vide pour un test : un fichier SQLite neuf,
ou, quand `APICFA_TEST_BASE` désigne PostgreSQL, la base de test remise à zéro
une fois par session puis vidée (TRUNCATE) avant chaque test. Tout test qui
l'utilise reçoit le marqueur `base` : `make test` rejoue ces tests sur PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from apicfa.stockage.moteur import creer_moteur, migrer

DONNEES_PARTAGEES = Path(__file__).resolve().parents[2] / "shared" / "data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "url_base" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.base)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "base: test qui utilise une base de données")


@pytest.fixture(scope="session")
def _postgres_pret() -> Iterator[str | None]:
    url = os.environ.get("APICFA_TEST_BASE")
    if not url:
        yield None
        return
    moteur = creer_moteur(url)
    with moteur.begin() as connexion:
        connexion.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connexion.execute(text("CREATE SCHEMA public"))
    moteur.dispose()
    migrer(url)
    yield url


@pytest.fixture
def url_base(tmp_path: Path, _postgres_pret: str | None) -> str:
    if _postgres_pret is None:
        url = f"sqlite:///{tmp_path / 'apicfa.db'}"
        migrer(url)
        return url
    moteur = creer_moteur(_postgres_pret)
    with moteur.begin() as connexion:
        tables = (
            connexion.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
            .scalars()
            .all()
        )
        if tables:
            noms = ", ".join(f'"{t}"' for t in tables)
            connexion.execute(text(f"TRUNCATE {noms} RESTART IDENTITY CASCADE"))
    moteur.dispose()
    return _postgres_pret


@pytest.fixture(scope="session")
def donnees_partagees() -> Path:
    """Le dossier `../shared/data` (données publiques de référence), ou un saut motivé."""
    if not DONNEES_PARTAGEES.is_dir():
        pytest.skip(f"données publiques absentes ({DONNEES_PARTAGEES}) : test ignoré")
    return DONNEES_PARTAGEES


# --- Serveur OPCO réel (processus `apicfa serveur`), réutilisable par tous les domaines ---------


@dataclass
class ServeurLance:
    """Un `apicfa serveur` lancé dans son propre processus sur la base `base`.

    `cles` : les clés du CFA de démonstration (une par OPCO) ; `cfa` : ce CFA (id, siret, uai,
    nom). `creer_cfa(...)` crée un autre CFA (via `apicfa cfa-comptes creer --json`).
    """

    url: str
    base: str
    dossier: Path
    processus: subprocess.Popen[bytes]
    cles: dict[str, str]
    cfa: dict[str, object]

    def creer_cfa(self, siret: str, uai: str, nom: str, opcos: str | None = None) -> dict:
        return creer_cfa_cli(self.base, siret, uai, nom, opcos)

    def arreter(self, signal_arret: int = signal.SIGTERM) -> None:
        if self.processus.poll() is None:
            self.processus.send_signal(signal_arret)
            try:
                self.processus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait(timeout=5)


_COMMANDE_APICFA = [sys.executable, "-c", "from apicfa.cli import main; main()"]


def creer_cfa_cli(base: str, siret: str, uai: str, nom: str, opcos: str | None = None) -> dict:
    commande = [*_COMMANDE_APICFA, "cfa-comptes", "creer", "--siret", siret, "--uai", uai]
    commande += ["--nom", nom, "--json", "--base", base]
    if opcos:
        commande += ["--opco", opcos]
    sortie = subprocess.run(commande, capture_output=True, check=True, timeout=60)
    return json.loads(sortie.stdout)


def _port_libre() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return int(prise.getsockname()[1])


def lancer_serveur(base: str, dossier: Path, *options: str) -> ServeurLance:
    """Lance `apicfa serveur` sur `base` (cwd = `dossier`) et attend `/health`."""
    import httpx

    dossier.mkdir(parents=True, exist_ok=True)
    port = _port_libre()
    journal = (dossier / "serveur.log").open("ab")
    processus = subprocess.Popen(
        [*_COMMANDE_APICFA, "serveur", "--port", str(port), "--base", base, *options],
        cwd=dossier,
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    limite = time.monotonic() + 60
    while True:
        if processus.poll() is not None:
            raise RuntimeError(
                f"apicfa serveur s'est arrêté : {(dossier / 'serveur.log').read_text()[-2000:]}"
            )
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > limite:
            processus.kill()
            raise RuntimeError("apicfa serveur n'a pas répondu sur /health en 60 s")
        time.sleep(0.1)
    demo_fichier = dossier / "var" / "demo-cles.json"
    demo = json.loads(demo_fichier.read_text()) if demo_fichier.exists() else {}
    return ServeurLance(url, base, dossier, processus, demo.get("cles", {}), demo.get("cfa", {}))


@pytest.fixture
def serveur_opco(url_base: str, tmp_path: Path) -> Iterator[ServeurLance]:
    """Un vrai serveur OPCO (processus) sur une base neuve, avec le CFA de démonstration."""
    serveur = lancer_serveur(url_base, tmp_path / "serveur")
    try:
        yield serveur
    finally:
        serveur.arreter()


@pytest.fixture
def lanceur_serveur() -> Iterator[Callable[..., ServeurLance]]:
    """`lancer(base, dossier, *options)` : d'autres serveurs (relance sur la même base…),
    tous arrêtés à la fin du test."""
    lances: list[ServeurLance] = []

    def lancer(base: str, dossier: Path, *options: str) -> ServeurLance:
        serveur = lancer_serveur(base, dossier, *options)
        lances.append(serveur)
        return serveur

    yield lancer
    for serveur in lances:
        serveur.arreter()
