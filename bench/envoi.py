"""Banc : `apicfa cfa envoyer` de N dossiers générés vers un serveur apicfa local.

Un `apicfa serveur` (SQLite neuf, CFA de démonstration) et le client tournent chacun dans
leur processus, sur la même machine (deux cœurs partagés). Mesures pour le client :
- dossiers par seconde de bout en bout (lancement de la commande → bilan affiché,
  validation, routage IDCC, journal et envoi compris) ;
- part de CPU du client (temps CPU du client / durée, en fraction d'un cœur) et, pour
  situer, celle du serveur ;
- mémoire maximale du client (ru_maxrss), mesurée sur un petit lot puis sur le lot
  complet : elle doit rester plate (lecture en flux).
Vérifie ensuite que le serveur tient chaque dossier exactement une fois. Pour situer le client
seul, le même lot est d'abord envoyé à un serveur « nu » (ASGI minimal qui acquitte aussitôt) :
c'est le plafond du client sur cette machine.

Objectifs : ≥ 300 dossiers/s, mémoire du client ≤ 200 Mo quel que soit le lot.
Variables : APICFA_BENCH_ENVOI_NOMBRE (défaut 10000), APICFA_BENCH_ENVOI_CONCURRENCE (défaut 16).
Dernière ligne : un objet JSON.

`--transports` : seulement le CPU par requête de httpx selon son transport (httpcore, le
transport par défaut, ou `TransportLeger` du client), 2 000 dépôts de dossier par 16 fils
d'exécution vers le serveur nu, deux passes alternées.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import orjson

NOMBRE = int(os.environ.get("APICFA_BENCH_ENVOI_NOMBRE", "10000"))
CONCURRENCE = int(os.environ.get("APICFA_BENCH_ENVOI_CONCURRENCE", "16"))
PETIT_LOT = max(1, min(1000, NOMBRE // 10))
OPCOS = ("afdas", "akto", "atlas", "constructys", "opcommerce", "ocapiat", "opco2i", "opcoep",
         "mobilites", "sante", "uniformation")  # fmt: skip
COMMANDE = [sys.executable, "-c", "from apicfa.cli import main; main()"]
TOP = os.sysconf("SC_CLK_TCK")


async def application_nue(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Serveur « nu » : lit le corps, le décode et acquitte aussitôt (plafond du client)."""
    if scope["type"] != "http":
        return
    morceaux = []
    while True:
        message = await receive()
        morceaux.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    if scope["method"] == "POST":
        orjson.loads(b"".join(morceaux))
        corps = orjson.dumps(
            {"numeroInterne": uuid.uuid4().hex, "numeroExterne": "NU-1", "etat": "TRANSMIS"}
        )
    else:
        corps = orjson.dumps({"total": 0, "count": 0, "page": 1, "EtatDossierResult": []})
    entetes = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": entetes})
    await send({"type": "http.response.body", "body": corps})


def _lancer_serveur_nu(travail: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = _port_libre()
    processus = subprocess.Popen(
        [sys.executable, __file__, "--serveur-nu", str(port)],
        cwd=travail,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    _attendre(processus, url, travail)
    return processus, url, {o: "cle-nue" for o in OPCOS}


def _attendre(processus: subprocess.Popen[bytes], url: str, travail: Path) -> None:
    limite = time.monotonic() + 120
    while True:
        if processus.poll() is not None:
            journal = travail / "serveur.log"
            raise SystemExit(
                f"le serveur s'est arrêté : {journal.read_text() if journal.exists() else ''}"
            )
        try:
            httpx.get(f"{url}/health", timeout=1)
            return
        except httpx.HTTPError:
            pass
        if time.monotonic() > limite:
            processus.kill()
            raise SystemExit("le serveur n'a pas répondu en 120 s")
        time.sleep(0.2)


def _port_libre() -> int:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        return int(prise.getsockname()[1])


def _cpu_processus(pid: int) -> float:
    """Temps CPU (utilisateur + système) consommé par le processus, en secondes."""
    champs = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(champs[11]) + int(champs[12])) / TOP


def _ecrire_dossiers(dossier: Path, nombre: int, graine: int) -> None:
    from apicfa.demo.generateur import generer_dossiers

    dossier.mkdir(parents=True)
    for rang, contenu in enumerate(generer_dossiers(nombre, graine)):
        (dossier / f"d{rang:06d}.json").write_bytes(orjson.dumps(contenu))


def _lancer_serveur(travail: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    port = _port_libre()
    journal = (travail / "serveur.log").open("ab")
    processus = subprocess.Popen(
        [*COMMANDE, "serveur", "--port", str(port), "--base", f"sqlite:///{travail / 's.db'}"],
        cwd=travail,
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    _attendre(processus, url, travail)
    cles = json.loads((travail / "var" / "demo-cles.json").read_text())["cles"]
    return processus, url, cles


def _configurer(travail: Path, url: str, cles: dict[str, str]) -> Path:
    from apicfa.client import configuration as conf

    reglages = conf.Configuration(
        opcos={o: conf.ReglageOpco(o, f"{url}/{o}", c) for o, c in cles.items()}
    )
    return conf.enregistrer(reglages, travail / "client.json")


def _envoyer(travail: Path, lot: Path, config: Path, nom: str) -> dict[str, float]:
    """Lance la commande, attend sa fin, rend durée, CPU et mémoire maximale du client."""
    env = {**os.environ, "APICFA_CLIENT_CONFIG": str(config), "COLUMNS": "200"}
    sortie = (travail / f"client-{nom}.log").open("wb")
    debut = time.perf_counter()
    processus = subprocess.Popen(
        [*COMMANDE, "cfa", "envoyer", str(lot), "--journal", str(travail / f"j-{nom}.sqlite"),
         "--concurrence", str(CONCURRENCE)],
        env=env, stdout=sortie, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, statut, usage = os.wait4(processus.pid, 0)
    duree = time.perf_counter() - debut
    processus.returncode = os.waitstatus_to_exitcode(statut)
    if processus.returncode != 0:
        raise SystemExit(
            f"`apicfa cfa envoyer` a échoué ({processus.returncode}) : "
            f"{(travail / f'client-{nom}.log').read_text()[-3000:]}"
        )
    return {
        "duree_s": duree,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "memoire_mo": usage.ru_maxrss / 1024,
    }


def _compter_serveur(url: str, cles: dict[str, str]) -> tuple[int, int]:
    from apicfa.client import ClientOpco

    numeros: list[str] = []
    for opco, cle in cles.items():
        with ClientOpco(f"{url}/{opco}", cle, opco=opco) as client:
            numeros += [e.numero_interne for e in client.etats_dossiers()]
    return len(numeros), len(set(numeros))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="apicfa-bench-envoi-") as nom:
        travail = Path(nom)
        print(f"Génération de {PETIT_LOT} + {NOMBRE} dossiers…", flush=True)
        _ecrire_dossiers(travail / "petit", PETIT_LOT, 1)
        _ecrire_dossiers(travail / "lot", NOMBRE, 2)
        nu, url_nu, cles_nu = _lancer_serveur_nu(travail)
        try:
            plafond = _envoyer(
                travail, travail / "lot", _configurer(travail, url_nu, cles_nu), "nu"
            )
        finally:
            nu.terminate()
            nu.wait(timeout=30)
        serveur, url, cles = _lancer_serveur(travail)
        try:
            config = _configurer(travail, url, cles)
            petit = _envoyer(travail, travail / "petit", config, "petit")
            cpu_serveur_avant = _cpu_processus(serveur.pid)
            grand = _envoyer(travail, travail / "lot", config, "grand")
            cpu_serveur = _cpu_processus(serveur.pid) - cpu_serveur_avant
            total, distincts = _compter_serveur(url, cles)
        finally:
            serveur.terminate()
            serveur.wait(timeout=30)
    debit = NOMBRE / grand["duree_s"]
    part_client = grand["cpu_s"] / grand["duree_s"]
    part_serveur = cpu_serveur / grand["duree_s"]
    ms_client = grand["cpu_s"] / NOMBRE * 1e3
    ms_client_seul = plafond["cpu_s"] / NOMBRE * 1e3
    attendu = PETIT_LOT + NOMBRE
    print(f"Lot de {NOMBRE} dossiers, {CONCURRENCE} envois simultanés, serveur SQLite local")
    print(f"  durée de bout en bout : {grand['duree_s']:.1f} s → {debit:.0f} dossiers/s")
    print(
        f"  CPU du client : {grand['cpu_s']:.1f} s ({part_client:.0%} d'un cœur, "
        f"{ms_client:.2f} ms par dossier)"
    )
    print(f"  CPU du serveur : {cpu_serveur:.1f} s ({part_serveur:.0%} d'un cœur)")
    print(
        f"  mémoire max du client : {petit['memoire_mo']:.0f} Mo pour {PETIT_LOT} dossiers, "
        f"{grand['memoire_mo']:.0f} Mo pour {NOMBRE}"
    )
    print(f"  serveur : {total} dossiers ({distincts} distincts) pour {attendu} envoyés")
    debit_nu = NOMBRE / plafond["duree_s"]
    print(
        f"  client seul (serveur nu qui acquitte aussitôt) : {debit_nu:.0f} dossiers/s, "
        f"CPU {plafond['cpu_s'] / plafond['duree_s']:.0%} d'un cœur "
        f"({ms_client_seul:.2f} ms par dossier), "
        f"mémoire max {plafond['memoire_mo']:.0f} Mo"
    )
    print(f"  objectifs : ≥ 300 dossiers/s {'atteint' if debit >= 300 else 'NON atteint'}, "
          f"≤ 200 Mo {'atteint' if grand['memoire_mo'] <= 200 else 'NON atteint'}")  # fmt: skip
    print(
        json.dumps(
            {
                "bench": "envoi",
                "dossiers_par_s": round(debit, 1),
                "memoire_max_mo": round(grand["memoire_mo"], 1),
                "memoire_petit_lot_mo": round(petit["memoire_mo"], 1),
                "part_cpu_client": round(part_client, 3),
                "part_cpu_serveur": round(part_serveur, 3),
                "client_seul_dossiers_par_s": round(debit_nu, 1),
                "cpu_client_ms_par_dossier": round(ms_client, 3),
                "cpu_client_seul_ms_par_dossier": round(ms_client_seul, 3),
                "nombre": NOMBRE,
                "concurrence": CONCURRENCE,
                "doublons_serveur": total - distincts,
                "manquants_serveur": attendu - distincts,
            },
            ensure_ascii=False,
        )
    )


def comparer_transports(nombre: int = 2000, fils: int = 16) -> None:
    """CPU par requête de httpx avec httpcore puis avec TransportLeger (même charge)."""
    from concurrent.futures import ThreadPoolExecutor

    from apicfa.client.opco import _contexte_tls
    from apicfa.client.transport import TransportLeger
    from apicfa.demo.generateur import generer_dossiers

    corps = [orjson.dumps(d) for d in generer_dossiers(nombre, 3)]
    limites = httpx.Limits(max_connections=fils, max_keepalive_connections=fils)
    mesures: dict[str, list[float]] = {"httpcore": [], "TransportLeger": []}
    with tempfile.TemporaryDirectory(prefix="apicfa-bench-transports-") as nom:
        nu, url, _ = _lancer_serveur_nu(Path(nom))
        try:
            for _passe in range(2):
                for transport in mesures:
                    leger = (
                        TransportLeger(verify=_contexte_tls(), limits=limites)
                        if transport == "TransportLeger"
                        else None
                    )
                    with httpx.Client(limits=limites, transport=leger) as client:

                        def deposer(octets: bytes, client: httpx.Client = client) -> None:
                            reponse = client.post(
                                f"{url}/atlas/v2/dossiers",
                                content=octets,
                                headers={"Content-Type": "application/json",
                                         "Idempotency-Key": uuid.uuid4().hex},
                            )  # fmt: skip
                            orjson.loads(reponse.content)

                        debut = time.process_time()
                        with ThreadPoolExecutor(fils) as groupe:
                            list(groupe.map(deposer, corps))
                        mesures[transport].append((time.process_time() - debut) / nombre)
        finally:
            nu.terminate()
            nu.wait(timeout=30)
    print(f"{nombre} dépôts par {fils} fils, CPU du processus client par requête :")
    for transport, valeurs in mesures.items():
        print(f"  {transport:15s} " + " puis ".join(f"{v * 1e3:.3f} ms" for v in valeurs))
    print(
        json.dumps(
            {
                "bench": "envoi-transports",
                **{f"{t}_ms_par_requete": round(min(v) * 1e3, 3) for t, v in mesures.items()},
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--transports":
        comparer_transports()
    elif len(sys.argv) == 3 and sys.argv[1] == "--serveur-nu":
        import uvicorn

        uvicorn.run(application_nue, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
    else:
        main()
