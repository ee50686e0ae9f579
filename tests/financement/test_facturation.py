"""Contrôle des factures contre l'échéancier (SPEC §6.5) : chaque contrôle manqué, un motif."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.facturation import (
    DossierFacture,
    PlafondFrais,
    ResultatControle,
    controler_facture,
    plafonds_frais,
)
from apicfa.financement.frais_annexes import CoutsConvention
from apicfa.financement.modeles import Echeancier
from apicfa.norme.etats import EtatDossier, EtatFacture

# Exemple B de la SPEC : 2025-09-01 → 2027-08-31, NPEC 8 000 €, niveau 6 ; convention avec
# 10 nuitées, 20 repas et 300 € de premier équipement.
ECHEANCIER_B: Echeancier = calculer_echeancier(
    ContratFinance(
        date_conclusion=date(2025, 8, 1),
        date_debut=date(2025, 9, 1),
        date_fin=date(2027, 8, 31),
        npec=Decimal("8000"),
        niveau=6,
        couts=CoutsConvention(
            nombre_hebergements=10, nombre_repas=20, premier_equipement_centimes=30000
        ),
    )
)
RECU = date(2026, 4, 10)  # E1 (2025-09-01) et E2 (2026-03-01) ouvertes ; E3 (2026-06-01) non


def dossier(**modifs: Any) -> DossierFacture:
    valeurs: dict[str, Any] = {
        "etat": EtatDossier.ENGAGE,
        "echeances": ECHEANCIER_B,
        "numero_deca": "075202509000001",
        "frais": plafonds_frais(ECHEANCIER_B.engagements_frais_annexe),
    }
    valeurs.update(modifs)
    return DossierFacture(**valeurs)


def ligne(montant: Any, numero: int | None = 1, **autres: Any) -> dict[str, Any]:
    donnees = {
        "montant": montant,
        "natureLigne": "PEDAGOGIE",
        "quantite": 1,
        "numeroEcheance": numero,
        "codificationEcheance": f"E{numero}" if numero is not None else None,
        "numeroDeca": "075202509000001",
        "numeroDossier": "DOS-1",
    }
    donnees.update(autres)
    return donnees


def facture(*lignes: dict[str, Any], total: Any = None, **autres: Any) -> dict[str, Any]:
    somme = sum((Decimal(str(x["montant"])) for x in lignes), Decimal("0"))
    donnees = {
        "numero": "F-2026-001",
        "dateEmission": "2026-04-08",
        "montantTotal": float(somme) if total is None else total,
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "73282932000074",
        "estCertificatRealisation": False,
        "lignes": list(lignes),
    }
    donnees.update(autres)
    return donnees


def controler(
    f: dict[str, Any], reception: date = RECU, **dossiers: DossierFacture
) -> ResultatControle:
    return controler_facture(f, dossiers=dossiers or {"DOS-1": dossier()}, date_reception=reception)


def test_facture_correcte_est_valide() -> None:
    resultat = controler(facture(ligne(2450.00, 1), ligne(1200.50, 2)))
    assert resultat.valide, resultat.commentaire
    assert resultat.etat is EtatFacture.VALIDE
    assert resultat.commentaire is None
    assert resultat.montant_lignes == Decimal("3650.50")
    assert resultat.montants_par_echeance("DOS-1") == {
        1: Decimal("2450.00"),
        2: Decimal("1200.50"),
    }
    assert resultat.montants_par_dossier() == {"DOS-1": Decimal("3650.50")}


def test_enveloppe_facture_acceptee() -> None:
    assert controler({"facture": facture(ligne(100, 1))}).valide


# (description, facture, dossier, champ attendu, extrait du message attendu)
CAS_REJET: list[tuple[str, dict[str, Any], DossierFacture, str, str]] = [
    (
        "dossier refusé",
        facture(ligne(100, 1)),
        dossier(etat=EtatDossier.REFUSE),
        "facture.lignes[0].numeroDossier",
        "est REFUSE",
    ),
    (
        "dossier soldé",
        facture(ligne(100, 1)),
        dossier(etat="SOLDE"),
        "facture.lignes[0].numeroDossier",
        "seul un dossier ENGAGE",
    ),
    (
        "dossier en instruction",
        facture(ligne(100, 1)),
        dossier(etat="EN_COURS_INSTRUCTION"),
        "facture.lignes[0].numeroDossier",
        "EN_COURS_INSTRUCTION",
    ),
    (
        "échéance pas encore ouverte",
        facture(ligne(100, 1), ligne(100, 3)),
        dossier(),
        "facture.lignes[1].numeroEcheance",
        "ne s'ouvre que le 01/06/2026, or la facture a été reçue le 10/04/2026",
    ),
    (
        "montant au-delà du reste facturable",
        facture(ligne(2450.01, 1)),
        dossier(),
        "facture.lignes[0].montant",
        "qui n'en permet que 2\u202f450,00 €",
    ),
    (
        "échéance inconnue",
        facture(ligne(100, 42)),
        dossier(),
        "facture.lignes[0].numeroEcheance",
        "l'échéance n°42 n'existe pas",
    ),
    (
        "numéro d'échéance absent",
        facture(ligne(100, None)),
        dossier(),
        "facture.lignes[0].numeroEcheance",
        "numéro d'échéance manquant",
    ),
    (
        "codification incohérente",
        facture(ligne(100, 1, codificationEcheance="E2")),
        dossier(),
        "facture.lignes[0].codificationEcheance",
        "ne correspond pas à l'échéance n°1 (E1)",
    ),
    (
        "même échéance deux fois dans la facture",
        facture(ligne(100, 2), ligne(100, 2)),
        dossier(),
        "facture.lignes[1].numeroEcheance",
        "déjà facturée par la ligne facture.lignes[0]",
    ),
    (
        "dossier inconnu",
        facture(ligne(100, 1, numeroDossier="DOS-999")),
        dossier(),
        "facture.lignes[0].numeroDossier",
        "dossier « DOS-999 » inconnu",
    ),
    (
        "numéro DECA d'un autre contrat",
        facture(ligne(100, 1, numeroDeca="075202509000002")),
        dossier(),
        "facture.lignes[0].numeroDeca",
        "n'est pas celui du dossier",
    ),
    (
        "total différent de la somme des lignes, d'un centime",
        facture(ligne(100, 1), ligne(50.25, 2), total=150.24),
        dossier(),
        "facture.montantTotal",
        "(150,25 €)",
    ),
    (
        "montant sous le centime",
        facture(ligne("10.005", 1), total="10.005"),
        dossier(),
        "facture.lignes[0].montant",
        "avec au plus 2 décimales",
    ),
    (
        "montant négatif",
        facture(ligne(-5, 1)),
        dossier(),
        "facture.lignes[0].montant",
        "supérieur ou égal à 0",
    ),
    (
        "nature de ligne inconnue",
        facture(ligne(10, 1, natureLigne="TRANSPORT")),
        dossier(),
        "facture.lignes[0].natureLigne",
        "« TRANSPORT » n'est pas un code admis",
    ),
    (
        "facture sans ligne",
        facture(total=0),
        dossier(),
        "facture.lignes",
        "il en faut au moins une",
    ),
    (
        "frais annexes au-delà du plafond",
        facture(ligne(301, None, natureLigne="PREMIEREQUIPEMENT")),
        dossier(),
        "facture.lignes[0].montant",
        "au-delà du plafond : reste 300,00 €",
    ),
    (
        "frais annexes déjà en partie payés",
        facture(ligne(50, None, natureLigne="HEBERGEMENT", quantite=10)),
        dossier(
            frais=plafonds_frais(
                ECHEANCIER_B.engagements_frais_annexe, {"HEBERGEMENT": Decimal("18.00")}
            )
        ),
        "facture.lignes[0].montant",
        "reste 42,00 € sur 60,00 € engagés",
    ),
    (
        "prix unitaire de la nuitée dépassé",
        facture(ligne(13, None, natureLigne="HEBERGEMENT", quantite=2)),
        dossier(),
        "facture.lignes[0].montant",
        "au plus 12,00 € (6,00 € l'unité)",
    ),
    (
        "frais annexes non engagés",
        facture(ligne(10, None, natureLigne="MOBILITE")),
        dossier(),
        "facture.lignes[0].natureLigne",
        "aucun frais annexe MOBILITE n'est engagé",
    ),
]


@pytest.mark.parametrize(
    ("f", "d", "champ", "extrait"),
    [pytest.param(f, d, c, e, id=i) for i, f, d, c, e in CAS_REJET],
)
def test_chaque_controle_manque_donne_son_motif(
    f: dict[str, Any], d: DossierFacture, champ: str, extrait: str
) -> None:
    resultat = controler(f, **{"DOS-1": d})
    assert not resultat.valide
    assert resultat.etat is EtatFacture.REJETE
    trouves = [m for m in resultat.motifs if m.champ == champ and extrait in m.message]
    assert trouves, resultat.motifs
    assert f"{champ} : " in (resultat.commentaire or "")


def test_tous_les_motifs_a_la_fois() -> None:
    f = facture(
        ligne(2500, 1),  # trop
        ligne(100, 3),  # pas ouverte
        ligne(100, 3),  # en double
        ligne(10, None, natureLigne="MOBILITE"),  # non engagée
        total=1,  # faux
    )
    resultat = controler(f)
    champs = [m.champ for m in resultat.motifs]
    assert champs == [
        "facture.montantTotal",  # validateur de la norme, d'abord
        "facture.lignes[0].montant",
        "facture.lignes[1].numeroEcheance",
        "facture.lignes[2].numeroEcheance",
        "facture.lignes[2].numeroEcheance",
        "facture.lignes[3].natureLigne",
    ]
    assert resultat.commentaire is not None
    assert resultat.commentaire.count(" ; ") == 5


def test_echeance_deja_en_attente_dans_une_autre_facture() -> None:
    echeances = list(ECHEANCIER_B.echeances)
    echeances[1] = echeances[1]._replace(montant_en_cours_instruction=Decimal("1000.00"))
    resultat = controler(facture(ligne(100, 2)), **{"DOS-1": dossier(echeances=echeances)})
    assert [m.champ for m in resultat.motifs] == ["facture.lignes[0].numeroEcheance"]
    assert "déjà en attente dans une autre facture (1\u202f000,00 €" in resultat.motifs[0].message


def test_reste_facturable_apres_reglement_partiel() -> None:
    echeances = list(ECHEANCIER_B.echeances)
    echeances[0] = echeances[0]._replace(montant_regle=Decimal("2000.00"))
    d = dossier(echeances=echeances)
    assert controler(facture(ligne(450, 1)), **{"DOS-1": d}).valide
    rejet = controler(facture(ligne(450.01, 1)), **{"DOS-1": d})
    assert "qui n'en permet que 450,00 €" in rejet.motifs[0].message


def test_dossier_rompu_facturable_pour_le_reste_du() -> None:
    assert controler(facture(ligne(100, 1)), **{"DOS-1": dossier(etat="RUPTU")}).valide


def test_echeances_sous_la_forme_de_la_norme() -> None:
    relues = [
        {
            "numero": 1,
            "codification": "E1",
            "montantTotal": 2730.0,
            "montantRegle": 0,
            "montantEnCoursInstruction": 0,
            "dateOuverture": "2023-10-01",
        },
        {
            "numero": 2,
            "codification": "E2",
            "montantTotal": 2047.5,
            "montantRegle": 0,
            "montantEnCoursInstruction": 0,
            "dateOuverture": "2024-04-01T00:00:00+02:00",
        },
    ]
    d = DossierFacture(etat="ENGAGE", echeances=relues)
    emise = {"dateEmission": "2024-03-01"}
    valide = controler(
        facture(ligne(2730, 1), ligne(2047.5, 2), **emise), date(2024, 4, 1), **{"DOS-1": d}
    )
    assert valide.valide, valide.commentaire
    tot = controler(facture(ligne(2047.5, 2), **emise), date(2024, 3, 31), **{"DOS-1": d})
    assert "ne s'ouvre que le 01/04/2024" in tot.motifs[0].message


def test_plusieurs_dossiers_sur_une_facture() -> None:
    f = facture(ligne(100, 1), ligne(200, 1, numeroDossier="DOS-2", numeroDeca=None))
    resultat = controler(f, **{"DOS-1": dossier(), "DOS-2": dossier(numero_deca=None)})
    assert resultat.valide
    assert resultat.montants_par_dossier() == {
        "DOS-1": Decimal("100.00"),
        "DOS-2": Decimal("200.00"),
    }
    # La même échéance n°1 de deux dossiers différents n'est pas un doublon.
    assert resultat.montants_par_echeance("DOS-2") == {1: Decimal("200.00")}


def test_controles_de_forme_du_validateur_de_la_norme_repris_une_fois() -> None:
    f = facture(
        ligne(100, 1),
        total=99,
        ibanEmetteur="FR7630006000011234567890188",
        siretEmetteur="73282932000075",
    )
    resultat = controler(f)
    champs = [m.champ for m in resultat.motifs]
    assert champs == ["facture.ibanEmetteur", "facture.siretEmetteur", "facture.montantTotal"]
    assert "IBAN" in resultat.motifs[0].message
    assert "SIRET" in resultat.motifs[1].message


def test_date_d_emission_posterieure_a_la_reception() -> None:
    resultat = controler(facture(ligne(100, 1), dateEmission="2026-04-11"))
    assert [m.champ for m in resultat.motifs] == ["facture.dateEmission"]


def test_frais_annexes_cumules_sur_la_facture() -> None:
    f = facture(
        ligne(200, None, natureLigne="PREMIEREQUIPEMENT"),
        ligne(100, None, natureLigne="PREMIEREQUIPEMENT"),
        ligne(0.01, None, natureLigne="PREMIEREQUIPEMENT"),
    )
    resultat = controler(f)
    assert [m.champ for m in resultat.motifs] == ["facture.lignes[2].montant"]
    assert "reste 0,00 €" in resultat.motifs[0].message


def test_plafonds_depuis_les_engagements() -> None:
    plafonds = plafonds_frais(ECHEANCIER_B.engagements_frais_annexe)
    assert plafonds == {
        "HEBERGEMENT": PlafondFrais(Decimal("60.00"), Decimal("0.00"), Decimal("6.00")),
        "RESTAURATION": PlafondFrais(Decimal("60.00"), Decimal("0.00"), Decimal("3.00")),
        "PREMIEREQUIPEMENT": PlafondFrais(Decimal("300.00"), Decimal("0.00"), None),
    }
