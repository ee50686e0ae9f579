"""Les échantillons synthétiques livrés : cohérents entre eux et avec la norme."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from apicfa.financement.npec import ORIGINE_AMORCAGE, ORIGINE_REFERENTIEL, resoudre_npec
from apicfa.norme.codes import OPCOS
from apicfa.referentiels import exemples
from apicfa.referentiels.idcc_opco import lire_idcc_opco, table_exemple

CFD = re.compile(r"^[A-Z0-9]{3}\d{3}[A-Z0-9]{2}$")
RNCP = re.compile(r"^RNCP\d{3,5}$")


def test_au_moins_deux_idcc_par_opco() -> None:
    table = exemples.idcc_opco()
    compte = Counter(table.values())
    assert set(compte) == set(OPCOS)
    assert min(compte.values()) >= 2
    assert all(re.fullmatch(r"\d{4}", idcc) for idcc in table)


def test_faits_publics_de_rattachement() -> None:
    table = exemples.idcc_opco()
    assert table["1486"] == "atlas"
    assert table["1597"] == "constructys"
    assert table["1979"] == "akto"
    assert table["2216"] == "opcommerce"
    assert table["3248"] == "opco2i"


def test_table_exemple_et_lecture_du_csv_livre_concordent() -> None:
    assert lire_idcc_opco(exemples.chemin_idcc_opco()) == table_exemple()


def test_certifications_formats_et_niveaux() -> None:
    certifications = exemples.certifications()
    assert len(certifications) == 20
    assert {c.niveau for c in certifications} == {3, 4, 5, 6, 7}
    assert len({c.rncp for c in certifications}) == 20
    for c in certifications:
        assert RNCP.match(c.rncp), c.rncp
        assert CFD.match(c.code_diplome), c.code_diplome
        assert exemples.NIVEAU_PAR_TYPE_DIPLOME[c.type_diplome] == c.niveau, c


def test_referentiel_exemple_deux_versions_et_deux_certifications_sans_npec() -> None:
    referentiel = exemples.referentiel_exemple()
    assert [v.date_applicabilite for v in referentiel.versions] == [
        date(2019, 1, 1),
        date(2025, 7, 1),
    ]
    ancienne, nouvelle = referentiel.versions
    rncp_avec_valeur = {rncp for rncp, _ in nouvelle.valeurs}
    sans_valeur = {c.rncp for c in exemples.certifications()} - rncp_avec_valeur
    assert len(sans_valeur) == 2
    communes = set(ancienne.valeurs) & set(nouvelle.valeurs)
    assert any(ancienne.valeurs[k].valeur != nouvelle.valeurs[k].valeur for k in communes)


def test_chaque_idcc_de_l_echantillon_mene_a_une_cpne_connue() -> None:
    referentiel = exemples.referentiel_exemple()
    version = referentiel.versions[-1]
    for idcc in exemples.idcc_opco():
        codes = version.cpne_par_idcc[idcc]
        assert all(code in version.libelles_cpne for code in codes)


def test_resolution_sur_l_echantillon() -> None:
    referentiel = exemples.referentiel_exemple()
    avec = resoudre_npec(referentiel, "RNCP90010", "1486", date(2025, 9, 1), 5)
    assert avec is not None and avec.origine == ORIGINE_REFERENTIEL
    assert avec.date_version == date(2025, 7, 1)
    sans = resoudre_npec(referentiel, "RNCP90004", "1486", date(2025, 9, 1), 3)
    assert sans is not None and sans.origine == ORIGINE_AMORCAGE
