"""Synchronisation : états (incrémentale), échéanciers des dossiers financés, factures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
from tests.client import enregistrements as enr
from tests.client.faux_opco import FauxOpco, json

from apicfa.client.journal import Journal
from apicfa.client.synchronisation import synchroniser_opco


def _faux() -> FauxOpco:
    faux = FauxOpco()
    page = enr.page_etats(1, 2, ["a1", "a7"])
    page["EtatDossierResult"][0]["etat"] = "ENGAGE"
    faux.ajouter("/atlas/v1/dossiers/etats", json(200, page))
    faux.ajouter(
        "/atlas/v1/dossiers",
        json(
            200, {**enr.DOSSIER_DATES_DECALEES, "cerfa": {"numeroInterne": "a1", "etat": "ENGAGE"}}
        ),
    )
    faux.ajouter("/atlas/v2/factures/etats", json(200, enr.PAGE_FACTURES))
    return faux


def test_premiere_synchronisation_complete_puis_incrementale(tmp_path: Path) -> None:
    faux = _faux()
    with Journal(tmp_path / "j.sqlite") as journal, faux.client() as client:
        bilan = synchroniser_opco(client, "atlas", journal, aujourd_hui=date(2026, 3, 10))
        assert (bilan.etats, bilan.echeanciers, bilan.factures) == (2, 2, 1)
        assert len(journal.echeances("atlas", "a1")) == 2
        assert journal.factures()[0]["etat"] == "REGLE"
        synchroniser_opco(client, "atlas", journal, aujourd_hui=date(2026, 3, 12))
        synchroniser_opco(client, "atlas", journal, aujourd_hui=date(2026, 3, 13), complet=True)
    filtres = [
        r.url.params.get("modifieDepuis") for r in faux.requetes_vers("/atlas/v1/dossiers/etats")
    ]
    assert filtres == [None, "2026-03-09", None]
    # Les dossiers engagé et rompu (RUPTU) ont leur échéancier relu à chaque passe.
    relus = [r.url.params["numeroInterne"] for r in faux.requetes_vers("/atlas/v1/dossiers")]
    assert relus == ["a1", "a7"] * 3


def test_filtre_refuse_par_l_opco_synchronisation_complete(tmp_path: Path) -> None:
    faux = _faux()

    def etats(requete: httpx.Request) -> httpx.Response:
        if "modifieDepuis" in requete.url.params:
            return json(400, {"errors": [{"code": "PARAMETRE_INVALIDE", "description": "x"}]})
        return json(200, enr.page_etats(1, 1, ["a1"]))

    faux.files["/atlas/v1/dossiers/etats"] = [etats]
    faux.files["/atlas/v2/factures/etats"] = [json(501, {"errors": []})]
    with Journal(tmp_path / "j.sqlite") as journal, faux.client() as client:
        journal.noter_synchronisation("atlas", date(2026, 1, 1))
        bilan = synchroniser_opco(client, "atlas", journal, aujourd_hui=date(2026, 3, 10))
    assert bilan.etats == 1
    assert any("modifieDepuis" in r for r in bilan.remarques)
    assert any("501" in r for r in bilan.remarques)
