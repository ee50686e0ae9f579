"""Un dossier cerfa valide, construit à la main pour les tests de la norme."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

AUJOURD_HUI = date(2025, 9, 5)

_CERFA: dict[str, Any] = {
    "versionCERFA": "10103*14",
    "CERFASignatureProbante": True,
    "etat": "TRANSMIS",
    "employeur": {
        "denomination": "Boulangerie du Port",
        "siret": "73282932000074",
        "naf": "10.71C",
        "nombreDeSalaries": 12,
        "codeIdcc": "0843",
        "libelleIdcc": "Boulangerie-pâtisserie artisanales",
        "telephone": "01 23 45 67 89",
        "courriel": "contact@boulangerie-du-port.fr",
        "adresse": {
            "adresse1": "3 quai de la Fosse",
            "codePostal": "44000",
            "commune": "Nantes",
        },
        "typeEmployeur": 11,
        "employeurSpecifique": 0,
        "caisseComplementaire": "AG2R",
        "regimeSpecifique": False,
        "attestationEligibilite": True,
        "attestationPieces": True,
    },
    "apprenti": {
        "nom": "Le Goff",
        "prenom": "Yann",
        "sexe": "M",
        "dateNaissance": "2005-06-15",
        "departementNaissance": "75",
        "communeNaissance": "Paris",
        "nir": "105067512345632",
        "nationalite": 1,
        "regimeSocial": 2,
        "handicap": False,
        "inscriptionSportifDeHautNiveau": False,
        "projetCreationRepriseEntreprise": False,
        "situationAvantContrat": 2,
        "diplome": 38,
        "diplomePrepare": 54,
        "derniereClasse": "01",
        "intituleDiplomePrepare": "BTS Management commercial opérationnel",
        "telephone": "+33 6 12 34 56 78",
        "courriel": "yann.legoff@exemple.fr",
        "adresse": {"adresse1": "12 rue Crébillon", "codePostal": "44000", "commune": "Nantes"},
    },
    "maitre1": {
        "nom": "Durand",
        "prenom": "Claire",
        "dateNaissance": "1980-03-02",
        "courriel": "claire.durand@boulangerie-du-port.fr",
        "emploiOccupe": "Responsable de boutique",
        "intituleDiplomeObtenu": "BTS MUC",
        "niveauDiplomeObtenu": 5,
    },
    "contrat": {
        "modeContractuel": 1,
        "typeContratApp": 11,
        "dateConclusion": "2025-08-20",
        "dateDebutContrat": "2025-09-01",
        "dateFormationPratiqueEmployeur": "2025-09-01",
        "dateFinContrat": "2027-08-31",
        "lieuSignatureContrat": "Nantes",
        "dureeTravailHebdoHeures": 35,
        "dureeTravailHebdoMinutes": 0,
        "travailRisque": False,
        "salaireEmbauche": 777.34,
        "autreAvantageEnNature": False,
        "remunerationsAnnuelles": [
            {
                "ordre": "1.1",
                "dateDebut": "2025-09-01",
                "dateFin": "2026-06-14",
                "taux": 43,
                "typeSalaire": "SMIC",
            },
            {
                "ordre": "1.2",
                "dateDebut": "2026-06-15",
                "dateFin": "2026-08-31",
                "taux": 53,
                "typeSalaire": "SMIC",
            },
            {
                "ordre": "2.1",
                "dateDebut": "2026-09-01",
                "dateFin": "2027-08-31",
                "taux": 61,
                "typeSalaire": "SMIC",
            },
        ],
    },
    "formation": {
        "rncp": "RNCP38362",
        "codeDiplome": "32031213",
        "typeDiplome": 54,
        "intituleQualification": "BTS Management commercial opérationnel",
        "dateDebutFormation": "2025-09-08",
        "dateFinFormation": "2027-06-30",
        "dureeFormation": 1350,
        "nombreHeuresEnDistanciel": 100,
    },
    "organismeFormation": {
        "denomination": "CFA des métiers de Nantes",
        "formationInterne": False,
        "siret": "13002526500013",
        "uaiCfa": "0751234J",
        "visaCfa": True,
        "adresse": {"adresse1": "1 rue du CFA", "codePostal": "44300", "commune": "Nantes"},
        "lieuFormationIdentique": True,
    },
}


def cerfa_valide() -> dict[str, Any]:
    """Une copie neuve du cerfa valide (sans enveloppe)."""
    return copy.deepcopy(_CERFA)


def enveloppe() -> dict[str, Any]:
    return {"cerfa": cerfa_valide()}


def poser(donnees: dict[str, Any], chemin: str, valeur: Any) -> dict[str, Any]:
    """Remplace (ou retire, avec `valeur` = ...) la valeur au chemin `a.b[0].c` ; rend `donnees`."""
    parties = chemin.replace("[", ".[").split(".")
    courant: Any = donnees
    for partie in parties[:-1]:
        courant = courant[int(partie[1:-1])] if partie.startswith("[") else courant[partie]
    derniere = parties[-1]
    cle: Any = int(derniere[1:-1]) if derniere.startswith("[") else derniere
    if valeur is ...:
        del courant[cle]
    else:
        courant[cle] = valeur
    return donnees


def cerfa_complet() -> dict[str, Any]:
    """Le cerfa valide avec tous les blocs et champs facultatifs renseignés (toujours valide)."""
    cerfa = cerfa_valide()
    cerfa["apprenti"]["nomUsage"] = "Le Goff-Martin"
    cerfa["apprenti"]["responsableLegal"] = {
        "nom": "Le Goff",
        "prenom": "Anne",
        "courriel": "anne.legoff@exemple.fr",
        "adresse": {"adresse1": "12 rue Crébillon", "codePostal": "44000", "commune": "Nantes"},
    }
    cerfa["employeur"]["adresse"]["adresse2"] = "Bâtiment B"
    cerfa["employeur"]["nom"] = "Martin"
    cerfa["employeur"]["prenom"] = "Paul"
    cerfa["maitre1"]["nir"] = "280037512345678"[:13]
    cerfa["maitre2"] = {
        "nom": "Bernard",
        "prenom": "Luc",
        "dateNaissance": "1975-11-20",
        "courriel": "luc.bernard@boulangerie-du-port.fr",
        "emploiOccupe": "Boulanger",
        "intituleDiplomeObtenu": "CAP Boulanger",
        "niveauDiplomeObtenu": 3,
    }
    contrat = cerfa["contrat"]
    contrat["numeroContratPrecedent"] = "044202406NC0012"
    contrat["noContrat"] = "044202508NC0123"
    contrat["noAvenant"] = "044202509NC0001"
    contrat["dateEffetAvenant"] = "2026-01-01"
    contrat["dateRupture"] = "2027-05-31"
    contrat["typeDerogation"] = 60
    contrat["avantageNourriture"] = 3.5
    contrat["avantageLogement"] = 0
    cerfa["organismeFormation"]["lieuFormationIdentique"] = False
    cerfa["organismeFormationLieuFormationPrincipal"] = {
        "denomination": "Site de Saint-Nazaire",
        "siret": "13002526500013",
        "uaiCfa": "0350001L",
        "adresse": {"codePostal": "44600", "commune": "Saint-Nazaire"},
    }
    return cerfa
