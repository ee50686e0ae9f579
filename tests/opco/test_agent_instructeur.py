"""L'agent de l'OPCO instruit à la main (`apicfa opco dossiers|instruire`) quand le profil le
demande : la file, puis engager, refuser ou annuler ; le CFA voit la décision par HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from opco_banc import dossier_recent
from serveur_http import apicfa, attendre_instruction, entetes, relire

from apicfa.opco.profils import FICHIER_REFERENCE


def _profils_manuels(dossier: Path) -> Path:
    fichier = dossier / "profils-manuels.toml"
    texte = FICHIER_REFERENCE.read_text(encoding="utf-8")
    fichier.write_text(texte.replace("instruction_manuelle = false", "instruction_manuelle = true"))
    return fichier


def _file(base: str, etat: str | None = None) -> list[dict[str, Any]]:
    options = ["--etat", etat] if etat else []
    sortie = apicfa("opco", "dossiers", "--opco", "atlas", "--json", "--base", base, *options)
    assert sortie.returncode == 0, sortie.stderr
    return json.loads(sortie.stdout)


def test_file_puis_decisions_de_l_agent(
    url_base: str, tmp_path: Path, lanceur_serveur: Any
) -> None:
    profils = _profils_manuels(tmp_path)
    serveur = lanceur_serveur(url_base, tmp_path / "serveur", "--profils", str(profils))
    cfa = serveur.creer_cfa("44306184100047", "0691234A", "CFA Lyon", "atlas")
    cle = cfa["cles"]["atlas"]
    with httpx.Client(base_url=serveur.url, timeout=30) as client:
        numeros = []
        for rang in (1, 2, 3):
            accuse = client.post(
                "/atlas/v2/dossiers", json=dossier_recent(rang), headers=entetes(cle)
            )
            assert accuse.status_code == 200, accuse.text
            relu, _ = attendre_instruction(client, cle, accuse.json()["numeroInterne"])
            assert relu["cerfa"]["etat"] == "EN_COURS_INSTRUCTION"
            numeros.append((relu["cerfa"]["numeroInterne"], relu["cerfa"]["numeroExterne"]))

        file = _file(url_base, "EN_COURS_INSTRUCTION")
        assert [d["numeroExterne"] for d in file] == [externe for _, externe in numeros]
        assert all("à la main" in d["commentaireEtat"] for d in file)

        def instruire(externe: str, *options: str) -> Any:
            return apicfa(
                "opco", "instruire", "--opco", "atlas", "--numero", externe, "--base", url_base,
                "--profils", str(profils), *options,
            )  # fmt: skip

        (interne_1, externe_1), (interne_2, externe_2), (interne_3, externe_3) = numeros
        sortie = instruire(externe_1, "--decision", "engager")
        assert sortie.returncode == 0, sortie.stderr
        assert "ENGAGE" in sortie.stdout
        engage = relire(client, cle, interne_1)
        assert engage["cerfa"]["etat"] == "ENGAGE" and engage["cerfa"]["numeroDeca"]
        assert engage["echeances"] and engage["engagement"] > 0

        sans_motif = instruire(externe_2, "--decision", "refuser")
        assert sans_motif.returncode == 1 and "--motif" in sans_motif.stderr
        sortie = instruire(externe_2, "--decision", "refuser", "--motif", "Employeur non éligible")
        assert sortie.returncode == 0, sortie.stderr
        refuse = relire(client, cle, interne_2)["cerfa"]
        assert refuse["etat"] == "REFUSE"
        assert refuse["commentaireEtat"] == "Dossier refusé : Employeur non éligible"

        assert instruire(externe_3, "--decision", "annuler", "--motif", "Doublon").returncode == 0
        assert relire(client, cle, interne_3)["cerfa"]["etat"] == "ANNULE"

        deja = instruire(externe_1, "--decision", "refuser", "--motif", "Trop tard")
        assert deja.returncode == 1 and "ENGAGE" in deja.stderr
        inconnu = instruire("ATL-2099-999999", "--decision", "engager")
        assert inconnu.returncode == 1 and "--numero" in inconnu.stderr

    assert _file(url_base, "EN_COURS_INSTRUCTION") == []
