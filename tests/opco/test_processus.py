"""Le vrai serveur (`apicfa serveur` dans un processus) : démarrage, démo, durabilité."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from apicfa.demo.generateur import generer_dossiers
from apicfa.norme.codes import OPCOS

pytestmark = pytest.mark.lent


def _entetes(cle: str) -> dict[str, str]:
    return {"X-API-KEY": cle, "EDITEUR": "Tests", "LOGICIEL": "pytest", "VERSION": "1"}


def test_demarrage_demo_et_documentation(serveur_opco) -> None:  # type: ignore[no-untyped-def]
    assert set(serveur_opco.cles) == set(OPCOS)
    assert (serveur_opco.dossier / "var" / "demo-cles.json").stat().st_mode & 0o077 == 0
    with httpx.Client(base_url=serveur_opco.url, timeout=10) as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/docs").status_code == 200
        chemins = client.get("/openapi.json").json()["paths"]
        for route in (
            "/{opco}/v1/dossiers",
            "/{opco}/v2/dossiers",
            "/{opco}/v2/dossiers/etats",
            "/{opco}/v1/dossiers/liste",
            "/{opco}/v1/conventions",
            "/{opco}/v1/factures",
            "/{opco}/v2/factures/etats",
            "/{opco}/v2/certificats",
            "/{opco}/v1/documents",
            "/{opco}/v2/dossiers/rupture/employeur",
            "/{opco}/v2/cfakeyinfo",
            "/{opco}/v1/status",
            "/{opco}/oauth/token",
        ):
            assert route in chemins, route
        exemple = chemins["/{opco}/v2/dossiers"]["post"]["requestBody"]["content"]
        assert "cerfa" in exemple["application/json"]["example"]
        for opco, cle in serveur_opco.cles.items():
            page = client.get(f"/{opco}/v2/dossiers/etats", headers=_entetes(cle))
            assert page.status_code == 200, (opco, page.text)
        autre = serveur_opco.creer_cfa("44306184100047", "0691234A", "Autre CFA", "atlas")
        assert set(autre["cles"]) == {"atlas"}
        assert (
            client.get("/atlas/v2/dossiers/etats", headers=_entetes(autre["cles"]["atlas"])).json()[
                "total"
            ]
            == 0
        )


def test_durabilite_apres_sigkill(serveur_opco, lanceur_serveur, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cle = serveur_opco.cles["atlas"]
    dossiers = list(generer_dossiers(400, 99))
    acquittes: list[str] = []
    verrou = threading.Lock()
    suivant = iter(range(len(dossiers)))

    def charger() -> None:
        with httpx.Client(base_url=serveur_opco.url, timeout=5) as client:
            while True:
                with verrou:
                    i = next(suivant, None)
                if i is None:
                    return
                try:
                    reponse = client.post(
                        "/atlas/v2/dossiers", json=dossiers[i], headers=_entetes(cle)
                    )
                except httpx.HTTPError:
                    return  # le serveur vient d'être tué
                if reponse.status_code == 200:
                    with verrou:
                        acquittes.append(reponse.json()["numeroInterne"])

    fils = [threading.Thread(target=charger) for _ in range(6)]
    for fil in fils:
        fil.start()
    limite = time.monotonic() + 30
    while len(acquittes) < 60 and time.monotonic() < limite:
        time.sleep(0.01)
    serveur_opco.arreter(signal.SIGKILL)
    for fil in fils:
        fil.join(timeout=10)
    assert len(acquittes) >= 60

    relance = lanceur_serveur(serveur_opco.base, tmp_path / "relance")
    with httpx.Client(base_url=relance.url, timeout=10) as client:
        vus: list[str] = []
        page = 1
        while True:
            corps = client.get(
                "/atlas/v2/dossiers/etats", params={"numeroPage": page}, headers=_entetes(cle)
            ).json()
            vus += [d["numeroInterne"] for d in corps["EtatDossierResult"]]
            if not corps["EtatDossierResult"]:
                break
            page += 1
        assert corps["total"] == len(vus)
        assert len(vus) == len(set(vus))
        assert set(acquittes) <= set(vus)
        assert len(acquittes) == len(set(acquittes))
        for numero in acquittes[:5]:
            assert (
                client.get(
                    "/atlas/v2/dossiers",
                    params={"numeroInterne": numero},
                    headers=_entetes(cle),
                ).status_code
                == 200
            )


def _enfants_depot(pid: int) -> list[int]:
    """Les processus de dépôt (`apicfa.opco.processus_depot`) dont le parent est `pid`."""
    trouves = []
    for nom in Path("/proc").iterdir():
        if not nom.name.isdigit():
            continue
        try:
            stat = (nom / "stat").read_text().rsplit(")", 1)[1].split()
            commande = (nom / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"apicfa.opco.processus_depot" in commande:
            trouves.append(int(nom.name))
    return trouves


@pytest.mark.parametrize("option", [None, "--sans-processus-depot"])
def test_option_processus_depot(url_base: str, tmp_path: Path, lanceur_serveur, option) -> None:  # type: ignore[no-untyped-def]
    """Par défaut `apicfa serveur` lance son processus de dépôt ; `--sans-processus-depot`
    garde tout dans le processus uvicorn. Le dépôt aboutit dans les deux cas."""
    serveur = lanceur_serveur(url_base, tmp_path / "serveur", *([option] if option else []))
    enfants = _enfants_depot(serveur.processus.pid)
    assert len(enfants) == (0 if option else 1), enfants
    dossier = next(iter(generer_dossiers(1, 11)))
    with httpx.Client(base_url=serveur.url, timeout=10) as client:
        reponse = client.post(
            "/atlas/v2/dossiers", json=dossier, headers=_entetes(serveur.cles["atlas"])
        )
    assert reponse.status_code == 200, reponse.text
