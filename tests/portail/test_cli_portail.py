"""`apicfa cfa-comptes …` et `apicfa logiciels creer` : ce que voit l'utilisateur."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.norme.codes import OPCOS
from apicfa.portail.comptes import cle_valide
from apicfa.portail.logiciels import emettre_jeton
from apicfa.portail.secrets import empreinte
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import CleApi, Logiciel

runner = CliRunner()


def _creer(url: str, *options: str) -> dict:
    resultat = runner.invoke(
        app,
        [
            "cfa-comptes",
            "creer",
            "--siret",
            "13002526500013",
            "--uai",
            "0751234J",
            "--nom",
            "CFA Nantes",
            "--json",
            "--base",
            url,
            *options,
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    return json.loads(resultat.output)


def test_creer_json_une_cle_par_opco_gardee_hachee(url_base: str) -> None:
    sortie = _creer(url_base)
    assert set(sortie) == {"cfa", "cles"}
    assert set(sortie["cfa"]) == {"id", "siret", "uai", "nom"}
    assert set(sortie["cles"]) == set(OPCOS)
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        stockees = session.scalars(select(CleApi)).all()
        valide = cle_valide(session, sortie["cles"]["akto"], datetime.now().date())
    moteur.dispose()
    assert {c.empreinte for c in stockees} == {empreinte(c) for c in sortie["cles"].values()}
    assert all(c.empreinte not in sortie["cles"].values() for c in stockees)
    assert valide is not None and valide.opco == "akto"


def test_creer_pour_quelques_opco_avec_expiration(url_base: str) -> None:
    sortie = _creer(url_base, "--opco", "atlas,akto", "--expire-le", "2027-12-31")
    assert set(sortie["cles"]) == {"atlas", "akto"}
    liste = runner.invoke(app, ["cfa-comptes", "lister", "--json", "--base", url_base])
    cles = json.loads(liste.output)[0]["cles"]
    assert {c["dateFinValidite"] for c in cles} == {"2027-12-31"}
    assert all(sortie["cles"][c["opco"]] not in liste.output for c in cles)


def test_erreurs_en_francais(url_base: str) -> None:
    _creer(url_base)
    double = runner.invoke(
        app,
        [
            "cfa-comptes",
            "creer",
            "--siret",
            "13002526500013",
            "--uai",
            "X",
            "--nom",
            "N",
            "--base",
            url_base,
        ],
    )
    assert double.exit_code == 1 and "existe déjà" in double.output
    opco = runner.invoke(
        app,
        [
            "cfa-comptes",
            "creer",
            "--siret",
            "44306184100047",
            "--uai",
            "X",
            "--nom",
            "N",
            "--opco",
            "zz",
            "--base",
            url_base,
        ],
    )
    assert opco.exit_code == 1 and "OPCO inconnue" in opco.output
    date = runner.invoke(
        app,
        [
            "cfa-comptes",
            "creer",
            "--siret",
            "44306184100047",
            "--uai",
            "X",
            "--nom",
            "N",
            "--expire-le",
            "31/12/2027",
            "--base",
            url_base,
        ],
    )
    assert date.exit_code == 1 and "AAAA-MM-JJ" in date.output


def test_revoquer(url_base: str) -> None:
    sortie = _creer(url_base)
    resultat = runner.invoke(
        app,
        [
            "cfa-comptes",
            "revoquer",
            "--siret",
            "13002526500013",
            "--opco",
            "atlas",
            "--base",
            url_base,
        ],
    )
    assert resultat.exit_code == 0 and "1 clé" in resultat.output
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        aujourd_hui = datetime.now().date()
        assert cle_valide(session, sortie["cles"]["atlas"], aujourd_hui) is None
        assert cle_valide(session, sortie["cles"]["akto"], aujourd_hui) is not None
    moteur.dispose()
    lister = runner.invoke(app, ["cfa-comptes", "lister", "--base", url_base])
    assert "révoquée" in lister.output


def test_logiciels_creer_json_secret_une_fois(url_base: str) -> None:
    resultat = runner.invoke(
        app,
        [
            "logiciels",
            "creer",
            "--editeur",
            "Ypareo",
            "--logiciel",
            "Ypareo CFA",
            "--opco",
            "akto",
            "--json",
            "--base",
            url_base,
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    sortie = json.loads(resultat.output)
    assert set(sortie) >= {"client_id", "client_secret"}
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        stocke = session.scalars(select(Logiciel)).one()
        assert stocke.empreinte_secret == empreinte(sortie["client_secret"])
        jeton = emettre_jeton(
            session, "akto", sortie["client_id"], sortie["client_secret"], datetime.now()
        )
    moteur.dispose()
    assert jeton is not None
