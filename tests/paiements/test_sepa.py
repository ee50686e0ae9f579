"""Virements par IBAN de CFA et fichier SEPA pain.001.001.03 relu et validé contre le schéma."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema

from apicfa.paiements import (
    DonneurOrdre,
    FactureAPayer,
    fichier_sepa,
    grouper_virements,
)

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
OPCO = DonneurOrdre("OPCO ATLAS", "FR14 2004 1010 0505 0001 3M02 606")
IBAN_A = "FR7630006000011234567890189"  # Crédit agricole (BIC connu)
IBAN_B = "DE89370400440532013000"  # Commerzbank
IBAN_FAUX = "FR7630006000011234567890188"


def facture(numero: str, montant: str, iban: str, cfa: str = "CFA Été") -> FactureAPayer:
    return FactureAPayer(
        numero_interne=numero,
        reference_cfa=f"F{numero}",
        montant=Decimal(montant),
        iban=iban,
        beneficiaire=cfa,
        date_reception=date(2026, 1, 2),
    )


FACTURES = [
    facture("1", "2450.00", IBAN_A),
    facture("2", "1200.55", "fr76 3000 6000 0112 3456 7890 189"),  # même IBAN, autre écriture
    facture("3", "800.00", IBAN_B, "CFA Rhin"),
    facture("4", "99.99", IBAN_FAUX, "CFA Faux"),
]


def test_un_virement_par_iban_et_iban_invalide_ecarte() -> None:
    lot = grouper_virements(FACTURES, reference_lot="ATLAS-20260120")
    assert [(v.reference_virement, v.iban, v.montant) for v in lot.virements] == [
        ("ATLAS-20260120-0001", IBAN_B, Decimal("800.00")),
        ("ATLAS-20260120-0002", IBAN_A, Decimal("3650.55")),
    ]
    assert [f.numero_interne for f in lot.virements[1].factures] == ["1", "2"]
    assert lot.virements[1].bic == "AGRIFRPPXXX"
    assert lot.virements[1].libelle == "Factures F1, F2"
    assert lot.montant_total == Decimal("4450.55")
    assert lot.nombre_factures == 3
    assert len(lot.ecartees) == 1
    assert lot.ecartees[0].facture.numero_interne == "4"
    assert "ibanEmetteur" in lot.ecartees[0].motif


def test_libelle_tronque_a_140_caracteres() -> None:
    nombreuses = [facture(f"{n:03d}", "1.00", IBAN_A) for n in range(60)]
    lot = grouper_virements(nombreuses, reference_lot="LOT1")
    assert len(lot.virements) == 1
    assert len(lot.virements[0].libelle) == 140
    assert lot.virements[0].libelle.endswith("...")


@pytest.mark.parametrize("reference", ["", "LOT 1", "L" * 31, "-LOT"])
def test_reference_de_lot_invalide(reference: str) -> None:
    with pytest.raises(ValueError, match="référence de lot"):
        grouper_virements(FACTURES, reference_lot=reference)


def _fichier() -> bytes:
    lot = grouper_virements(FACTURES, reference_lot="ATLAS-20260120")
    return fichier_sepa(
        lot.virements,
        donneur_ordre=OPCO,
        date_execution=date(2026, 1, 20),
        identifiant_message="ATLAS-20260120-1",
        cree_le=datetime(2026, 1, 20, 9, 30),
    )


def test_fichier_sepa_relu() -> None:
    xml = _fichier()
    racine = ET.fromstring(xml)
    entete = racine.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert entete is not None
    assert entete.findtext("p:MsgId", namespaces=NS) == "ATLAS-20260120-1"
    assert entete.findtext("p:CreDtTm", namespaces=NS) == "2026-01-20T09:30:00"
    assert entete.findtext("p:NbOfTxs", namespaces=NS) == "2"
    assert entete.findtext("p:CtrlSum", namespaces=NS) == "4450.55"
    lot = racine.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert lot is not None
    assert lot.findtext("p:ReqdExctnDt", namespaces=NS) == "2026-01-20"
    assert lot.findtext("p:Dbtr/p:Nm", namespaces=NS) == "OPCO ATLAS"
    assert lot.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == "FR1420041010050500013M02606"
    assert lot.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "PSSTFRPP"
    transactions = [
        (
            tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
            tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
            tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
            tx.findtext("p:RmtInf/p:Ustrd", namespaces=NS),
        )
        for tx in lot.findall("p:CdtTrfTxInf", NS)
    ]
    assert transactions == [
        ("ATLAS-20260120-0001", "800.00", IBAN_B, "CFA Rhin", "Factures F3"),
        ("ATLAS-20260120-0002", "3650.55", IBAN_A, "CFA Ete", "Factures F1, F2"),
    ]


def test_fichier_sepa_conforme_au_schema_et_deterministe() -> None:
    xml = _fichier()
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode())
    assert _fichier() == xml


def test_bic_du_donneur_d_ordre_donne_par_le_profil() -> None:
    lot = grouper_virements(FACTURES[:1], reference_lot="L")
    xml = fichier_sepa(
        lot.virements,
        donneur_ordre=DonneurOrdre("OPCO", IBAN_B, bic="COBADEFFXXX"),
        date_execution=date(2026, 1, 20),
        identifiant_message="M1",
        cree_le=datetime(2026, 1, 20),
    )
    assert b"<DbtrAgt><FinInstnId><BIC>COBADEFFXXX</BIC>" in xml


@pytest.mark.parametrize(
    ("donneur", "identifiant", "extrait"),
    [
        (DonneurOrdre("OPCO", IBAN_FAUX), "M1", "IBAN"),
        (OPCO, "avec espace", "identifiant de message"),
        (OPCO, "M" * 36, "identifiant de message"),
    ],
)
def test_parametres_invalides(donneur: DonneurOrdre, identifiant: str, extrait: str) -> None:
    lot = grouper_virements(FACTURES[:1], reference_lot="L")
    with pytest.raises(ValueError, match=extrait):
        fichier_sepa(
            lot.virements,
            donneur_ordre=donneur,
            date_execution=date(2026, 1, 20),
            identifiant_message=identifiant,
            cree_le=datetime(2026, 1, 20),
        )


def test_aucun_virement() -> None:
    with pytest.raises(ValueError, match="aucun virement"):
        fichier_sepa(
            (),
            donneur_ordre=OPCO,
            date_execution=date(2026, 1, 20),
            identifiant_message="M1",
            cree_le=datetime(2026, 1, 20),
        )


def test_banque_inconnue_virement_iban_seul() -> None:
    inconnue = "FR7699999000010000000000115"  # IBAN valide, banque absente du registre
    lot = grouper_virements([facture("9", "10.00", inconnue)], reference_lot="L")
    assert lot.virements[0].bic is None
    xml = fichier_sepa(
        lot.virements,
        donneur_ordre=OPCO,
        date_execution=date(2026, 1, 20),
        identifiant_message="M1",
        cree_le=datetime(2026, 1, 20),
    )
    transaction = ET.fromstring(xml).find("p:CstmrCdtTrfInitn/p:PmtInf/p:CdtTrfTxInf", NS)
    assert transaction is not None
    assert transaction.find("p:CdtrAgt", NS) is None
    assert transaction.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == inconnue
    xmlschema.XMLSchema(str(XSD)).validate(xml.decode())


def test_donneur_d_ordre_sans_bic_connu() -> None:
    lot = grouper_virements(FACTURES[:1], reference_lot="L")
    with pytest.raises(ValueError, match="BIC du compte de l'OPCO inconnu"):
        fichier_sepa(
            lot.virements,
            donneur_ordre=DonneurOrdre("OPCO", "FR7699999000010000000000115"),
            date_execution=date(2026, 1, 20),
            identifiant_message="M1",
            cree_le=datetime(2026, 1, 20),
        )
