"""La boucle de l'argent, sans serveur : dépôt → instruction → échéancier → facture → virement.

Dossiers réalistes du générateur de démonstration, validateur de la norme, NPEC de
l'échantillon livré, moteur d'échéancier : les pièces réelles, assemblées comme le service OPCO
les assemblera.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

from apicfa.demo.generateur import generer_dossiers
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.facturation import (
    DossierFacture,
    controler_facture,
    est_entierement_regle,
    mettre_en_instruction,
    regler,
)
from apicfa.financement.lecture_cerfa import depuis_cerfa
from apicfa.financement.niveau import niveau_certification
from apicfa.financement.npec import resoudre_npec
from apicfa.instruction import ParametresInstruction, instruire
from apicfa.instruction.deca import FORME_DECA
from apicfa.norme.etats import EtatDossier
from apicfa.norme.validation import valider_cerfa
from apicfa.paiements import (
    DonneurOrdre,
    FactureAPayer,
    factures_payables,
    fichier_sepa,
    grouper_virements,
)
from apicfa.referentiels.exemples import referentiel_exemple

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
DEPOT = date(2026, 9, 30)
IBAN_CFA = "FR7630006000011234567890189"


def test_boucle_de_l_argent_sur_des_dossiers_de_demonstration() -> None:
    referentiel = referentiel_exemple()
    factures: list[FactureAPayer] = []
    echeanciers = {}
    engages = 0
    for rang, dossier in enumerate(generer_dossiers(12, graine=2026, reference=DEPOT), start=1):
        cerfa = dossier["cerfa"]
        constats = valider_cerfa(dossier, aujourd_hui=DEPOT)
        resolution = resoudre_npec(
            referentiel,
            cerfa["formation"].get("rncp"),
            cerfa["employeur"].get("codeIdcc"),
            date.fromisoformat(cerfa["contrat"]["dateConclusion"][:10]),
            niveau_certification(cerfa["formation"].get("typeDiplome")),
        )
        decision = instruire(
            dossier,
            constats=constats,
            resolution_npec=resolution,
            date_depot=DEPOT,
            profil=ParametresInstruction(),
            sequence_deca=rang,
        )
        refus = [c for c in constats if c.niveau in {"bloquant", "instruction"}]
        assert (decision.etat is EtatDossier.REFUSE) is bool(refus), decision.commentaire_etat
        if not decision.engage:
            continue
        engages += 1
        assert decision.npec is not None and decision.numero_deca is not None
        assert FORME_DECA.match(decision.numero_deca)

        numero = f"DOS-{rang}"
        echeancier = calculer_echeancier(depuis_cerfa(dossier, decision.npec.valeur))
        premiere = echeancier.echeances[0]
        reception = max(premiere.date_ouverture, DEPOT)
        facture = {
            "numero": f"F-{rang}",
            "dateEmission": reception.isoformat(),
            "montantTotal": str(premiere.montant_total),
            "ibanEmetteur": IBAN_CFA,
            "siretEmetteur": cerfa["organismeFormation"]["siret"],
            "estCertificatRealisation": False,
            "lignes": [
                {
                    "montant": str(premiere.montant_total),
                    "natureLigne": "PEDAGOGIE",
                    "numeroEcheance": premiere.numero,
                    "codificationEcheance": premiere.codification,
                    "numeroDeca": decision.numero_deca,
                    "numeroDossier": numero,
                }
            ],
        }
        dossier_facture = DossierFacture(
            etat=decision.etat, echeances=echeancier, numero_deca=decision.numero_deca
        )
        resultat = controler_facture(
            facture, dossiers={numero: dossier_facture}, date_reception=reception
        )
        assert resultat.valide, resultat.commentaire
        echeanciers[numero] = mettre_en_instruction(
            echeancier.echeances, resultat.montants_par_echeance(numero)
        )
        # Une seconde facture sur la même échéance attend la première : refusée.
        doublon = controler_facture(
            facture,
            dossiers={numero: DossierFacture(etat="ENGAGE", echeances=echeanciers[numero])},
            date_reception=reception,
        )
        assert "déjà en attente dans une autre facture" in (doublon.commentaire or "")
        factures.append(
            FactureAPayer(
                numero_interne=numero,
                reference_cfa=facture["numero"],
                montant=premiere.montant_total,
                iban=IBAN_CFA,
                beneficiaire=cerfa["organismeFormation"]["denomination"],
                date_reception=reception,
            )
        )

    assert engages >= 6
    jour = max(f.date_reception for f in factures) + timedelta(days=15)
    payables = factures_payables(factures, jour=jour)
    assert len(payables) == len(factures)
    lot = grouper_virements(payables, reference_lot="ATLAS-PAIE")
    assert len(lot.virements) == 1  # un seul IBAN de CFA
    xml = fichier_sepa(
        lot.virements,
        donneur_ordre=DonneurOrdre("OPCO ATLAS", "FR1420041010050500013M02606"),
        date_execution=jour,
        identifiant_message="ATLAS-PAIE-1",
        cree_le=datetime(2026, 12, 1, 8, 0),
    )
    entete = ET.fromstring(xml).find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert entete is not None
    total = sum((f.montant for f in factures), Decimal("0.00"))
    assert entete.findtext("p:CtrlSum", namespaces=NS) == f"{total:.2f}"
    assert lot.montant_total == total

    for facture_payee in lot.virements[0].factures:
        numero = facture_payee.numero_interne
        premiere = echeanciers[numero][0]
        echeanciers[numero] = regler(
            echeanciers[numero], {premiere.numero: premiere.montant_en_cours_instruction}
        )
        assert echeanciers[numero][0].montant_regle == echeanciers[numero][0].montant_total
        assert not est_entierement_regle(echeanciers[numero])
