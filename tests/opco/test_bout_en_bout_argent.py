"""La boucle de l'argent de bout en bout, par HTTP seulement, contre un vrai serveur : dépôt →
engagé → échéancier → convention → facture E1 → paiement → E1 réglée → facture E2 trop tôt
refusée → rupture → échéancier coupé → facture de solde sans certificat refusée → certificat
Final → facture acceptée → payée. Les commandes de l'OPCO tournent en sous-processus sur la
même base. Dates relatives à aujourd'hui : le contrat a commencé il y a 170 jours (E2 s'ouvre
au sixième mois, donc plus tard)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from opco_banc import certificat, convention, dossier_recent
from serveur_http import (
    apicfa,
    attendre_instruction,
    entetes,
    etats_factures,
    facture_pedagogie,
    piece,
    relire,
)


def _payer(base: str, jour: date, sepa: Path | None = None) -> dict[str, Any]:
    options = ["--sepa", str(sepa)] if sepa else []
    sortie = apicfa(
        "opco", "payer", "--opco", "atlas", "--date", jour.isoformat(), "--json",
        "--base", base, *options,
    )  # fmt: skip
    assert sortie.returncode == 0, sortie.stderr
    return json.loads(sortie.stdout)


def _facturer(client: httpx.Client, cle: str, corps: dict[str, Any]) -> dict[str, Any]:
    envoi = piece(client, cle, "v1/factures", "facture", corps)
    assert envoi.status_code == 200, envoi.text
    return etats_factures(client, cle)[envoi.json()["numeroInterneFacture"]]


def test_boucle_de_l_argent(serveur_opco: Any, tmp_path: Path) -> None:
    aujourd_hui = date.today()
    paiement = aujourd_hui + timedelta(days=15)  # délai de paiement du profil de référence
    cfa = serveur_opco.creer_cfa("44306184100047", "0691234A", "CFA Lyon", "atlas")
    cle = cfa["cles"]["atlas"]
    with httpx.Client(base_url=serveur_opco.url, timeout=30) as client:
        # Dépôt → engagé, avec son échéancier.
        accuse = client.post(
            "/atlas/v2/dossiers", json=dossier_recent(1, 170), headers=entetes(cle)
        )
        assert accuse.status_code == 200, accuse.text
        numero = accuse.json()["numeroInterne"]
        relu, _ = attendre_instruction(client, cle, numero)
        assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
        assert relu["cerfa"]["numeroDeca"] and relu["engagement"] > 0
        externe = relu["cerfa"]["numeroExterne"]
        e1, e2 = relu["echeances"][0], relu["echeances"][1]
        assert e1["dateOuverture"] <= aujourd_hui.isoformat() < e2["dateOuverture"]

        # Convention : frais annexes engagés (restauration 3 € le repas, premier équipement).
        corps = convention(numero)
        corps["couts"] |= {"nombreRepasTotaux": 20, "montantPremierEquipement": 300}
        assert piece(client, cle, "v1/conventions", "convention", corps).status_code == 200
        relu = relire(client, cle, numero)
        frais = {f["natureFrais"]: f["montantTotal"] for f in relu["engagementsFraisAnnexe"]}
        assert frais == {"RESTAURATION": 60, "PREMIEREQUIPEMENT": 300}
        assert relu["detailsFacturation"]["plafondFraisPremierEquipement"] == 300

        # Facture E1 → VALIDE, montant en cours d'instruction.
        etat = _facturer(client, cle, facture_pedagogie(externe, e1, "F-E1"))
        assert etat["etatFacture"] == "VALIDE" and etat["commentaire"] is None
        assert (
            relire(client, cle, numero)["echeances"][0]["montantEnCoursInstruction"]
            == (e1["montantTotal"])
        )

        # Paiement : rien avant la date de paiement, puis E1 réglée par virement SEPA.
        assert _payer(serveur_opco.base, aujourd_hui)["factures_reglees"] == 0
        sepa = tmp_path / "virements.xml"
        campagne = _payer(serveur_opco.base, paiement, sepa)
        assert campagne["factures_reglees"] == 1
        assert campagne["montant_total"] == f"{e1['montantTotal']:.2f}"
        assert campagne["sepa"] == str(sepa)
        xml = sepa.read_text()
        assert "pain.001.001.03" in xml and "FR7630006000011234567890189" in xml
        etat = etats_factures(client, cle)[etat["numeroInterneFacture"]]
        assert etat["etatFacture"] == "REGLE" and etat["referenceVirement"]
        assert etat["dateReglement"] == paiement.isoformat()
        e1_payee = relire(client, cle, numero)["echeances"][0]
        assert e1_payee["montantRegle"] == e1["montantTotal"]
        assert e1_payee["montantEnCoursInstruction"] == 0

        # E2 pas encore ouverte : refusée, le motif le dit.
        etat = _facturer(client, cle, facture_pedagogie(externe, e2, "F-E2"))
        assert etat["etatFacture"] == "REJETE"
        assert "ne s'ouvre que le" in etat["commentaire"]

        # Rupture hier : échéancier coupé, solde ouvert aujourd'hui, tropPercu montré.
        veille = aujourd_hui - timedelta(days=1)
        rupture = client.post(
            "/atlas/v2/dossiers/rupture/employeur",
            json={
                "numeroInterne": numero,
                "dateRupture": veille.isoformat(),
                "initiative": "EMPLOYEUR",
                "motif": "Départ de l'apprenti",
                "dansPeriodeEssai": False,
            },
            headers=entetes(cle),
        )
        assert rupture.status_code == 200, rupture.text
        coupe = rupture.json()
        assert coupe["cerfa"]["etat"] == "RUPTURE"
        echeances = coupe["echeances"]
        assert echeances[0]["montantRegle"] == e1["montantTotal"]
        assert all(e["dateOuverture"] <= aujourd_hui.isoformat() for e in echeances)
        solde = echeances[-1]
        assert solde["dateOuverture"] == aujourd_hui.isoformat() and solde["montantTotal"] > 0
        total = round(sum(e["montantTotal"] for e in echeances), 2)
        assert total == round(coupe["engagement"] + coupe["tropPercu"], 2)
        assert coupe["engagement"] < relu["engagement"]

        # Solde final sans certificat Final : refusé ; avec : accepté, puis payé.
        etat = _facturer(client, cle, facture_pedagogie(externe, solde, "F-SOLDE-1"))
        assert etat["etatFacture"] == "REJETE"
        assert "aucun certificat Final" in etat["commentaire"]
        final = certificat(numero) | {"typeCertificat": "Final"}
        envoi = piece(client, cle, "v2/certificats", "certificat", final)
        assert envoi.status_code == 200, envoi.text
        etat = _facturer(client, cle, facture_pedagogie(externe, solde, "F-SOLDE-2"))
        assert etat["etatFacture"] == "VALIDE", etat["commentaire"]
        assert _payer(serveur_opco.base, paiement)["factures_reglees"] == 1
        fin = relire(client, cle, numero)
        assert all(e["montantRegle"] == e["montantTotal"] for e in fin["echeances"])
        assert fin["cerfa"]["etat"] == "RUPTURE"  # une rupture reste l'état final

    file = apicfa("opco", "dossiers", "--opco", "atlas", "--json", "--base", serveur_opco.base)
    assert file.returncode == 0, file.stderr
    assert {"numeroExterne": externe, "etat": "RUPTURE"}.items() <= next(
        d for d in json.loads(file.stdout) if d["numeroExterne"] == externe
    ).items()
