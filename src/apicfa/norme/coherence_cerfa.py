"""Règles de cohérence du `cerfa` (SPEC §4.2–4.5) : dates, durées, âges, grille de rémunération.

Elles lisent les valeurs déjà vérifiées par le schéma (dictionnaire plat `"bloc.cle"`) : une
valeur absente ou mal formée a déjà son constat, la règle qui en dépend se tait.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from apicfa.norme import codes
from apicfa.norme.constats import AVERTISSEMENT, BLOQUANT, INSTRUCTION, Constat
from apicfa.norme.dates import age_au, ajouter_annees, ajouter_mois
from apicfa.norme.identifiants import nir_departement_compatible
from apicfa.norme.regle import Regle
from apicfa.norme.schema import MAL_FORMES

DATE_MINIMALE_CONCLUSION = date(2020, 1, 1)
UN_JOUR = timedelta(days=1)
HEURES_TRAVAIL_ANNUELLES = 1607
PART_MINIMALE_FORMATION = Decimal("0.25")
DUREE_HEBDO_MAX_HEURES = 40
DUREE_MIN_MOIS = 6
DUREE_MAX_ANNEES = 3
DUREE_MAX_ANNEES_DEROGATION = 4
FENETRE_FORMATION_MOIS = 3
FENETRE_FORMATION_PRATIQUE_MOIS = 3
AGE_MIN = 16
AGE_MIN_DEROGATION = 15
AGE_MAX_EXCLU = 30
AGE_MAJORITE = 18
DEROGATIONS_DUREE_ALLONGEE = frozenset(
    {codes.DEROGATION_DUREE_ALLONGEE, codes.DEROGATION_PLUSIEURS}
)
DEROGATIONS_MOINS_DE_16 = frozenset({codes.DEROGATION_MOINS_DE_16, codes.DEROGATION_PLUSIEURS})
DEROGATIONS_PLUS_DE_29 = frozenset({codes.DEROGATION_PLUS_DE_29, codes.DEROGATION_PLUSIEURS})

_C = "cerfa.contrat."
_F = "cerfa.formation."
_A = "cerfa.apprenti."

REGLES: dict[str, Regle] = {
    r.code: r
    for r in (
        Regle(
            "CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT",
            BLOQUANT,
            _C + "numeroContratPrecedent",
            "Le numéro DECA du contrat précédent manque : il est obligatoire pour un contrat "
            "de type {type} (succession de contrats ou avenant).",
            ("type",),
        ),
        Regle(
            "CONTRAT_DATE_EFFET_AVENANT_ABSENT",
            BLOQUANT,
            _C + "dateEffetAvenant",
            "La date d'effet de l'avenant manque : elle est obligatoire pour un avenant de type {type}.",
            ("type",),
        ),
        Regle(
            "CONTRAT_DATE_EFFET_AVENANT_HORS_CONTRAT",
            BLOQUANT,
            _C + "dateEffetAvenant",
            "La date d'effet de l'avenant ({effet}) doit tomber pendant le contrat, "
            "du {debut} au {fin}.",
            ("effet", "debut", "fin"),
        ),
        Regle(
            "CONTRAT_DATE_CONCLUSION_FUTURE",
            BLOQUANT,
            _C + "dateConclusion",
            "La date de conclusion du contrat ({conclusion}) est postérieure au jour du dépôt "
            "({jour}) : on ne dépose qu'un contrat déjà signé.",
            ("conclusion", "jour"),
        ),
        Regle(
            "CONTRAT_DATE_CONCLUSION_AVANT_2020",
            BLOQUANT,
            _C + "dateConclusion",
            "La date de conclusion du contrat ({conclusion}) est antérieure au 01/01/2020 : "
            "la norme ne couvre que les contrats conclus depuis cette date.",
            ("conclusion",),
        ),
        Regle(
            "CONTRAT_DATE_CONCLUSION_APRES_DEBUT",
            BLOQUANT,
            _C + "dateConclusion",
            "La date de conclusion du contrat ({conclusion}) est postérieure à son début "
            "d'exécution ({debut}) : un premier contrat se signe au plus tard le jour où il commence.",
            ("conclusion", "debut"),
        ),
        Regle(
            "CONTRAT_DATE_FIN_AVANT_DEBUT",
            BLOQUANT,
            _C + "dateFinContrat",
            "La date de fin du contrat ({fin}) doit être postérieure à sa date de début ({debut}).",
            ("fin", "debut"),
        ),
        Regle(
            "CONTRAT_DATE_FORMATION_PRATIQUE_FENETRE",
            BLOQUANT,
            _C + "dateFormationPratiqueEmployeur",
            "La formation pratique chez l'employeur doit commencer entre le début du contrat "
            "({debut}) et trois mois plus tard ({limite}) ; date reçue : {pratique}.",
            ("debut", "limite", "pratique"),
        ),
        Regle(
            "CONTRAT_DATE_RUPTURE_HORS_CONTRAT",
            BLOQUANT,
            _C + "dateRupture",
            "La date de rupture ({rupture}) doit tomber pendant le contrat, du {debut} au {fin}.",
            ("rupture", "debut", "fin"),
        ),
        Regle(
            "CONTRAT_DUREE_TROP_COURTE",
            INSTRUCTION,
            _C + "dateFinContrat",
            "Le contrat dure moins de 6 mois (du {debut} au {fin}) : un contrat d'apprentissage "
            "dure au moins 6 mois.",
            ("debut", "fin"),
        ),
        Regle(
            "CONTRAT_DUREE_TROP_LONGUE",
            INSTRUCTION,
            _C + "dateFinContrat",
            "Le contrat dure plus de {annees} ans (du {debut} au {fin}) : la durée maximale est "
            "de 3 ans, 4 ans avec une dérogation d'allongement (22 ou 50) ou pour un apprenti "
            "reconnu travailleur handicapé.",
            ("annees", "debut", "fin"),
        ),
        Regle(
            "CONTRAT_DUREE_HEBDO_MAXIMUM",
            INSTRUCTION,
            _C + "dureeTravailHebdoHeures",
            "La durée hebdomadaire de travail ({duree}) dépasse 40 heures.",
            ("duree",),
        ),
        Regle(
            "REMUNERATION_DATES_ORDRE",
            BLOQUANT,
            _C + "remunerationsAnnuelles[].dateFin",
            "La période de rémunération {ordre} finit ({fin}) avant de commencer ({debut}).",
            ("ordre", "fin", "debut"),
        ),
        Regle(
            "REMUNERATION_ANNEE_MANQUANTE",
            INSTRUCTION,
            _C + "remunerationsAnnuelles",
            "Aucune rémunération n'est donnée pour l'année {annee} du contrat (à partir du "
            "{debut}) : il faut au moins une période {annee}.1.",
            ("annee", "debut"),
        ),
        Regle(
            "REMUNERATION_TAUX_MINIMUM",
            INSTRUCTION,
            _C + "remunerationsAnnuelles[].taux",
            "Le taux de la période {ordre} ({taux} %) est inférieur au minimum légal de "
            "{minimum} % du SMIC pour la {annee}e année d'un apprenti de {age} ans.",
            ("ordre", "taux", "minimum", "annee", "age"),
        ),
        Regle(
            "REMUNERATION_TRANCHE_AGE",
            AVERTISSEMENT,
            _C + "remunerationsAnnuelles[].taux",
            "La période {ordre} couvre le passage de l'apprenti à {age} ans (le {anniversaire}) "
            "sans atteindre le nouveau minimum de {minimum} % : coupez-la en deux périodes.",
            ("ordre", "age", "anniversaire", "minimum"),
        ),
        Regle(
            "FORMATION_DATE_DEBUT_FENETRE",
            BLOQUANT,
            _F + "dateDebutFormation",
            "La formation doit commencer au plus 3 mois avant ou après le début du contrat "
            "({debut}), soit entre le {min} et le {max} ; date reçue : {formation}.",
            ("debut", "min", "max", "formation"),
        ),
        Regle(
            "FORMATION_DATE_FIN_AVANT_DEBUT",
            BLOQUANT,
            _F + "dateFinFormation",
            "La date de fin de la formation ({fin}) précède sa date de début ({debut}).",
            ("fin", "debut"),
        ),
        Regle(
            "FORMATION_DATE_FIN_AVANT_DEBUT_CONTRAT",
            BLOQUANT,
            _F + "dateFinFormation",
            "La formation finit ({fin}) avant le début du contrat ({debut}).",
            ("fin", "debut"),
        ),
        Regle(
            "FORMATION_DATE_FIN_APRES_FIN_CONTRAT",
            BLOQUANT,
            _F + "dateFinFormation",
            "La formation finit ({fin}) après la fin du contrat ({fin_contrat}).",
            ("fin", "fin_contrat"),
        ),
        Regle(
            "FORMATION_DUREE_INSUFFISANTE",
            INSTRUCTION,
            _F + "dureeFormation",
            "La durée de formation ({duree} h) est inférieure à 25 % du temps de travail du "
            "contrat, soit {minimum} h (base 1 607 h par an).",
            ("duree", "minimum"),
        ),
        Regle(
            "FORMATION_DISTANCIEL_SUPERIEUR_DUREE",
            BLOQUANT,
            _F + "nombreHeuresEnDistanciel",
            "Le nombre d'heures à distance ({distance} h) dépasse la durée de la formation "
            "({duree} h).",
            ("distance", "duree"),
        ),
        Regle(
            "APPRENTI_AGE_MINIMUM",
            INSTRUCTION,
            _A + "dateNaissance",
            "L'apprenti a {age} ans au début du contrat ({debut}) : l'âge minimum est 16 ans "
            "(15 ans après la classe de 3e, avec la dérogation 11).",
            ("age", "debut"),
        ),
        Regle(
            "APPRENTI_AGE_MAXIMUM",
            INSTRUCTION,
            _A + "dateNaissance",
            "L'apprenti a {age} ans au début du contrat ({debut}) : au-delà de 29 ans, il faut "
            "une RQTH, une inscription comme sportif de haut niveau, un projet de création ou "
            "de reprise d'entreprise, ou la dérogation 12.",
            ("age", "debut"),
        ),
        Regle(
            "APPRENTI_RESPONSABLE_LEGAL_ABSENT",
            INSTRUCTION,
            _A + "responsableLegal",
            "L'apprenti a {age} ans à la signature ({conclusion}) : le bloc de son représentant "
            "légal est obligatoire pour un mineur non émancipé.",
            ("age", "conclusion"),
        ),
        Regle(
            "APPRENTI_NIR_SEXE",
            BLOQUANT,
            _A + "nir",
            "Le NIR de l'apprenti ne correspond pas à son sexe ({sexe}) : son premier chiffre "
            "doit être {attendu}.",
            ("sexe", "attendu"),
        ),
        Regle(
            "APPRENTI_NIR_ANNEE",
            BLOQUANT,
            _A + "nir",
            "Le NIR de l'apprenti ne correspond pas à son année de naissance ({annee}) : "
            "les chiffres 2 et 3 doivent valoir {attendu}.",
            ("annee", "attendu"),
        ),
        Regle(
            "APPRENTI_NIR_MOIS",
            BLOQUANT,
            _A + "nir",
            "Le NIR de l'apprenti ne correspond pas à son mois de naissance : les chiffres "
            "4 et 5 doivent valoir {attendu} (ou 20 à 42, ou 99, pour un mois inconnu).",
            ("attendu",),
        ),
        Regle(
            "APPRENTI_NIR_DEPARTEMENT",
            AVERTISSEMENT,
            _A + "nir",
            "Le NIR de l'apprenti ne correspond pas à son département de naissance "
            "({departement}) : à vérifier (les départements ont changé de code avant 1968).",
            ("departement",),
        ),
        Regle(
            "APPRENTI_NIR_ABSENT",
            AVERTISSEMENT,
            _A + "nir",
            "Le NIR de l'apprenti, de nationalité française, manque : l'OPCO risque de le demander.",
        ),
        Regle(
            "MAITRE1_AGE_MINIMUM",
            INSTRUCTION,
            "cerfa.maitre1.dateNaissance",
            "Le premier maître d'apprentissage a {age} ans au début du contrat ({debut}) : "
            "un maître d'apprentissage a au moins 18 ans.",
            ("age", "debut"),
        ),
        Regle(
            "MAITRE2_AGE_MINIMUM",
            INSTRUCTION,
            "cerfa.maitre2.dateNaissance",
            "Le second maître d'apprentissage a {age} ans au début du contrat ({debut}) : "
            "un maître d'apprentissage a au moins 18 ans.",
            ("age", "debut"),
        ),
        Regle(
            "LIEU_FORMATION_ABSENT",
            BLOQUANT,
            "cerfa.organismeFormationLieuFormationPrincipal",
            "Le lieu principal de formation manque : il est obligatoire quand il diffère du CFA "
            "(lieuFormationIdentique vaut false).",
        ),
    )
}


class Bornes(NamedTuple):
    """Dates tirées du début du contrat, calculées une fois par date de début."""

    duree_min: date  # dernier jour le plus tôt admis pour la fin (6 mois − 1 jour)
    duree_max: date  # fin la plus tardive admise (3 ans − 1 jour)
    duree_max_derogation: date  # fin la plus tardive avec dérogation ou RQTH (4 ans − 1 jour)
    fenetre_min: date  # début de formation au plus tôt (− 3 mois)
    fenetre_max: date  # début de formation au plus tard (+ 3 mois)
    pratique_max: date  # début de la formation pratique au plus tard (+ 3 mois)
    anniversaires: tuple[date, date, date]  # débuts des 2e, 3e et 4e années d'exécution


@lru_cache(maxsize=8192)
def bornes(debut: date) -> Bornes:
    return Bornes(
        ajouter_mois(debut, DUREE_MIN_MOIS) - UN_JOUR,
        ajouter_annees(debut, DUREE_MAX_ANNEES) - UN_JOUR,
        ajouter_annees(debut, DUREE_MAX_ANNEES_DEROGATION) - UN_JOUR,
        ajouter_mois(debut, -FENETRE_FORMATION_MOIS),
        ajouter_mois(debut, FENETRE_FORMATION_MOIS),
        ajouter_mois(debut, FENETRE_FORMATION_PRATIQUE_MOIS),
        (ajouter_annees(debut, 1), ajouter_annees(debut, 2), ajouter_annees(debut, 3)),
    )


def _j(jour: date) -> str:
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year}"


def _tranche(age: int) -> int:
    """Indice de tranche d'âge de la grille : <18, 18–20, 21–25, 26 et plus."""
    if age < 18:
        return 0
    if age < 21:
        return 1
    if age < 26:
        return 2
    return 3


_BORNES_TRANCHES = (18, 21, 26)


def taux_minimum(annee: int, age: int) -> int:
    """Taux minimal (% du SMIC) pour l'année d'exécution `annee` et l'âge `age`."""
    return codes.TAUX_MINIMAUX[min(max(annee, 1), 3)][_tranche(age)]


# Chemin chaud de la grille : l'année d'exécution tirée de l'ordre (« 2.1 » → 2, un ordre lu
# est toujours un code admis) et, par année, le taux minimal de chaque âge de 0 à 129 ans
# (`taux_minimum` au-delà), en `Decimal` pour une comparaison sans conversion.
_ANNEE_DE_L_ORDRE = {ordre: int(ordre[0]) for ordre in codes.ORDRES_REMUNERATION}
_AGES_EN_TABLE = 130
_MINIMA: dict[int, tuple[Decimal, ...]] = {
    annee: tuple(Decimal(taux_minimum(annee, age)) for age in range(_AGES_EN_TABLE))
    for annee in set(_ANNEE_DE_L_ORDRE.values())
}
# « 00 » à « 99 » : l'année ou le mois écrits dans un NIR
_DEUX_CHIFFRES = tuple(f"{n:02d}" for n in range(100))
# date de naissance de chaque maître d'apprentissage et code de sa règle d'âge
_MAITRES = (
    ("maitre1.dateNaissance", "MAITRE1_AGE_MINIMUM"),
    ("maitre2.dateNaissance", "MAITRE2_AGE_MINIMUM"),
)


def verifier(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    """Ajoute à `constats` les constats de cohérence sur les valeurs lues `v`."""
    g = v.get
    # champs présents mais mal formés (absent le plus souvent : aucun)
    mal: set[str] | None = g(MAL_FORMES)
    debut: date | None = g("contrat.dateDebutContrat")
    fin: date | None = g("contrat.dateFinContrat")
    conclusion: date | None = g("contrat.dateConclusion")
    type_contrat: int | None = g("contrat.typeContratApp")
    derogation: int | None = g("contrat.typeDerogation")
    rqth = g("apprenti.handicap") is True
    limites = None if debut is None else bornes(debut)
    ajout = constats.append

    # Type de contrat et avenants
    if type_contrat is not None:
        if (
            type_contrat in codes.TYPES_CONTRAT_AVEC_PRECEDENT
            and "contrat.numeroContratPrecedent" not in v
            and not (mal is not None and "contrat.numeroContratPrecedent" in mal)
        ):
            ajout(REGLES["CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT"].constat(type=type_contrat))
        if type_contrat in codes.TYPES_AVENANT_AVEC_DATE_EFFET:
            effet: date | None = g("contrat.dateEffetAvenant")
            if effet is None:
                if "contrat" in v and not (mal is not None and "contrat.dateEffetAvenant" in mal):
                    ajout(REGLES["CONTRAT_DATE_EFFET_AVENANT_ABSENT"].constat(type=type_contrat))
            elif debut is not None and fin is not None and not debut <= effet <= fin:
                ajout(
                    REGLES["CONTRAT_DATE_EFFET_AVENANT_HORS_CONTRAT"].constat(
                        effet=_j(effet), debut=_j(debut), fin=_j(fin)
                    )
                )

    # Dates du contrat
    if conclusion is not None:
        if aujourd_hui is not None and conclusion > aujourd_hui:
            ajout(
                REGLES["CONTRAT_DATE_CONCLUSION_FUTURE"].constat(
                    conclusion=_j(conclusion), jour=_j(aujourd_hui)
                )
            )
        if conclusion < DATE_MINIMALE_CONCLUSION:
            ajout(REGLES["CONTRAT_DATE_CONCLUSION_AVANT_2020"].constat(conclusion=_j(conclusion)))
        if type_contrat == codes.TYPE_CONTRAT_INITIAL and debut is not None and conclusion > debut:
            ajout(
                REGLES["CONTRAT_DATE_CONCLUSION_APRES_DEBUT"].constat(
                    conclusion=_j(conclusion), debut=_j(debut)
                )
            )
    dates_contrat = limites is not None and fin is not None
    if dates_contrat:
        assert debut is not None and fin is not None and limites is not None
        if fin <= debut:
            ajout(REGLES["CONTRAT_DATE_FIN_AVANT_DEBUT"].constat(fin=_j(fin), debut=_j(debut)))
            dates_contrat = False
        else:
            if fin < limites.duree_min:
                ajout(REGLES["CONTRAT_DUREE_TROP_COURTE"].constat(debut=_j(debut), fin=_j(fin)))
            allongee = rqth or derogation in DEROGATIONS_DUREE_ALLONGEE
            if fin > (limites.duree_max_derogation if allongee else limites.duree_max) and not (
                mal is not None and ("apprenti.handicap" in mal or "contrat.typeDerogation" in mal)
            ):
                annees_max = DUREE_MAX_ANNEES_DEROGATION if allongee else DUREE_MAX_ANNEES
                ajout(
                    REGLES["CONTRAT_DUREE_TROP_LONGUE"].constat(
                        annees=annees_max, debut=_j(debut), fin=_j(fin)
                    )
                )
            rupture: date | None = g("contrat.dateRupture")
            if rupture is not None and not debut <= rupture <= fin:
                ajout(
                    REGLES["CONTRAT_DATE_RUPTURE_HORS_CONTRAT"].constat(
                        rupture=_j(rupture), debut=_j(debut), fin=_j(fin)
                    )
                )
    if limites is not None:
        assert debut is not None
        pratique: date | None = g("contrat.dateFormationPratiqueEmployeur")
        if pratique is not None:
            limite = limites.pratique_max
            if not debut <= pratique <= limite:
                ajout(
                    REGLES["CONTRAT_DATE_FORMATION_PRATIQUE_FENETRE"].constat(
                        debut=_j(debut), limite=_j(limite), pratique=_j(pratique)
                    )
                )
    heures: int | None = g("contrat.dureeTravailHebdoHeures")
    if heures is not None and heures >= DUREE_HEBDO_MAX_HEURES:
        minutes: int = g("contrat.dureeTravailHebdoMinutes") or 0
        if heures > DUREE_HEBDO_MAX_HEURES or minutes > 0:
            duree = f"{heures} h {minutes:02d}" if minutes else f"{heures} h"
            ajout(REGLES["CONTRAT_DUREE_HEBDO_MAXIMUM"].constat(duree=duree))

    # Âges
    naissance: date | None = g("apprenti.dateNaissance")
    if naissance is not None and debut is not None:
        age = age_au(naissance, debut)
        if age < AGE_MIN:
            if not (age >= AGE_MIN_DEROGATION and derogation in DEROGATIONS_MOINS_DE_16) and not (
                mal is not None and "contrat.typeDerogation" in mal
            ):
                ajout(REGLES["APPRENTI_AGE_MINIMUM"].constat(age=age, debut=_j(debut)))
        elif age >= AGE_MAX_EXCLU and not (
            rqth
            or g("apprenti.inscriptionSportifDeHautNiveau") is True
            or g("apprenti.projetCreationRepriseEntreprise") is True
            or derogation in DEROGATIONS_PLUS_DE_29
            or (mal is not None and not mal.isdisjoint(_EXCEPTIONS_AGE_MAXIMUM))
        ):
            ajout(REGLES["APPRENTI_AGE_MAXIMUM"].constat(age=age, debut=_j(debut)))
    if (
        naissance is not None
        and conclusion is not None
        and "apprenti" in v
        and "apprenti.responsableLegal" not in v
        and not (mal is not None and "apprenti.responsableLegal" in mal)
    ):
        age_signature = age_au(naissance, conclusion)
        if age_signature < AGE_MAJORITE:
            ajout(
                REGLES["APPRENTI_RESPONSABLE_LEGAL_ABSENT"].constat(
                    age=age_signature, conclusion=_j(conclusion)
                )
            )
    if debut is not None:
        for cle, code in _MAITRES:
            naissance_maitre: date | None = g(cle)
            if naissance_maitre is not None:
                age_maitre = age_au(naissance_maitre, debut)
                if age_maitre < AGE_MAJORITE:
                    ajout(REGLES[code].constat(age=age_maitre, debut=_j(debut)))

    _verifier_nir(v, naissance, constats, mal)
    if dates_contrat:
        assert debut is not None and fin is not None and limites is not None
        _verifier_formation(v, debut, fin, limites, constats)
        _verifier_remunerations(v, debut, fin, limites, naissance, constats)
    elif limites is not None:
        assert debut is not None
        _verifier_formation_debut(v, debut, limites, constats)

    if g("organismeFormation.lieuFormationIdentique") is False and (
        "organismeFormationLieuFormationPrincipal" not in v
        and not (mal is not None and "organismeFormationLieuFormationPrincipal" in mal)
    ):
        ajout(REGLES["LIEU_FORMATION_ABSENT"].constat())


# Champs qui peuvent lever la limite d'âge de 29 ans : mal formés, la règle d'âge se tait (le
# constat de forme suffit ; l'exception ne peut être ni admise ni écartée). Plus généralement,
# une règle qui dépend d'un champ présent mais mal formé (dans `v[MAL_FORMES]`) se tait.
_EXCEPTIONS_AGE_MAXIMUM = (
    "apprenti.handicap",
    "apprenti.inscriptionSportifDeHautNiveau",
    "apprenti.projetCreationRepriseEntreprise",
    "contrat.typeDerogation",
)


def _verifier_nir(
    v: dict[str, Any], naissance: date | None, constats: list[Constat], mal: set[str] | None
) -> None:
    nir: str | None = v.get("apprenti.nir")
    if nir is None:
        if v.get("apprenti.nationalite") == 1 and not (mal is not None and "apprenti.nir" in mal):
            constats.append(REGLES["APPRENTI_NIR_ABSENT"].constat())
        return
    sexe: str | None = v.get("apprenti.sexe")
    # nir[0] est un seul caractère : « in "17" » vaut « in ("1", "7") »
    if sexe is not None and nir[0] not in ("17" if sexe == "M" else "28"):
        attendus = ("1", "7") if sexe == "M" else ("2", "8")
        constats.append(
            REGLES["APPRENTI_NIR_SEXE"].constat(sexe=sexe, attendu=" ou ".join(attendus))
        )
    if naissance is not None:
        annee = _DEUX_CHIFFRES[naissance.year % 100]
        if nir[1:3] != annee:
            constats.append(
                REGLES["APPRENTI_NIR_ANNEE"].constat(annee=naissance.year, attendu=annee)
            )
        # deux chiffres ASCII (motif du NIR) : égaux au mois écrit sur deux chiffres exactement
        # quand leur nombre vaut le mois
        if nir[3:5] != _DEUX_CHIFFRES[naissance.month]:
            mois = int(nir[3:5])
            if not (20 <= mois <= 42 or mois == 99):
                constats.append(
                    REGLES["APPRENTI_NIR_MOIS"].constat(attendu=f"{naissance.month:02d}")
                )
    departement: str | None = v.get("apprenti.departementNaissance")
    # le même code dans le NIR est toujours compatible : `nir_departement_compatible` n'est
    # consulté que s'il diffère (Corse, outre-mer, erreur)
    if (
        departement is not None
        and nir[5:7] != departement
        and not nir_departement_compatible(nir, departement)
    ):
        constats.append(REGLES["APPRENTI_NIR_DEPARTEMENT"].constat(departement=departement))


def _verifier_formation_debut(
    v: dict[str, Any], debut: date, limites: Bornes, constats: list[Constat]
) -> None:
    debut_formation: date | None = v.get("formation.dateDebutFormation")
    if debut_formation is None:
        return
    minimum, maximum = limites.fenetre_min, limites.fenetre_max
    if not minimum <= debut_formation <= maximum:
        constats.append(
            REGLES["FORMATION_DATE_DEBUT_FENETRE"].constat(
                debut=_j(debut), min=_j(minimum), max=_j(maximum), formation=_j(debut_formation)
            )
        )


def _verifier_formation(
    v: dict[str, Any], debut: date, fin: date, limites: Bornes, constats: list[Constat]
) -> None:
    _verifier_formation_debut(v, debut, limites, constats)
    g = v.get
    debut_formation: date | None = g("formation.dateDebutFormation")
    fin_formation: date | None = g("formation.dateFinFormation")
    if fin_formation is not None:
        if debut_formation is not None and fin_formation < debut_formation:
            constats.append(
                REGLES["FORMATION_DATE_FIN_AVANT_DEBUT"].constat(
                    fin=_j(fin_formation), debut=_j(debut_formation)
                )
            )
        if fin_formation < debut:
            constats.append(
                REGLES["FORMATION_DATE_FIN_AVANT_DEBUT_CONTRAT"].constat(
                    fin=_j(fin_formation), debut=_j(debut)
                )
            )
        elif fin_formation > fin:
            constats.append(
                REGLES["FORMATION_DATE_FIN_APRES_FIN_CONTRAT"].constat(
                    fin=_j(fin_formation), fin_contrat=_j(fin)
                )
            )
    duree: int | None = g("formation.dureeFormation")
    if duree is not None:
        jours = (fin - debut).days + 1
        # duree < 25 % × 1 607 h × jours / 365, en entiers
        if duree * 365 * 4 < HEURES_TRAVAIL_ANNUELLES * jours:
            minimum = -(-HEURES_TRAVAIL_ANNUELLES * jours // (365 * 4))
            constats.append(
                REGLES["FORMATION_DUREE_INSUFFISANTE"].constat(duree=duree, minimum=minimum)
            )
        distance: int | None = g("formation.nombreHeuresEnDistanciel")
        if distance is not None and distance > duree:
            constats.append(
                REGLES["FORMATION_DISTANCIEL_SUPERIEUR_DUREE"].constat(
                    distance=distance, duree=duree
                )
            )


def nombre_annees_execution(debut: date, fin: date) -> int:
    """Nombre d'années d'exécution (la dernière peut être incomplète) ; `fin` ≥ `debut`."""
    annees = max(fin.year - debut.year, 0)
    while annees > 0 and ajouter_annees(debut, annees) > fin:
        annees -= 1
    return annees + 1


def _verifier_remunerations(
    v: dict[str, Any],
    debut: date,
    fin: date,
    limites: Bornes,
    naissance: date | None,
    constats: list[Constat],
) -> None:
    periodes: list[dict[str, Any] | None] | None = v.get("contrat.remunerationsAnnuelles")
    if periodes is None:
        return
    annees_vues: set[int] = set()
    incomplet = False
    for indice, periode in enumerate(periodes):
        ordre: str | None = None if periode is None else periode.get("ordre")
        if periode is None or ordre is None:
            incomplet = True
            continue
        annee = _ANNEE_DE_L_ORDRE[ordre]
        annees_vues.add(annee)
        debut_periode: date | None = periode.get("dateDebut")
        fin_periode: date | None = periode.get("dateFin")
        if debut_periode is not None and fin_periode is not None and fin_periode < debut_periode:
            constats.append(
                REGLES["REMUNERATION_DATES_ORDRE"].constat(
                    f"cerfa.contrat.remunerationsAnnuelles[{indice}].dateFin",
                    ordre=ordre,
                    fin=_j(fin_periode),
                    debut=_j(debut_periode),
                )
            )
            continue
        taux: Decimal | None = periode.get("taux")
        if taux is None or naissance is None or debut_periode is None:
            continue
        age = age_au(naissance, debut_periode)
        if taux < (_MINIMA[annee][age] if 0 <= age < _AGES_EN_TABLE else taux_minimum(annee, age)):
            constats.append(
                REGLES["REMUNERATION_TAUX_MINIMUM"].constat(
                    f"cerfa.contrat.remunerationsAnnuelles[{indice}].taux",
                    ordre=ordre,
                    taux=taux,
                    minimum=taux_minimum(annee, age),
                    annee=annee,
                    age=age,
                )
            )
            continue
        if fin_periode is not None:
            age_fin = age_au(naissance, fin_periode)
            if age_fin != age and _tranche(age_fin) != _tranche(age):
                minimum_fin = taux_minimum(annee, age_fin)
                if taux < minimum_fin:
                    borne = next(b for b in _BORNES_TRANCHES if age < b <= age_fin)
                    constats.append(
                        REGLES["REMUNERATION_TRANCHE_AGE"].constat(
                            f"cerfa.contrat.remunerationsAnnuelles[{indice}].taux",
                            ordre=ordre,
                            age=borne,
                            anniversaire=_j(ajouter_annees(naissance, borne)),
                            minimum=minimum_fin,
                        )
                    )
    if incomplet:
        return
    # années d'exécution, 4 au plus : la 1re, puis une par anniversaire du début atteint
    # (`nombre_annees_execution` borné à 4, lu dans les bornes du début)
    deuxieme, troisieme, quatrieme = limites.anniversaires
    nombre = 1 + (deuxieme <= fin) + (troisieme <= fin) + (quatrieme <= fin)
    for annee in range(1, nombre + 1):
        if annee not in annees_vues:
            constats.append(
                REGLES["REMUNERATION_ANNEE_MANQUANTE"].constat(
                    annee=annee, debut=_j(ajouter_annees(debut, annee - 1))
                )
            )
