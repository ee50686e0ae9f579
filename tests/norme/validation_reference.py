"""L'ancien chemin du validateur du cerfa, gardé comme référence pour les tests d'équivalence.

- le schéma est lu champ par champ d'après sa description déclarative (`Bloc`, `Champ`), chaque
  valeur passant par sa nature (`Nature.verifier`), avec la même mémoire partagée que l'ancien
  code compilé (`Nature.memo`, lue et remplie de la même façon) ;
- les règles de cohérence sont celles de `coherence_cerfa` au commit 1092def, recopiées telles
  quelles (seuls les modèles de message, `REGLES`, sont lus dans le module).

Le validateur rapide (`apicfa.norme.validation.valider_cerfa`) doit rendre exactement les mêmes
constats, dans le même ordre.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from apicfa.norme import codes
from apicfa.norme.coherence_cerfa import (
    AGE_MAJORITE,
    AGE_MAX_EXCLU,
    AGE_MIN,
    AGE_MIN_DEROGATION,
    DATE_MINIMALE_CONCLUSION,
    DEROGATIONS_DUREE_ALLONGEE,
    DEROGATIONS_MOINS_DE_16,
    DEROGATIONS_PLUS_DE_29,
    DUREE_HEBDO_MAX_HEURES,
    DUREE_MAX_ANNEES,
    DUREE_MAX_ANNEES_DEROGATION,
    DUREE_MIN_MOIS,
    FENETRE_FORMATION_MOIS,
    FENETRE_FORMATION_PRATIQUE_MOIS,
    HEURES_TRAVAIL_ANNUELLES,
    REGLES,
)
from apicfa.norme.constats import Constat
from apicfa.norme.dates import ajouter_annees, ajouter_mois
from apicfa.norme.identifiants import nir_departement_compatible
from apicfa.norme.natures import MEMO_MAX
from apicfa.norme.regle import montrer
from apicfa.norme.schema import MAL_FORMES, Bloc, Champ
from apicfa.norme.schema_cerfa import CERFA

UN_JOUR = timedelta(days=1)


# --- schéma : lecture déclarative, champ par champ -----------------------------------------


def _lire_champ(champ: Champ, valeur: Any) -> tuple[Any, str | None]:
    nature = champ.nature
    if nature.memo is not None and valeur.__class__ in nature.memo_types:
        resultat = nature.memo.get(valeur)
        if resultat is None:
            resultat = nature.verifier(valeur)
            if len(nature.memo) < MEMO_MAX:
                nature.memo[valeur] = resultat
        return resultat
    return nature.verifier(valeur)


def _objet(
    bloc: Bloc,
    donnees: dict[str, Any],
    chemin: str,
    constats: list[Constat],
    valeurs: dict[str, Any],
) -> None:
    concret = chemin != bloc.chemin
    for champ in bloc.champs:
        valeur = donnees.get(champ.cle)
        if valeur is None and champ.alias is not None:
            valeur = donnees.get(champ.alias)
        destination = champ.cle if bloc.liste else champ.cle_plate
        if valeur is None or valeur == "":
            if champ.requis:
                constats.append(
                    champ.regle_absent.constat(f"{chemin}.{champ.cle}") if concret else champ.absent
                )
            continue
        lue, motif = _lire_champ(champ, valeur)
        if motif is None:
            valeurs[destination] = lue
        else:
            valeurs.setdefault(MAL_FORMES, set()).add(champ.cle_plate)
            constats.append(
                champ.constat_invalide(motif, valeur, f"{chemin}.{champ.cle}" if concret else None)
            )
    for sous_bloc in bloc.sous_blocs:
        sous_chemin = f"{chemin}.{sous_bloc.cle}"
        valeur = donnees.get(sous_bloc.cle)
        if valeur is not None:
            _bloc(sous_bloc, valeur, sous_chemin, constats, valeurs)
        elif sous_bloc.requis:
            constats.append(
                sous_bloc.regle_absent.constat(sous_chemin) if concret else sous_bloc.absent
            )


def _bloc(
    bloc: Bloc, donnees: Any, chemin: str, constats: list[Constat], valeurs: dict[str, Any]
) -> None:
    if bloc.liste:
        if not isinstance(donnees, list):
            constats.append(bloc.regle_format.constat(chemin, valeur=montrer(donnees)))
            valeurs.setdefault(MAL_FORMES, set()).add(bloc.cle_plate)
            return
        elements: list[dict[str, Any] | None] = []
        for indice, element in enumerate(donnees):
            chemin_element = f"{chemin}[{indice}]"
            if not isinstance(element, dict):
                constats.append(bloc.regle_format.constat(chemin_element, valeur=montrer(element)))
                elements.append(None)
                continue
            lues: dict[str, Any] = {}
            _objet(bloc, element, chemin_element, constats, lues)
            elements.append(lues)
        valeurs[bloc.cle_plate] = elements
        return
    if not isinstance(donnees, dict):
        constats.append(bloc.regle_format.constat(chemin, valeur=montrer(donnees)))
        valeurs.setdefault(MAL_FORMES, set()).add(bloc.cle_plate)
        return
    valeurs[bloc.cle_plate] = True
    _objet(bloc, donnees, chemin, constats, valeurs)


def lire_reference(bloc: Bloc, nom: str, donnees: Any) -> tuple[list[Constat], dict[str, Any]]:
    """Constats et valeurs lues du schéma seul (même contrat que `validation._valider`)."""
    constats: list[Constat] = []
    valeurs: dict[str, Any] = {}
    objet = donnees[nom] if isinstance(donnees, dict) and nom in donnees else donnees
    if objet is None:
        constats.append(bloc.absent)
    else:
        _bloc(bloc, objet, nom, constats, valeurs)
    return constats, valeurs


def valider_cerfa_reference(donnees: Any, *, aujourd_hui: date | None = None) -> list[Constat]:
    """Les constats de l'ancien chemin (même contrat que `valider_cerfa`)."""
    constats, valeurs = lire_reference(CERFA, "cerfa", donnees)
    if valeurs:
        verifier(valeurs, constats, aujourd_hui)
    return constats


# --- cohérence : coherence_cerfa au commit 1092def ------------------------------------------


def age_au(naissance: date, jour: date) -> int:
    age = jour.year - naissance.year
    if (jour.month, jour.day) < (naissance.month, naissance.day):
        age -= 1
    return age


class Bornes(NamedTuple):
    """Dates tirées du début du contrat, calculées une fois par date de début."""

    duree_min: date  # dernier jour le plus tôt admis pour la fin (6 mois − 1 jour)
    duree_max: date  # fin la plus tardive admise (3 ans − 1 jour)
    duree_max_derogation: date  # fin la plus tardive avec dérogation ou RQTH (4 ans − 1 jour)
    fenetre_min: date  # début de formation au plus tôt (− 3 mois)
    fenetre_max: date  # début de formation au plus tard (+ 3 mois)
    pratique_max: date  # début de la formation pratique au plus tard (+ 3 mois)


@lru_cache(maxsize=8192)
def bornes(debut: date) -> Bornes:
    return Bornes(
        ajouter_mois(debut, DUREE_MIN_MOIS) - UN_JOUR,
        ajouter_annees(debut, DUREE_MAX_ANNEES) - UN_JOUR,
        ajouter_annees(debut, DUREE_MAX_ANNEES_DEROGATION) - UN_JOUR,
        ajouter_mois(debut, -FENETRE_FORMATION_MOIS),
        ajouter_mois(debut, FENETRE_FORMATION_MOIS),
        ajouter_mois(debut, FENETRE_FORMATION_PRATIQUE_MOIS),
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


def verifier(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    """Ajoute à `constats` les constats de cohérence sur les valeurs lues `v`."""
    g = v.get
    debut: date | None = g("contrat.dateDebutContrat")
    fin: date | None = g("contrat.dateFinContrat")
    conclusion: date | None = g("contrat.dateConclusion")
    type_contrat: int | None = g("contrat.typeContratApp")
    derogation: int | None = g("contrat.typeDerogation")
    rqth = g("apprenti.handicap") is True
    ajout = constats.append

    # Type de contrat et avenants
    if type_contrat is not None:
        if (
            type_contrat in codes.TYPES_CONTRAT_AVEC_PRECEDENT
            and "contrat.numeroContratPrecedent" not in v
            and not _present_mal_forme(v, "contrat.numeroContratPrecedent")
        ):
            ajout(REGLES["CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT"].constat(type=type_contrat))
        if type_contrat in codes.TYPES_AVENANT_AVEC_DATE_EFFET:
            effet: date | None = g("contrat.dateEffetAvenant")
            if effet is None:
                if "contrat" in v and not _present_mal_forme(v, "contrat.dateEffetAvenant"):
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
    dates_contrat = debut is not None and fin is not None
    if dates_contrat:
        assert debut is not None and fin is not None
        if fin <= debut:
            ajout(REGLES["CONTRAT_DATE_FIN_AVANT_DEBUT"].constat(fin=_j(fin), debut=_j(debut)))
            dates_contrat = False
        else:
            limites = bornes(debut)
            if fin < limites.duree_min:
                ajout(REGLES["CONTRAT_DUREE_TROP_COURTE"].constat(debut=_j(debut), fin=_j(fin)))
            allongee = rqth or derogation in DEROGATIONS_DUREE_ALLONGEE
            annees_max = DUREE_MAX_ANNEES_DEROGATION if allongee else DUREE_MAX_ANNEES
            if fin > (
                limites.duree_max_derogation if allongee else limites.duree_max
            ) and not _un_mal_forme(v, "apprenti.handicap", "contrat.typeDerogation"):
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
    if debut is not None:
        pratique: date | None = g("contrat.dateFormationPratiqueEmployeur")
        if pratique is not None:
            limite = bornes(debut).pratique_max
            if not debut <= pratique <= limite:
                ajout(
                    REGLES["CONTRAT_DATE_FORMATION_PRATIQUE_FENETRE"].constat(
                        debut=_j(debut), limite=_j(limite), pratique=_j(pratique)
                    )
                )
    heures: int | None = g("contrat.dureeTravailHebdoHeures")
    if heures is not None:
        minutes: int = g("contrat.dureeTravailHebdoMinutes") or 0
        if heures > DUREE_HEBDO_MAX_HEURES or (heures == DUREE_HEBDO_MAX_HEURES and minutes > 0):
            duree = f"{heures} h {minutes:02d}" if minutes else f"{heures} h"
            ajout(REGLES["CONTRAT_DUREE_HEBDO_MAXIMUM"].constat(duree=duree))

    # Âges
    naissance: date | None = g("apprenti.dateNaissance")
    if naissance is not None and debut is not None:
        age = age_au(naissance, debut)
        if (
            age < AGE_MIN
            and not (age >= AGE_MIN_DEROGATION and derogation in DEROGATIONS_MOINS_DE_16)
            and not _un_mal_forme(v, "contrat.typeDerogation")
        ):
            ajout(REGLES["APPRENTI_AGE_MINIMUM"].constat(age=age, debut=_j(debut)))
        elif age >= AGE_MAX_EXCLU and not (
            rqth
            or g("apprenti.inscriptionSportifDeHautNiveau") is True
            or g("apprenti.projetCreationRepriseEntreprise") is True
            or derogation in DEROGATIONS_PLUS_DE_29
            or _un_mal_forme(v, *_EXCEPTIONS_AGE_MAXIMUM)
        ):
            ajout(REGLES["APPRENTI_AGE_MAXIMUM"].constat(age=age, debut=_j(debut)))
    if (
        naissance is not None
        and conclusion is not None
        and "apprenti" in v
        and "apprenti.responsableLegal" not in v
        and not _present_mal_forme(v, "apprenti.responsableLegal")
    ):
        age_signature = age_au(naissance, conclusion)
        if age_signature < AGE_MAJORITE:
            ajout(
                REGLES["APPRENTI_RESPONSABLE_LEGAL_ABSENT"].constat(
                    age=age_signature, conclusion=_j(conclusion)
                )
            )
    if debut is not None:
        for numero in (1, 2):
            naissance_maitre: date | None = g(f"maitre{numero}.dateNaissance")
            if naissance_maitre is not None:
                age_maitre = age_au(naissance_maitre, debut)
                if age_maitre < AGE_MAJORITE:
                    ajout(
                        REGLES[f"MAITRE{numero}_AGE_MINIMUM"].constat(
                            age=age_maitre, debut=_j(debut)
                        )
                    )

    _verifier_nir(v, naissance, constats)
    if dates_contrat:
        assert debut is not None and fin is not None
        _verifier_formation(v, debut, fin, constats)
        _verifier_remunerations(v, debut, fin, naissance, constats)
    elif debut is not None:
        _verifier_formation_debut(v, debut, constats)

    if g("organismeFormation.lieuFormationIdentique") is False and (
        "organismeFormationLieuFormationPrincipal" not in v
        and not _present_mal_forme(v, "organismeFormationLieuFormationPrincipal")
    ):
        ajout(REGLES["LIEU_FORMATION_ABSENT"].constat())


def _present_mal_forme(v: dict[str, Any], cle: str) -> bool:
    mal = v.get(MAL_FORMES)
    return mal is not None and cle in mal


# Champs qui peuvent lever la limite d'âge de 29 ans : mal formés, la règle d'âge se tait (le
# constat de forme suffit ; l'exception ne peut être ni admise ni écartée).
_EXCEPTIONS_AGE_MAXIMUM = (
    "apprenti.handicap",
    "apprenti.inscriptionSportifDeHautNiveau",
    "apprenti.projetCreationRepriseEntreprise",
    "contrat.typeDerogation",
)


def _un_mal_forme(v: dict[str, Any], *cles: str) -> bool:
    """Vrai quand l'un des champs est présent mais mal formé : une règle qui en dépend se tait."""
    mal = v.get(MAL_FORMES)
    return mal is not None and any(cle in mal for cle in cles)


def _verifier_nir(v: dict[str, Any], naissance: date | None, constats: list[Constat]) -> None:
    nir: str | None = v.get("apprenti.nir")
    if nir is None:
        if v.get("apprenti.nationalite") == 1 and not _present_mal_forme(v, "apprenti.nir"):
            constats.append(REGLES["APPRENTI_NIR_ABSENT"].constat())
        return
    sexe: str | None = v.get("apprenti.sexe")
    if sexe is not None:
        premier = nir[0]
        attendus = ("1", "7") if sexe == "M" else ("2", "8")
        if premier not in attendus:
            constats.append(
                REGLES["APPRENTI_NIR_SEXE"].constat(sexe=sexe, attendu=" ou ".join(attendus))
            )
    if naissance is not None:
        annee = f"{naissance.year % 100:02d}"
        if nir[1:3] != annee:
            constats.append(
                REGLES["APPRENTI_NIR_ANNEE"].constat(annee=naissance.year, attendu=annee)
            )
        mois = int(nir[3:5])
        if mois != naissance.month and not (20 <= mois <= 42 or mois == 99):
            constats.append(REGLES["APPRENTI_NIR_MOIS"].constat(attendu=f"{naissance.month:02d}"))
    departement: str | None = v.get("apprenti.departementNaissance")
    if departement is not None and not nir_departement_compatible(nir, departement):
        constats.append(REGLES["APPRENTI_NIR_DEPARTEMENT"].constat(departement=departement))


def _verifier_formation_debut(v: dict[str, Any], debut: date, constats: list[Constat]) -> None:
    debut_formation: date | None = v.get("formation.dateDebutFormation")
    if debut_formation is None:
        return
    limites = bornes(debut)
    minimum, maximum = limites.fenetre_min, limites.fenetre_max
    if not minimum <= debut_formation <= maximum:
        constats.append(
            REGLES["FORMATION_DATE_DEBUT_FENETRE"].constat(
                debut=_j(debut), min=_j(minimum), max=_j(maximum), formation=_j(debut_formation)
            )
        )


def _verifier_formation(v: dict[str, Any], debut: date, fin: date, constats: list[Constat]) -> None:
    _verifier_formation_debut(v, debut, constats)
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
        annee = int(ordre[0])
        annees_vues.add(annee)
        debut_periode: date | None = periode.get("dateDebut")
        fin_periode: date | None = periode.get("dateFin")
        chemin = f"cerfa.contrat.remunerationsAnnuelles[{indice}]"
        if debut_periode is not None and fin_periode is not None and fin_periode < debut_periode:
            constats.append(
                REGLES["REMUNERATION_DATES_ORDRE"].constat(
                    chemin + ".dateFin",
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
        minimum = taux_minimum(annee, age)
        if taux < minimum:
            constats.append(
                REGLES["REMUNERATION_TAUX_MINIMUM"].constat(
                    chemin + ".taux",
                    ordre=ordre,
                    taux=taux,
                    minimum=minimum,
                    annee=annee,
                    age=age,
                )
            )
            continue
        if fin_periode is not None:
            age_fin = age_au(naissance, fin_periode)
            if _tranche(age_fin) != _tranche(age):
                minimum_fin = taux_minimum(annee, age_fin)
                if taux < minimum_fin:
                    borne = next(b for b in _BORNES_TRANCHES if age < b <= age_fin)
                    constats.append(
                        REGLES["REMUNERATION_TRANCHE_AGE"].constat(
                            chemin + ".taux",
                            ordre=ordre,
                            age=borne,
                            anniversaire=_j(ajouter_annees(naissance, borne)),
                            minimum=minimum_fin,
                        )
                    )
    if incomplet:
        return
    for annee in range(1, min(nombre_annees_execution(debut, fin), 4) + 1):
        if annee not in annees_vues:
            constats.append(
                REGLES["REMUNERATION_ANNEE_MANQUANTE"].constat(
                    annee=annee, debut=_j(ajouter_annees(debut, annee - 1))
                )
            )
