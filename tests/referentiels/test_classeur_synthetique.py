"""Le classeur synthétique des mesures (écriture .xlsx minimale) se relit comme un vrai."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from apicfa.referentiels.classeur_synthetique import (
    ecrire_classeur_npec,
    lignes_synthetiques_2024,
    rattachements_synthetiques_2024,
)
from apicfa.referentiels.npec_classeur import ClasseurNpec
from apicfa.referentiels.xlsx_minimal import ecrire_xlsx


def test_classeur_synthetique_relu(tmp_path: Path) -> None:
    chemin = ecrire_classeur_npec(
        tmp_path / "npec.xlsx",
        lignes_synthetiques_2024(1_000, nombre_cpne=20),
        rattachements_synthetiques_2024(20),
    )
    with ClasseurNpec(chemin) as classeur:
        lignes = list(classeur.lignes_npec())
        rattachements = list(classeur.rattachements())
    assert len(lignes) == 1_000
    assert sum(ligne.valeur is None for ligne in lignes) == 20  # un NC toutes les 50 lignes
    assert lignes[0].codes_certification == ("RNCP90000", "RNCP1000")  # deux RNCP toutes les 11
    assert lignes[7].valeur_lue == "6 259 €" and lignes[7].valeur == Decimal("6259")
    assert lignes[1].valeur == Decimal("6037")
    assert {ligne.date_applicabilite for ligne in lignes} == {date(2025, 7, 1)}
    assert len(rattachements) == 40


def test_xlsx_minimal_lisible_par_openpyxl(tmp_path: Path) -> None:
    chemin = ecrire_xlsx(
        tmp_path / "t.xlsx",
        [
            ("Un & deux", [["texte <spécial> & co", 12, 3.5, True, date(2024, 2, 29)], ["x"]]),
            ("Vide", []),
        ],
    )
    classeur = load_workbook(chemin)
    assert classeur.sheetnames == ["Un & deux", "Vide"]
    feuille = classeur["Un & deux"]
    valeurs = [cellule.value for cellule in feuille[1]]
    assert valeurs[:4] == ["texte <spécial> & co", 12, 3.5, True]
    assert valeurs[4].date() == date(2024, 2, 29)
    assert feuille["A2"].value == "x"
