"""Résolution de la NPEC (SPEC §6.3) sur des référentiels construits à la main."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apicfa.financement.npec import (
    ORIGINE_AMORCAGE,
    ORIGINE_REFERENTIEL,
    ReferentielNpec,
    ValeurNpec,
    VersionNpec,
    normaliser_cpne,
    normaliser_idcc,
    normaliser_rncp,
    resoudre_npec,
)

V2019 = VersionNpec(
    date_applicabilite=date(2019, 10, 1),
    valeurs={
        ("RNCP35340", "9"): ValeurNpec(Decimal("8000"), "CPNE"),
        ("RNCP35340", "2"): ValeurNpec(Decimal("7000"), "D"),
        ("01022001", "2"): ValeurNpec(Decimal("6079.3333"), "D"),
    },
    cpne_par_idcc={"1597": ("9",), "0478": ("2",)},
    libelles_cpne={"9": "CPNE du bâtiment", "2": "CNPE des sociétés financières"},
)
V2023 = VersionNpec(
    date_applicabilite=date(2023, 9, 8),
    valeurs={
        ("RNCP35340", "9"): ValeurNpec(Decimal("8500"), "R", date(2023, 9, 8)),
        ("RNCP35340", "2"): ValeurNpec(Decimal("7500"), "A", date(2023, 10, 15)),
    },
    cpne_par_idcc={"1597": ("9",), "0478": ("2",)},
    libelles_cpne={"9": "CPNE du bâtiment"},
)
V2025 = VersionNpec(
    date_applicabilite=date(2025, 7, 1),
    valeurs={("RNCP35340", "9"): ValeurNpec(Decimal("7900"), "A")},
    cpne_par_idcc={"1597": ("9",), "0478": ("2",), "1486": ("5", "9")},
    libelles_cpne={"9": "CPNE du bâtiment"},
)
REFERENTIEL = ReferentielNpec(versions=(V2025, V2019, V2023))


def test_les_versions_sont_triees_par_date() -> None:
    assert [v.date_applicabilite for v in REFERENTIEL.versions] == [
        date(2019, 10, 1),
        date(2023, 9, 8),
        date(2025, 7, 1),
    ]


@pytest.mark.parametrize(
    ("jour", "attendu", "version"),
    [
        (date(2020, 1, 1), Decimal("8000"), date(2019, 10, 1)),
        (date(2023, 9, 7), Decimal("8000"), date(2019, 10, 1)),
        (date(2023, 9, 8), Decimal("8500"), date(2023, 9, 8)),
        (date(2025, 6, 30), Decimal("8500"), date(2023, 9, 8)),
        (date(2025, 7, 1), Decimal("7900"), date(2025, 7, 1)),
        (date(2026, 3, 1), Decimal("7900"), date(2025, 7, 1)),
    ],
)
def test_la_version_applicable_est_la_plus_recente_a_la_date_de_conclusion(
    jour: date, attendu: Decimal, version: date
) -> None:
    resolution = resoudre_npec(REFERENTIEL, "RNCP35340", "1597", jour, 6)
    assert resolution is not None
    assert resolution.origine == ORIGINE_REFERENTIEL
    assert resolution.valeur == attendu
    assert resolution.date_version == version
    assert resolution.code_cpne == "9"
    assert resolution.libelle_cpne == "CPNE du bâtiment"


def test_une_ligne_qui_ne_s_applique_que_plus_tard_renvoie_a_la_version_precedente() -> None:
    # Valeur « A » du référentiel 2023 applicable au 15 octobre seulement : un contrat du
    # 1er octobre garde la valeur de la version 2019.
    avant = resoudre_npec(REFERENTIEL, "RNCP35340", "478", date(2023, 10, 1), 6)
    assert avant is not None and avant.valeur == Decimal("7000")
    assert avant.date_version == date(2019, 10, 1)
    apres = resoudre_npec(REFERENTIEL, "RNCP35340", "478", date(2023, 10, 15), 6)
    assert apres is not None and apres.valeur == Decimal("7500") and apres.statut == "A"


def test_absente_de_la_version_applicable_la_certification_prend_l_amorcage() -> None:
    # La version 2025 ne donne plus de valeur pour la CPNE 2 : pas de retour à 2023.
    resolution = resoudre_npec(REFERENTIEL, "RNCP35340", "0478", date(2025, 8, 1), 4)
    assert resolution is not None
    assert resolution.origine == ORIGINE_AMORCAGE
    assert resolution.valeur == Decimal("5621")
    assert resolution.niveau == 4
    assert "amorçage" in resolution.explication()


@pytest.mark.parametrize(
    ("niveau", "valeur"),
    [(3, "5470"), (4, "5621"), (5, "6000"), (6, "6000"), (7, "7000"), (8, "7000")],
)
def test_valeurs_d_amorcage_par_niveau(niveau: int, valeur: str) -> None:
    resolution = resoudre_npec(REFERENTIEL, "RNCP99999", "1597", date(2025, 9, 1), niveau)
    assert resolution is not None
    assert resolution.origine == ORIGINE_AMORCAGE
    assert resolution.valeur == Decimal(valeur)


def test_rien_ne_s_applique_sans_valeur_ni_niveau_connu() -> None:
    assert resoudre_npec(REFERENTIEL, "RNCP99999", "1597", date(2025, 9, 1)) is None
    assert resoudre_npec(REFERENTIEL, "RNCP99999", "1597", date(2025, 9, 1), 2) is None


def test_avant_toute_version_seule_l_amorcage_s_applique() -> None:
    resolution = resoudre_npec(REFERENTIEL, "RNCP35340", "1597", date(2019, 1, 1), 7)
    assert resolution is not None and resolution.origine == ORIGINE_AMORCAGE


def test_idcc_inconnu_ou_absent_donne_l_amorcage() -> None:
    inconnu = resoudre_npec(REFERENTIEL, "RNCP35340", "9999", date(2025, 9, 1), 5)
    absent = resoudre_npec(REFERENTIEL, "RNCP35340", None, date(2025, 9, 1), 5)
    assert inconnu is not None and inconnu.origine == ORIGINE_AMORCAGE
    assert absent is not None and absent.origine == ORIGINE_AMORCAGE


def test_les_codes_sont_acceptes_sous_leurs_formes_usuelles() -> None:
    for rncp in ("35340", "rncp35340", " RNCP35340 "):
        for idcc in ("1597", 1597):
            resolution = resoudre_npec(REFERENTIEL, rncp, idcc, date(2025, 9, 1), 6)
            assert resolution is not None and resolution.valeur == Decimal("7900")


def test_code_diplome_quand_le_referentiel_est_par_formation() -> None:
    resolution = resoudre_npec(
        REFERENTIEL, "RNCP11111", "478", date(2020, 3, 1), 4, code_diplome="01022001"
    )
    assert resolution is not None
    assert resolution.valeur == Decimal("6079.3333")
    assert resolution.code_certification == "01022001"


def test_plusieurs_cpne_pour_un_idcc_la_premiere_qui_a_une_valeur() -> None:
    resolution = resoudre_npec(REFERENTIEL, "RNCP35340", "1486", date(2025, 9, 1), 6)
    assert resolution is not None and resolution.code_cpne == "9"


def test_explication_du_referentiel() -> None:
    resolution = resoudre_npec(REFERENTIEL, "RNCP35340", "1597", date(2025, 9, 1), 6)
    assert resolution is not None
    texte = resolution.explication()
    assert "01/07/2025" in texte and "CPNE 9" in texte and "RNCP35340" in texte
    assert "7\u202f900,00 €" in texte


@pytest.mark.parametrize(
    ("brut", "attendu"), [("478", "0478"), ("0478", "0478"), (478, "0478"), ("478.0", "0478")]
)
def test_normaliser_idcc(brut: str | int, attendu: str) -> None:
    assert normaliser_idcc(brut) == attendu


def test_normaliser_rncp_et_cpne() -> None:
    assert normaliser_rncp("rncp 123") == "RNCP123"
    assert normaliser_rncp("50033001") == "50033001"
    assert normaliser_cpne(2.0) == "2"
    assert normaliser_cpne("12") == "12"
    assert normaliser_cpne(" 12.0 ") == "12"
