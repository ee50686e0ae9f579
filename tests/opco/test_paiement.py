"""Campagne de paiement : seules les factures VALIDE arrivées à échéance de paiement sont
réglées ; un dossier ENGAGE entièrement réglé devient SOLDE ; le fichier SEPA porte un
virement par IBAN de CFA."""

from __future__ import annotations

from datetime import date, timedelta

from opco_banc import Banc, attendre_etat, certificat, dossier_recent, envoyer_piece
from sqlalchemy.orm import Session

from apicfa.opco.paiement import payer
from apicfa.opco.profils import charger_profils
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.moteur import creer_moteur


def _campagne(banc: Banc, jour: date):  # type: ignore[no-untyped-def]
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        campagne = payer(session, charger_profils()["atlas"], jour, maintenant_utc())
    moteur.dispose()
    return campagne


def _facture(numero_externe: str, echeances: list[dict], numero: str) -> dict:
    lignes = [
        {
            "montant": e["montantTotal"],
            "natureLigne": "PEDAGOGIE",
            "numeroEcheance": e["numero"],
            "codificationEcheance": e["codification"],
            "numeroDossier": numero_externe,
        }
        for e in echeances
    ]
    return {
        "numero": numero,
        "dateEmission": date.today().isoformat(),
        "montantTotal": round(sum(e["montantTotal"] for e in echeances), 2),
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "estCertificatRealisation": True,
        "lignes": lignes,
    }


def test_dossier_entierement_regle_devient_solde(banc: Banc) -> None:
    # Contrat de neuf mois fini depuis un mois : toutes ses échéances sont ouvertes.
    envoye = dossier_recent(1, 300)
    numero = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes()).json()[
        "numeroInterne"
    ]
    relu = attendre_etat(banc, numero)
    assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
    externe = relu["cerfa"]["numeroExterne"]
    envoi = envoyer_piece(
        banc, "v2/certificats", "certificat", certificat(numero) | {"typeCertificat": "Final"}
    )
    assert envoi.status_code == 200, envoi.text
    reponse = envoyer_piece(
        banc, "v1/factures", "facture", _facture(externe, relu["echeances"], "F-TOUT")
    )
    assert reponse.status_code == 200, reponse.text
    etat = banc.client.get("/atlas/v2/factures/etats", headers=banc.a.entetes()).json()
    assert etat["factures"][0]["etatFacture"] == "VALIDE", etat["factures"][0]["commentaire"]

    # Avant le délai du profil (15 jours) : rien n'est payé.
    assert _campagne(banc, date.today() + timedelta(days=14)).factures_reglees == 0
    campagne = _campagne(banc, date.today() + timedelta(days=15))
    assert campagne.factures_reglees == 1 and campagne.virements == 1
    assert campagne.dossiers_soldes == 1
    assert campagne.montant_total_centimes == round(
        sum(e["montantTotal"] for e in relu["echeances"]) * 100
    )
    assert campagne.sepa is not None and b"<NbOfTxs>1</NbOfTxs>" in campagne.sepa
    fin = attendre_etat(banc, numero)
    assert fin["cerfa"]["etat"] == "SOLDE"
    assert all(e["montantRegle"] == e["montantTotal"] for e in fin["echeances"])
    assert fin["detailsFacturation"]["IBAN"] == "FR7630006000011234567890189"
    # Une seconde campagne ne paie rien deux fois.
    assert _campagne(banc, date.today() + timedelta(days=30)).factures_reglees == 0
