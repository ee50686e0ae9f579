"""Dossiers invalides : chaque fichier n'enfreint que sa règle, et chaque règle du cerfa a sa
mutation ou une exclusion motivée. Pilotés par le catalogue : une règle ajoutée y entre seule."""

from __future__ import annotations

from datetime import date

import pytest

from apicfa.demo.invalides import (
    EXCLUSIONS,
    DossierInvalide,
    Impossible,
    dossiers_invalides,
    mutation_pour,
    regles_du_cerfa,
)
from apicfa.norme.constats import AVERTISSEMENT
from apicfa.norme.regles import CATALOGUE
from apicfa.norme.validation import valider_cerfa

# Jour du dépôt simulé : après toute conclusion générée, avant la conclusion « future » (2099).
DEPOT = date(2026, 11, 28)
GRAINES = (1, 77)


@pytest.fixture(scope="module", params=GRAINES)
def resultats(request: pytest.FixtureRequest) -> dict[str, DossierInvalide | Impossible]:
    return {r.code: r for r in dossiers_invalides(request.param)}


def test_chaque_regle_du_cerfa_a_une_mutation_ou_une_exclusion() -> None:
    regles = regles_du_cerfa()
    assert len(regles) > 50
    sans_rien = [
        code
        for code, chemin in regles.items()
        if code not in EXCLUSIONS and mutation_pour(code, chemin) is None
    ]
    assert sans_rien == []
    assert all(raison.strip() for raison in EXCLUSIONS.values())
    assert set(EXCLUSIONS) <= set(regles), "une exclusion nomme une règle qui n'existe plus"


def test_un_resultat_par_regle(resultats: dict[str, DossierInvalide | Impossible]) -> None:
    assert set(resultats) == set(regles_du_cerfa())
    impossibles = {c: r for c, r in resultats.items() if isinstance(r, Impossible)}
    assert set(impossibles) == set(EXCLUSIONS), impossibles


def test_chaque_fichier_n_enfreint_que_sa_regle(
    resultats: dict[str, DossierInvalide | Impossible],
) -> None:
    echecs = {}
    for code, resultat in resultats.items():
        if isinstance(resultat, Impossible):
            continue
        constats = valider_cerfa(resultat.dossier, aujourd_hui=DEPOT)
        graves = sorted({c.code for c in constats if c.niveau != AVERTISSEMENT})
        if CATALOGUE[code].niveau == AVERTISSEMENT:
            attendu_ok = graves == [] and code in {c.code for c in constats}
        else:
            attendu_ok = graves == [code]
        if not attendu_ok:
            echecs[code] = [(c.code, c.niveau) for c in constats]
    assert echecs == {}


def test_le_constat_nomme_le_champ_de_la_regle(
    resultats: dict[str, DossierInvalide | Impossible],
) -> None:
    resultat = resultats["EMPLOYEUR_SIRET_CLE"]
    assert isinstance(resultat, DossierInvalide)
    constats = valider_cerfa(resultat.dossier, aujourd_hui=DEPOT)
    assert [(c.code, c.champ) for c in constats] == [
        ("EMPLOYEUR_SIRET_CLE", "cerfa.employeur.siret")
    ]
