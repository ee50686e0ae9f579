"""Cas calculés à la main (calculatrice), un commentaire par cas donne le calcul.

Notations : jours = jours calendaires bornes comprises ; « +6m » = début de l'année + 6 mois
(jour écrêté au dernier jour du mois) ; arrondi au centime demi vers le haut ; les parts 40/30/20 %
(2025) ou 40/30 % (2020) sont arrondies, la dernière échéance de l'année prend le reste.
Sauf mention, les contrats sont conclus le 2025-08-01 (régime 2025), niveau 4 (pas de
participation de l'employeur).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.rupture import appliquer_rupture

from .aides import contrat, resume


@dataclass(frozen=True)
class Rupture:
    jour: str
    essai: bool = False
    regles: dict[int, str] = field(default_factory=dict)
    en_cours: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cas:
    nom: str
    contrat: ContratFinance
    echeances: list[tuple[str, str]]
    engagement: str
    rupture: Rupture | None = None
    trop_percu: str = "0.00"


# Contrat de référence pour les ruptures : 2 ans, NPEC 9 000 €, niveau 5 →
# E1 3600 (2025-09-01), E2 2700 (2026-03-01), E3 1800 (2026-06-01), E4 900 (2026-09-01),
# E5 3600 (2026-09-01), E6 2700 (2027-03-01), E7 1800 (2027-06-01), E8 900 (2027-09-01).
DEUX_ANS_9000 = contrat("2025-09-01", "2027-08-31", "9000", niveau=5)
# Même forme, NPEC 8 000 €, niveau 6 : E1 3200 − 750 = 2450, E2 2400, E3 1600, E4 800,
# E5 3200, E6 2400, E7 1600, E8 800 ; engagement 15 250.
DEUX_ANS_8000_N6 = contrat("2025-09-01", "2027-08-31", "8000", niveau=6)
# Régime 2020, exemple A prolongé : 2023-10-01 → 2025-09-30, NPEC 6 825 € →
# E1 2730 (2023-10-01), E2 2047.50 (2024-04-01), E3 2047.50 (2024-07-01),
# E4 2730 (2024-10-01), E5 2047.50 (2025-04-01), E6 2047.50 (2025-07-01).
DEUX_ANS_2020 = contrat("2023-10-01", "2025-09-30", "6825", conclusion="2023-09-01")

CAS = [
    # --- Régime 2025, contrats courts et fusions -------------------------------------------
    # 2025-09-01 → 2026-02-28 : 30+31+30+31+31+28 = 181 j ; 8000 × 181/365 = 3967.1232 → 3967.12.
    # 40 % = 1586.848 → 1586.85 ; +6m = 2026-03-01 > fin → 30 % et 20 % fusionnés dans le solde :
    # 3967.12 − 1586.85 = 2380.27, ouvert le lendemain de la fin.
    Cas(
        "2025 six mois, 30 % et 20 % fusionnés",
        contrat("2025-09-01", "2026-02-28", "8000"),
        [("1586.85", "2025-09-01"), ("2380.27", "2026-03-01")],
        "3967.12",
    ),
    # 2025-09-01 → 2026-05-31 : 181 + 31 + 30 + 31 = 273 j ; 8000 × 273/365 = 5983.5616 → 5983.56.
    # 40 % = 2393.424 → 2393.42 ; 30 % (2026-03-01 ≤ fin) = 1795.068 → 1795.07 ;
    # 20 % : +9m = 2026-06-01 > fin → fusionné ; solde = 5983.56 − 2393.42 − 1795.07 = 1795.07.
    Cas(
        "2025 neuf mois, 20 % fusionné",
        contrat("2025-09-01", "2026-05-31", "8000"),
        [("2393.42", "2025-09-01"), ("1795.07", "2026-03-01"), ("1795.07", "2026-06-01")],
        "5983.56",
    ),
    # 2025-09-01 → 2026-03-01 : 182 j ; 8000 × 182/365 = 3989.0411 → 3989.04 ;
    # 40 % = 1595.616 → 1595.62 ; 30 % s'ouvre le 2026-03-01, dernier jour : gardé,
    # 1196.712 → 1196.71 ; solde = 3989.04 − 1595.62 − 1196.71 = 1196.71 le 2026-03-02.
    Cas(
        "2025 fin le jour d'ouverture du 7e mois",
        contrat("2025-09-01", "2026-03-01", "8000"),
        [("1595.62", "2025-09-01"), ("1196.71", "2026-03-01"), ("1196.71", "2026-03-02")],
        "3989.04",
    ),
    # --- Régime 2025, débuts les 29, 30, 31 ----------------------------------------------------
    # Début le 31 : années 2025-08-31 → 2026-08-30 et 2026-08-31 → 2027-08-30, complètes, 7000.
    # 2800 le 31/08 ; +6m = 2026-02-28 (écrêté) 2100 ; +9m = 2026-05-31 1400 ; solde 700 le
    # 2026-08-31, le même jour que le 40 % de l'année 2 (l'année 1 passe d'abord).
    Cas(
        "2025 début le 31, mois écrêtés",
        contrat("2025-08-31", "2027-08-30", "7000", niveau=5),
        [
            ("2800.00", "2025-08-31"),
            ("2100.00", "2026-02-28"),
            ("1400.00", "2026-05-31"),
            ("700.00", "2026-08-31"),
            ("2800.00", "2026-08-31"),
            ("2100.00", "2027-02-28"),
            ("1400.00", "2027-05-31"),
            ("700.00", "2027-08-31"),
        ],
        "14000.00",
    ),
    # Début le 30 novembre, un an complet (→ 2026-11-29), 6000 : 2400 ; +6m = 2026-05-30 1800 ;
    # +9m = 2026-08-30 1200 ; solde 600 le 2026-11-30.
    Cas(
        "2025 début le 30",
        contrat("2025-11-30", "2026-11-29", "6000"),
        [
            ("2400.00", "2025-11-30"),
            ("1800.00", "2026-05-30"),
            ("1200.00", "2026-08-30"),
            ("600.00", "2026-11-30"),
        ],
        "6000.00",
    ),
    # Début le 29 août 2027 : +6m = 2028-02-29 (2028 bissextile, le jour existe) ; 5000 :
    # 2000, 1500, 1000, solde 500 le 2028-08-29.
    Cas(
        "2025 début le 29, 7e mois un 29 février",
        contrat("2027-08-29", "2028-08-28", "5000", conclusion="2027-08-01"),
        [
            ("2000.00", "2027-08-29"),
            ("1500.00", "2028-02-29"),
            ("1000.00", "2028-05-29"),
            ("500.00", "2028-08-29"),
        ],
        "5000.00",
    ),
    # Début le 29 février 2028 : l'année 1 finit la veille de 2029-02-28 (29/02 écrêté), donc le
    # 2029-02-27 : un contrat jusque-là est une année complète. 6000 : 2400 ; +6m = 2028-08-29
    # 1800 ; +9m = 2028-11-29 1200 ; solde 600 le 2029-02-28.
    Cas(
        "2025 début un 29 février",
        contrat("2028-02-29", "2029-02-27", "6000", conclusion="2028-02-01"),
        [
            ("2400.00", "2028-02-29"),
            ("1800.00", "2028-08-29"),
            ("1200.00", "2028-11-29"),
            ("600.00", "2029-02-28"),
        ],
        "6000.00",
    ),
    # Début le 31 décembre : +6m = 2026-06-30 (écrêté), +9m = 2026-09-30 ; 6000, année complète
    # jusqu'au 2026-12-30 : 2400, 1800, 1200, solde 600 le 2026-12-31.
    Cas(
        "2025 début le 31 décembre",
        contrat("2025-12-31", "2026-12-30", "6000", conclusion="2025-12-01"),
        [
            ("2400.00", "2025-12-31"),
            ("1800.00", "2026-06-30"),
            ("1200.00", "2026-09-30"),
            ("600.00", "2026-12-31"),
        ],
        "6000.00",
    ),
    # Début le 31 mai : +6m = 2026-11-30 (écrêté), +9m = 2027-02-28 (écrêté) ; 6000 complète.
    Cas(
        "2025 début le 31 mai, deux écrêtages",
        contrat("2026-05-31", "2027-05-30", "6000", conclusion="2026-05-01"),
        [
            ("2400.00", "2026-05-31"),
            ("1800.00", "2026-11-30"),
            ("1200.00", "2027-02-28"),
            ("600.00", "2027-05-31"),
        ],
        "6000.00",
    ),
    # Début le 30 août : +6m = 2027-02-28 (écrêté), +9m = 2027-05-30 ; 4000 : 1600, 1200, 800, 400.
    Cas(
        "2025 début le 30 août",
        contrat("2026-08-30", "2027-08-29", "4000", conclusion="2026-08-01"),
        [
            ("1600.00", "2026-08-30"),
            ("1200.00", "2027-02-28"),
            ("800.00", "2027-05-30"),
            ("400.00", "2027-08-30"),
        ],
        "4000.00",
    ),
    # --- Régime 2025, années bissextiles ------------------------------------------------------
    # 2027-09-01 → 2028-03-31 : 30+31+30+31+31+29+31 = 213 j ; 7300 × 213/365 = 20 × 213 = 4260.
    # 40 % 1704 ; 30 % (2028-03-01) 1278 ; 20 % fusionné ; solde 4260 − 1704 − 1278 = 1278.
    Cas(
        "2025 année incomplète avec un 29 février",
        contrat("2027-09-01", "2028-03-31", "7300", conclusion="2027-08-01"),
        [("1704.00", "2027-09-01"), ("1278.00", "2028-03-01"), ("1278.00", "2028-04-01")],
        "4260.00",
    ),
    # 2027-09-01 → 2028-08-31 : année complète de 366 jours → exactement le NPEC 7300.
    Cas(
        "2025 année complète de 366 jours",
        contrat("2027-09-01", "2028-08-31", "7300", conclusion="2027-08-01"),
        [
            ("2920.00", "2027-09-01"),
            ("2190.00", "2028-03-01"),
            ("1460.00", "2028-06-01"),
            ("730.00", "2028-09-01"),
        ],
        "7300.00",
    ),
    # 2027-09-01 → 2028-08-30 : incomplète mais 365 jours → 7300 × 365/365 = 7300 ; solde le
    # lendemain de la fin, 2028-08-31.
    Cas(
        "2025 année incomplète de 365 jours",
        contrat("2027-09-01", "2028-08-30", "7300", conclusion="2027-08-01"),
        [
            ("2920.00", "2027-09-01"),
            ("2190.00", "2028-03-01"),
            ("1460.00", "2028-06-01"),
            ("730.00", "2028-08-31"),
        ],
        "7300.00",
    ),
    # --- Régime 2025, contrats longs ------------------------------------------------------------
    # 4 ans complets 2025-10-01 → 2029-09-30, 5000, niveau 7 : 4 × 5000 − 750 = 19 250 ;
    # année 1 : 2000 − 750 = 1250, 1500, 1000, 500 ; années 2-4 : 2000, 1500, 1000, 500.
    Cas(
        "2025 quatre ans, niveau 7",
        contrat("2025-10-01", "2029-09-30", "5000", niveau=7),
        [
            ("1250.00", "2025-10-01"),
            ("1500.00", "2026-04-01"),
            ("1000.00", "2026-07-01"),
            ("500.00", "2026-10-01"),
            ("2000.00", "2026-10-01"),
            ("1500.00", "2027-04-01"),
            ("1000.00", "2027-07-01"),
            ("500.00", "2027-10-01"),
            ("2000.00", "2027-10-01"),
            ("1500.00", "2028-04-01"),
            ("1000.00", "2028-07-01"),
            ("500.00", "2028-10-01"),
            ("2000.00", "2028-10-01"),
            ("1500.00", "2029-04-01"),
            ("1000.00", "2029-07-01"),
            ("500.00", "2029-10-01"),
        ],
        "19250.00",
    ),
    # 2025-09-01 → 2028-12-31, 6000 : 3 années complètes (18 000) ; année 4 du 2028-09-01 au
    # 2028-12-31 = 30+31+30+31 = 122 j → 6000 × 122/365 = 2005.4795 → 2005.48 ; 40 % = 802.192
    # → 802.19 ; solde 2005.48 − 802.19 = 1203.29 le 2029-01-01. Total 20 005.48.
    Cas(
        "2025 trois ans et quatre mois",
        contrat("2025-09-01", "2028-12-31", "6000"),
        [
            ("2400.00", "2025-09-01"),
            ("1800.00", "2026-03-01"),
            ("1200.00", "2026-06-01"),
            ("600.00", "2026-09-01"),
            ("2400.00", "2026-09-01"),
            ("1800.00", "2027-03-01"),
            ("1200.00", "2027-06-01"),
            ("600.00", "2027-09-01"),
            ("2400.00", "2027-09-01"),
            ("1800.00", "2028-03-01"),
            ("1200.00", "2028-06-01"),
            ("600.00", "2028-09-01"),
            ("802.19", "2028-09-01"),
            ("1203.29", "2029-01-01"),
        ],
        "20005.48",
    ),
    # --- Régime 2025, minoration distanciel ---------------------------------------------------
    # 800 h sur 1000 = 80 % exactement → minoration : 8000 × 0,8 = 6400 ; 2560, 1920, 1280, 640.
    Cas(
        "2025 distanciel à 80 %",
        contrat("2025-09-01", "2026-08-31", "8000", duree=1000, distanciel=800),
        [
            ("2560.00", "2025-09-01"),
            ("1920.00", "2026-03-01"),
            ("1280.00", "2026-06-01"),
            ("640.00", "2026-09-01"),
        ],
        "6400.00",
    ),
    # 799 h sur 1000 < 80 % → pas de minoration : 3200, 2400, 1600, 800.
    Cas(
        "2025 distanciel sous 80 %",
        contrat("2025-09-01", "2026-08-31", "8000", duree=1000, distanciel=799),
        [
            ("3200.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
        ],
        "8000.00",
    ),
    # 4500 × 0,8 = 3600 < 4000 → plancher 4000 : 1600, 1200, 800, 400.
    Cas(
        "2025 minoration arrêtée au plancher de 4000",
        contrat("2025-09-01", "2026-08-31", "4500", duree=1000, distanciel=900),
        [
            ("1600.00", "2025-09-01"),
            ("1200.00", "2026-03-01"),
            ("800.00", "2026-06-01"),
            ("400.00", "2026-09-01"),
        ],
        "4000.00",
    ),
    # NPEC 3800 déjà sous 4000 : la minoration ne s'applique pas en dessous, il reste 3800 :
    # 1520, 1140, 760, 380.
    Cas(
        "2025 NPEC déjà sous le plancher",
        contrat("2025-09-01", "2026-08-31", "3800", duree=500, distanciel=500),
        [
            ("1520.00", "2025-09-01"),
            ("1140.00", "2026-03-01"),
            ("760.00", "2026-06-01"),
            ("380.00", "2026-09-01"),
        ],
        "3800.00",
    ),
    # 10000 × 0,8 = 8000, niveau 6 : 3200 − 750 = 2450, 2400, 1600, 800 ; engagement 7250.
    Cas(
        "2025 minoration et participation",
        contrat("2025-09-01", "2026-08-31", "10000", niveau=6, duree=1000, distanciel=950),
        [
            ("2450.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
        ],
        "7250.00",
    ),
    # --- Régime 2025, participation de l'employeur ----------------------------------------------
    # 6 mois (181 j), 3000, niveau 7 : 3000 × 181/365 = 1487.6712 → 1487.67 ; 40 % = 595.068 →
    # 595.07 ; solde 892.60. Participation 750 : E1 595.07 → 0, reste 154.93 pris sur E2 :
    # 892.60 − 154.93 = 737.67 = engagement 1487.67 − 750.
    Cas(
        "2025 participation plus grande que la première échéance",
        contrat("2025-09-01", "2026-02-28", "3000", niveau=7),
        [("0.00", "2025-09-01"), ("737.67", "2026-03-01")],
        "737.67",
    ),
    # --- Choix du régime par la date de conclusion ----------------------------------------------
    # Conclu le 2025-06-30 → régime 2020 même niveau 6 : 3200, 2400, reste 2400 ; 8000.
    Cas(
        "conclu la veille du 1er juillet 2025 : régime 2020",
        contrat("2025-09-01", "2026-08-31", "8000", conclusion="2025-06-30", niveau=6),
        [("3200.00", "2025-09-01"), ("2400.00", "2026-03-01"), ("2400.00", "2026-06-01")],
        "8000.00",
    ),
    # Conclu le 2025-07-01 → régime 2025 : 2450, 2400, 1600, 800 ; 7250.
    Cas(
        "conclu le 1er juillet 2025 : régime 2025",
        contrat("2025-09-01", "2026-08-31", "8000", conclusion="2025-07-01", niveau=6),
        [
            ("2450.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
        ],
        "7250.00",
    ),
    # --- Arrondis ------------------------------------------------------------------------------
    # NPEC 1234.15 (123 415 c), année complète : 40 % = 49 366 ; 30 % = 37 024.5 → 37 025
    # (demi vers le haut, pas au pair) ; 20 % = 24 683 ; solde 123 415 − 111 074 = 12 341.
    Cas(
        "2025 arrondi demi vers le haut",
        contrat("2025-09-01", "2026-08-31", "1234.15"),
        [
            ("493.66", "2025-09-01"),
            ("370.25", "2026-03-01"),
            ("246.83", "2026-06-01"),
            ("123.41", "2026-09-01"),
        ],
        "1234.15",
    ),
    # --- Régime 2020 ----------------------------------------------------------------------------
    # Contrat < 1 an 2023-09-01 → 2024-02-29 : 6 mois commencés ; 7000 × 6/12 = 3500 ;
    # 50 % = 1750 au début, le reste 1750 le lendemain de la fin (2024-03-01).
    Cas(
        "2020 contrat court jusqu'au 29 février",
        contrat("2023-09-01", "2024-02-29", "7000", conclusion="2023-08-01"),
        [("1750.00", "2023-09-01"), ("1750.00", "2024-03-01")],
        "3500.00",
    ),
    # 2023-09-15 → 2024-03-16 : le 7e mois commence le 2024-03-15 → 7 mois ; 6000 × 7/12 = 3500.
    Cas(
        "2020 contrat court, mois entamé",
        contrat("2023-09-15", "2024-03-16", "6000", conclusion="2023-08-01"),
        [("1750.00", "2023-09-15"), ("1750.00", "2024-03-17")],
        "3500.00",
    ),
    # Début le 31 janvier 2024 : +5m = 2024-06-30, +6m = 2024-07-31 > fin 2024-07-30 → 6 mois ;
    # 9000 × 6/12 = 4500 : 2250 et 2250 le 2024-07-31.
    Cas(
        "2020 contrat court, début le 31",
        contrat("2024-01-31", "2024-07-30", "9000", conclusion="2024-01-10"),
        [("2250.00", "2024-01-31"), ("2250.00", "2024-07-31")],
        "4500.00",
    ),
    # 6825 × 5/12 = 2843.75 (octobre → février) ; 50 % = 1421.875 → 1421.88 ; reste 1421.87.
    Cas(
        "2020 contrat court, demi-centime",
        contrat("2023-10-01", "2024-02-15", "6825", conclusion="2023-09-01"),
        [("1421.88", "2023-10-01"), ("1421.87", "2024-02-16")],
        "2843.75",
    ),
    # NPEC 6000.01 × 6/12 = 3000.005 → 3000.01 (arrondi de l'année) ; 50 % = 1500.005 →
    # 1500.01 ; reste 1500.00.
    Cas(
        "2020 arrondi de l'année puis des parts",
        contrat("2023-09-01", "2024-02-29", "6000.01", conclusion="2023-08-01"),
        [("1500.01", "2023-09-01"), ("1500.00", "2024-03-01")],
        "3000.01",
    ),
    # 2023-09-01 → 2024-11-30, 6000 : année 1 complète 2400/1800/1800 ; année 2 de 3 mois
    # commencés → 1500 : 40 % = 600 ; +6m (2025-03-01) > fin → 30 % fusionné dans le reste,
    # 900 le 2024-12-01.
    Cas(
        "2020 deuxième année de 3 mois",
        contrat("2023-09-01", "2024-11-30", "6000", conclusion="2023-08-01"),
        [
            ("2400.00", "2023-09-01"),
            ("1800.00", "2024-03-01"),
            ("1800.00", "2024-06-01"),
            ("600.00", "2024-09-01"),
            ("900.00", "2024-12-01"),
        ],
        "7500.00",
    ),
    # Année 2 du 2024-09-01 au 2025-04-30 : 8 mois → 4000 : 1600 ; 30 % le 2025-03-01 = 1200 ;
    # +9m = 2025-06-01 > fin → le reste 1200 s'ouvre le 2025-05-01.
    Cas(
        "2020 deuxième année de 8 mois",
        contrat("2023-09-01", "2025-04-30", "6000", conclusion="2023-08-01"),
        [
            ("2400.00", "2023-09-01"),
            ("1800.00", "2024-03-01"),
            ("1800.00", "2024-06-01"),
            ("1600.00", "2024-09-01"),
            ("1200.00", "2025-03-01"),
            ("1200.00", "2025-05-01"),
        ],
        "10000.00",
    ),
    # Année 2 du 2024-09-01 au 2025-07-31 : 11 mois → 5500 : 2200, 1650 le 2025-03-01, reste
    # 1650 le 2025-06-01 (le 10e mois est dans l'année).
    Cas(
        "2020 deuxième année de 11 mois",
        contrat("2023-09-01", "2025-07-31", "6000", conclusion="2023-08-01"),
        [
            ("2400.00", "2023-09-01"),
            ("1800.00", "2024-03-01"),
            ("1800.00", "2024-06-01"),
            ("2200.00", "2024-09-01"),
            ("1650.00", "2025-03-01"),
            ("1650.00", "2025-06-01"),
        ],
        "11500.00",
    ),
    # Quatre ans complets, 5000 : chaque année 2000 / 1500 / 1500 aux 1er septembre, mars, juin.
    Cas(
        "2020 quatre ans",
        contrat("2021-09-01", "2025-08-31", "5000", conclusion="2021-08-15"),
        [
            (montant, f"{annee + mois_annee}-{mois}-01")
            for annee in (2021, 2022, 2023, 2024)
            for montant, mois_annee, mois in (
                ("2000.00", 0, "09"),
                ("1500.00", 1, "03"),
                ("1500.00", 1, "06"),
            )
        ],
        "20000.00",
    ),
    # 7777.77 : 40 % = 3111.108 → 3111.11 ; 30 % = 2333.331 → 2333.33 ; reste 2333.33.
    # Début le 10 : 2022-01-10, 2022-07-10, 2022-10-10.
    Cas(
        "2020 arrondis 40/30/reste",
        contrat("2022-01-10", "2023-01-09", "7777.77", conclusion="2022-01-01"),
        [("3111.11", "2022-01-10"), ("2333.33", "2022-07-10"), ("2333.33", "2022-10-10")],
        "7777.77",
    ),
    # Début le 29 août 2023 : +6m = 2024-02-29 ; année 2 du 2024-08-29 au 2024-12-15 : mois
    # commencés les 29/08, 29/09, 29/10, 29/11 → 4 → 2000 : 800 puis reste 1200 le 2024-12-16.
    Cas(
        "2020 début le 29, deuxième année de 4 mois",
        contrat("2023-08-29", "2024-12-15", "6000", conclusion="2023-08-01"),
        [
            ("2400.00", "2023-08-29"),
            ("1800.00", "2024-02-29"),
            ("1800.00", "2024-05-29"),
            ("800.00", "2024-08-29"),
            ("1200.00", "2024-12-16"),
        ],
        "8000.00",
    ),
    # --- Ruptures, régime 2025 -------------------------------------------------------------------
    # Exemple D sans paiement : 142 j → 3501.37 ; E1 (3600, rien de réglé) réduite de 98.63.
    Cas(
        "rupture avant le 7e mois, rien de réglé",
        DEUX_ANS_9000,
        [("3501.37", "2025-09-01")],
        "3501.37",
        Rupture("2026-01-20"),
    ),
    # Rupture le 2026-04-30 : 30+31+30+31+31+28+31+30 = 242 j → 9000 × 242/365 = 5967.1233 →
    # 5967.12. Gardées E1 3600 (réglée) + E2 2700 = 6300 ; excès 332.88 pris sur E2 → 2367.12.
    Cas(
        "rupture entre le 7e et le 10e mois",
        DEUX_ANS_9000,
        [("3600.00", "2025-09-01"), ("2367.12", "2026-03-01")],
        "5967.12",
        Rupture("2026-04-30", regles={1: "3600"}),
    ),
    # Rupture le 2026-07-15 : 242 + 31 + 30 + 15 = 318 j → 9000 × 318/365 = 7841.0959 → 7841.10.
    # Gardées 3600 + 2700 + 1800 = 8100 ; excès 258.90 pris sur E3 → 1541.10.
    Cas(
        "rupture après le 10e mois",
        DEUX_ANS_9000,
        [("3600.00", "2025-09-01"), ("2700.00", "2026-03-01"), ("1541.10", "2026-06-01")],
        "7841.10",
        Rupture("2026-07-15"),
    ),
    # Même rupture, E1, E2, E3 réglées : rien ne peut baisser → trop-perçu 8100 − 7841.10 = 258.90.
    Cas(
        "rupture après le 10e mois, tout réglé",
        DEUX_ANS_9000,
        [("3600.00", "2025-09-01"), ("2700.00", "2026-03-01"), ("1800.00", "2026-06-01")],
        "7841.10",
        Rupture("2026-07-15", regles={1: "3600", 2: "2700", 3: "1800"}),
        "258.90",
    ),
    # Même rupture, 1700 en instruction sur E3 : E3 baisse de 100 (→ 1700), E2 du reste 158.90
    # (→ 2541.10) ; 3600 + 2541.10 + 1700 = 7841.10.
    Cas(
        "rupture après le 10e mois, une facture en instruction",
        DEUX_ANS_9000,
        [("3600.00", "2025-09-01"), ("2541.10", "2026-03-01"), ("1700.00", "2026-06-01")],
        "7841.10",
        Rupture("2026-07-15", regles={1: "3600"}, en_cours={3: "1700"}),
    ),
    # Deuxième année, niveau 6, rupture le 2026-10-31 : année 1 complète 8000 ; année 2 du
    # 2026-09-01 au 2026-10-31 = 61 j → 8000 × 61/365 = 1336.9863 → 1336.99 ; E' = 9336.99 − 750 =
    # 8586.99. Gardées E1..E5 = 2450+2400+1600+800+3200 = 10 450 ; excès 1863.01 pris sur E5
    # (la plus tardive : même jour que E4 mais année 2) → 1336.99.
    Cas(
        "rupture en deuxième année, niveau 6",
        DEUX_ANS_8000_N6,
        [
            ("2450.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
            ("1336.99", "2026-09-01"),
        ],
        "8586.99",
        Rupture("2026-10-31"),
    ),
    # Fin de deuxième année, niveau 4, NPEC 8000 : rupture le 2027-08-15, année 2 de 349 j →
    # 8000 × 349/365 = 7649.3151 → 7649.32 ; E' = 15 649.32. Gardées E1..E7 (E7 ouverte le
    # 2027-06-01) = 3200+2400+1600+800+3200+2400+1600 = 15 200 ; il manque 449.32 : solde E9
    # (numéro suivant le plus grand, E8 annulée) ouvert le 2027-08-16.
    Cas(
        "rupture en fin de deuxième année, solde de rupture",
        contrat("2025-09-01", "2027-08-31", "8000"),
        [
            ("3200.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
            ("3200.00", "2026-09-01"),
            ("2400.00", "2027-03-01"),
            ("1600.00", "2027-06-01"),
            ("449.32", "2027-08-16"),
        ],
        "15649.32",
        Rupture("2027-08-15"),
    ),
    # Période d'essai, niveau 6, rupture le 2025-10-10 : 30 + 10 = 40 j → 8000 × 40/365 =
    # 876.7123 → 876.71 ; participation 50 % = 438.355 → 438.36 (< 750) ; E' = 438.35 ;
    # E1 (2450) réduite à 438.35.
    Cas(
        "rupture en période d'essai, niveau 6",
        DEUX_ANS_8000_N6,
        [("438.35", "2025-09-01")],
        "438.35",
        Rupture("2025-10-10", essai=True),
    ),
    # Même rupture hors période d'essai : E' = 876.71 − 750 = 126.71.
    Cas(
        "rupture au 40e jour hors période d'essai, niveau 6",
        DEUX_ANS_8000_N6,
        [("126.71", "2025-09-01")],
        "126.71",
        Rupture("2025-10-10"),
    ),
    # Période d'essai, niveau 7, NPEC 15 000, rupture au 45e jour (2025-10-15) : 15000 × 45/365 =
    # 1849.3151 → 1849.32 ; 50 % = 924.66 plafonné à 750 → E' = 1099.32. E1 = 6000 − 750 = 5250
    # déjà réglée → trop-perçu 5250 − 1099.32 = 4150.68.
    Cas(
        "rupture au 45e jour d'essai, participation plafonnée, E1 réglée",
        contrat("2025-09-01", "2027-08-31", "15000", niveau=7),
        [("5250.00", "2025-09-01")],
        "1099.32",
        Rupture("2025-10-15", essai=True, regles={1: "5250"}),
        "4150.68",
    ),
    # Rupture le premier jour : 7300 × 1/365 = 20.00 ; E1 (2920) réduite à 20.00.
    Cas(
        "rupture le premier jour",
        contrat("2025-09-01", "2026-08-31", "7300"),
        [("20.00", "2025-09-01")],
        "20.00",
        Rupture("2025-09-01"),
    ),
    # Rupture le dernier jour prévu : E' = 8000 ; gardées E1..E3 = 7200 ; le solde E4 (ouvert le
    # lendemain) est annulé et remplacé par un solde de rupture E5 de 800 le 2026-09-01.
    Cas(
        "rupture le dernier jour du contrat",
        contrat("2025-09-01", "2026-08-31", "8000"),
        [
            ("3200.00", "2025-09-01"),
            ("2400.00", "2026-03-01"),
            ("1600.00", "2026-06-01"),
            ("800.00", "2026-09-01"),
        ],
        "8000.00",
        Rupture("2026-08-31"),
    ),
    # Contrat de 6 mois, NPEC 2000, niveau 6 : 2000 × 181/365 = 991.78 ; E = 991.78 − 750 =
    # 241.78 (E1 396.71 → 0, solde 595.07 → 241.78). Rupture « en essai » le dernier jour : 50 % =
    # 495.89 → E' = 495.89 > E → ramené à 241.78 (une rupture n'augmente pas l'engagement) ;
    # E2 (ouverte après R) annulée ; E1 = 0 → solde de rupture E3 de 241.78 le 2026-03-01.
    Cas(
        "rupture qui ne peut pas augmenter l'engagement",
        contrat("2025-09-01", "2026-02-28", "2000", niveau=6),
        [("0.00", "2025-09-01"), ("241.78", "2026-03-01")],
        "241.78",
        Rupture("2026-02-28", essai=True),
    ),
    # --- Ruptures, régime 2020 -------------------------------------------------------------------
    # Rupture le 2024-01-10 : octobre, novembre, décembre, janvier → 4 mois → 6825 × 4/12 = 2275 ;
    # E1 2730 réglée → trop-perçu 455.
    Cas(
        "2020 rupture avant le 7e mois, E1 réglée",
        DEUX_ANS_2020,
        [("2730.00", "2023-10-01")],
        "2275.00",
        Rupture("2024-01-10", regles={1: "2730"}),
        "455.00",
    ),
    # Rupture le 2024-05-15 : 8 mois → 4550 ; E1 2730 + E2 2047.50 = 4777.50 → E2 − 227.50 = 1820.
    Cas(
        "2020 rupture entre le 7e et le 10e mois",
        DEUX_ANS_2020,
        [("2730.00", "2023-10-01"), ("1820.00", "2024-04-01")],
        "4550.00",
        Rupture("2024-05-15"),
    ),
    # Rupture le 2024-09-20, 12e mois commencé → 6825 : E1..E3 = 6825, rien à changer.
    Cas(
        "2020 rupture au 12e mois",
        DEUX_ANS_2020,
        [("2730.00", "2023-10-01"), ("2047.50", "2024-04-01"), ("2047.50", "2024-07-01")],
        "6825.00",
        Rupture("2024-09-20"),
    ),
    # Rupture le 2025-01-15 (année 2 : oct., nov., déc., janv. → 4 mois → 2275) : E' = 9100 ;
    # gardées E1..E4 = 6825 + 2730 = 9555 → E4 − 455 = 2275.
    Cas(
        "2020 rupture en deuxième année",
        DEUX_ANS_2020,
        [
            ("2730.00", "2023-10-01"),
            ("2047.50", "2024-04-01"),
            ("2047.50", "2024-07-01"),
            ("2275.00", "2024-10-01"),
        ],
        "9100.00",
        Rupture("2025-01-15"),
    ),
]


@pytest.mark.parametrize("cas", CAS, ids=[cas.nom for cas in CAS])
def test_cas_calcule_a_la_main(cas: Cas) -> None:
    echeancier = calculer_echeancier(cas.contrat)
    if cas.rupture is not None:
        echeancier = appliquer_rupture(
            echeancier,
            cas.contrat,
            date.fromisoformat(cas.rupture.jour),
            dans_periode_essai=cas.rupture.essai,
            montants_regles={n: Decimal(m) for n, m in cas.rupture.regles.items()},
            montants_en_cours={n: Decimal(m) for n, m in cas.rupture.en_cours.items()},
        )
    assert resume(echeancier) == cas.echeances
    assert echeancier.engagement == Decimal(cas.engagement)
    assert echeancier.trop_percu == Decimal(cas.trop_percu)
    total = sum((e.montant_total for e in echeancier.echeances), Decimal(0))
    assert total == echeancier.engagement + echeancier.trop_percu


def test_le_tableau_compte_au_moins_40_cas_en_plus_des_exemples() -> None:
    assert len(CAS) >= 40
