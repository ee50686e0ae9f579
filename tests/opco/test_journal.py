"""Journal d'audit : chaque échange noté, sans clé ni NIR."""

from __future__ import annotations

from opco_banc import Banc, dossier
from sqlalchemy import select
from sqlalchemy.orm import Session

from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Journal


def test_chaque_echange_est_journalise_sans_secret(url_base: str) -> None:
    from opco_banc import ouvrir_banc

    banc_gen = ouvrir_banc(url_base)
    banc: Banc = next(banc_gen)
    envoye = dossier(21)
    nir = envoye["cerfa"]["apprenti"].get("nir", "")
    entetes = banc.a.entetes(**{"X-Request-ID": "req-42"})
    reponse = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=entetes)
    assert reponse.headers["x-request-id"] == "req-42"
    banc.client.get("/atlas/v2/dossiers/etats", headers={"X-API-KEY": "mauvaise"})
    next(banc_gen, None)  # ferme l'application : le journal est vidé
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        lignes = session.scalars(select(Journal).order_by(Journal.id)).all()
    moteur.dispose()
    assert len(lignes) == 2
    depot, refus = lignes
    assert (depot.opco, depot.cfa_id, depot.methode, depot.route, depot.statut) == (
        "atlas",
        banc.a.id,
        "POST",
        "/{opco}/v2/dossiers",
        200,
    )
    assert (depot.editeur, depot.logiciel, depot.version) == (
        "Editeur test",
        "Logiciel test",
        "1.0",
    )
    assert depot.id_requete == "req-42" and len(depot.empreinte_corps or "") == 64
    assert refus.statut == 400 and refus.cfa_id is None
    texte = " ".join(str(v) for ligne in lignes for v in vars(ligne).values())
    assert banc.a.cles["atlas"] not in texte and "mauvaise" not in texte
    if nir:
        assert nir not in texte
