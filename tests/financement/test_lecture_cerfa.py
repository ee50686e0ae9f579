"""Adaptateur CERFA → ContratFinance (dictionnaire de SPEC §4, enveloppe ou objet nu)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from apicfa.financement.lecture_cerfa import depuis_cerfa

CERFA: dict[str, Any] = {
    "contrat": {
        "dateConclusion": "2025-08-20",
        "dateDebutContrat": "2025-09-01",
        "dateFinContrat": "2027-08-31",
    },
    "formation": {"typeDiplome": 80, "dureeFormation": "1200", "nombreHeuresEnDistanciel": 960},
}


def test_objet_nu_et_enveloppe_donnent_le_meme_contrat() -> None:
    nu = depuis_cerfa(CERFA, Decimal("8000"))
    assert nu == depuis_cerfa({"cerfa": CERFA}, Decimal("8000"))
    assert nu.date_conclusion == date(2025, 8, 20)
    assert nu.date_debut == date(2025, 9, 1)
    assert nu.date_fin == date(2027, 8, 31)
    assert nu.niveau == 8
    assert nu.duree_formation == Decimal(1200)
    assert nu.heures_distanciel == Decimal(960)
    assert nu.regime == "2025"


def test_un_modele_avec_model_dump_est_accepte() -> None:
    class Modele:
        def model_dump(self, *, mode: str, by_alias: bool) -> dict[str, Any]:
            assert (mode, by_alias) == ("json", True)
            return CERFA

    assert depuis_cerfa(Modele(), Decimal("1")).niveau == 8


@pytest.mark.parametrize(
    ("contrat", "message"),
    [
        (
            {"dateConclusion": "2025-08-01", "dateDebutContrat": "2025-09-01"},
            r"cerfa\.contrat\.dateFinContrat : date manquante",
        ),
        (
            {"dateDebutContrat": "2025-09-01", "dateFinContrat": "2026-08-31"},
            r"cerfa\.contrat\.dateConclusion : date manquante",
        ),
        (
            {
                "dateConclusion": "2025-08-01",
                "dateDebutContrat": "01/09/2025",
                "dateFinContrat": "2026-08-31",
            },
            r"cerfa\.contrat\.dateDebutContrat : date AAAA-MM-JJ attendue",
        ),
        (
            {
                "dateConclusion": "2025-08-01",
                "dateDebutContrat": "2025-09-01",
                "dateFinContrat": "2025-08-31",
            },
            r"contrat\.dateFinContrat \(2025-08-31\) est antérieure",
        ),
    ],
)
def test_erreurs_nomment_le_champ(contrat: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        depuis_cerfa({"contrat": contrat}, Decimal("8000"))


def test_heures_negatives_refusees() -> None:
    cerfa = {**CERFA, "formation": {"nombreHeuresEnDistanciel": -1}}
    with pytest.raises(ValueError, match=r"cerfa\.formation\.nombreHeuresEnDistanciel"):
        depuis_cerfa(cerfa, Decimal("8000"))


def test_le_modele_cerfa_de_la_norme_donne_le_meme_contrat() -> None:
    from apicfa.norme.cerfa import lire_cerfa

    modele = lire_cerfa({"cerfa": CERFA})
    assert depuis_cerfa(modele, Decimal("8000")) == depuis_cerfa(CERFA, Decimal("8000"))


def _avenant(type_contrat: Any, conclusion: str, debut: str) -> dict[str, Any]:
    return {
        "contrat": {
            "typeContratApp": type_contrat,
            "dateConclusion": conclusion,
            "dateDebutContrat": debut,
            "dateFinContrat": "2028-03-23",
        },
        "formation": {"typeDiplome": 54},
    }


@pytest.mark.parametrize("type_contrat", [31, "35", 38])
def test_un_avenant_reste_au_regime_du_contrat_initial(type_contrat: Any) -> None:
    # Avenant signé le 18/09/2025 d'un contrat commencé le 24/03/2025 : le contrat initial a été
    # conclu au plus tard le 24/03/2025, donc sous le régime 2020.
    contrat = depuis_cerfa(_avenant(type_contrat, "2025-09-18", "2025-03-24"), Decimal("8000"))
    assert contrat.date_conclusion == date(2025, 3, 24)
    assert contrat.regime == "2020"


@pytest.mark.parametrize("type_contrat", [11, 21, 30, 39, None])
def test_hors_avenant_la_date_de_conclusion_choisit_le_regime(type_contrat: Any) -> None:
    contrat = depuis_cerfa(_avenant(type_contrat, "2025-09-18", "2025-03-24"), Decimal("8000"))
    assert contrat.date_conclusion == date(2025, 9, 18)
    assert contrat.regime == "2025"


def test_avenant_conclu_avant_le_debut_garde_sa_date() -> None:
    contrat = depuis_cerfa(_avenant(32, "2025-06-20", "2025-09-01"), Decimal("8000"))
    assert contrat.date_conclusion == date(2025, 6, 20)
    assert contrat.regime == "2020"
