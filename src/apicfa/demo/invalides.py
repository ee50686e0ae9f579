"""Dossiers invalides : pour chaque règle du catalogue du cerfa, comment casser un dossier
valide sur cette règle SEULE (les autres constats bloquants ou d'instruction restent muets).

La table a deux étages :
- `MUTATIONS` : les règles de cohérence (dates, âges, durées, grille…), une mutation écrite
  à la main chacune, avec le dossier de départ qui lui convient (un avenant, un mineur…) ;
- les règles de forme engendrées par le schéma (`…_ABSENT`, `…_FORMAT`, `…_CODE`, `…_CLE`),
  cassées d'après leur suffixe et le chemin JSON de la règle (`mutation_generique`).
`EXCLUSIONS` liste, avec la raison, les règles qu'on ne peut pas enfreindre seules.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from apicfa.demo import chemins
from apicfa.demo.calendrier import UN_JOUR, age, ajouter_annees, ajouter_mois
from apicfa.demo.generateur import REFERENCE_PAR_DEFAUT, generer_dossiers
from apicfa.demo.identifiants import cle_nir
from apicfa.demo.remuneration import periodes, taux_minimum
from apicfa.norme import codes
from apicfa.norme.regles import CATALOGUE

Dossier = dict[str, Any]
TAILLE_VIVIER = 400


@dataclass(frozen=True, slots=True)
class Mutation:
    """`convient` choisit le dossier valide de départ ; `appliquer` le casse (en place)."""

    comment: str
    convient: Callable[[Dossier], bool]
    appliquer: Callable[[Dossier], None]


# --- lecture commode des dossiers -------------------------------------------------------


def _c(dossier: Dossier) -> dict[str, Any]:
    return dossier["cerfa"]


def _jour(dossier: Dossier, bloc: str, cle: str) -> date:
    return date.fromisoformat(_c(dossier)[bloc][cle])


def _ecrire_jour(dossier: Dossier, bloc: str, cle: str, jour: date) -> None:
    _c(dossier)[bloc][cle] = jour.isoformat()


def _type_contrat(dossier: Dossier) -> int:
    return _c(dossier)["contrat"]["typeContratApp"]


def _derogation(dossier: Dossier) -> int | None:
    return _c(dossier)["contrat"].get("typeDerogation")


def _toujours(_dossier: Dossier) -> bool:
    return True


def _initial(dossier: Dossier) -> bool:
    return _type_contrat(dossier) == codes.TYPE_CONTRAT_INITIAL


def _sans_exception_d_age(dossier: Dossier) -> bool:
    apprenti = _c(dossier)["apprenti"]
    return not (
        apprenti["handicap"]
        or apprenti["inscriptionSportifDeHautNiveau"]
        or apprenti["projetCreationRepriseEntreprise"]
        or _derogation(dossier) is not None
    )


# --- remises en cohérence après une mutation ---------------------------------------------


def _recalculer_grille(dossier: Dossier) -> None:
    """La grille de rémunération minimale du contrat tel qu'il est devenu."""
    contrat = _c(dossier)["contrat"]
    type_salaire = contrat["remunerationsAnnuelles"][0]["typeSalaire"]
    contrat["remunerationsAnnuelles"] = [
        {
            "ordre": p.ordre,
            "dateDebut": p.debut.isoformat(),
            "dateFin": p.fin.isoformat(),
            "taux": p.taux,
            "typeSalaire": type_salaire,
        }
        for p in periodes(
            _jour(dossier, "apprenti", "dateNaissance"),
            _jour(dossier, "contrat", "dateDebutContrat"),
            _jour(dossier, "contrat", "dateFinContrat"),
            0,
        )
    ]


def _nir_modifie(nir: str, *, premier: str | None = None, naissance: date | None = None) -> str:
    corps = nir[:13]
    if premier is not None:
        corps = premier + corps[1:]
    if naissance is not None:
        corps = f"{corps[0]}{naissance.year % 100:02d}{naissance.month:02d}{corps[5:]}"
    return corps + cle_nir(corps)


def _changer_naissance(dossier: Dossier, naissance: date) -> None:
    """Nouvelle date de naissance de l'apprenti : NIR, grille et représentant légal suivent."""
    apprenti = _c(dossier)["apprenti"]
    apprenti["dateNaissance"] = naissance.isoformat()
    if "nir" in apprenti:
        apprenti["nir"] = _nir_modifie(apprenti["nir"], naissance=naissance)
    _recalculer_grille(dossier)
    conclusion = _jour(dossier, "contrat", "dateConclusion")
    if age(naissance, conclusion) < 18 and "responsableLegal" not in apprenti:
        apprenti["responsableLegal"] = {"nom": apprenti["nom"], "prenom": "Claire"}


def _changer_fin(dossier: Dossier, fin: date) -> None:
    """Nouvelle fin de contrat : formation (dates, durée minimale) et grille suivent."""
    cerfa = _c(dossier)
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(dossier, "contrat", "dateFinContrat", fin)
    formation = cerfa["formation"]
    debut_formation = date.fromisoformat(formation["dateDebutFormation"])
    fin_formation = min(date.fromisoformat(formation["dateFinFormation"]), fin)
    formation["dateFinFormation"] = max(fin_formation, debut, debut_formation).isoformat()
    jours = (fin - debut).days + 1
    minimum = math.ceil(1607 * jours / (365 * 4)) + 1
    formation["dureeFormation"] = min(9999, max(formation["dureeFormation"], minimum))
    _recalculer_grille(dossier)


# --- mutations des règles de cohérence ----------------------------------------------------


def _sans(bloc: str, cle: str) -> Callable[[Dossier], None]:
    def appliquer(dossier: Dossier) -> None:
        del _c(dossier)[bloc][cle]

    return appliquer


def _numero_precedent_mal_forme(dossier: Dossier) -> None:
    _c(dossier)["contrat"]["numeroContratPrecedent"] = VALEURS_MAL_FORMEES["numeroContratPrecedent"]


def _cerfa_nul(dossier: Dossier) -> None:
    dossier["cerfa"] = None


def _conclusion_future(dossier: Dossier) -> None:
    _c(dossier)["contrat"]["dateConclusion"] = "2099-12-31"


def _conclusion_2019(dossier: Dossier) -> None:
    _c(dossier)["contrat"]["dateConclusion"] = "2019-12-15"


def _adulte_fin_2019(dossier: Dossier) -> bool:
    naissance = _jour(dossier, "apprenti", "dateNaissance")
    return age(naissance, date(2019, 12, 15)) >= 18 or "responsableLegal" in _c(dossier)["apprenti"]


def _conclusion_apres_debut(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(dossier, "contrat", "dateConclusion", debut + UN_JOUR)


def _debut_passe(dossier: Dossier) -> bool:
    return (
        _initial(dossier) and _jour(dossier, "contrat", "dateDebutContrat") < REFERENCE_PAR_DEFAUT
    )


def _fin_avant_debut(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(dossier, "contrat", "dateFinContrat", debut - UN_JOUR)


def _effet_hors_contrat(dossier: Dossier) -> None:
    fin = _jour(dossier, "contrat", "dateFinContrat")
    _ecrire_jour(dossier, "contrat", "dateEffetAvenant", fin + timedelta(days=10))


def _pratique_tardive(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(
        dossier, "contrat", "dateFormationPratiqueEmployeur", ajouter_mois(debut, 4) + UN_JOUR
    )


def _rupture_hors_contrat(dossier: Dossier) -> None:
    fin = _jour(dossier, "contrat", "dateFinContrat")
    _ecrire_jour(dossier, "contrat", "dateRupture", fin + timedelta(days=30))


def _trop_court(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _changer_fin(dossier, ajouter_mois(debut, 4) - UN_JOUR)


def _sans_allongement(dossier: Dossier) -> bool:
    return (
        _initial(dossier)
        and not _c(dossier)["apprenti"]["handicap"]
        and _derogation(dossier)
        not in (codes.DEROGATION_DUREE_ALLONGEE, codes.DEROGATION_PLUSIEURS)
    )


def _trop_long(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _changer_fin(dossier, ajouter_mois(debut, 42) - UN_JOUR)


def _semaine_trop_longue(dossier: Dossier) -> None:
    _c(dossier)["contrat"]["dureeTravailHebdoHeures"] = 42


def _periode_inversee(dossier: Dossier) -> None:
    periode = _c(dossier)["contrat"]["remunerationsAnnuelles"][0]
    debut = date.fromisoformat(periode["dateDebut"])
    periode["dateFin"] = (debut - UN_JOUR).isoformat()


def _au_moins_deux_ans(dossier: Dossier) -> bool:
    return any(
        p["ordre"].startswith("2.") for p in _c(dossier)["contrat"]["remunerationsAnnuelles"]
    )


def _sans_annee_2(dossier: Dossier) -> None:
    contrat = _c(dossier)["contrat"]
    contrat["remunerationsAnnuelles"] = [
        p for p in contrat["remunerationsAnnuelles"] if not p["ordre"].startswith("2.")
    ]


def _taux_trop_bas(dossier: Dossier) -> None:
    _c(dossier)["contrat"]["remunerationsAnnuelles"][0]["taux"] = 10


def _avec_changement_de_tranche(dossier: Dossier) -> bool:
    ordres = [p["ordre"] for p in _c(dossier)["contrat"]["remunerationsAnnuelles"]]
    return any(o.endswith(".2") for o in ordres)


def _tranche_non_coupee(dossier: Dossier) -> None:
    """Fusionne les deux périodes d'une année au taux minimal de la première tranche."""
    contrat = _c(dossier)["contrat"]
    grille = contrat["remunerationsAnnuelles"]
    indice = next(i for i, p in enumerate(grille) if p["ordre"].endswith(".2"))
    premiere, seconde = grille[indice - 1], grille[indice]
    naissance = _jour(dossier, "apprenti", "dateNaissance")
    annee = int(premiere["ordre"][0])
    premiere["dateFin"] = seconde["dateFin"]
    premiere["taux"] = taux_minimum(
        annee, age(naissance, date.fromisoformat(premiere["dateDebut"]))
    )
    del grille[indice]


def _formation_hors_fenetre(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(dossier, "formation", "dateDebutFormation", ajouter_mois(debut, -4))


def _formation_commence_apres_contrat(dossier: Dossier) -> bool:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    return _jour(dossier, "formation", "dateDebutFormation") >= debut + timedelta(days=2)


def _formation_finit_avant_de_commencer(dossier: Dossier) -> None:
    debut_formation = _jour(dossier, "formation", "dateDebutFormation")
    _ecrire_jour(dossier, "formation", "dateFinFormation", debut_formation - UN_JOUR)


def _formation_commence_avant_contrat(dossier: Dossier) -> bool:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    return _jour(dossier, "formation", "dateDebutFormation") <= debut - timedelta(days=2)


def _formation_finit_avant_contrat(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _ecrire_jour(dossier, "formation", "dateFinFormation", debut - UN_JOUR)


def _formation_finit_apres_contrat(dossier: Dossier) -> None:
    fin = _jour(dossier, "contrat", "dateFinContrat")
    _ecrire_jour(dossier, "formation", "dateFinFormation", fin + timedelta(days=15))


def _formation_trop_courte(dossier: Dossier) -> None:
    formation = _c(dossier)["formation"]
    formation["dureeFormation"] = 50
    formation["nombreHeuresEnDistanciel"] = 0


def _distanciel_excessif(dossier: Dossier) -> None:
    formation = _c(dossier)["formation"]
    formation["nombreHeuresEnDistanciel"] = formation["dureeFormation"] + 10


def _apprenti_de_14_ans(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _changer_naissance(dossier, ajouter_annees(debut, -14) - timedelta(days=100))


def _apprenti_de_35_ans(dossier: Dossier) -> None:
    debut = _jour(dossier, "contrat", "dateDebutContrat")
    _changer_naissance(dossier, ajouter_annees(debut, -35) - timedelta(days=100))


def _avec(bloc: str, cle: str) -> Callable[[Dossier], bool]:
    def convient(dossier: Dossier) -> bool:
        return cle in _c(dossier).get(bloc, {})

    return convient


def _nir_autre_sexe(dossier: Dossier) -> None:
    apprenti = _c(dossier)["apprenti"]
    apprenti["nir"] = _nir_modifie(apprenti["nir"], premier="2" if apprenti["sexe"] == "M" else "1")


def _nir_autre_annee(dossier: Dossier) -> None:
    apprenti = _c(dossier)["apprenti"]
    naissance = date.fromisoformat(apprenti["dateNaissance"])
    apprenti["nir"] = _nir_modifie(apprenti["nir"], naissance=ajouter_annees(naissance, 1))


def _nir_autre_mois(dossier: Dossier) -> None:
    apprenti = _c(dossier)["apprenti"]
    naissance = date.fromisoformat(apprenti["dateNaissance"])
    autre_mois = naissance.replace(day=1, month=naissance.month % 12 + 1)
    apprenti["nir"] = _nir_modifie(apprenti["nir"], naissance=autre_mois)


def _ne_en_metropole(dossier: Dossier) -> bool:
    departement = _c(dossier)["apprenti"]["departementNaissance"]
    return departement not in ("99", "2A", "2B") and not departement.startswith("97")


def _autre_departement(dossier: Dossier) -> None:
    apprenti = _c(dossier)["apprenti"]
    apprenti["departementNaissance"] = "69" if apprenti["departementNaissance"] != "69" else "75"


def _francais_avec_nir(dossier: Dossier) -> bool:
    apprenti = _c(dossier)["apprenti"]
    return apprenti["nationalite"] == 1 and "nir" in apprenti


def _maitre_de_17_ans(numero: int) -> Callable[[Dossier], None]:
    def appliquer(dossier: Dossier) -> None:
        debut = _jour(dossier, "contrat", "dateDebutContrat")
        maitre = _c(dossier)[f"maitre{numero}"]
        maitre["dateNaissance"] = (ajouter_annees(debut, -17) - timedelta(days=30)).isoformat()
        maitre.pop("nir", None)

    return appliquer


def _a_maitre2(dossier: Dossier) -> bool:
    return "maitre2" in _c(dossier)


def _lieu_distinct(dossier: Dossier) -> bool:
    return "organismeFormationLieuFormationPrincipal" in _c(dossier)


def _sans_lieu(dossier: Dossier) -> None:
    del _c(dossier)["organismeFormationLieuFormationPrincipal"]


def _avenant_avec_effet(dossier: Dossier) -> bool:
    return _type_contrat(dossier) in codes.TYPES_AVENANT_AVEC_DATE_EFFET


def _avec_precedent(dossier: Dossier) -> bool:
    return _type_contrat(dossier) in codes.TYPES_CONTRAT_AVEC_PRECEDENT


def _non_initial(dossier: Dossier) -> bool:
    return not _initial(dossier)


def _mineur(dossier: Dossier) -> bool:
    return "responsableLegal" in _c(dossier)["apprenti"]


MUTATIONS: dict[str, Mutation] = {
    # Une enveloppe vide se lirait comme un cerfa nu sans aucun bloc : on envoie `null`.
    "CERFA_ABSENT": Mutation("enveloppe dont le cerfa vaut null", _toujours, _cerfa_nul),
    "CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT": Mutation(
        "avenant ou succession sans numéro du contrat précédent",
        _avec_precedent,
        _sans("contrat", "numeroContratPrecedent"),
    ),
    # Sur un premier contrat, où le numéro est facultatif : sur une succession ou un avenant,
    # le validateur signale aussi, à tort, le numéro comme manquant (écart signalé à la norme).
    "CONTRAT_NUMERO_CONTRAT_PRECEDENT_FORMAT": Mutation(
        "premier contrat portant un numéro de contrat précédent mal formé",
        _initial,
        _numero_precedent_mal_forme,
    ),
    "CONTRAT_DATE_EFFET_AVENANT_ABSENT": Mutation(
        "avenant 31–37 sans date d'effet", _avenant_avec_effet, _sans("contrat", "dateEffetAvenant")
    ),
    "CONTRAT_DATE_EFFET_AVENANT_HORS_CONTRAT": Mutation(
        "date d'effet 10 jours après la fin du contrat", _avenant_avec_effet, _effet_hors_contrat
    ),
    "CONTRAT_DATE_CONCLUSION_FUTURE": Mutation(
        "avenant conclu le 31/12/2099", _non_initial, _conclusion_future
    ),
    "CONTRAT_DATE_CONCLUSION_AVANT_2020": Mutation(
        "contrat conclu le 15/12/2019", _adulte_fin_2019, _conclusion_2019
    ),
    "CONTRAT_DATE_CONCLUSION_APRES_DEBUT": Mutation(
        "premier contrat signé le lendemain de son début", _debut_passe, _conclusion_apres_debut
    ),
    "CONTRAT_DATE_FIN_AVANT_DEBUT": Mutation(
        "fin du contrat la veille de son début", _initial, _fin_avant_debut
    ),
    "CONTRAT_DATE_FORMATION_PRATIQUE_FENETRE": Mutation(
        "formation pratique 4 mois après le début", _toujours, _pratique_tardive
    ),
    "CONTRAT_DATE_RUPTURE_HORS_CONTRAT": Mutation(
        "rupture 30 jours après la fin du contrat", _toujours, _rupture_hors_contrat
    ),
    "CONTRAT_DUREE_TROP_COURTE": Mutation("contrat de 4 mois", _initial, _trop_court),
    "CONTRAT_DUREE_TROP_LONGUE": Mutation(
        "contrat de 3 ans et demi sans dérogation ni RQTH", _sans_allongement, _trop_long
    ),
    "CONTRAT_DUREE_HEBDO_MAXIMUM": Mutation(
        "42 heures par semaine", _toujours, _semaine_trop_longue
    ),
    "REMUNERATION_DATES_ORDRE": Mutation(
        "première période finissant la veille de son début", _toujours, _periode_inversee
    ),
    "REMUNERATION_ANNEE_MANQUANTE": Mutation(
        "contrat de deux ans sans rémunération pour la 2e année", _au_moins_deux_ans, _sans_annee_2
    ),
    "REMUNERATION_TAUX_MINIMUM": Mutation("taux de 10 % du SMIC", _toujours, _taux_trop_bas),
    "REMUNERATION_TRANCHE_AGE": Mutation(
        "année non coupée au changement de tranche d'âge",
        _avec_changement_de_tranche,
        _tranche_non_coupee,
    ),
    "FORMATION_DATE_DEBUT_FENETRE": Mutation(
        "formation commencée 4 mois avant le contrat", _toujours, _formation_hors_fenetre
    ),
    "FORMATION_DATE_FIN_AVANT_DEBUT": Mutation(
        "formation finissant la veille de son début",
        _formation_commence_apres_contrat,
        _formation_finit_avant_de_commencer,
    ),
    "FORMATION_DATE_FIN_AVANT_DEBUT_CONTRAT": Mutation(
        "formation finissant la veille du début du contrat",
        _formation_commence_avant_contrat,
        _formation_finit_avant_contrat,
    ),
    "FORMATION_DATE_FIN_APRES_FIN_CONTRAT": Mutation(
        "formation finissant 15 jours après le contrat", _toujours, _formation_finit_apres_contrat
    ),
    "FORMATION_DUREE_INSUFFISANTE": Mutation(
        "50 heures de formation", _toujours, _formation_trop_courte
    ),
    "FORMATION_DISTANCIEL_SUPERIEUR_DUREE": Mutation(
        "plus d'heures à distance que d'heures de formation", _toujours, _distanciel_excessif
    ),
    "APPRENTI_AGE_MINIMUM": Mutation("apprenti de 14 ans", _initial, _apprenti_de_14_ans),
    "APPRENTI_AGE_MAXIMUM": Mutation(
        "apprenti de 35 ans sans RQTH ni dérogation", _sans_exception_d_age, _apprenti_de_35_ans
    ),
    "APPRENTI_RESPONSABLE_LEGAL_ABSENT": Mutation(
        "mineur sans représentant légal", _mineur, _sans("apprenti", "responsableLegal")
    ),
    "APPRENTI_NIR_SEXE": Mutation(
        "NIR d'un homme pour une femme (ou l'inverse), clé recalculée",
        _avec("apprenti", "nir"),
        _nir_autre_sexe,
    ),
    "APPRENTI_NIR_ANNEE": Mutation(
        "NIR d'une autre année de naissance, clé recalculée",
        _avec("apprenti", "nir"),
        _nir_autre_annee,
    ),
    "APPRENTI_NIR_MOIS": Mutation(
        "NIR d'un autre mois de naissance, clé recalculée",
        _avec("apprenti", "nir"),
        _nir_autre_mois,
    ),
    "APPRENTI_NIR_DEPARTEMENT": Mutation(
        "département de naissance différent de celui du NIR", _ne_en_metropole, _autre_departement
    ),
    "APPRENTI_NIR_ABSENT": Mutation(
        "apprenti français sans NIR", _francais_avec_nir, _sans("apprenti", "nir")
    ),
    "MAITRE1_AGE_MINIMUM": Mutation("premier maître de 17 ans", _toujours, _maitre_de_17_ans(1)),
    "MAITRE2_AGE_MINIMUM": Mutation("second maître de 17 ans", _a_maitre2, _maitre_de_17_ans(2)),
    "LIEU_FORMATION_ABSENT": Mutation(
        "lieu de formation distinct annoncé mais absent", _lieu_distinct, _sans_lieu
    ),
}

EXCLUSIONS: dict[str, str] = {}


# --- règles de forme : d'après le suffixe du code et le chemin de la règle ---------------

TEXTE_TROP_LONG = "Texte beaucoup trop long. " * 80
VALEURS_MAL_FORMEES: dict[str, Any] = {
    "siret": "4432061800001",
    "naf": "6202",
    "codeIdcc": "IDCC",
    "codePostal": "7501",
    "telephone": "12",
    "courriel": "prenom.nom-sans-domaine",
    "nir": "1850575",
    "uaiCfa": "075123",
    "rncp": "RN12",
    "codeDiplome": "12",
    "numeroContratPrecedent": "12345",
    "noContrat": "12345",
    "noAvenant": "12345",
    "departementNaissance": "00",
    "nom": "Jean3",
    "prenom": "Jean3",
    "nomUsage": "Jean3",
}


def valeur_mal_formee(cle: str, actuelle: Any) -> Any:
    """Une valeur de la mauvaise forme pour le champ `cle` (dont la valeur est `actuelle`)."""
    if cle in VALEURS_MAL_FORMEES:
        return VALEURS_MAL_FORMEES[cle]
    if cle.startswith("date"):
        return "2025-02-30"
    if isinstance(actuelle, bool):
        return "peut-être"
    if isinstance(actuelle, int | float):
        return "douze"
    return TEXTE_TROP_LONG


def valeur_hors_liste(actuelle: Any) -> Any:
    """Une valeur hors de la liste de codes du champ."""
    if isinstance(actuelle, str):
        return "ZZ"
    return 999


def cle_faussee(cle: str, actuelle: str) -> str:
    """`actuelle` avec une clé de contrôle fausse (le reste de la forme intact)."""
    if cle == "uaiCfa":
        lettres = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return actuelle[:7] + lettres[(lettres.index(actuelle[7]) + 1) % len(lettres)]
    if cle == "nir":
        return actuelle[:13] + f"{int(actuelle[13:]) % 97 + 1:02d}"
    return actuelle[:-1] + str((int(actuelle[-1]) + 1) % 10)


def mutation_generique(code: str, chemin: str) -> Mutation | None:
    """La mutation d'une règle de forme, d'après le suffixe de son code ; None si inconnu."""

    def existe(dossier: Dossier) -> bool:
        return chemins.present(dossier, chemin)

    def parent_existe(dossier: Dossier) -> bool:
        return chemins.parent(dossier, chemin) is not None

    def supprimer(dossier: Dossier) -> None:
        trouve = chemins.parent(dossier, chemin)
        assert trouve is not None
        objet, cle = trouve
        del objet[cle]

    def remplacer(fabrique: Callable[[str, Any], Any]) -> Callable[[Dossier], None]:
        def appliquer(dossier: Dossier) -> None:
            trouve = chemins.parent(dossier, chemin)
            assert trouve is not None
            objet, cle = trouve
            objet[cle] = fabrique(cle, objet.get(cle))

        return appliquer

    if code.endswith("_ABSENT"):
        return Mutation("champ obligatoire retiré", existe, supprimer)
    if code.endswith("_CLE"):
        return Mutation("clé de contrôle faussée", existe, remplacer(cle_faussee))
    if code.endswith("_CODE"):
        return Mutation(
            "code hors de la liste", parent_existe, remplacer(lambda _c, v: valeur_hors_liste(v))
        )
    if code.endswith("_FORMAT"):
        return Mutation("valeur mal formée", parent_existe, remplacer(_mal_forme_ou_bloc))
    return None


def _mal_forme_ou_bloc(cle: str, actuelle: Any) -> Any:
    if isinstance(actuelle, dict | list):
        return "texte à la place d'un bloc"
    return valeur_mal_formee(cle, actuelle)


# --- production -----------------------------------------------------------------------


def regles_du_cerfa() -> dict[str, str]:
    """Code → chemin JSON de chaque règle du catalogue qui porte sur le cerfa."""
    return {
        code: regle.champ
        for code, regle in CATALOGUE.items()
        if regle.champ == "cerfa" or regle.champ.startswith("cerfa.")
    }


def mutation_pour(code: str, chemin: str) -> Mutation | None:
    return MUTATIONS.get(code) or mutation_generique(code, chemin)


@dataclass(frozen=True, slots=True)
class DossierInvalide:
    code: str
    comment: str
    dossier: Dossier


@dataclass(frozen=True, slots=True)
class Impossible:
    code: str
    raison: str


def dossiers_invalides(
    graine: int, *, reference: date | None = None
) -> Iterator[DossierInvalide | Impossible]:
    """Pour chaque règle du cerfa (ordre du code), un dossier qui n'enfreint qu'elle, ou la
    raison pour laquelle c'est impossible."""
    # Les dossiers ordinaires d'abord (ni dérogation, ni RQTH, ni autre exception d'âge) : une
    # règle de forme cassée sur eux ne prive aucune règle de cohérence d'une exception.
    vivier = sorted(
        generer_dossiers(TAILLE_VIVIER, graine, reference=reference),
        key=lambda dossier: not _sans_exception_d_age(dossier),
    )
    for code, chemin in sorted(regles_du_cerfa().items()):
        if code in EXCLUSIONS:
            yield Impossible(code, EXCLUSIONS[code])
            continue
        mutation = mutation_pour(code, chemin)
        if mutation is None:
            yield Impossible(code, "aucune mutation connue pour cette règle")
            continue
        base = next((d for d in vivier if mutation.convient(d)), None)
        if base is None:
            yield Impossible(
                code,
                f"aucun des {TAILLE_VIVIER} dossiers tirés de la graine {graine} ne convient "
                f"({mutation.comment})",
            )
            continue
        dossier = copy.deepcopy(base)
        mutation.appliquer(dossier)
        yield DossierInvalide(code, mutation.comment, dossier)
