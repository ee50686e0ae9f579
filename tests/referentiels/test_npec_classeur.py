"""Lecture des classeurs NPEC : les trois vrais classeurs de ../shared/data/npec et des
classeurs synthétiques écrits par les tests avec openpyxl, dans chaque mise en page."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from apicfa.referentiels.classeur_synthetique import ENTETE_VALEURS_2024
from apicfa.referentiels.erreurs import FichierReferentielInvalide
from apicfa.referentiels.npec_classeur import (
    MISE_EN_PAGE_2019,
    MISE_EN_PAGE_2024,
    ClasseurNpec,
    RattachementCpne,
    date_du_nom,
)

from .conftest import EcrireClasseur

JOUR = date(2025, 7, 1)


def _ligne_2024(
    rncp: object, cpne: object, valeur: object, statut: str = "A", jour: object = JOUR
) -> tuple[object, ...]:
    return (rncp, "Formation", "CERTIFICATEUR", "TITRE", cpne, f"CPNE {cpne}", valeur, statut, jour)


# --- Les vrais classeurs (données publiques, coupées à quelques lignes) ---------------------


def test_vrai_classeur_2019(donnees_partagees: Path) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2019-10.xlsx"
    with ClasseurNpec(chemin) as classeur:
        assert classeur.mise_en_page.nom == MISE_EN_PAGE_2019
        assert not classeur.a_des_dates_par_ligne
        lignes = list(classeur.lignes_npec())
        rattachements = list(classeur.rattachements())
    assert [(ligne.numero, ligne.code_cpne) for ligne in lignes] == [(3, "2"), (4, "4"), (5, "5")]
    premiere = lignes[0]
    assert premiere.codes_certification == ("01022001",)
    assert premiere.libelle == "AGENT DE CONTROLE NON DESTRUCTIF (MC NIVEAU IV)"
    assert premiere.valeur == Decimal("6079.3333")
    assert premiere.statut == "D"
    assert premiere.libelle_cpne == "CNPE des sociétés financières"
    assert rattachements == [
        RattachementCpne("0478", "2", "CNPE des sociétés financières"),
        RattachementCpne("1801", "4", "CPNE des sociétés d'assistance"),
        RattachementCpne("2205", "5", "CPNEFP dans le notariat"),
    ]
    assert date_du_nom(chemin) == date(2019, 10, 1)


def test_vrai_classeur_2024_04_09(donnees_partagees: Path) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2024-04-09.xlsx"
    with ClasseurNpec(chemin) as classeur:
        assert classeur.mise_en_page.nom == MISE_EN_PAGE_2024
        assert classeur.a_des_dates_par_ligne
        lignes = list(classeur.lignes_npec())
        rattachements = list(classeur.rattachements())
    assert [ligne.numero for ligne in lignes] == [5, 6, 7, 8]
    assert [ligne.codes_certification for ligne in lignes] == [
        ("RNCP1002",),
        ("RNCP1002",),
        ("RNCP31946", "RNCP36989"),
        ("RNCP36989",),
    ]
    assert [ligne.valeur for ligne in lignes] == [
        Decimal("9497"),
        None,
        Decimal("7750"),
        Decimal("8502"),
    ]
    assert lignes[1].valeur_lue == "NC"
    assert lignes[1].libelle_cpne == "CNPEFP des sociétés d’assistance"
    assert {ligne.date_applicabilite for ligne in lignes} == {date(2023, 10, 15)}
    assert {ligne.statut for ligne in lignes} == {"A"}
    assert rattachements == [RattachementCpne("0478", "2", "CNPE des sociétés financières")]


def test_vrai_classeur_2024_07_15(donnees_partagees: Path) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2024-07-15.xlsx"
    with ClasseurNpec(chemin) as classeur:
        lignes = list(classeur.lignes_npec())
        assert classeur.hauteur_valeurs() >= len(lignes)
    assert len(lignes) == 1
    assert lignes[0].codes_certification == ("RNCP1002",)
    assert lignes[0].code_cpne == "2"
    assert lignes[0].valeur == Decimal("9497")
    assert lignes[0].date_applicabilite == date(2024, 7, 15)


# --- Classeurs synthétiques ----------------------------------------------------------------


def test_synthetique_2024_variantes_des_cellules(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [
            _ligne_2024("RNCP90001", 901, 8000),
            _ligne_2024("RNCP90001", 902, "NC"),
            _ligne_2024("RNCP90001", 903, "NR"),
            _ligne_2024("RNCP90002", "904", "8 000 €"),
            _ligne_2024("RNCP90003/RNCP90004", 901.0, "7 250,50 €", statut="CPNE"),
            _ligne_2024(" rncp90005 ", 901, 6900.0, jour="01/09/2025"),
        ],
        [(901, "CPNE 901", "1486, 1597"), (902, "CPNE 902", 2216), (903, "CPNE 903", "NA")],
    )
    with ClasseurNpec(chemin) as classeur:
        lignes = list(classeur.lignes_npec())
        rattachements = list(classeur.rattachements())
    assert [ligne.valeur for ligne in lignes] == [
        Decimal("8000"),
        None,
        None,
        Decimal("8000"),
        Decimal("7250.50"),
        Decimal("6900"),
    ]
    assert [ligne.valeur_lue for ligne in lignes][1:4] == ["NC", "NR", "8 000 €"]
    assert lignes[4].codes_certification == ("RNCP90003", "RNCP90004")
    assert lignes[4].code_cpne == "901"
    assert lignes[5].codes_certification == ("RNCP90005",)
    assert lignes[5].date_applicabilite == date(2025, 9, 1)
    assert [(r.idcc, r.code_cpne) for r in rattachements] == [
        ("1486", "901"),
        ("1597", "901"),
        ("2216", "902"),
    ]


def test_synthetique_2019(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur(
        "npec-2019.xlsx",
        [
            (1022001, "AGENT (MC NIVEAU IV)", 2, "CPNE 2", 478, 6079.3333, "D"),
            ("50033001", "CAP", 9, "CPNE 9", "1597", "7 500 €", "CPNE"),
            ("50033002", "CAP", 9, "CPNE 9", "1597", "NC", "R"),
        ],
        [(478, 2, "CPNE 2"), (1597, 9, "CPNE 9")],
        mise_en_page=MISE_EN_PAGE_2019,
    )
    with ClasseurNpec(chemin) as classeur:
        assert classeur.mise_en_page.nom == MISE_EN_PAGE_2019
        lignes = list(classeur.lignes_npec())
        rattachements = list(classeur.rattachements())
    assert [ligne.codes_certification for ligne in lignes] == [
        ("01022001",),
        ("50033001",),
        ("50033002",),
    ]
    assert [ligne.valeur for ligne in lignes] == [Decimal("6079.3333"), Decimal("7500"), None]
    assert [ligne.numero for ligne in lignes] == [3, 4, 5]
    assert [(r.idcc, r.code_cpne) for r in rattachements] == [("0478", "2"), ("1597", "9")]


def test_les_lignes_vides_finales_arretent_la_lecture(ecrire_classeur: EcrireClasseur) -> None:
    """L'onglet annonce 1 000 000 de lignes (une cellule mise en forme tout en bas, et un texte
    égaré loin sous le tableau) : la lecture s'arrête avec les données, après 50 lignes vides ;
    une ligne vide isolée au milieu est sautée."""
    lignes: list[tuple[object, ...]] = [
        _ligne_2024(f"RNCP{90000 + i}", 901, 7000 + i) for i in range(30)
    ]
    lignes.insert(10, ())
    lignes.extend([()] * 60)
    lignes.append(_ligne_2024("Mise à jour : voir l'onglet Me lire", "", "texte égaré"))
    chemin = ecrire_classeur(
        "npec-2025-07-01.xlsx", lignes, [(901, "CPNE 901", 1486)], cellule_lointaine=1_000_000
    )
    debut = time.perf_counter()
    with ClasseurNpec(chemin) as classeur:
        lues = list(classeur.lignes_npec())
    assert len(lues) == 30
    assert lues[10].numero == 16  # en-tête ligne 4, données dès la 5, ligne vide en 15
    assert time.perf_counter() - debut < 30


def test_une_note_en_bas_de_tableau_est_ignoree(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [_ligne_2024("RNCP90001", 901, 7000), ("Source : France compétences",)],
        [(901, "CPNE 901", 1486)],
    )
    with ClasseurNpec(chemin) as classeur:
        assert len(list(classeur.lignes_npec())) == 1


def test_en_tete_code_rncp_accepte(ecrire_classeur: EcrireClasseur) -> None:
    entete = ("Code RNCP", *ENTETE_VALEURS_2024[1:])
    chemin = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [_ligne_2024("RNCP90001", 901, 7000)],
        [(901, "CPNE 901", 1486)],
        entete_valeurs=entete,
    )
    with ClasseurNpec(chemin) as classeur:
        assert [ligne.codes_certification for ligne in classeur.lignes_npec()] == [("RNCP90001",)]


# --- Fichiers faux : message français qui nomme l'onglet, la colonne ou la ligne -------------


def test_onglet_absent(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur("faux.xlsx", [_ligne_2024("RNCP1", 1, 1)], nom_onglet_valeurs="Feuil1")
    with pytest.raises(FichierReferentielInvalide) as erreur:
        ClasseurNpec(chemin)
    message = str(erreur.value)
    assert "n'est pas un référentiel NPEC" in message
    assert "« Onglet 3 - référentiel NPEC »" in message
    assert "Feuil1" in message


def test_colonne_absente(ecrire_classeur: EcrireClasseur) -> None:
    entete = tuple(c for c in ENTETE_VALEURS_2024 if c != "NPEC final")
    chemin = ecrire_classeur(
        "faux.xlsx",
        [("RNCP1", "F", "C", "T", 1, "CPNE", "A", JOUR)],
        [(1, "CPNE", 1486)],
        entete_valeurs=entete,
    )
    with ClasseurNpec(chemin) as classeur, pytest.raises(FichierReferentielInvalide) as erreur:
        list(classeur.lignes_npec())
    message = str(erreur.value)
    assert "onglet « Onglet 3 - référentiel NPEC »" in message
    assert "colonne(s) « NPEC final »" in message
    assert "en-têtes lus : RNCP" in message


def test_montant_illisible_nomme_ligne_et_colonne(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur(
        "faux.xlsx",
        [_ligne_2024("RNCP1", 1, 7000), _ligne_2024("RNCP2", 1, "sept mille")],
        [(1, "CPNE", 1486)],
    )
    with ClasseurNpec(chemin) as classeur, pytest.raises(FichierReferentielInvalide) as erreur:
        list(classeur.lignes_npec())
    assert "ligne 6, colonne « NPEC final » : montant illisible « sept mille »" in str(erreur.value)


def test_code_cpne_absent(ecrire_classeur: EcrireClasseur) -> None:
    chemin = ecrire_classeur("faux.xlsx", [_ligne_2024("RNCP1", "", 7000)], [(1, "C", 1486)])
    with ClasseurNpec(chemin) as classeur, pytest.raises(FichierReferentielInvalide) as erreur:
        list(classeur.lignes_npec())
    assert "ligne 5, colonne « Code CPNE » : code CPNE absent" in str(erreur.value)


def test_pas_un_classeur(tmp_path: Path) -> None:
    faux = tmp_path / "npec.xlsx"
    faux.write_text("idcc;opco\n1486;atlas\n", encoding="utf-8")
    with pytest.raises(FichierReferentielInvalide, match=r"n'est pas un classeur Excel lisible"):
        ClasseurNpec(faux)


def test_fichier_introuvable(tmp_path: Path) -> None:
    with pytest.raises(FichierReferentielInvalide, match="fichier introuvable"):
        ClasseurNpec(tmp_path / "absent.xlsx")


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("referentiel-npec-2024-07-15.xlsx", date(2024, 7, 15)),
        ("referentiel-npec-2019-10.xlsx", date(2019, 10, 1)),
        ("NPEC_20250701.xlsx", date(2025, 7, 1)),
        ("referentiel.xlsx", None),
    ],
)
def test_date_du_nom(nom: str, attendu: date | None) -> None:
    assert date_du_nom(nom) == attendu


@pytest.mark.parametrize(
    ("ligne", "attendu"),
    [
        (
            _ligne_2024("RNCP1", 1, 7000, jour="15 juillet"),
            "colonne « Date d'applicabilité des NPEC » : date illisible « 15 juillet »",
        ),
        (_ligne_2024("", 1, 7000), "colonne « RNCP » : code de certification absent"),
    ],
)
def test_cellule_fausse_nomme_sa_colonne(
    ecrire_classeur: EcrireClasseur, ligne: tuple[object, ...], attendu: str
) -> None:
    chemin = ecrire_classeur("faux.xlsx", [ligne], [(1, "CPNE", 1486)])
    with ClasseurNpec(chemin) as classeur, pytest.raises(FichierReferentielInvalide) as erreur:
        list(classeur.lignes_npec())
    assert f"ligne 5, {attendu}" in str(erreur.value)
