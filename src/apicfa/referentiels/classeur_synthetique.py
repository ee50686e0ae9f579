"""Écriture de classeurs NPEC synthétiques dans les mises en page de France compétences.

Sert aux mesures (`bench/`) : un classeur de 200 000 lignes en mise en page 2024 s'écrit en
flux en quelques secondes, avec une table de chaînes partagées comme ceux d'Excel. Les tests
réutilisent `onglets_npec` pour écrire leurs propres cas avec openpyxl.
Les données sont inventées : codes RNCP 9xxxx, CPNE 9xx.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import chain
from pathlib import Path

from apicfa.referentiels.npec_classeur import MISE_EN_PAGE_2024
from apicfa.referentiels.xlsx_minimal import Onglet, ecrire_xlsx

ENTETE_VALEURS_2024 = (
    "RNCP",
    "Libellé de la formation",
    "Certificateur* \n(*liste non exhaustive - premier dans la fiche RNCP)",
    "Type de diplôme",
    "Code CPNE",
    "CPNE",
    "NPEC final",
    "Statut",
    "Date d'applicabilité des NPEC** \n(**hors contrats couverts par la valeur d'amorçage)",
)
ENTETE_RATTACHEMENTS_2024 = ("Code CPNE", "CPNE", "IDCC")
ENTETE_VALEURS_2019 = (
    "Code la formation",
    "Libellé de la formation",
    "Code CPNE",
    "Libellé CPNE",
    "Code IDCC",
    "Valeur finale",
    "Statut",
)
ENTETE_RATTACHEMENTS_2019 = ("IDCC", "Code CPNE", "Intitulé CPNE")

Ligne = Sequence[object]


def onglets_npec(
    valeurs: Iterable[Ligne],
    rattachements: Iterable[Ligne],
    *,
    mise_en_page: str = MISE_EN_PAGE_2024,
    entete_valeurs: Sequence[str] | None = None,
    nom_onglet_valeurs: str | None = None,
) -> list[Onglet]:
    """Les onglets d'un classeur NPEC : « Me lire », valeurs (en-tête en ligne 4 en 2024, en
    ligne 2 en 2019, comme les vrais) et rattachements IDCC/CPNE. Les lignes sont reprises
    telles quelles, dans l'ordre des colonnes de l'en-tête, et parcourues à l'écriture."""
    if mise_en_page == MISE_EN_PAGE_2024:
        tete_valeurs: list[Ligne] = [
            [],
            ["Niveaux de prise en charge par certification et par CPNE"],
            [],
            list(entete_valeurs or ENTETE_VALEURS_2024),
        ]
        tete_liens: list[Ligne] = [
            ["", "Code(s) IDCC rattaché(s) aux CPNE", ""],
            [],
            list(ENTETE_RATTACHEMENTS_2024),
        ]
        noms = ("Me lire", nom_onglet_valeurs or "Onglet 3 - référentiel NPEC")
        nom_liens = "Onglet 4 - CPNE-IDCC"
    else:
        tete_valeurs = [
            ["Niveaux de prise en charge par diplôme et par branche professionnelle"],
            list(entete_valeurs or ENTETE_VALEURS_2019),
        ]
        tete_liens = [["CPNE de rattachement à l'IDCC", "", ""], list(ENTETE_RATTACHEMENTS_2019)]
        noms = ("Lisez-moi", nom_onglet_valeurs or "Onglet 3 - par formation-CPNE")
        nom_liens = "Onglet 5 - IDCC-CPNE"
    return [
        (noms[0], [["Référentiel NPEC synthétique écrit par apicfa (données inventées)"]]),
        (noms[1], chain(tete_valeurs, valeurs)),
        (nom_liens, chain(tete_liens, rattachements)),
    ]


def ecrire_classeur_npec(
    chemin: str | Path,
    valeurs: Iterable[Ligne],
    rattachements: Iterable[Ligne],
    *,
    mise_en_page: str = MISE_EN_PAGE_2024,
) -> Path:
    """Écrit en flux un classeur NPEC synthétique (voir `onglets_npec`)."""
    return ecrire_xlsx(chemin, onglets_npec(valeurs, rattachements, mise_en_page=mise_en_page))


def lignes_synthetiques_2024(
    nombre: int, *, nombre_cpne: int = 200, applicabilite: date = date(2025, 7, 1)
) -> Iterator[Ligne]:
    """`nombre` lignes de valeurs en mise en page 2024, déterministes, avec les variantes des
    vrais classeurs : un `NC` toutes les 50 lignes, un montant texte « 8 000 € » toutes les
    7 lignes, deux RNCP dans une cellule toutes les 11 lignes."""
    for index in range(nombre):
        certification = 90000 + index // nombre_cpne
        cpne = 900 + index % nombre_cpne
        code = f"RNCP{certification}"
        if index % 11 == 0:
            code = f"RNCP{certification}/RNCP{certification % 1000 + 1000}"
        montant: object = float(6000 + (index * 37) % 4000)
        if index % 50 == 0:
            montant = "NC"
        elif index % 7 == 0:
            montant = f"{6000 + (index * 37) % 4000:,} €".replace(",", " ")
        yield (
            code,
            f"Certification synthétique {certification}",
            "CERTIFICATEUR SYNTHÉTIQUE",
            "TITRE",
            cpne,
            f"CPNE synthétique {cpne}",
            montant,
            ("CPNE", "R", "A")[index % 3],
            applicabilite,
        )


def rattachements_synthetiques_2024(nombre_cpne: int = 200) -> Iterator[Ligne]:
    """Deux IDCC par CPNE synthétique (codes 5000 et plus)."""
    for index in range(nombre_cpne):
        cpne = 900 + index
        yield (cpne, f"CPNE synthétique {cpne}", f"{5000 + 2 * index}, {5001 + 2 * index}")
