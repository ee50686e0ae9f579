"""`Idempotency-Key` : rejouer rend la première réponse ; autre corps → 409."""

from __future__ import annotations

from opco_banc import Banc, certificat, deposer, dossier, envoyer_piece


def _total(banc: Banc) -> int:
    return banc.client.get("/atlas/v2/dossiers/etats", headers=banc.a.entetes()).json()["total"]


def test_rejeu_meme_cle_meme_corps(banc: Banc) -> None:
    entetes = banc.a.entetes(**{"Idempotency-Key": "cle-1"})
    envoye = dossier(12)
    premier = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=entetes)
    second = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=entetes)
    assert premier.status_code == second.status_code == 200
    assert second.content == premier.content
    assert _total(banc) == 1


def test_meme_cle_autre_corps_409(banc: Banc) -> None:
    entetes = banc.a.entetes(**{"Idempotency-Key": "cle-2"})
    assert (
        banc.client.post("/atlas/v2/dossiers", json=dossier(13), headers=entetes).status_code == 200
    )
    conflit = banc.client.post("/atlas/v2/dossiers", json=dossier(14), headers=entetes)
    assert conflit.status_code == 409
    assert conflit.json()["errors"][0]["code"] == "IDEMPOTENCE_CONFLIT"
    assert _total(banc) == 1


def test_cle_propre_a_chaque_cfa(banc: Banc) -> None:
    envoye = dossier(15)
    cle = {"Idempotency-Key": "partagee"}
    a = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes(**cle))
    b = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.b.entetes(**cle))
    assert a.status_code == b.status_code == 200
    assert a.json()["numeroInterne"] != b.json()["numeroInterne"]


def test_rejeu_d_un_envoi_multipart(banc: Banc) -> None:
    accuse = deposer(banc)
    cle = {"Idempotency-Key": "piece-1"}
    contenu = certificat(accuse["numeroInterne"])
    premier = envoyer_piece(banc, "v2/certificats", "certificat", contenu, **cle)
    second = envoyer_piece(banc, "v2/certificats", "certificat", contenu, **cle)
    assert premier.status_code == 200
    assert second.json() == premier.json()
    autre = envoyer_piece(
        banc, "v2/certificats", "certificat", contenu | {"typeCertificat": "Final"}, **cle
    )
    assert autre.status_code == 409


def test_une_erreur_n_est_pas_memorisee(banc: Banc) -> None:
    entetes = banc.a.entetes(**{"Idempotency-Key": "cle-3"})
    invalide = dossier(16)
    del invalide["cerfa"]["employeur"]
    assert banc.client.post("/atlas/v2/dossiers", json=invalide, headers=entetes).status_code == 400
    assert (
        banc.client.post("/atlas/v2/dossiers", json=dossier(16), headers=entetes).status_code == 200
    )
