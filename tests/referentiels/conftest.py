"""Fixtures des tests de référentiels : écriture de classeurs avec openpyxl."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

Onglets = Sequence[tuple[str, Iterable[Sequence[object]]]]
EcrireClasseur = Callable[..., Path]


def ecrire_avec_openpyxl(
    chemin: Path, onglets: Onglets, *, cellule_lointaine: int | None = None
) -> Path:
    """Écrit les onglets avec openpyxl ; `cellule_lointaine` pose une cellule mise en forme
    mais vide à cette ligne de l'onglet des valeurs, comme les vrais classeurs qui annoncent
    un million de lignes."""
    classeur = Workbook()
    classeur.remove(classeur.active)
    for rang, (nom, lignes) in enumerate(onglets):
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(list(ligne))
        if cellule_lointaine is not None and rang == 1:
            feuille.cell(row=cellule_lointaine, column=1).number_format = "0.00"
            feuille.cell(row=cellule_lointaine, column=7).value = ""
    classeur.save(chemin)
    return chemin


@pytest.fixture
def ecrire_classeur(tmp_path: Path) -> EcrireClasseur:
    """`ecrire_classeur(nom, valeurs, rattachements, mise_en_page=…, …)` → chemin du classeur
    écrit par openpyxl dans la mise en page demandée."""
    from apicfa.referentiels.classeur_synthetique import onglets_npec

    def ecrire(
        nom: str,
        valeurs: Iterable[Sequence[object]],
        rattachements: Iterable[Sequence[object]] = (),
        *,
        cellule_lointaine: int | None = None,
        **options: object,
    ) -> Path:
        onglets = onglets_npec(valeurs, rattachements, **options)  # type: ignore[arg-type]
        return ecrire_avec_openpyxl(tmp_path / nom, onglets, cellule_lointaine=cellule_lointaine)

    return ecrire
