"""Identifiants : clés confrontées à python-stdnum, La Poste, formats admis."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from apicfa.norme import identifiants as ident

REGLAGE = settings(max_examples=200, deadline=None)


def _siret_probables() -> st.SearchStrategy[str]:
    quelconque = st.text(alphabet="0123456789", min_size=14, max_size=14)
    la_poste = st.text(alphabet="0123456789", min_size=5, max_size=5).map(lambda s: "356000000" + s)
    bien_forme = st.text(alphabet="0123456789", min_size=13, max_size=13).map(
        lambda s: s + luhn.calc_check_digit(s)
    )
    return st.one_of(quelconque, la_poste, bien_forme)


@REGLAGE
@given(_siret_probables())
def test_siret_d_accord_avec_stdnum(numero: str) -> None:
    assert (ident.verifier_siret(numero)[1] is None) == stdnum_siret.is_valid(numero)


@REGLAGE
@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_siren_d_accord_avec_stdnum(debut: str) -> None:
    for numero in (debut + luhn.calc_check_digit(debut), debut + "0"):
        assert (ident.verifier_siren(numero)[1] is None) == stdnum_siren.is_valid(numero)


@REGLAGE
@given(
    st.sampled_from("1278"),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
    st.sampled_from(["75", "2A", "2B", "97", "99", "01"]),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
)
def test_cle_nir_d_accord_avec_stdnum(sexe: str, naissance: str, dep: str, reste: str) -> None:
    treize = sexe + naissance + dep + reste
    assert ident.cle_nir(treize) == stdnum_nir.calc_check_digits(treize)
    assert ident.verifier_nir(treize + ident.cle_nir(treize)) == (
        treize + ident.cle_nir(treize),
        None,
    )
    faux = f"{(int(ident.cle_nir(treize)) % 97) + 1:02d}"
    assert ident.verifier_nir(treize + faux)[1] == "CLE"


@REGLAGE
@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.sampled_from(ident.LETTRES_UAI))
def test_uai_seule_la_bonne_lettre(nombre: str, lettre: str) -> None:
    attendu = ident.LETTRES_UAI[int(nombre) % 23]
    resultat = ident.verifier_uai(nombre + lettre)
    assert (resultat[1] is None) == (lettre == attendu)


def test_la_poste() -> None:
    # établissement de La Poste : Luhn faux, somme des chiffres multiple de 5
    assert not luhn.is_valid("35600000049837")
    assert sum(map(int, "35600000049837")) % 5 == 0
    assert ident.verifier_siret("35600000049837") == ("35600000049837", None)
    assert stdnum_siret.is_valid("35600000049837")
    # somme non multiple de 5 : refusé, comme par stdnum
    assert ident.verifier_siret("35600000049838")[1] == "CLE"
    assert not stdnum_siret.is_valid("35600000049838")
    # le siège suit Luhn
    assert ident.verifier_siret("35600000000048") == ("35600000000048", None)


@pytest.mark.parametrize(
    ("fonction", "valeur", "attendu"),
    [
        (ident.verifier_siret, "732 829 320 00074", "73282932000074"),
        (ident.verifier_naf, "6201z", "62.01Z"),
        (ident.verifier_idcc, 16, "0016"),
        (ident.verifier_idcc, "9999", "9999"),
        (ident.verifier_rncp, "34825", "RNCP34825"),
        (ident.verifier_rncp, "rncp348", "RNCP348"),
        (ident.verifier_cfd, "32031213", "32031213"),
        (ident.verifier_deca, "02A202509NC0001", "02A202509NC0001"),
        (ident.verifier_deca, "971202512340001", "971202512340001"),
        (ident.verifier_code_postal, "44000", "44000"),
        (ident.verifier_courriel, "a.b@exemple.fr", "a.b@exemple.fr"),
        (ident.verifier_telephone, "06.12.34.56.78", "06.12.34.56.78"),
        (ident.verifier_telephone, "+32 2 555 12 12", "+32 2 555 12 12"),
        (ident.verifier_departement, "02B", "2B"),
        (ident.verifier_departement, 1, "01"),
        (ident.verifier_iban, "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
        (ident.verifier_nir, "1 05 06 75 123 456", "1050675123456"),
    ],
)
def test_formes_admises(fonction: Any, valeur: Any, attendu: str) -> None:
    assert fonction(valeur) == (attendu, None)


@pytest.mark.parametrize(
    ("fonction", "valeur", "motif"),
    [
        (ident.verifier_siret, "7328293200007", "FORMAT"),
        (ident.verifier_siret, ["73282932000074"], "FORMAT"),
        (ident.verifier_siret, "73282932000075", "CLE"),
        (ident.verifier_siren, "732829321", "CLE"),
        (ident.verifier_naf, "620Z", "FORMAT"),
        (ident.verifier_idcc, "12345", "FORMAT"),
        (ident.verifier_rncp, "RNCP12", "FORMAT"),
        (ident.verifier_cfd, "3203121", "FORMAT"),
        (ident.verifier_deca, "044202523NC0001", "FORMAT"),
        (ident.verifier_code_postal, "4400", "FORMAT"),
        (ident.verifier_courriel, "pas-un-courriel", "FORMAT"),
        (ident.verifier_telephone, "12", "FORMAT"),
        (ident.verifier_departement, "96", "FORMAT"),
        (ident.verifier_iban, "FR7630006000011234567890188", "CLE"),
        (ident.verifier_iban, "bonjour", "FORMAT"),
        (ident.verifier_nir, "3050675123456", "FORMAT"),
        (ident.verifier_uai, "075123J", "FORMAT"),
    ],
)
def test_formes_refusees(fonction: Any, valeur: Any, motif: str) -> None:
    assert fonction(valeur) == (None, motif)


def test_departement_nir_corse_et_outre_mer() -> None:
    assert ident.nir_departement_compatible("1050620123456", "2A")
    assert ident.nir_departement_compatible("1050697123456", "974")
    assert not ident.nir_departement_compatible("1050644123456", "75")
