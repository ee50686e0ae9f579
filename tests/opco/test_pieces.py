"""Pièces multipart : conventions, factures, certificats, documents ; fichiers par SHA-256."""

from __future__ import annotations

import hashlib

import orjson
from opco_banc import (
    JPG,
    PDF,
    PNG,
    Banc,
    certificat,
    convention,
    deposer,
    document,
    envoyer_piece,
    facture,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Document, Fichier


def test_convention_png_acceptee(banc: Banc) -> None:
    accuse = deposer(banc)
    reponse = envoyer_piece(
        banc, "v1/conventions", "convention", convention(accuse["numeroInterne"]), fichier=PNG
    )
    assert reponse.status_code == 200, reponse.text
    assert set(reponse.json()) == {"numeroInterneConvention", "numeroInterneDocument"}


def test_facture_puis_etats_des_factures(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    accuse = deposer(banc)
    envoi = envoyer_piece(banc, "v1/factures", "facture", facture(accuse["numeroExterne"]))
    assert envoi.status_code == 200, envoi.text
    assert set(envoi.json()) == {"numeroInterneFacture", "numeroInterneDocument"}
    page = banc.client.get("/atlas/v2/factures/etats", headers=banc.a.entetes()).json()
    assert page["total"] == page["count"] == 1 and page["page"] == 1
    etat = page["factures"][0]
    assert etat["numeroInterneFacture"] == envoi.json()["numeroInterneFacture"]
    assert etat["referenceFactureCFA"] == "F-2026-001"
    assert etat["montantFacture"] == 1200.5
    # dossier non instruit (serveur sans instructeur) : facture rejetée, motif nommé
    assert etat["etatFacture"] == "REJETE"
    assert "est TRANSMIS" in etat["commentaire"]
    assert "facture.lignes[0].numeroDossier" in etat["commentaire"]
    assert etat["organismeFormation"] == {
        "siret": "13002526500013",
        "IBAN": "FR7630006000011234567890189",
    }
    assert etat["dossiers"] == [
        {
            "numeroInterneDossier": accuse["numeroInterne"],
            "numeroExterneDossier": accuse["numeroExterne"],
            "montant": 1200.5,
        }
    ]


def test_facture_refuse_un_fichier_qui_n_est_pas_un_pdf(banc: Banc) -> None:
    accuse = deposer(banc)
    for contenu in (PNG, JPG, b"pas un fichier"):
        reponse = envoyer_piece(
            banc, "v1/factures", "facture", facture(accuse["numeroExterne"]), fichier=contenu
        )
        assert reponse.status_code == 400
        assert reponse.json()["errors"][0]["champ"] == "fichier"


def test_facture_sur_dossier_inconnu(banc: Banc) -> None:
    reponse = envoyer_piece(banc, "v1/factures", "facture", facture("ATL-2099-999999"))
    assert reponse.status_code == 404
    assert reponse.json()["errors"][0]["champ"] == "facture.lignes[0].numeroDossier"


def test_facture_invalide_liste_ses_erreurs(banc: Banc) -> None:
    contenu = facture("ATL-2026-000001")
    del contenu["ibanEmetteur"]
    del contenu["lignes"][0]["natureLigne"]
    reponse = envoyer_piece(banc, "v1/factures", "facture", contenu)
    assert reponse.status_code == 400
    champs = {e["champ"] for e in reponse.json()["errors"]}
    assert {"facture.ibanEmetteur", "facture.lignes[0].natureLigne"} <= champs


def test_parties_manquantes_et_corps_non_multipart(banc: Banc) -> None:
    sans_fichier = banc.client.post(
        "/atlas/v1/conventions",
        files={"convention": (None, b"{}", "application/json")},
        headers=banc.a.entetes(),
    )
    assert sans_fichier.status_code == 400
    assert "fichier" in {e["champ"] for e in sans_fichier.json()["errors"]}
    json_seul = banc.client.post("/atlas/v1/conventions", json={}, headers=banc.a.entetes())
    assert json_seul.status_code == 400
    assert json_seul.json()["errors"][0]["code"] == "MULTIPART_ATTENDU"


def test_certificat_et_document(banc: Banc) -> None:
    accuse = deposer(banc)
    cert = envoyer_piece(
        banc, "v2/certificats", "certificat", certificat(accuse["numeroInterne"]), fichier=JPG
    )
    assert cert.status_code == 200, cert.text
    assert set(cert.json()) == {"numeroInterneCertificat", "numeroInterneDocument"}
    doc = envoyer_piece(
        banc, "v1/documents", "document", document([("dossier", accuse["numeroInterne"])])
    )
    assert doc.status_code == 200, doc.text
    assert set(doc.json()) == {"numeroInterneDocument"}
    inconnu = envoyer_piece(banc, "v1/documents", "document", document([("dossier", "x" * 32)]))
    assert inconnu.status_code == 404
    assert inconnu.json()["errors"][0]["champ"] == "document.objets[0].idObjet"


def test_meme_fichier_range_une_seule_fois(banc: Banc) -> None:
    accuse = deposer(banc)
    for _ in range(3):
        reponse = envoyer_piece(
            banc, "v1/documents", "document", document([("dossier", accuse["numeroInterne"])])
        )
        assert reponse.status_code == 200
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 3
        fichiers = session.scalars(select(Fichier)).all()
    moteur.dispose()
    assert [f.sha256 for f in fichiers] == [hashlib.sha256(PDF).hexdigest()]
    assert fichiers[0].contenu == PDF and fichiers[0].type_mime == "application/pdf"


def test_partie_json_illisible(banc: Banc) -> None:
    reponse = banc.client.post(
        "/atlas/v1/documents",
        files={"document": (None, b"{oups", "application/json"), "fichier": ("a.pdf", PDF)},
        headers=banc.a.entetes(),
    )
    assert reponse.status_code == 400
    assert reponse.json()["errors"][0] == {
        "code": "JSON_INVALIDE",
        "description": reponse.json()["errors"][0]["description"],
        "champ": "document",
    }
    assert orjson.loads(reponse.content)
