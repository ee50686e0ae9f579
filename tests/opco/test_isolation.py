"""Un CFA ne lit ni ne modifie jamais les objets d'un autre CFA : un test par route."""

from __future__ import annotations

from opco_banc import (
    PDF,
    Banc,
    attendre_etat,
    certificat,
    convention,
    deposer,
    document,
    envoyer_piece,
    facture,
    rupture,
)


def _objets_de_a(banc: Banc) -> tuple[dict, str]:
    accuse = deposer(banc)
    envoi = envoyer_piece(banc, "v1/factures", "facture", facture(accuse["numeroExterne"]))
    assert envoi.status_code == 200, envoi.text
    return accuse, envoi.json()["numeroInterneFacture"]


def _interdit(reponse) -> None:  # type: ignore[no-untyped-def]
    assert reponse.status_code == 403, reponse.text
    assert reponse.json()["errors"][0]["code"] == "OBJET_AUTRE_CFA"


def test_get_dossier_d_un_autre_cfa(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    for version in ("v1", "v2"):
        _interdit(
            banc.client.get(
                f"/atlas/{version}/dossiers",
                params={"numeroInterne": accuse["numeroInterne"]},
                headers=banc.b.entetes(),
            )
        )


def test_liste_avec_dossier_d_un_autre_cfa(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    _interdit(
        banc.client.get(
            "/atlas/v1/dossiers/liste",
            params={"numerosInternes": accuse["numeroInterne"]},
            headers=banc.b.entetes(),
        )
    )


def test_etats_ne_montrent_que_ses_dossiers(banc: Banc) -> None:
    _objets_de_a(banc)
    propre = deposer(banc, banc.b)
    for version in ("v1", "v2"):
        page = banc.client.get(f"/atlas/{version}/dossiers/etats", headers=banc.b.entetes()).json()
        assert page["total"] == 1
        assert [d["numeroInterne"] for d in page["EtatDossierResult"]] == [propre["numeroInterne"]]


def test_etats_factures_ne_montrent_que_ses_factures(banc: Banc) -> None:
    _objets_de_a(banc)
    page = banc.client.get("/atlas/v2/factures/etats", headers=banc.b.entetes()).json()
    assert page == {"total": 0, "count": 0, "page": 1, "factures": []}


def test_convention_sur_dossier_d_un_autre_cfa(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    _interdit(
        envoyer_piece(
            banc, "v1/conventions", "convention", convention(accuse["numeroInterne"]), banc.b
        )
    )


def test_facture_sur_dossier_d_un_autre_cfa(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    reponse = envoyer_piece(
        banc, "v1/factures", "facture", facture(accuse["numeroExterne"], "F-B-1"), banc.b
    )
    _interdit(reponse)
    assert reponse.json()["errors"][0]["champ"] == "facture.lignes[0].numeroDossier"


def test_certificat_sur_dossier_ou_facture_d_un_autre_cfa(banc: Banc) -> None:
    accuse, numero_facture = _objets_de_a(banc)
    _interdit(
        envoyer_piece(
            banc, "v2/certificats", "certificat", certificat(accuse["numeroInterne"]), banc.b
        )
    )
    propre = deposer(banc, banc.b)
    contenu = certificat(propre["numeroInterne"]) | {"numeroInterneFacture": numero_facture}
    _interdit(envoyer_piece(banc, "v2/certificats", "certificat", contenu, banc.b))


def test_document_sur_objets_d_un_autre_cfa(banc: Banc) -> None:
    accuse, numero_facture = _objets_de_a(banc)
    for objet in (("dossier", accuse["numeroInterne"]), ("facture", numero_facture)):
        _interdit(envoyer_piece(banc, "v1/documents", "document", document([objet]), banc.b, PDF))


def test_rupture_du_dossier_d_un_autre_cfa(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    _interdit(
        banc.client.post(
            "/atlas/v2/dossiers/rupture/employeur",
            json=rupture(accuse["numeroInterne"]),
            headers=banc.b.entetes(),
        )
    )


def test_rien_n_a_change_chez_a(banc: Banc) -> None:
    accuse, _ = _objets_de_a(banc)
    avant = attendre_etat(banc, accuse["numeroInterne"])
    banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur",
        json=rupture(accuse["numeroInterne"]),
        headers=banc.b.entetes(),
    )
    relu = banc.client.get(
        "/atlas/v2/dossiers",
        params={"numeroInterne": accuse["numeroInterne"]},
        headers=banc.a.entetes(),
    ).json()
    assert relu == avant and relu["cerfa"]["etat"] != "RUPTURE"
