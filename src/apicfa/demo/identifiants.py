"""Fabrication d'identifiants valides : SIREN/SIRET, UAI, NIR, numéros DECA, téléphones.

Chaque fonction tire ses chiffres dans le `random.Random` reçu et calcule la clé
de contrôle exigée par la norme (SPEC §4.1, §4.2, §4.4, §4.6).
"""

from __future__ import annotations

import random
from datetime import date

from apicfa.demo.tirage import choisir, entier

SIREN_LA_POSTE = "356000000"
_DOUBLE = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
LETTRES_UAI = "ABCDEFGHJKLMNPRSTUVWXYZ"


def cle_luhn(corps: str) -> str:
    """Le chiffre qui rend `corps` + chiffre valide selon Luhn."""
    total = 0
    for rang, caractere in enumerate(reversed(corps)):
        chiffre = ord(caractere) - 48
        total += _DOUBLE[chiffre] if rang % 2 == 0 else chiffre
    return str(-total % 10)


def siren(rng: random.Random) -> str:
    """Un SIREN de 9 chiffres dont la clé de Luhn est juste (jamais celui de La Poste)."""
    while True:
        corps = f"{entier(rng, 1, 9)}{entier(rng, 0, 9_999_999):07d}"
        numero = corps + cle_luhn(corps)
        if numero != SIREN_LA_POSTE:
            return numero


def siret(rng: random.Random, numero_siren: str | None = None) -> str:
    """Un SIRET de 14 chiffres (SIREN + NIC) dont la clé de Luhn est juste."""
    base = numero_siren or siren(rng)
    corps = f"{base}{choisir(rng, ('0001', '0001', '0002', '0003', '0012', '0021', '0034'))}"
    return corps + cle_luhn(corps)


def uai(rng: random.Random, departement: str) -> str:
    """Un UAI : 7 chiffres (3 pour le département) + la lettre clé (numéro mod 23)."""
    prefixe = _prefixe_uai(departement)
    chiffres = f"{prefixe}{entier(rng, 0, 9999):04d}"
    return chiffres + LETTRES_UAI[int(chiffres) % 23]


def _prefixe_uai(departement: str) -> str:
    if departement in ("2A", "2B"):
        return "620" if departement == "2A" else "720"
    return departement.zfill(3)


def nir(rng: random.Random, sexe: str, naissance: date, code_insee_naissance: str) -> str:
    """Un NIR de 15 caractères cohérent avec le sexe, l'année et le mois de naissance et le lieu.

    `code_insee_naissance` est le code officiel géographique sur 5 caractères
    (`75056`, `2A004`, `97209`, `99350` pour un pays étranger).
    """
    premier = "1" if sexe == "M" else "2"
    corps = (
        f"{premier}{naissance.year % 100:02d}{naissance.month:02d}"
        f"{code_insee_naissance}{entier(rng, 1, 999):03d}"
    )
    return corps + cle_nir(corps)


def cle_nir(corps: str) -> str:
    """La clé (2 chiffres) d'un NIR de 13 caractères : 97 − (NIR mod 97), 2A → 19, 2B → 18."""
    numerique = corps.replace("2A", "19").replace("2B", "18")
    return f"{97 - int(numerique) % 97:02d}"


def numero_deca(rng: random.Random, departement: str, conclusion: date) -> str:
    """Un numéro DECA : département (3), année (4), mois (2), 2 caractères, séquence (4)."""
    milieu = "NC" if rng.random() < 0.3 else f"{entier(rng, 0, 99):02d}"
    return (
        f"{_departement_deca(departement)}{conclusion.year:04d}{conclusion.month:02d}"
        f"{milieu}{entier(rng, 0, 9999):04d}"
    )


def _departement_deca(departement: str) -> str:
    if departement in ("2A", "2B"):
        return "0" + departement
    return departement.zfill(3)


def telephone_mobile(rng: random.Random) -> str:
    """Un numéro de mobile français à 10 chiffres (06 ou 07)."""
    return f"0{choisir(rng, '67')}{entier(rng, 0, 99_999_999):08d}"


def telephone_fixe(rng: random.Random, departement: str) -> str:
    """Un numéro fixe français dont l'indicatif régional suit grossièrement le département."""
    return f"0{_indicatif(departement)}{entier(rng, 0, 99_999_999):08d}"


def _indicatif(departement: str) -> str:
    if departement in ("75", "77", "78", "91", "92", "93", "94", "95"):
        return "1"
    if departement.startswith("97") or departement in ("2A", "2B"):
        return "4" if departement in ("2A", "2B") else "5"
    numero = int(departement)
    if numero in (14, 22, 27, 29, 35, 44, 49, 50, 53, 56, 61, 72, 76, 85):
        return "2"
    if numero in (8, 10, 21, 25, 39, 51, 52, 54, 55, 57, 59, 62, 67, 68, 70, 80, 88, 90):
        return "3"
    if numero in (6, 13, 20, 26, 30, 34, 38, 42, 69, 73, 74, 83, 84):
        return "4"
    return "5"
