"""Générateur de dossiers de démonstration : réalistes, valides, variés et déterministes.

`generer_dossiers(nombre, graine)` rend un flux paresseux de dossiers `{"cerfa": {…}}` aux
noms de champs de la norme (SPEC §4) ; la même graine rend toujours les mêmes dossiers.
Aucun état global : tout tirage passe par le `random.Random` reçu.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from apicfa.demo import identifiants, lieux, personnes
from apicfa.demo.organismes import lieu_de_formation, tirer_organismes
from apicfa.demo.referentiel import ReferentielDemo, referentiel_exemple
from apicfa.demo.remuneration import periodes, salaire_embauche_centimes
from apicfa.demo.secteurs import secteur
from apicfa.demo.tirage import choisir, entier
from apicfa.demo.trame import Trame, tirer_trame
from apicfa.norme import codes

# Jour de référence par défaut (« aujourd'hui » de la démonstration) : fixe, pour que la
# même graine rende les mêmes dossiers quel que soit le jour ; aucune conclusion après lui.
REFERENCE_PAR_DEFAUT = date(2026, 10, 1)
# Au moins six mois de conclusions possibles depuis le 01/01/2020.
REFERENCE_MINIMALE = date(2020, 7, 1)
VERSION_CERFA = "10103*14"
HEURES_ANNUELLES = 1607
PART_MINIMALE_FORMATION = 0.25
# Heures de formation par an d'exécution, selon le niveau (fourchettes usuelles).
HEURES_FORMATION_PAR_AN: dict[int, tuple[int, int]] = {
    3: (420, 520),
    4: (440, 620),
    5: (600, 700),
    6: (450, 600),
    7: (500, 700),
}
# Diplôme le plus élevé déjà obtenu, selon le niveau préparé (codes SPEC §4.2).
DIPLOMES_OBTENUS: dict[int, tuple[int, ...]] = {
    3: (13, 25, 25, 26),
    4: (33, 34, 25),
    5: (41, 42, 43),
    6: (54, 55, 41),
    7: (62, 63, 69),
}
INTITULES_DIPLOME_MAITRE: dict[int, str] = {
    3: "CAP",
    4: "Baccalauréat professionnel",
    5: "BTS",
    6: "Licence professionnelle",
    7: "Master",
    8: "Doctorat",
}


def generer_dossiers(
    nombre: int, graine: int, *, reference: date | None = None
) -> Iterator[dict[str, Any]]:
    """`nombre` dossiers valides, tirés de `graine`, conclus au plus tard le jour `reference`.

    Les arguments sont vérifiés tout de suite (ValueError, message en français) ; les dossiers
    sont fabriqués un à un, à la demande.
    """
    if nombre < 0:
        raise ValueError(f"Le nombre de dossiers doit être positif ou nul (reçu : {nombre}).")
    jour = reference or REFERENCE_PAR_DEFAUT
    if jour < REFERENCE_MINIMALE:
        raise ValueError(
            f"Le jour de référence ({jour.isoformat()}) doit être au plus tôt le "
            f"{REFERENCE_MINIMALE.isoformat()} : la norme ne couvre que les contrats conclus "
            "depuis le 01/01/2020."
        )
    return _flux(nombre, random.Random(graine), jour)


def _flux(nombre: int, rng: random.Random, reference: date) -> Iterator[dict[str, Any]]:
    referentiel = referentiel_exemple()
    organismes = tirer_organismes(rng)
    for _ in range(nombre):
        yield generer_dossier(
            rng, reference=reference, referentiel=referentiel, organismes=organismes
        )


def generer_dossier(
    rng: random.Random,
    *,
    reference: date = REFERENCE_PAR_DEFAUT,
    referentiel: ReferentielDemo | None = None,
    organismes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Un dossier `{"cerfa": {…}}` valide, tiré de `rng`."""
    referentiel = referentiel or referentiel_exemple()
    organismes = organismes or tirer_organismes(rng)
    trame = tirer_trame(rng, referentiel, reference)
    employeur = _employeur(rng, trame, referentiel)
    departement = _departement_de(employeur)
    organisme = dict(choisir(rng, organismes))
    identique = rng.random() < 0.8
    organisme["lieuFormationIdentique"] = identique
    cerfa: dict[str, Any] = {
        "versionCERFA": VERSION_CERFA,
        "CERFASignatureProbante": True,
        "etat": "TRANSMIS",
        "employeur": employeur,
        "apprenti": _apprenti(rng, trame, employeur),
        "maitre1": _maitre(rng, trame),
    }
    if rng.random() < 0.25:
        cerfa["maitre2"] = _maitre(rng, trame)
    cerfa["contrat"] = _contrat(rng, trame, employeur, departement)
    cerfa["formation"] = _formation(rng, trame)
    cerfa["organismeFormation"] = organisme
    if not identique:
        cerfa["organismeFormationLieuFormationPrincipal"] = lieu_de_formation(rng, organisme)
    return {"cerfa": cerfa}


def _departement_de(employeur: dict[str, Any]) -> str:
    code_postal = employeur["adresse"]["codePostal"]
    if code_postal.startswith("97"):
        return code_postal[:3]
    if code_postal.startswith("20"):
        return "2A" if code_postal < "20200" else "2B"
    return code_postal[:2]


def _employeur(rng: random.Random, trame: Trame, referentiel: ReferentielDemo) -> dict[str, Any]:
    activite = secteur(trame.opco)
    lieu = lieux.commune(rng)
    representant_sexe = choisir(rng, "MF")
    representant_nom = personnes.nom(rng)
    denomination = f"{choisir(rng, activite.enseignes)} {personnes.nom(rng)}"
    if rng.random() < 0.6:
        denomination += choisir(rng, (" SARL", " SAS", " SA", " EURL"))
    employeur: dict[str, Any] = {
        "denomination": denomination,
        "siret": identifiants.siret(rng),
        "naf": choisir(rng, activite.naf),
        "nombreDeSalaries": _effectif(rng),
        "codeIdcc": trame.idcc,
    }
    libelle = referentiel.libelles_idcc.get(trame.idcc)
    if libelle:
        employeur["libelleIdcc"] = libelle
    employeur.update(
        {
            "telephone": identifiants.telephone_fixe(rng, lieu.departement),
            "courriel": personnes.courriel_organisation(rng, denomination),
            "adresse": lieux.adresse(rng, lieu),
            "typeEmployeur": choisir(rng, activite.types_employeur),
            "employeurSpecifique": 0,
            "caisseComplementaire": choisir(rng, activite.caisses),
            "regimeSpecifique": False,
            "attestationEligibilite": True,
            "attestationPieces": True,
            "nom": representant_nom,
            "prenom": personnes.prenom(rng, representant_sexe),
        }
    )
    return employeur


def _effectif(rng: random.Random) -> int:
    """Un effectif salarié réaliste : beaucoup de très petites entreprises, quelques grandes."""
    return max(1, int(math.exp(rng.uniform(0.0, math.log(5000)))))


def _apprenti(rng: random.Random, trame: Trame, employeur: dict[str, Any]) -> dict[str, Any]:
    sexe = trame.sexe
    nom = personnes.nom(rng).upper()
    prenom = personnes.prenom(rng, sexe)
    certification = trame.certification
    if rng.random() < 0.85:
        naissance_lieu = lieux.commune(rng)
        departement, commune, code_insee = (
            naissance_lieu.departement,
            naissance_lieu.nom,
            naissance_lieu.code_insee,
        )
        nationalite = 1 if rng.random() < 0.95 else 3
    else:
        pays = choisir(rng, lieux.PAYS_NAISSANCE)
        departement, commune, code_insee = "99", pays.nom, pays.code_insee
        etrangere = 2 if pays.union_europeenne else 3
        nationalite = 1 if rng.random() < 0.3 else etrangere
    domicile = lieux.commune(rng)
    adresse = lieux.adresse(rng, domicile)
    age_debut = trame.age_debut
    apprenti: dict[str, Any] = {"nom": nom}
    if sexe == "F" and age_debut >= 24 and rng.random() < 0.3:
        apprenti["nomUsage"] = personnes.nom(rng).upper()
    apprenti.update(
        {
            "prenom": prenom,
            "sexe": sexe,
            "dateNaissance": trame.naissance.isoformat(),
            "departementNaissance": departement,
            "communeNaissance": commune,
            "nir": identifiants.nir(rng, sexe, trame.naissance, code_insee),
            "nationalite": nationalite,
            "regimeSocial": 1 if employeur["typeEmployeur"] == 13 else 2,
            "handicap": trame.handicap,
            "inscriptionSportifDeHautNiveau": trame.sportif,
            "projetCreationRepriseEntreprise": trame.projet_entreprise,
            "situationAvantContrat": _situation(rng, trame, age_debut),
            "diplome": _diplome_obtenu(rng, trame, age_debut),
            "diplomePrepare": int(certification.type_diplome),
            "derniereClasse": _derniere_classe(rng, trame, age_debut),
            "intituleDiplomePrepare": certification.intitule,
            "telephone": identifiants.telephone_mobile(rng),
            "courriel": personnes.courriel(rng, prenom, nom),
            "adresse": adresse,
        }
    )
    if trame.mineur:
        parent_sexe = choisir(rng, "MF")
        parent_prenom = personnes.prenom(rng, parent_sexe)
        apprenti["responsableLegal"] = {
            "nom": nom,
            "prenom": parent_prenom,
            "courriel": personnes.courriel(rng, parent_prenom, nom),
            "adresse": dict(adresse),
        }
    return apprenti


def _situation(rng: random.Random, trame: Trame, age_debut: int) -> int:
    if trame.type_contrat in codes.TYPES_CONTRAT_SUCCESSION:
        return 4  # déjà en contrat d'apprentissage
    if age_debut < 17:
        return 1  # scolaire
    return choisir(rng, (1, 1, 3, 3, 4, 9, 10, 11))


def _diplome_obtenu(rng: random.Random, trame: Trame, age_debut: int) -> int:
    if age_debut < 16:
        return choisir(rng, (13, 25))
    return choisir(rng, DIPLOMES_OBTENUS.get(trame.certification.niveau, (13,)))


def _derniere_classe(rng: random.Random, trame: Trame, age_debut: int) -> str:
    if age_debut < 16 or (age_debut < 17 and trame.certification.niveau <= 3):
        return "40"  # a achevé le collège (3e)
    return choisir(rng, ("01", "01", "01", "11", "21", "31"))


def _maitre(rng: random.Random, trame: Trame) -> dict[str, Any]:
    sexe = choisir(rng, "MF")
    nom = personnes.nom(rng)
    prenom = personnes.prenom(rng, sexe)
    naissance = trame.date_debut - timedelta(days=entier(rng, 25 * 365 + 7, 62 * 365))
    if naissance.month == 2 and naissance.day == 29:
        naissance -= timedelta(days=1)
    niveau = min(8, trame.certification.niveau + choisir(rng, (0, 0, 1)))
    maitre: dict[str, Any] = {
        "nom": nom,
        "prenom": prenom,
        "dateNaissance": naissance.isoformat(),
        "courriel": personnes.courriel(rng, prenom, nom),
        "emploiOccupe": choisir(rng, secteur(trame.opco).emplois),
        "intituleDiplomeObtenu": INTITULES_DIPLOME_MAITRE[niveau],
        "niveauDiplomeObtenu": niveau,
    }
    if rng.random() < 0.25:
        maitre["nir"] = identifiants.nir(rng, sexe, naissance, lieux.commune(rng).code_insee)
    return maitre


def _contrat(
    rng: random.Random, trame: Trame, employeur: dict[str, Any], departement: str
) -> dict[str, Any]:
    mineur_au_debut = trame.age_debut < 18
    mode = _mode_contractuel(rng)
    if mode == 3:
        employeur["employeurSpecifique"] = 1
    elif mode == 4:
        employeur["employeurSpecifique"] = 3
    elif rng.random() < 0.05:
        employeur["employeurSpecifique"] = choisir(rng, (2, 4))
    heures, minutes = (35, 0) if mineur_au_debut else _duree_hebdomadaire(rng)
    majoration = 0 if rng.random() < 0.55 else entier(rng, 1, 15)
    grille = periodes(trame.naissance, trame.date_debut, trame.date_fin, majoration)
    type_salaire = "SMC" if trame.age_debut >= 21 and rng.random() < 0.1 else "SMIC"
    salaire = salaire_embauche_centimes(grille[0].taux, trame.date_debut, heures * 60 + minutes)
    contrat: dict[str, Any] = {
        "modeContractuel": mode,
        "typeContratApp": trame.type_contrat,
    }
    if trame.date_contrat_precedent is not None:
        contrat["numeroContratPrecedent"] = identifiants.numero_deca(
            rng, departement, trame.date_contrat_precedent
        )
    contrat.update(
        {
            "dateConclusion": trame.date_conclusion.isoformat(),
            "dateDebutContrat": trame.date_debut.isoformat(),
            "dateFormationPratiqueEmployeur": (
                trame.date_debut + timedelta(days=choisir(rng, (0, 0, 0, 7, 14)))
            ).isoformat(),
            "dateFinContrat": trame.date_fin.isoformat(),
        }
    )
    if trame.date_effet_avenant is not None:
        contrat["dateEffetAvenant"] = trame.date_effet_avenant.isoformat()
    contrat["lieuSignatureContrat"] = employeur["adresse"]["commune"]
    if trame.derogation is not None:
        contrat["typeDerogation"] = trame.derogation
    contrat.update(
        {
            "dureeTravailHebdoHeures": heures,
            "dureeTravailHebdoMinutes": minutes,
            "travailRisque": (not mineur_au_debut) and rng.random() < 0.1,
            "salaireEmbauche": salaire / 100,
        }
    )
    if trame.opco == "akto" and rng.random() < 0.5:
        contrat["avantageNourriture"] = choisir(rng, (388, 403, 415, 422)) / 100
    if rng.random() < 0.03:
        contrat["avantageLogement"] = choisir(rng, (7550, 8920)) / 100
    contrat["autreAvantageEnNature"] = False
    contrat["remunerationsAnnuelles"] = [
        {
            "ordre": periode.ordre,
            "dateDebut": periode.debut.isoformat(),
            "dateFin": periode.fin.isoformat(),
            "taux": periode.taux,
            "typeSalaire": type_salaire,
        }
        for periode in grille
    ]
    return contrat


def _mode_contractuel(rng: random.Random) -> int:
    tirage = rng.random()
    if tirage < 0.78:
        return 1
    if tirage < 0.93:
        return 2
    return 3 if tirage < 0.97 else 4


def _duree_hebdomadaire(rng: random.Random) -> tuple[int, int]:
    return choisir(rng, ((35, 0),) * 14 + ((39, 0),) * 3 + ((37, 30),) * 2 + ((36, 0),))


def _formation(rng: random.Random, trame: Trame) -> dict[str, Any]:
    certification = trame.certification
    jours = (trame.date_fin - trame.date_debut).days + 1
    annees = jours / 365
    bas, haut = HEURES_FORMATION_PAR_AN.get(certification.niveau, (450, 600))
    minimum = math.ceil(
        PART_MINIMALE_FORMATION * HEURES_ANNUELLES * annees * (40 / 35)
    )  # marge : jusqu'à 40 h par semaine
    duree = min(9999, max(minimum, round(entier(rng, bas, haut) * annees)))
    tirage = rng.random()
    if tirage < 0.65:
        distanciel = 0
    elif tirage < 0.85:
        distanciel = round(duree * rng.uniform(0.05, 0.4))
    else:
        distanciel = entier(rng, math.ceil(duree * 0.8), duree)
    debut_formation = trame.date_debut + timedelta(days=entier(rng, -20, 20))
    fin_formation = max(
        trame.date_fin - timedelta(days=entier(rng, 0, 45)),
        debut_formation + timedelta(days=1),
        trame.date_debut,
    )
    return {
        "rncp": certification.rncp,
        "codeDiplome": certification.code_diplome,
        "typeDiplome": int(certification.type_diplome),
        "intituleQualification": certification.intitule,
        "dateDebutFormation": debut_formation.isoformat(),
        "dateFinFormation": fin_formation.isoformat(),
        "dureeFormation": duree,
        "nombreHeuresEnDistanciel": distanciel,
    }
