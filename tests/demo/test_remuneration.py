"""La grille de rémunération : une période par année, coupée au changement de tranche d'âge."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from apicfa.demo.generateur import generer_dossiers
from apicfa.demo.remuneration import Periode, periodes, salaire_embauche_centimes


def test_grille_coupee_aux_18_ans() -> None:
    # Né le 10/03/2008 : 17 ans au début (01/09/2025), 18 ans le 10/03/2026.
    grille = periodes(date(2008, 3, 10), date(2025, 9, 1), date(2027, 8, 31), 0)
    assert grille == [
        Periode("1.1", date(2025, 9, 1), date(2026, 3, 9), 27),
        Periode("1.2", date(2026, 3, 10), date(2026, 8, 31), 43),
        Periode("2.1", date(2026, 9, 1), date(2027, 8, 31), 51),
    ]


def test_grille_majoree_et_plafonnee() -> None:
    # 27 ans : 100 % du SMIC quelle que soit la majoration ; 3e année pour un contrat de 3 ans.
    grille = periodes(date(1998, 1, 1), date(2025, 1, 6), date(2028, 1, 5), 12)
    assert [(p.ordre, p.taux) for p in grille] == [("1.1", 100), ("2.1", 100), ("3.1", 100)]
    assert grille[-1].fin == date(2028, 1, 5)


def test_derniere_annee_incomplete() -> None:
    grille = periodes(date(2005, 6, 1), date(2025, 10, 1), date(2026, 12, 31), 5)
    assert [(p.ordre, p.debut, p.fin, p.taux) for p in grille] == [
        ("1.1", date(2025, 10, 1), date(2026, 5, 31), 48),  # 20 ans : 43 + 5
        ("1.2", date(2026, 6, 1), date(2026, 9, 30), 58),  # 21 ans : 53 + 5
        ("2.1", date(2026, 10, 1), date(2026, 12, 31), 66),  # 61 + 5
    ]


def test_salaire_embauche() -> None:
    # 53 % du SMIC de 2026 (1 823,03 €) pour 35 h : 966,21 € ; pour 39 h : 1 076,63 €.
    assert salaire_embauche_centimes(53, date(2026, 2, 1), 35 * 60) == 96621
    assert salaire_embauche_centimes(53, date(2026, 2, 1), 39 * 60) == 107663


def test_grilles_generees_continues_et_completes() -> None:
    for dossier in generer_dossiers(200, 17):
        contrat = dossier["cerfa"]["contrat"]
        grille = contrat["remunerationsAnnuelles"]
        assert grille[0]["dateDebut"] == contrat["dateDebutContrat"]
        assert grille[-1]["dateFin"] == contrat["dateFinContrat"]
        for avant, apres in itertools.pairwise(grille):
            lendemain = date.fromisoformat(avant["dateFin"]) + timedelta(days=1)
            assert date.fromisoformat(apres["dateDebut"]) == lendemain
            assert apres["taux"] >= avant["taux"]
