"""`/health` et `/{opco}/v1/status`, sans clé ; routes inconnues au format d'erreur de la norme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opco_banc import Banc, ouvrir_banc

from apicfa.opco.profils import FICHIER_INSTANTANE, charger_profils


def test_sante_et_statut(banc: Banc) -> None:
    assert banc.client.get("/health").json() == {"status": "ok"}
    assert banc.client.get("/atlas/v1/status").json() == {
        "status": "healthy",
        "versions": ["1", "2"],
    }
    assert banc.client.get("/zz/v1/status").status_code == 404


@pytest.fixture
def banc_instantane(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base, charger_profils(FICHIER_INSTANTANE))


def test_statut_suit_le_profil(banc_instantane: Banc) -> None:
    assert banc_instantane.client.get("/afdas/v1/status").json()["versions"] == ["1"]


def test_route_ou_methode_inconnue(banc: Banc) -> None:
    inconnue = banc.client.get("/atlas/v3/dossiers", headers=banc.a.entetes())
    assert inconnue.status_code == 404
    assert inconnue.json()["errors"][0]["code"] == "ROUTE_INCONNUE"
    methode = banc.client.delete("/atlas/v2/dossiers", headers=banc.a.entetes())
    assert methode.status_code == 405
    assert methode.json()["errors"][0]["code"] == "METHODE_NON_ADMISE"
