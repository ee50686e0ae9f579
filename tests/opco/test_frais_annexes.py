"""Frais annexes : la convention les engage (forfait de mobilité du profil), une facture de
frais est contrôlée contre eux, le paiement les compte dans `detailsFacturation`."""

from __future__ import annotations

from datetime import date, timedelta

from opco_banc import Banc, attendre_etat, convention, dossier_recent, envoyer_piece
from sqlalchemy.orm import Session

from apicfa.opco.paiement import payer
from apicfa.opco.profils import charger_profils
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.moteur import creer_moteur


def _facture_frais(externe: str, lignes: list[tuple[str, float, int]]) -> dict:
    return {
        "numero": "F-FRAIS",
        "dateEmission": date.today().isoformat(),
        "montantTotal": round(sum(m for _, m, _ in lignes), 2),
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "lignes": [
            {"montant": m, "natureLigne": n, "quantite": q, "numeroDossier": externe}
            for n, m, q in lignes
        ],
    }


def test_convention_facture_et_paiement_des_frais(banc: Banc) -> None:
    numero = banc.client.post(
        "/atlas/v2/dossiers", json=dossier_recent(1), headers=banc.a.entetes()
    ).json()["numeroInterne"]
    relu = attendre_etat(banc, numero)
    assert relu["cerfa"]["etat"] == "ENGAGE"
    corps = convention(numero)
    corps["couts"] |= {"nombreRepasTotaux": 10, "mentionMobiliteInternationale": True}
    assert envoyer_piece(banc, "v1/conventions", "convention", corps).status_code == 200
    relu = attendre_etat(banc, numero)
    frais = {f["natureFrais"]: f for f in relu["engagementsFraisAnnexe"]}
    forfait = float(charger_profils()["atlas"].forfait_mobilite)
    assert frais["MOBILITE"]["montantTotal"] == forfait
    assert frais["RESTAURATION"]["montantTotal"] == 30 and frais["RESTAURATION"]["quantite"] == 10
    externe = relu["cerfa"]["numeroExterne"]

    trop = _facture_frais(externe, [("RESTAURATION", 40.0, 10)])
    assert envoyer_piece(banc, "v1/factures", "facture", trop).status_code == 200
    bonne = _facture_frais(externe, [("MOBILITE", forfait, 1), ("RESTAURATION", 30.0, 10)])
    assert envoyer_piece(banc, "v1/factures", "facture", bonne).status_code == 200
    factures = banc.client.get("/atlas/v2/factures/etats", headers=banc.a.entetes()).json()
    etats = [(f["etatFacture"], f["commentaire"]) for f in factures["factures"]]
    assert etats[0][0] == "REJETE" and "facture.lignes[0].montant" in etats[0][1]
    assert etats[1] == ("VALIDE", None)

    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        jour = date.today() + timedelta(days=15)
        campagne = payer(session, charger_profils()["atlas"], jour, maintenant_utc())
    moteur.dispose()
    assert campagne.factures_reglees == 1
    details = attendre_etat(banc, numero)["detailsFacturation"]
    assert details["fraisMobiliteRegles"] == forfait
