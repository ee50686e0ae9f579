"""Validateurs des objets du §5 : objets valides, chaque règle engendrée, règles de cohérence."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from norme_fabrique import poser

from apicfa.norme import natures, validation
from apicfa.norme.coherence_objets import REGLES
from apicfa.norme.constats import Constat
from apicfa.norme.schema import Bloc, Champ
from apicfa.norme.schema_objets import OBJETS, REGLES_SCHEMA

JOUR = date(2026, 3, 10)

VALIDES: dict[str, dict[str, Any]] = {
    "facture": {
        "numero": "FA-2026-001",
        "dateEmission": "2026-03-02",
        "montantTotal": 3550.50,
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "estCertificatRealisation": False,
        "lignes": [
            {"montant": 3200, "natureLigne": "PEDAGOGIE", "quantite": 1, "numeroEcheance": 1,
             "codificationEcheance": "E1", "numeroDeca": "044202508NC0123", "numeroDossier": "EXT-1"},
            {"montant": "350.50", "natureLigne": "HEBERGEMENT", "quantite": 58, "numeroDossier": "EXT-1"},
        ],
    },
    "convention": {
        "numeroInterneDossier": "D-1",
        "employeur": {"siret": "73282932000074"},
        "apprenti": {"nom": "Le Goff", "prenom": "Yann"},
        "contrat": {"dateDebutContrat": "2025-09-01", "dateFinContrat": "2027-08-31"},
        "organismeFormation": {"siret": "13002526500013", "uaiCfa": "0751234J"},
        "formation": {"dateDebutFormation": "2025-09-08", "dateFinFormation": "2027-06-30",
                      "dureeFormation": 1350, "rncp": "RNCP38362", "intituleQualification": "BTS"},
        "couts": {"coutTotalPedagogieCFA": 16000, "montantRQTHAnnee1": 4000, "montantRQTHAnnee2": 0,
                  "montantRQTHAnnee3": 0, "montantRQTHAnnee4": 0, "nombreRepasTotaux": 300,
                  "nombreHebergementTotaux": 20, "montantPremierEquipement": 500,
                  "mentionMobiliteInternationale": False, "accompagnementDROM": False},
        "mandatEmployeur": True,
        "dateSignature": "2025-08-25",
        "attestationConventionSigneeEntreprise": True,
        "attestationConventionSigneeCFA": True,
        "attestationConventionSignatureProbante": True,
        "attestationConventionConformeJSON": True,
    },
    "certificat": {
        "typeCertificat": "Final",
        "numeroInterneDossier": "D-1",
        "numeroInterneFacture": "F-9",
        "dateSignature": "2026-03-01",
        "lieuSignatureContrat": "Nantes",
        "representantLegal": {"nom": "Morel", "prenom": "Anne", "qualite": "Directrice"},
        "attestationConservationPieces": True,
        "natureAction": "Apprentissage",
        "employeur": {"siret": "73282932000074"},
        "apprenti": {"nom": "Le Goff", "prenom": "Yann", "nomUsage": "Martin"},
        "organismeFormation": {"siret": "13002526500013"},
        "echeance": {"numero": 4, "codification": "E4", "duree": 120, "dateDebut": "2025-09-01",
                     "dateFin": "2026-02-28", "echeancePartielle": False},
    },
    "document": {"typeFichier": "convention", "objets": [{"typeObjet": "dossier", "idObjet": "D-1"}]},
    "rupture": {"numeroInterne": "D-1", "dateRupture": "2026-01-20", "initiative": "COMMUN",
                "motif": "Accord des parties", "dansPeriodeEssai": False},
}  # fmt: skip

VALIDER: dict[str, Callable[..., list[Constat]]] = {
    nom: getattr(validation, f"valider_{nom}") for nom in OBJETS
}
MAUVAISES_CLES = {
    id(natures.SIRET): "73282932000075",
    id(natures.UAI): "0751234K",
    id(natures.IBAN): "FR7630006000011234567890188",
}


def _elements(bloc: Bloc) -> dict[str, Champ | Bloc]:
    resultat: dict[str, Champ | Bloc] = {bloc.chemin: bloc}
    for champ in bloc.champs:
        resultat[f"{bloc.chemin}{'[]' if bloc.liste else ''}.{champ.cle}"] = champ
    for sous_bloc in bloc.sous_blocs:
        resultat.update(_elements(sous_bloc))
    return resultat


CAS_SCHEMA = [
    (nom, regle, _elements(OBJETS[nom])[regle.champ])
    for nom, regles in REGLES_SCHEMA.items()
    for regle in regles
    if regle.champ != nom
]


@pytest.mark.parametrize("nom", sorted(VALIDES))
def test_objet_valide_sans_constat(nom: str) -> None:
    assert VALIDER[nom]({nom: VALIDES[nom]}, aujourd_hui=JOUR) == []
    assert VALIDER[nom](VALIDES[nom], aujourd_hui=JOUR) == []


@pytest.mark.parametrize(
    ("nom", "regle", "element"), CAS_SCHEMA, ids=lambda x: getattr(x, "code", "")
)
def test_regle_engendree_echoue(nom: str, regle: Any, element: Champ | Bloc) -> None:
    suffixe = regle.code.rsplit("_", 1)[1]
    if suffixe == "ABSENT":
        valeur: Any = ...
    elif isinstance(element, Bloc):
        valeur = 3
    elif suffixe == "CLE":
        valeur = MAUVAISES_CLES[id(element.nature)]
    elif suffixe == "CODE":
        valeur = "ZZZ"
    else:
        valeur = {"objet": "inattendu"}
    chemin = regle.champ.removeprefix(f"{nom}.").replace("[]", "[0]")
    donnees = poser(copy.deepcopy(VALIDES[nom]), chemin, valeur)
    constats = VALIDER[nom]({nom: donnees}, aujourd_hui=JOUR)
    assert regle.code in [c.code for c in constats]


CAS_COHERENCE: dict[str, tuple[str, list[tuple[str, Any]], list[tuple[str, Any]]]] = {
    "FACTURE_MONTANT_TOTAL_SOMME": ("facture", [("montantTotal", 3550.51)], [("montantTotal", "3550.5")]),
    "FACTURE_LIGNES_VIDE": ("facture", [("lignes", [])], []),
    "FACTURE_DATE_EMISSION_FUTURE": ("facture", [("dateEmission", "2026-03-11")], [("dateEmission", "2026-03-10")]),
    "CONVENTION_CONTRAT_DATES_ORDRE": ("convention", [("contrat.dateFinContrat", "2025-09-01")], []),
    "CONVENTION_FORMATION_DATES_ORDRE": ("convention", [("formation.dateFinFormation", "2025-09-07")], [("formation.dateFinFormation", "2025-09-08")]),
    "CONVENTION_PREMIER_EQUIPEMENT_PLAFOND": ("convention", [("couts.montantPremierEquipement", 500.01)], []),
    "CONVENTION_RQTH_PLAFOND": ("convention", [("couts.montantRQTHAnnee2", 4000.01)], []),
    "CONVENTION_ATTESTATION_MANQUANTE": ("convention", [("attestationConventionConformeJSON", False)], []),
    "CONVENTION_DATE_SIGNATURE_FUTURE": ("convention", [("dateSignature", "2026-03-11")], []),
    "CERTIFICAT_ECHEANCE_DATES_ORDRE": ("certificat", [("echeance.dateFin", "2025-08-31")], [("echeance.dateFin", "2025-09-01")]),
    "CERTIFICAT_DATE_SIGNATURE_FUTURE": ("certificat", [("dateSignature", "2026-03-11")], []),
    "DOCUMENT_OBJETS_VIDE": ("document", [("objets", [])], []),
}  # fmt: skip


def test_chaque_regle_de_coherence_a_son_cas() -> None:
    assert set(CAS_COHERENCE) == {code for regles in REGLES.values() for code in regles}


@pytest.mark.parametrize("code", sorted(CAS_COHERENCE))
def test_regle_de_coherence(code: str) -> None:
    nom, echecs, tenus = CAS_COHERENCE[code]
    donnees = copy.deepcopy(VALIDES[nom])
    for chemin, valeur in echecs:
        poser(donnees, chemin, valeur)
    constats = VALIDER[nom](donnees, aujourd_hui=JOUR)
    assert code in [c.code for c in constats]
    (constat,) = [c for c in constats if c.code == code]
    assert constat.champ == f"{nom}.{echecs[0][0]}"
    donnees = copy.deepcopy(VALIDES[nom])
    for chemin, valeur in tenus:
        poser(donnees, chemin, valeur)
    assert code not in [c.code for c in VALIDER[nom](donnees, aujourd_hui=JOUR)]


def test_chemin_de_ligne_de_facture() -> None:
    donnees = poser(copy.deepcopy(VALIDES["facture"]), "lignes[1].montant", "beaucoup")
    constats = validation.valider_facture(donnees)
    assert [c.champ for c in constats] == ["facture.lignes[1].montant"]


def test_objets_de_mauvais_type() -> None:
    for nom, valider in VALIDER.items():
        assert [c.code for c in valider("texte")] == [f"{nom.upper()}_FORMAT"]
        assert [c.code for c in valider({nom: None})] == [f"{nom.upper()}_ABSENT"]
