"""Identifiants fabriqués : clés justes, y compris la Corse (2A/2B) et l'outre-mer."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from stdnum.fr import siret as stdnum_siret

from apicfa.demo import identifiants
from apicfa.demo.calendrier import age, ajouter_annees, ajouter_mois
from apicfa.norme.identifiants import verifier_nir, verifier_siret, verifier_uai

DECA = re.compile(r"^(0[0-9][0-9]|02[ABab]|9[012345]|97[12346])\d{4}[0-1]\d(NC|nc|\d{2})\d{4}$")


def test_cle_nir_corse_et_metropole() -> None:
    # 2A se compte 19, 2B se compte 18 avant le calcul de la clé.
    assert identifiants.cle_nir("1850575056001") == f"{97 - 1850575056001 % 97:02d}"
    assert identifiants.cle_nir("285022A004012") == f"{97 - 2850219004012 % 97:02d}"
    assert identifiants.cle_nir("199092B033123") == f"{97 - 1990918033123 % 97:02d}"


@pytest.mark.parametrize("lieu", ["75056", "2A004", "2B033", "97209", "97611", "99350"])
def test_nir_accepte_par_le_validateur(lieu: str) -> None:
    rng = random.Random(lieu)
    for sexe in ("M", "F"):
        nir = identifiants.nir(rng, sexe, date(2006, 11, 3), lieu)
        assert len(nir) == 15
        assert nir[5:10] == lieu
        assert verifier_nir(nir) == (nir, None)


def test_siret_uai_deca_valides() -> None:
    rng = random.Random(3)
    for departement in ("75", "2A", "2B", "971", "59"):
        siret = identifiants.siret(rng)
        assert stdnum_siret.is_valid(siret)
        assert verifier_siret(siret)[1] is None
        assert verifier_uai(identifiants.uai(rng, departement))[1] is None
        assert DECA.match(identifiants.numero_deca(rng, departement, date(2024, 9, 1)))
    assert identifiants.siret(rng, "732829320")[:9] == "732829320"


def test_ajouter_mois_ecrete_au_dernier_jour() -> None:
    assert ajouter_mois(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert ajouter_mois(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert ajouter_mois(date(2025, 1, 31), -2) == date(2024, 11, 30)
    assert ajouter_annees(date(2024, 2, 29), 1) == date(2025, 2, 28)


def test_age_revolu() -> None:
    assert age(date(2008, 3, 10), date(2026, 3, 9)) == 17
    assert age(date(2008, 3, 10), date(2026, 3, 10)) == 18
