"""Banc : débit soutenu de `POST /atlas/v2/dossiers`, rapporté au plafond de la pile HTTP.

Trois serveurs, lancés tour à tour dans leur propre processus avec le même uvicorn et les mêmes
réglages, reçoivent la même charge (dossiers générés, tous distincts) d'un client asyncio
concurrent (connexions persistantes HTTP/1.1) :
- « nu » : une application ASGI minimale qui lit le corps, le décode (orjson) et répond ;
  c'est le plafond de la pile HTTP sur cette machine ;
- apicfa sur SQLite (fichier neuf, WAL, `synchronous=FULL`) ;
- apicfa sur PostgreSQL (base `apicfa_bench`, recréée ; `synchronous_commit` par défaut).
apicfa tourne comme `apicfa serveur` le lance : un processus uvicorn et son processus de dépôt
(`opco.processus_depot`), qui valide, écrit et instruit (dans le fil de sa boucle : « écriture
sur place », docs/serveur.md) ; `APICFA_PROCESSUS_DEPOT=0` mesure l'ancien mode, tout
dans le processus uvicorn. Le serveur nu reste un seul processus uvicorn.
Chaque dossier acquitté 200 est validé durablement AVANT la réponse (écrivain groupé).
Affiche débit, latences p50/p99 et ratio au plafond ; dernière ligne : un objet JSON.

Équité entre les tours : un dépôt est instruit dans la transaction de son dépôt (depuis la
session 4) ; seuls quelques dossiers restent `TRANSMIS` pour la boucle de l'instructeur (par
exemple ceux reçus pendant la relecture du référentiel NPEC, toutes les 30 s), qui prendraient du
CPU au tour suivant (autre serveur ou plafond nu). Après chaque tour d'un serveur apicfa, le banc
lit la base jusqu'à ce qu'aucun dossier ne soit plus `TRANSMIS` et affiche ce temps de résorption
(hors mesure).

Temps CPU du serveur par requête (Linux, /proc : le processus uvicorn et ses descendants, donc
le processus de dépôt) : lu avant et après chaque tour (résorption comprise), divisé par le
nombre de requêtes servies dans le tour (échauffement compris). Le CPU des processus
PostgreSQL n'y est pas. Moins sensible que le débit à la charge des autres processus de la machine.
Durabilité affichée au départ : `journal_mode` et `synchronous` d'une connexion ouverte par
`creer_moteur` (le réglage du serveur), `synchronous_commit` et `fsync` de PostgreSQL.

Variables : APICFA_BENCH_DUREE (s par tour, défaut 4), APICFA_BENCH_TOURS (défaut 3), APICFA_BENCH_CONNEXIONS (défaut 32),
APICFA_BENCH_PG (URL PostgreSQL, défaut postgresql+psycopg://postgres@127.0.0.1:5432/apicfa_bench ;
« non » pour sauter PostgreSQL).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

DUREE = float(os.environ.get("APICFA_BENCH_DUREE", "4"))
TOURS = int(os.environ.get("APICFA_BENCH_TOURS", "3"))
CONNEXIONS = int(os.environ.get("APICFA_BENCH_CONNEXIONS", "32"))
URL_PG = os.environ.get(
    "APICFA_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/apicfa_bench"
)
ECHAUFFEMENT = 1.0
REPONSE_NUE = orjson.dumps(
    {"numeroInterne": "0" * 32, "numeroExterne": "ATL-2026-000001", "etat": "TRANSMIS"}
)


# --- le serveur « nu » -------------------------------------------------------------------


async def application_nue(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    morceaux = []
    while True:
        message = await receive()
        morceaux.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    corps = b"".join(morceaux)
    if corps:
        orjson.loads(corps)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(REPONSE_NUE)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": REPONSE_NUE})


def servir_nu(port: int) -> None:
    import uvicorn

    uvicorn.run(
        application_nue,
        host="127.0.0.1",
        port=port,
        access_log=False,
        log_level="warning",
        timeout_keep_alive=10,
    )


# --- lancement des serveurs ----------------------------------------------------------------


def port_libre() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return int(prise.getsockname()[1])


def attendre(port: int, processus: subprocess.Popen[bytes], chemin: str) -> None:
    import httpx

    limite = time.monotonic() + 120
    while time.monotonic() < limite:
        if processus.poll() is not None:
            raise RuntimeError("le serveur s'est arrêté au démarrage")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{chemin}", timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("le serveur n'a pas répondu en 120 s")


def lancer_nu() -> tuple[subprocess.Popen[bytes], int]:
    port = port_libre()
    processus = subprocess.Popen(
        [sys.executable, __file__, "--serveur-nu", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        attendre(port, processus, "/")
    except RuntimeError:
        processus.kill()
        raise
    return processus, port


def migrer_opco(url: str) -> None:
    """Schéma du service OPCO seul (branche Alembic `opco`) : le banc ne mesure que lui."""
    from alembic import command
    from alembic.config import Config

    import apicfa.stockage.moteur as moteur

    config = Config()
    config.set_main_option("script_location", str(Path(moteur.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "opco@head")


def creer_cfa_du_banc(url: str) -> str:
    """Un CFA « du banc » dans une base déjà migrée ; rend sa clé ATLAS."""
    return creer_compte_du_banc(url)[0]


def creer_compte_du_banc(url: str) -> tuple[str, int]:
    """Le CFA « du banc » (clé ATLAS seulement) dans une base déjà migrée ; rend sa clé ATLAS
    et son identifiant."""
    from datetime import datetime

    from sqlalchemy.orm import Session

    from apicfa.portail.comptes import creer_cfa
    from apicfa.stockage.moteur import creer_moteur

    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        compte = creer_cfa(
            session,
            siret="13002526500013",
            uai="0751234J",
            nom="CFA du banc",
            opcos=["atlas"],
            expire_le=None,
            maintenant=datetime.now(),
        )
        cle, cfa_id = compte.cles["atlas"], compte.cfa.id
    moteur.dispose()
    return cle, cfa_id


def preparer_base(url: str) -> str:
    """Base migrée (branche `opco`) avec un CFA ; rend sa clé ATLAS."""
    migrer_opco(url)
    return creer_cfa_du_banc(url)


def lancer_apicfa(url: str, dossier: Path) -> tuple[subprocess.Popen[bytes], int]:
    """Le service OPCO d'apicfa sous le même uvicorn que le serveur nu (fabrique ASGI)."""
    port = port_libre()
    journal = (dossier / "serveur.log").open("wb")
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "apicfa.opco.asgi:fabriquer",
            "--factory",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
            "--timeout-keep-alive",
            "10",
        ],
        cwd=dossier,
        env={**os.environ, "APICFA_BASE": url},
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    try:
        attendre(port, processus, "/health")
    except RuntimeError as probleme:
        processus.kill()
        trace = (dossier / "serveur.log").read_text(errors="replace").strip().splitlines()
        raise RuntimeError(f"{probleme} : {trace[-1] if trace else ''}") from None
    return processus, port


def attendre_instruction(url: str, limite_s: float = 600.0) -> tuple[int, float]:
    """Attend qu'aucun dossier de la base `url` ne soit plus `TRANSMIS` (lecture directe).
    Rend le nombre restant à la fin du tour et le temps de résorption (s)."""
    from sqlalchemy import create_engine, text

    moteur = create_engine(url)
    requete = text("SELECT COUNT(*) FROM dossier WHERE etat = 'TRANSMIS'")
    debut = time.perf_counter()
    try:
        with moteur.connect() as connexion:
            restant = initial = int(connexion.execute(requete).scalar_one())
            while restant:
                if time.perf_counter() - debut > limite_s:
                    raise RuntimeError(f"{restant} dossiers encore TRANSMIS après {limite_s:.0f} s")
                time.sleep(0.02)
                connexion.rollback()  # instantané neuf à chaque lecture
                restant = int(connexion.execute(requete).scalar_one())
    finally:
        moteur.dispose()
    return initial, time.perf_counter() - debut


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fichier:
            return fichier.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_processus(pid: int) -> float | None:
    """Temps CPU (utilisateur + système, tous fils) du processus `pid` ET de ses descendants
    vivants (le processus de dépôt lancé par le serveur), en secondes (Linux)."""
    champs = _stat(pid)
    if champs is None:
        return None
    total = int(champs[11]) + int(champs[12])
    for descendant in _descendants(pid):
        stat = _stat(descendant)
        if stat is not None:
            total += int(stat[11]) + int(stat[12])
    return total / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for nom in os.listdir("/proc"):
        if nom.isdigit():
            stat = _stat(int(nom))
            if stat is not None:
                parents.setdefault(int(stat[1]), []).append(int(nom))
    trouves, a_voir = [], [pid]
    while a_voir:
        enfants = parents.get(a_voir.pop(), [])
        trouves.extend(enfants)
        a_voir.extend(enfants)
    return trouves


def durabilite(url: str) -> str:
    """Les réglages de durabilité que voit une connexion du serveur sur `url`."""
    from sqlalchemy import text

    from apicfa.stockage.moteur import creer_moteur, est_sqlite

    moteur = creer_moteur(url)
    try:
        with moteur.connect() as connexion:
            if est_sqlite(url):
                journal = connexion.execute(text("PRAGMA journal_mode")).scalar()
                synchrone = connexion.execute(text("PRAGMA synchronous")).scalar()
                noms = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
                return f"journal_mode={journal}, synchronous={noms.get(synchrone, synchrone)}"
            commit = connexion.execute(text("SHOW synchronous_commit")).scalar()
            fsync = connexion.execute(text("SHOW fsync")).scalar()
            return f"synchronous_commit={commit}, fsync={fsync}"
    finally:
        moteur.dispose()


def arreter(processus: subprocess.Popen[bytes]) -> None:
    processus.terminate()
    try:
        processus.wait(timeout=15)
    except subprocess.TimeoutExpired:
        processus.kill()


# --- la charge -------------------------------------------------------------------------------


def corps_distincts(nombre_base: int = 1500) -> itertools.cycle[bytes] | Any:
    """Dossiers valides générés ; chaque envoi change le nom de l'apprenti (suffixe en lettres),
    donc aucun n'est un doublon d'un autre."""
    from apicfa.demo.generateur import generer_dossiers

    bases = list(generer_dossiers(nombre_base, 2026))
    lettres = string.ascii_uppercase

    def suffixe(n: int) -> str:
        texte = ""
        for _ in range(5):
            n, reste = divmod(n, 26)
            texte += lettres[reste]
        return texte

    def flux() -> Any:
        for n in itertools.count():
            dossier = bases[n % len(bases)]
            cerfa = dict(dossier["cerfa"])
            apprenti = dict(cerfa["apprenti"])
            apprenti["nom"] = f"{apprenti['nom'][:60]} {suffixe(n)}"
            cerfa["apprenti"] = apprenti
            yield orjson.dumps({"cerfa": cerfa})

    return flux()


@dataclass
class Mesure:
    requetes: int
    erreurs: int
    secondes: float
    latences_ms: list[float]
    toutes: int = 0  # réponses reçues, échauffement compris
    cpu_s: float | None = None  # temps CPU du processus serveur pendant le tour

    @property
    def cpu_ms_par_requete(self) -> float | None:
        return 1000 * self.cpu_s / self.toutes if self.cpu_s is not None and self.toutes else None

    @property
    def debit(self) -> float:
        return self.requetes / self.secondes if self.secondes else 0.0

    def centile(self, q: float) -> float:
        if not self.latences_ms:
            return float("nan")
        ordonnees = sorted(self.latences_ms)
        return ordonnees[min(len(ordonnees) - 1, int(q * len(ordonnees)))]


async def _une_connexion(
    port: int, cle: str, corps: Any, debut_mesure: float, fin: float, mesure: Mesure
) -> None:
    lecteur, ecrivain = await asyncio.open_connection("127.0.0.1", port)
    entete = (
        "POST /atlas/v2/dossiers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\n"
        f"X-API-KEY: {cle}\r\nEDITEUR: bench\r\nLOGICIEL: depot\r\nVERSION: 1\r\n"
    ).encode()
    try:
        while True:
            maintenant = time.perf_counter()
            if maintenant >= fin:
                return
            charge = next(corps)
            ecrivain.write(entete + b"Content-Length: %d\r\n\r\n" % len(charge) + charge)
            await ecrivain.drain()
            tete = await lecteur.readuntil(b"\r\n\r\n")
            statut = int(tete[9:12])
            longueur = 0
            for ligne in tete.split(b"\r\n"):
                if ligne[:15].lower() == b"content-length:":
                    longueur = int(ligne[15:])
            await lecteur.readexactly(longueur)
            fini = time.perf_counter()
            mesure.toutes += 1
            if maintenant >= debut_mesure:
                mesure.requetes += 1
                mesure.latences_ms.append((fini - maintenant) * 1000)
                if statut != 200:
                    mesure.erreurs += 1
    finally:
        ecrivain.close()


async def _charger(port: int, cle: str, corps: Any) -> Mesure:
    debut = time.perf_counter()
    debut_mesure = debut + ECHAUFFEMENT
    fin = debut_mesure + DUREE
    mesure = Mesure(0, 0, DUREE, [])
    await asyncio.gather(
        *(_une_connexion(port, cle, corps, debut_mesure, fin, mesure) for _ in range(CONNEXIONS))
    )
    return mesure


def charger(port: int, cle: str, corps: Any) -> Mesure:
    return asyncio.run(_charger(port, cle, corps))


def afficher(nom: str, mesure: Mesure, plafond: float | None) -> None:
    ratio = f", ratio {mesure.debit / plafond:.2f}" if plafond else ""
    print(
        f"{nom:<22} {mesure.debit:8.0f} req/s  p50 {mesure.centile(0.5):6.1f} ms  "
        f"p99 {mesure.centile(0.99):6.1f} ms  erreurs {mesure.erreurs}{ratio}",
        flush=True,
    )


def preparer_postgres(url: str) -> None:
    """Crée la base de banc si besoin et la vide."""
    from sqlalchemy import create_engine, text

    base_nom = url.rsplit("/", 1)[1]
    admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connexion:
        existe = connexion.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base_nom}
        ).first()
        if not existe:
            connexion.execute(text(f'CREATE DATABASE "{base_nom}"'))
    admin.dispose()
    moteur = create_engine(url)
    with moteur.begin() as connexion:
        connexion.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connexion.execute(text("CREATE SCHEMA public"))
    moteur.dispose()


def main() -> None:
    print(
        f"Banc dépôt : {CONNEXIONS} connexions, {TOURS} tours de {DUREE:.0f} s mesurées (après "
        f"{ECHAUFFEMENT:.0f} s d'échauffement) par serveur, serveurs alternés à chaque tour ; "
        f"{os.cpu_count()} cœurs.",
        flush=True,
    )
    corps = corps_distincts()
    lances: list[subprocess.Popen[bytes]] = []
    cibles: dict[str, tuple[int, str]] = {}
    urls: dict[str, str] = {}
    pids: dict[str, int] = {}
    with (
        tempfile.TemporaryDirectory() as dossier_sqlite,
        tempfile.TemporaryDirectory() as dossier_pg,
    ):
        try:
            processus, port = lancer_nu()
            lances.append(processus)
            cibles["nu"] = (port, "sans-objet")
            pids["nu"] = processus.pid

            def lancer(nom: str, url: str, dossier: str) -> None:
                cle = preparer_base(url)
                processus, port = lancer_apicfa(url, Path(dossier))
                lances.append(processus)
                cibles[nom] = (port, cle)
                urls[nom] = url
                pids[nom] = processus.pid

            lancer("SQLite", f"sqlite:///{dossier_sqlite}/banc.db", dossier_sqlite)
            if URL_PG.lower() != "non":
                try:
                    preparer_postgres(URL_PG)
                    lancer("PostgreSQL", URL_PG, dossier_pg)
                except Exception as probleme:
                    print(f"PostgreSQL non mesuré : {probleme}", flush=True)
            for nom, url_base in urls.items():
                print(f"Durabilité {nom} : {durabilite(url_base)}", flush=True)
            mesures: dict[str, list[Mesure]] = {nom: [] for nom in cibles}
            for tour in range(1, TOURS + 1):
                for nom, (port, cle) in cibles.items():
                    cpu_avant = cpu_processus(pids[nom])
                    mesure = charger(port, cle, corps)
                    mesures[nom].append(mesure)
                    plafond = mesures["nu"][-1].debit if nom != "nu" else None
                    afficher(f"tour {tour} {nom}", mesure, plafond)
                    if nom in urls:
                        restant, secondes = attendre_instruction(urls[nom])
                        print(
                            f"{'':<22} résorption : {restant} dossiers TRANSMIS instruits en "
                            f"{secondes:.2f} s avant le tour suivant",
                            flush=True,
                        )
                    cpu_apres = cpu_processus(pids[nom])
                    if cpu_avant is not None and cpu_apres is not None:
                        mesure.cpu_s = cpu_apres - cpu_avant
        finally:
            for processus in lances:
                arreter(processus)

    def ratio(nom: str) -> float | None:
        """Médiane des rapports d'un tour (serveur mesuré juste après le plafond du même tour)."""
        if nom not in mesures:
            return None
        rapports = [m.debit / n.debit for m, n in zip(mesures[nom], mesures["nu"], strict=True)]
        return round(statistics.median(rapports), 3)

    def latences(nom: str) -> list[float]:
        return [x for m in mesures.get(nom, []) for x in m.latences_ms]

    def cpu_ms(nom: str) -> float | None:
        """Médiane, sur les tours, du temps CPU du serveur par requête (ms)."""
        valeurs = [m.cpu_ms_par_requete for m in mesures.get(nom, [])]
        connues = [v for v in valeurs if v is not None]
        return round(statistics.median(connues), 3) if connues else None

    resume = {nom: Mesure(0, 0, 0.0, latences(nom)) for nom in mesures}
    for nom, mesure in resume.items():
        debit = statistics.median(m.debit for m in mesures[nom])
        cpu = cpu_ms(nom)
        print(
            f"{nom:<11} débit médian {debit:7.0f} req/s  p50 {mesure.centile(0.5):6.1f} ms  "
            f"p99 {mesure.centile(0.99):6.1f} ms"
            + (f"  ratio {ratio(nom)}" if nom != "nu" else "")
            + (f"  CPU serveur {cpu:.3f} ms/requête" if cpu is not None else ""),
            flush=True,
        )
    p99 = [resume[n].centile(0.99) for n in ("SQLite", "PostgreSQL") if n in resume]
    print(
        json.dumps(
            {
                "bench": "depot",
                "sqlite_ratio": ratio("SQLite"),
                "postgres_ratio": ratio("PostgreSQL"),
                "p99_ms": round(max(p99), 1),
                "plafond_req_s": round(statistics.median(m.debit for m in mesures["nu"])),
                "sqlite_req_s": round(statistics.median(m.debit for m in mesures["SQLite"])),
                "p50_ms_sqlite": round(resume["SQLite"].centile(0.5), 1),
                "cpu_ms_nu": cpu_ms("nu"),
                "cpu_ms_sqlite": cpu_ms("SQLite"),
                "cpu_ms_postgres": cpu_ms("PostgreSQL"),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serveur-nu":
        servir_nu(int(sys.argv[2]))
    else:
        main()
