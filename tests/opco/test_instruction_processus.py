"""Deux processus serveurs sur la même base : chaque dossier est instruit une fois et une seule
(PostgreSQL : `FOR UPDATE SKIP LOCKED` ; SQLite : verrou d'écriture pris avant la lecture)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from opco_banc import DOSSIERS, recaler
from serveur_http import attendre_instruction, entetes
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import CompteurEtat, Dossier, SequenceNumero

PAR_SERVEUR = 12


def test_deux_serveurs_n_instruisent_jamais_deux_fois(
    url_base: str, tmp_path: Path, lanceur_serveur: Any
) -> None:
    premier = lanceur_serveur(url_base, tmp_path / "un")
    second = lanceur_serveur(url_base, tmp_path / "deux")
    cle = premier.creer_cfa("44306184100047", "0691234A", "CFA Lyon", "atlas")["cles"]["atlas"]
    debut = date.today() - timedelta(days=30)

    def deposer(rang: int) -> str:
        serveur = (premier, second)[rang % 2]
        envoye = recaler(DOSSIERS[1 + rang % 5], debut)
        envoye["cerfa"]["apprenti"]["prenom"] = "Prénom " + "abcdefghijklmnopqrstuvwxyz"[rang]
        with httpx.Client(base_url=serveur.url, timeout=30) as client:
            reponse = client.post("/atlas/v2/dossiers", json=envoye, headers=entetes(cle))
            assert reponse.status_code == 200, reponse.text
            numero = reponse.json()["numeroInterne"]
            relu, _ = attendre_instruction(client, cle, numero, delai_s=15)
        return relu["cerfa"]["etat"]

    with ThreadPoolExecutor(8) as groupe:
        etats = list(groupe.map(deposer, range(2 * PAR_SERVEUR)))
    assert "TRANSMIS" not in etats
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        reels = dict(
            session.execute(select(Dossier.etat, func.count()).group_by(Dossier.etat)).all()
        )
        comptes = {c.etat: c.nombre for c in session.scalars(select(CompteurEtat)) if c.nombre}
        sequences_deca = session.scalar(
            select(func.coalesce(func.sum(SequenceNumero.valeur), 0)).where(
                SequenceNumero.opco.like("D%")
            )
        )
    moteur.dispose()
    # Une instruction en double aurait compté deux transitions ou tiré deux numéros DECA.
    assert comptes == reels
    assert sequences_deca == reels.get("ENGAGE", 0) > 0
