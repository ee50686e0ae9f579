"""Propriété : tout dossier généré passe le validateur de la norme sans constat bloquant ni
d'instruction, quels que soient la graine et le jour de référence."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from apicfa.demo.generateur import generer_dossiers
from apicfa.norme.constats import AVERTISSEMENT
from apicfa.norme.validation import valider_cerfa

DOSSIERS_PAR_GRAINE = 25


@settings(max_examples=30, deadline=None)
@given(
    graine=st.integers(min_value=0, max_value=2**63),
    reference=st.dates(min_value=date(2020, 7, 1), max_value=date(2026, 11, 1)),
)
def test_dossiers_generes_sans_constat_grave(graine: int, reference: date) -> None:
    for numero, dossier in enumerate(
        generer_dossiers(DOSSIERS_PAR_GRAINE, graine, reference=reference), start=1
    ):
        graves = [
            (c.code, c.champ, c.message)
            for c in valider_cerfa(dossier, aujourd_hui=reference)
            if c.niveau != AVERTISSEMENT
        ]
        assert graves == [], f"graine {graine}, dossier {numero}"


def test_mille_dossiers_sans_aucun_constat() -> None:
    # Pas même un avertissement sur un échantillon plus large, au jour de référence par défaut.
    for numero, dossier in enumerate(generer_dossiers(1000, 20261128), start=1):
        assert valider_cerfa(dossier, aujourd_hui=date(2026, 10, 1)) == [], f"dossier {numero}"
