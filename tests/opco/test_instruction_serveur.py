"""Instruction automatique dans le serveur : ENGAGE (engagement, échéances, DECA), REFUSE avec
tous les motifs, EN_COURS_INSTRUCTION quand le profil instruit à la main ; reprise au
démarrage des dossiers laissés TRANSMIS."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from opco_banc import (
    Banc,
    attendre_etat,
    dossier_recent,
    ouvrir_banc,
    profils_manuels,
)
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from apicfa.instruction.deca import FORME_DECA
from apicfa.opco.app import creer_app
from apicfa.opco.profils import charger_profils
from apicfa.stockage.espace import EspaceCfa, NouveauDossier
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Dossier


def _deposer(banc: Banc, envoye: dict) -> str:
    reponse = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    assert reponse.status_code == 200, reponse.text
    return reponse.json()["numeroInterne"]


def test_depot_engage_avec_echeancier_et_deca(banc: Banc) -> None:
    relu = attendre_etat(banc, _deposer(banc, dossier_recent()))
    assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
    assert FORME_DECA.match(relu["cerfa"]["numeroDeca"])
    assert relu["engagement"] > 0
    echeances = relu["echeances"]
    assert [e["codification"] for e in echeances][:2] == ["E1", "E2"]
    assert round(sum(e["montantTotal"] for e in echeances), 2) == relu["engagement"]
    assert echeances[0]["dateOuverture"] <= date.today().isoformat() < echeances[1]["dateOuverture"]
    assert all(e["montantRegle"] == 0 and e["montantEnCoursInstruction"] == 0 for e in echeances)


def test_depot_refuse_avec_tous_les_motifs(banc: Banc) -> None:
    envoye = dossier_recent()
    contrat = envoye["cerfa"]["contrat"]
    contrat["dureeTravailHebdoHeures"] = 45
    envoye["cerfa"]["formation"]["dureeFormation"] = 10
    relu = attendre_etat(banc, _deposer(banc, envoye))
    assert relu["cerfa"]["etat"] == "REFUSE"
    commentaire = relu["cerfa"]["commentaireEtat"]
    assert "cerfa.contrat.dureeTravailHebdoHeures" in commentaire
    assert "cerfa.formation.dureeFormation" in commentaire
    assert relu["engagement"] == 0 and relu["echeances"] == []


@pytest.fixture
def banc_manuel(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base, profils_manuels())


def test_profil_manuel_laisse_en_instruction(banc_manuel: Banc) -> None:
    relu = attendre_etat(banc_manuel, _deposer(banc_manuel, dossier_recent()))
    assert relu["cerfa"]["etat"] == "EN_COURS_INSTRUCTION"
    assert "à la main" in relu["cerfa"]["commentaireEtat"]
    assert relu["echeances"] == []


def test_dossiers_laisses_transmis_repris_au_demarrage(url_base: str) -> None:
    profils = profils_manuels()
    bancs = ouvrir_banc(url_base, profils)
    banc = next(bancs)
    numero = _deposer(banc, dossier_recent())
    attendre_etat(banc, numero)
    bancs.close()
    # Un arrêt brutal a laissé le dossier TRANSMIS : le prochain démarrage l'instruit.
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        ligne = session.scalar(select(Dossier).where(Dossier.numero_interne == numero))
        assert ligne is not None
        ligne.etat = "TRANSMIS"
    moteur.dispose()
    with TestClient(creer_app(url_base, charger_profils(), duree_cache_cles_s=0)) as client:
        relu = attendre_etat(Banc(client, url_base, banc.a, banc.b), numero)
    assert relu["cerfa"]["etat"] == "ENGAGE"


def test_erreur_imprevue_laisse_le_dossier_a_l_agent(banc: Banc) -> None:
    """Un dossier illisible (charge utile abîmée en base) ne bloque pas les autres : il reste
    EN_COURS_INSTRUCTION avec un commentaire générique, son voisin est engagé."""
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", banc.a.id)
        abime = espace.inserer_dossier(
            NouveauDossier(2, b"{pas du json", None, None, None, None, None, None, None),
            datetime.now(),
        )
    moteur.dispose()
    sain = _deposer(banc, dossier_recent())
    assert attendre_etat(banc, sain)["cerfa"]["etat"] == "ENGAGE"
    # le sain est instruit à son dépôt ; l'abîmé, déjà TRANSMIS, par la boucle (1 s au plus)
    limite = time.monotonic() + 10
    moteur = creer_moteur(banc.url)
    while True:
        with Session(moteur) as session:
            ligne = session.scalar(
                select(Dossier).where(Dossier.numero_interne == abime.numero_interne)
            )
        assert ligne is not None
        if ligne.etat != "TRANSMIS" or time.monotonic() > limite:
            break
        time.sleep(0.05)
    moteur.dispose()
    assert ligne.etat == "EN_COURS_INSTRUCTION"
    assert "erreur interne" in (ligne.commentaire_etat or "")
