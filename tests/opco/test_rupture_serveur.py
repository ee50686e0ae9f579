"""Rupture dans le serveur : l'échéancier stocké est recoupé (SPEC §6.4) avec ce qui est déjà
réglé ; trop-perçu montré ; une date hors contrat ne change rien."""

from __future__ import annotations

from datetime import date, timedelta

from opco_banc import Banc, attendre_etat, dossier_recent, envoyer_piece
from sqlalchemy.orm import Session

from apicfa.opco.paiement import payer
from apicfa.opco.profils import charger_profils
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.moteur import creer_moteur


def _rupture(banc: Banc, numero: str, jour: date) -> object:
    return banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur",
        json={
            "numeroInterne": numero,
            "dateRupture": jour.isoformat(),
            "initiative": "EMPLOYEUR",
            "motif": "Départ",
            "dansPeriodeEssai": False,
        },
        headers=banc.a.entetes(),
    )


def test_rupture_apres_paiement_de_e1_donne_un_trop_percu(banc: Banc) -> None:
    numero = banc.client.post(
        "/atlas/v2/dossiers", json=dossier_recent(2, 60), headers=banc.a.entetes()
    ).json()["numeroInterne"]
    relu = attendre_etat(banc, numero)
    assert relu["cerfa"]["etat"] == "ENGAGE"
    e1 = relu["echeances"][0]
    facture = {
        "numero": "F-E1",
        "dateEmission": date.today().isoformat(),
        "montantTotal": e1["montantTotal"],
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "lignes": [
            {
                "montant": e1["montantTotal"],
                "natureLigne": "PEDAGOGIE",
                "numeroEcheance": 1,
                "numeroDossier": relu["cerfa"]["numeroExterne"],
            }
        ],
    }
    assert envoyer_piece(banc, "v1/factures", "facture", facture).status_code == 200
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        jour = date.today() + timedelta(days=15)
        assert payer(session, charger_profils()["atlas"], jour, maintenant_utc()).factures_reglees
    moteur.dispose()

    hors_contrat = _rupture(banc, numero, date.today() + timedelta(days=3650))
    assert hors_contrat.status_code == 400
    assert hors_contrat.json()["errors"][0]["champ"] == "rupture.dateRupture"
    assert attendre_etat(banc, numero)["cerfa"]["etat"] == "ENGAGE"

    reponse = _rupture(banc, numero, date.today() - timedelta(days=1))
    assert reponse.status_code == 200, reponse.text
    coupe = reponse.json()
    assert coupe["cerfa"]["etat"] == "RUPTURE"
    # E1, déjà payée en entier, dépasse le nouvel engagement : elle reste, le reste est dû.
    assert [e["codification"] for e in coupe["echeances"]] == ["E1"]
    assert coupe["echeances"][0]["montantRegle"] == e1["montantTotal"]
    assert coupe["tropPercu"] > 0
    assert round(coupe["engagement"] + coupe["tropPercu"], 2) == e1["montantTotal"]
    assert coupe == {**attendre_etat(banc, numero), "cerfa": coupe["cerfa"]}
