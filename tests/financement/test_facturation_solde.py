"""Solde final : payable seulement sur un certificat `Final` reçu dans les 4 mois (SPEC §6.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.facturation import DossierFacture, controler_facture
from apicfa.financement.rupture import appliquer_rupture

# Exemple B : E8 (800 €) est le solde final ; fin le 31/08/2027, limite le 31/12/2027.
ECHEANCIER = calculer_echeancier(
    ContratFinance(
        date_conclusion=date(2025, 8, 1),
        date_debut=date(2025, 9, 1),
        date_fin=date(2027, 8, 31),
        npec=Decimal("8000"),
        niveau=6,
    )
)


def facture_solde(numero: int = 8, certificat_joint: bool = False) -> dict[str, Any]:
    montant = ECHEANCIER.echeances[numero - 1].montant_total
    return {
        "numero": "F-SOLDE",
        "dateEmission": "2026-01-21",
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "73282932000074",
        "montantTotal": str(montant),
        "estCertificatRealisation": certificat_joint,
        "lignes": [
            {
                "montant": str(montant),
                "natureLigne": "PEDAGOGIE",
                "numeroEcheance": numero,
                "numeroDossier": "DOS-1",
            }
        ],
    }


@pytest.mark.parametrize(
    ("certificats", "joint", "reception", "valide", "extrait"),
    [
        ((), False, date(2027, 9, 10), False, "aucun certificat Final n'a été reçu"),
        ((date(2027, 9, 5),), False, date(2027, 9, 10), True, ""),
        ((date(2027, 12, 31),), False, date(2028, 2, 1), True, ""),  # dernier jour admis
        ((date(2028, 1, 1),), False, date(2028, 1, 5), False, "reçu l'a été le 01/01/2028"),
        ((), True, date(2027, 12, 31), True, ""),
        ((), True, date(2028, 1, 1), False, "cette facture reçue le 01/01/2028 arrive trop tard"),
    ],
)
def test_solde_final_et_certificat(
    certificats: tuple[date, ...], joint: bool, reception: date, valide: bool, extrait: str
) -> None:
    dossier = DossierFacture(etat="ENGAGE", echeances=ECHEANCIER, certificats_finals=certificats)
    resultat = controler_facture(
        facture_solde(certificat_joint=joint), dossiers={"DOS-1": dossier}, date_reception=reception
    )
    assert resultat.valide is valide, resultat.commentaire
    if not valide:
        assert len(resultat.motifs) == 1
        motif = resultat.motifs[0]
        assert motif.champ == "facture.lignes[0].numeroEcheance"
        assert "solde final" in motif.message
        assert "au plus tard le 31/12/2027" in motif.message
        assert extrait in motif.message


def test_solde_d_une_annee_intermediaire_sans_certificat() -> None:
    # E4 : solde de la 1re année (ouvre le 01/09/2026), pas le solde final du contrat.
    dossier = DossierFacture(etat="ENGAGE", echeances=ECHEANCIER)
    resultat = controler_facture(
        facture_solde(numero=4), dossiers={"DOS-1": dossier}, date_reception=date(2026, 9, 2)
    )
    assert resultat.valide, resultat.commentaire


def test_solde_apres_rupture_compte_depuis_le_dernier_jour() -> None:
    # Après une rupture au 20/01/2026, le solde ouvre le 21/01/2026 : limite le 20/05/2026.
    echeances = [
        {
            "numero": 1,
            "codification": "E1",
            "montantTotal": "3600.00",
            "montantRegle": "3600.00",
            "montantEnCoursInstruction": "0",
            "dateOuverture": "2025-09-01",
        },
        {
            "numero": 2,
            "codification": "E2",
            "montantTotal": "120.00",
            "montantRegle": "0",
            "montantEnCoursInstruction": "0",
            "dateOuverture": "2026-01-21",
            "solde": True,
        },
    ]
    ligne = {"montant": 120, "natureLigne": "PEDAGOGIE", "numeroEcheance": 2}
    f = facture_solde() | {"montantTotal": 120, "lignes": [ligne | {"numeroDossier": "DOS-1"}]}
    dans_les_temps = DossierFacture(
        etat="RUPTURE", echeances=echeances, certificats_finals=(date(2026, 5, 20),)
    )
    trop_tard = DossierFacture(
        etat="RUPTURE", echeances=echeances, certificats_finals=(date(2026, 5, 21),)
    )
    recu = date(2026, 5, 22)
    assert controler_facture(f, dossiers={"DOS-1": dans_les_temps}, date_reception=recu).valide
    rejet = controler_facture(f, dossiers={"DOS-1": trop_tard}, date_reception=recu)
    assert "au plus tard le 20/05/2026" in rejet.motifs[0].message


def test_factures_apres_rupture_contre_l_echeancier_coupe() -> None:
    # Régime 2020, 6 825 €/an dès le 01/10/2023, rupture au 15/03/2024 : 6 mois commencés,
    # E' = 3 412,50 € ; E1 (2 730 €) reste, un solde E7 de 682,50 € s'ouvre le 16/03/2024.
    contrat = ContratFinance(
        date_conclusion=date(2023, 9, 1),
        date_debut=date(2023, 10, 1),
        date_fin=date(2025, 9, 30),
        npec=Decimal("6825"),
    )
    coupe = appliquer_rupture(calculer_echeancier(contrat), contrat, date(2024, 3, 15))
    solde = coupe.echeances[-1]
    assert (solde.codification, solde.montant_total, solde.solde) == ("E7", Decimal("682.50"), True)

    def facture(numero: int, montant: str) -> dict[str, Any]:
        return facture_solde() | {
            "dateEmission": "2024-03-20",
            "montantTotal": montant,
            "lignes": [
                {
                    "montant": montant,
                    "natureLigne": "PEDAGOGIE",
                    "numeroEcheance": numero,
                    "numeroDossier": "DOS-1",
                }
            ],
        }

    sans_certificat = DossierFacture(etat="RUPTURE", echeances=coupe)
    avec_certificat = DossierFacture(
        etat="RUPTURE", echeances=coupe, certificats_finals=(date(2024, 3, 25),)
    )
    recue = date(2024, 4, 2)
    annulee = controler_facture(
        facture(2, "2047.50"), dossiers={"DOS-1": avec_certificat}, date_reception=recue
    )
    assert "l'échéance n°2 n'existe pas" in (annulee.commentaire or "")
    refus = controler_facture(
        facture(7, "682.50"), dossiers={"DOS-1": sans_certificat}, date_reception=recue
    )
    assert "au plus tard le 15/07/2024" in (refus.commentaire or "")
    accepte = controler_facture(
        facture(7, "682.50"), dossiers={"DOS-1": avec_certificat}, date_reception=recue
    )
    assert accepte.valide, accepte.commentaire
