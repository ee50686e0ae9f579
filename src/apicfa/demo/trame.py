"""La trame d'un dossier : les choix qui engagent tout le reste (OPCO, certification, type de
contrat, dates, âge et situation de l'apprenti, dérogations), tirés avant d'écrire les blocs."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from apicfa.demo.calendrier import UN_JOUR, age, ajouter_annees, ajouter_mois
from apicfa.demo.referentiel import ReferentielDemo
from apicfa.demo.tirage import choisir, entier
from apicfa.norme import codes
from apicfa.referentiels.exemples import CertificationExemple

DEBUT_REGIME_2025 = date(2025, 7, 1)
# Les contrats du régime 2020 sont conclus à partir de cette date : assez récents pour
# qu'une démonstration ait encore des échéances ouvertes, assez anciens pour varier.
DEBUT_CONCLUSIONS_2020 = date(2023, 1, 1)
PREMIERE_CONCLUSION_POSSIBLE = date(2020, 1, 1)

# Part de chaque niveau de certification (3 à 7) parmi les contrats.
POIDS_NIVEAUX: dict[int, int] = {3: 25, 4: 20, 5: 25, 6: 18, 7: 12}
# Durées usuelles (mois) par niveau ; un tirage uniforme, la répétition donne le poids.
DUREES_MOIS: dict[int, tuple[int, ...]] = {
    3: (12, 24, 24, 24),
    4: (12, 24, 24, 36),
    5: (24, 24, 24, 12),
    6: (12, 12, 24, 36),
    7: (24, 24, 12),
}
# Âges usuels à l'entrée (révolus au début d'exécution) par niveau.
AGES: dict[int, tuple[int, int]] = {3: (16, 19), 4: (16, 21), 5: (18, 23), 6: (20, 25), 7: (21, 27)}
DUREE_MAXIMALE_MOIS = 36
DUREE_MAXIMALE_DEROGATOIRE_MOIS = 48


@dataclass(frozen=True, slots=True)
class Trame:
    opco: str
    idcc: str
    certification: CertificationExemple
    type_contrat: int
    date_conclusion: date
    date_debut: date
    date_fin: date
    date_effet_avenant: date | None
    date_contrat_precedent: date | None
    naissance: date
    sexe: str
    handicap: bool
    sportif: bool
    projet_entreprise: bool
    derogation: int | None

    @property
    def age_debut(self) -> int:
        return age(self.naissance, self.date_debut)

    @property
    def mineur(self) -> bool:
        """Mineur à la conclusion ou au début d'exécution : il lui faut un représentant légal."""
        return age(self.naissance, min(self.date_conclusion, self.date_debut)) < 18


def tirer_trame(rng: random.Random, referentiel: ReferentielDemo, reference: date) -> Trame:
    opco = choisir(rng, referentiel.opcos)
    idcc = choisir(rng, referentiel.idcc_par_opco[opco])
    niveau = rng.choices(
        referentiel.niveaux, weights=[POIDS_NIVEAUX.get(n, 10) for n in referentiel.niveaux]
    )[0]
    certification = choisir(rng, referentiel.certifications_par_niveau[niveau])

    tirage = rng.random()
    if tirage < 0.72:
        type_contrat = codes.TYPE_CONTRAT_INITIAL
    elif tirage < 0.84:
        type_contrat = choisir(rng, sorted(codes.TYPES_CONTRAT_SUCCESSION))
    else:
        type_contrat = choisir(rng, sorted(codes.TYPES_CONTRAT_AVENANT))
    avenant = type_contrat in codes.TYPES_CONTRAT_AVENANT

    # Profil de l'apprenti : âge à l'entrée et ce qui l'autorise.
    handicap = rng.random() < 0.05
    sportif = projet = False
    derogations: list[int] = []
    profil = rng.random()
    if profil < 0.03 and niveau <= 4:
        age_entree = 15
        derogations.append(codes.DEROGATION_MOINS_DE_16)
    elif profil < 0.07:
        age_entree = entier(rng, 30, 45)
        motif = entier(rng, 0, 3)
        if motif == 0:
            handicap = True
        elif motif == 1:
            sportif = True
        elif motif == 2:
            projet = True
        else:
            derogations.append(codes.DEROGATION_PLUS_DE_29)
    elif profil < 0.15:
        age_entree = entier(rng, 26, 29)
    else:
        age_entree = entier(rng, *AGES.get(niveau, (18, 25)))

    # Durée : usuelle, courte (6 à 11 mois) ou allongée au-delà de 3 ans (RQTH ou dérogation).
    duree_tirage = rng.random()
    if duree_tirage < 0.06 and not avenant:
        duree_mois = entier(rng, 6, 11)
    elif duree_tirage < 0.10:
        duree_mois = entier(rng, DUREE_MAXIMALE_MOIS + 1, DUREE_MAXIMALE_DEROGATOIRE_MOIS)
        if not handicap:
            derogations.append(codes.DEROGATION_DUREE_ALLONGEE)
    else:
        duree_mois = choisir(rng, DUREES_MOIS.get(niveau, (24,)))

    conclusion = _date_conclusion(rng, reference)
    effet_avenant: date | None = None
    precedent: date | None = None
    if avenant:
        # La date de conclusion est celle de l'avenant ; le contrat modifié a commencé avant.
        # Le contrat modifié a commencé au plus tôt le 02/01/2020, au moins 30 jours avant.
        plus_tot = PREMIERE_CONCLUSION_POSSIBLE + UN_JOUR
        conclusion = max(conclusion, plus_tot + timedelta(days=30))
        debut = conclusion - timedelta(days=entier(rng, 30, min(300, (conclusion - plus_tot).days)))
        duree_mois = max(duree_mois, 12)
        fin = ajouter_mois(debut, duree_mois) - UN_JOUR
        precedent = debut - timedelta(days=entier(rng, 0, 30))
        if type_contrat in codes.TYPES_AVENANT_AVEC_DATE_EFFET or rng.random() < 0.5:
            effet_avenant = min(conclusion + timedelta(days=entier(rng, 0, 30)), fin)
    else:
        debut = conclusion + timedelta(days=entier(rng, 0, 30))
        if rng.random() < 0.5:
            debut = ajouter_mois(debut.replace(day=1), 1)
        fin = ajouter_mois(debut, duree_mois) - UN_JOUR
        if type_contrat in codes.TYPES_CONTRAT_SUCCESSION:
            precedent = max(
                conclusion - timedelta(days=entier(rng, 200, 800)), PREMIERE_CONCLUSION_POSSIBLE
            )
    if duree_mois < 12 and rng.random() < 0.5:
        derogations.append(codes.DEROGATION_DUREE_REDUITE)

    naissance = _naissance(rng, debut, age_entree)
    if len(derogations) > 1:
        derogation: int | None = codes.DEROGATION_PLUSIEURS
    else:
        derogation = derogations[0] if derogations else None
    return Trame(
        opco=opco,
        idcc=idcc,
        certification=certification,
        type_contrat=type_contrat,
        date_conclusion=conclusion,
        date_debut=debut,
        date_fin=fin,
        date_effet_avenant=effet_avenant,
        date_contrat_precedent=precedent,
        naissance=naissance,
        sexe="M" if rng.random() < 0.55 else "F",
        handicap=handicap,
        sportif=sportif,
        projet_entreprise=projet,
        derogation=derogation,
    )


def _date_conclusion(rng: random.Random, reference: date) -> date:
    """Une date de conclusion dans l'un des deux régimes (moitié-moitié quand c'est possible)."""
    fin_2020 = min(DEBUT_REGIME_2025 - UN_JOUR, reference)
    debut_2020 = (
        DEBUT_CONCLUSIONS_2020
        if fin_2020 > DEBUT_CONCLUSIONS_2020
        else PREMIERE_CONCLUSION_POSSIBLE
    )
    if reference >= DEBUT_REGIME_2025 and rng.random() < 0.5:
        debut, fin = DEBUT_REGIME_2025, reference
    else:
        debut, fin = debut_2020, fin_2020
    return debut + timedelta(days=entier(rng, 0, (fin - debut).days))


def _naissance(rng: random.Random, debut: date, age_entree: int) -> date:
    """Une date de naissance donnant `age_entree` ans révolus le `debut` (jamais un 29 février,
    dont l'anniversaire se lit de deux façons)."""
    naissance = ajouter_annees(debut, -age_entree) - timedelta(days=entier(rng, 1, 360))
    if naissance.month == 2 and naissance.day == 29:
        naissance -= UN_JOUR
    return naissance
