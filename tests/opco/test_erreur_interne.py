"""Une erreur imprévue : 500 au format de la norme, et rien de la donnée dans le journal."""

from __future__ import annotations

import logging

import pytest
from opco_banc import Banc


def test_erreur_interne_500_sans_donnee_journalisee(
    banc: Banc, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from apicfa.opco.routes import etats

    def panne(_request: object) -> int:
        raise RuntimeError("NIR 105067512345632 dans le message")

    monkeypatch.setattr(etats, "lire_numero_page", panne)
    with caplog.at_level(logging.ERROR, logger="apicfa.opco"):
        reponse = banc.client.get(
            "/atlas/v2/dossiers/etats", headers=banc.a.entetes(**{"X-Request-ID": "r-500"})
        )
    assert reponse.status_code == 500
    erreur = reponse.json()["errors"][0]
    assert erreur["code"] == "ERREUR_INTERNE" and "r-500" in erreur["description"]
    assert "r-500" in caplog.text and "RuntimeError" in caplog.text
    assert "105067512345632" not in caplog.text
