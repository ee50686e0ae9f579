"""Grille de rémunération d'un contrat : une période par année d'exécution, coupée en deux
quand l'apprenti change de tranche d'âge, chaque taux au moins égal au minimum (SPEC §4.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from apicfa.demo.calendrier import UN_JOUR, age, ajouter_annees
from apicfa.norme.codes import TAUX_MINIMAUX

# Âges où l'apprenti entre dans une nouvelle tranche (moins de 18, 18–20, 21–25, 26 et plus).
SEUILS_TRANCHES: tuple[int, ...] = (18, 21, 26)

# SMIC mensuel brut (35 h, 151,67 h/mois) en centimes, par date d'entrée en vigueur (publique).
SMIC_MENSUEL_CENTIMES: tuple[tuple[date, int], ...] = (
    (date(2020, 1, 1), 153_942),
    (date(2021, 1, 1), 155_458),
    (date(2021, 10, 1), 158_947),
    (date(2022, 1, 1), 160_312),
    (date(2022, 5, 1), 164_558),
    (date(2022, 8, 1), 167_895),
    (date(2023, 1, 1), 170_928),
    (date(2023, 5, 1), 174_720),
    (date(2024, 1, 1), 176_692),
    (date(2024, 11, 1), 180_180),
    (date(2026, 1, 1), 182_303),
)


@dataclass(frozen=True, slots=True)
class Periode:
    ordre: str
    debut: date
    fin: date
    taux: int


def tranche(age_revolu: int) -> int:
    """Indice de tranche d'âge : 0 (< 18), 1 (18–20), 2 (21–25), 3 (26 et plus)."""
    return sum(1 for seuil in SEUILS_TRANCHES if age_revolu >= seuil)


def taux_minimum(annee_execution: int, age_revolu: int) -> int:
    """Taux minimal (% du SMIC) pour l'année d'exécution et l'âge donnés."""
    return TAUX_MINIMAUX[min(annee_execution, 3)][tranche(age_revolu)]


def periodes(
    naissance: date, debut_contrat: date, fin_contrat: date, majoration: int
) -> list[Periode]:
    """Les périodes de rémunération du contrat, taux = minimum + `majoration` (plafonné à 100).

    Une année d'exécution k va de début + (k − 1) ans à la veille de début + k ans ; la
    dernière s'arrête à la fin du contrat. Elle est coupée au jour anniversaire où
    l'apprenti entre dans une nouvelle tranche d'âge.
    """
    resultat: list[Periode] = []
    anniversaires = [ajouter_annees(naissance, seuil) for seuil in SEUILS_TRANCHES]
    annee = 1
    debut = debut_contrat
    while debut <= fin_contrat:
        fin = min(ajouter_annees(debut_contrat, annee) - UN_JOUR, fin_contrat)
        coupures = [jour for jour in anniversaires if debut < jour <= fin]
        bornes = [debut, *coupures]
        for rang, borne in enumerate(bornes, start=1):
            fin_periode = bornes[rang] - UN_JOUR if rang < len(bornes) else fin
            taux = min(100, taux_minimum(annee, age(naissance, borne)) + majoration)
            resultat.append(Periode(f"{annee}.{rang}", borne, fin_periode, taux))
        annee += 1
        debut = fin + UN_JOUR
    return resultat


def smic_mensuel_centimes(jour: date) -> int:
    """Le SMIC mensuel brut (35 h) en vigueur le `jour`, en centimes."""
    montant = SMIC_MENSUEL_CENTIMES[0][1]
    for entree, valeur in SMIC_MENSUEL_CENTIMES:
        if entree <= jour:
            montant = valeur
    return montant


def salaire_embauche_centimes(taux: int, jour: date, minutes_hebdo: int) -> int:
    """Salaire brut mensuel à l'embauche : taux × SMIC × durée hebdomadaire / 35 h (au centime)."""
    numerateur = taux * smic_mensuel_centimes(jour) * minutes_hebdo
    denominateur = 100 * 35 * 60
    return (2 * numerateur + denominateur) // (2 * denominateur)
