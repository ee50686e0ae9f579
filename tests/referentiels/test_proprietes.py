"""Propriétés (hypothesis) : lecture des montants et choix de la version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from apicfa.financement.npec import ORIGINE_REFERENTIEL, resoudre_npec
from apicfa.referentiels import cellules, exemples

REGLAGES = settings(max_examples=60, deadline=None)


@REGLAGES
@given(
    montant=st.decimals(min_value=0, max_value=99_999, places=2),
    insecable=st.sampled_from([" ", "\u00a0", "\u202f"]),
    euro=st.sampled_from(["", " €", "€", " EUR"]),
)
def test_un_montant_ecrit_a_la_francaise_se_relit(
    montant: Decimal, insecable: str, euro: str
) -> None:
    texte = f"{montant:,.2f}".replace(",", insecable).replace(".", ",") + euro
    assert cellules.montant(texte) == montant


@REGLAGES
@given(
    jour=st.dates(min_value=date(2018, 1, 1), max_value=date(2027, 12, 31)),
    certification=st.sampled_from(exemples.certifications()),
    idcc=st.sampled_from(sorted(exemples.idcc_opco())),
)
def test_la_version_retenue_est_la_derniere_applicable(
    jour: date, certification: exemples.CertificationExemple, idcc: str
) -> None:
    referentiel = exemples.referentiel_exemple()
    resolution = resoudre_npec(referentiel, certification.rncp, idcc, jour, certification.niveau)
    assert resolution is not None
    applicables = [v for v in referentiel.versions if v.date_applicabilite <= jour]
    if resolution.origine == ORIGINE_REFERENTIEL:
        assert resolution.date_version == applicables[-1].date_applicabilite
        assert resolution.valeur > 0
    else:
        assert resolution.niveau == certification.niveau
        assert not applicables or all(
            code != certification.rncp for code, _ in applicables[-1].valeurs
        )
