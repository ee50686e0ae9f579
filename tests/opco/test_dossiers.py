"""Dépôt, relecture, liste et doublons de dossiers, au travers de HTTP."""

from __future__ import annotations

import re

import orjson
from opco_banc import Banc, deposer, dossier


def test_depot_v2_rend_numeros_et_etat_transmis(banc: Banc) -> None:
    accuse = deposer(banc)
    assert set(accuse) == {"numeroInterne", "numeroExterne", "etat"}
    assert accuse["etat"] == "TRANSMIS"
    assert re.fullmatch(r"[0-9a-f]{32}", accuse["numeroInterne"])
    assert re.fullmatch(r"ATL-\d{4}-\d{6}", accuse["numeroExterne"])


def test_depot_v1_et_numeros_externes_par_opco(banc: Banc) -> None:
    premier = banc.client.post("/akto/v1/dossiers", json=dossier(1), headers=banc.a.entetes("akto"))
    second = banc.client.post("/akto/v1/dossiers", json=dossier(2), headers=banc.a.entetes("akto"))
    atlas = deposer(banc, numero=3)
    assert premier.status_code == second.status_code == 200
    n1 = int(premier.json()["numeroExterne"].rsplit("-", 1)[1])
    n2 = int(second.json()["numeroExterne"].rsplit("-", 1)[1])
    assert premier.json()["numeroExterne"].startswith("AKT-")
    assert n2 == n1 + 1
    assert atlas["numeroExterne"].endswith("-000001")


def test_relecture_avec_vue_argent_vide_avant_engagement(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    envoye = dossier(4)
    accuse = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes()).json()
    relu = banc.client.get(
        "/atlas/v1/dossiers",
        params={"numeroInterne": accuse["numeroInterne"]},
        headers=banc.a.entetes(),
    )
    assert relu.status_code == 200
    corps = relu.json()
    assert corps["cerfa"]["numeroInterne"] == accuse["numeroInterne"]
    assert corps["cerfa"]["numeroExterne"] == accuse["numeroExterne"]
    assert corps["cerfa"]["etat"] == "TRANSMIS"
    assert corps["cerfa"]["numeroDeca"] is None
    assert corps["cerfa"]["employeur"] == envoye["cerfa"]["employeur"]
    assert corps["echeances"] == [] and corps["engagementsFraisAnnexe"] == []
    assert corps["engagement"] == 0 and corps["tropPercu"] == 0
    assert set(corps["detailsFacturation"]) == {
        "IBAN",
        "plafondFraisPremierEquipement",
        "fraisPremierEquipementRegles",
        "fraisMobiliteRegles",
        "periodesFraisAnnexes",
    }


def test_dates_avec_decalage_lues_telles_qu_ecrites(banc: Banc) -> None:
    envoye = dossier(5)
    debut = envoye["cerfa"]["contrat"]["dateDebutContrat"]
    envoye["cerfa"]["contrat"]["dateDebutContrat"] = f"{debut}T00:00:00+02:00"
    accuse = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    assert accuse.status_code == 200, accuse.text
    relu = banc.client.get(
        "/atlas/v2/dossiers",
        params={"numeroInterne": accuse.json()["numeroInterne"]},
        headers=banc.a.entetes(),
    ).json()
    assert relu["cerfa"]["contrat"]["dateDebutContrat"] == debut


def test_charge_invalide_400_liste_toutes_les_erreurs_avec_champ(banc: Banc) -> None:
    envoye = dossier(6)
    envoye["cerfa"]["employeur"]["siret"] = "12345678901234"
    del envoye["cerfa"]["apprenti"]["nom"]
    reponse = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    assert reponse.status_code == 400
    erreurs = reponse.json()["errors"]
    champs = {e["champ"] for e in erreurs}
    assert {"cerfa.employeur.siret", "cerfa.apprenti.nom"} <= champs
    assert all(set(e) == {"code", "description", "champ"} for e in erreurs)


def test_json_illisible_ou_pas_un_objet(banc: Banc) -> None:
    for corps in (b"{pas du json", b"[1, 2]"):
        reponse = banc.client.post("/atlas/v2/dossiers", content=corps, headers=banc.a.entetes())
        assert reponse.status_code == 400
        assert reponse.json()["errors"][0]["code"] == "JSON_INVALIDE"


def test_meme_dossier_depose_deux_fois_sans_cle_rend_le_meme(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    envoye = dossier(7)
    premier = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    # même contrat, présentation différente : accents, casse, RNCP sans préfixe, autre ordre
    variante = orjson.loads(orjson.dumps(envoye))
    variante["cerfa"]["apprenti"]["nom"] = variante["cerfa"]["apprenti"]["nom"].lower()
    variante["cerfa"]["formation"]["rncp"] = variante["cerfa"]["formation"]["rncp"].removeprefix(
        "RNCP"
    )
    second = banc.client.post("/atlas/v2/dossiers", json=variante, headers=banc.a.entetes())
    assert second.status_code == 200
    assert second.json() == premier.json()
    etats = banc.client.get("/atlas/v2/dossiers/etats", headers=banc.a.entetes()).json()
    assert etats["total"] == 1


def test_autre_apprenti_est_un_autre_dossier(banc: Banc) -> None:
    envoye = dossier(8)
    premier = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    envoye["cerfa"]["apprenti"]["prenom"] = "Autre"
    second = banc.client.post("/atlas/v2/dossiers", json=envoye, headers=banc.a.entetes())
    assert second.json()["numeroInterne"] != premier.json()["numeroInterne"]


def test_relecture_sans_numero_400_et_inconnu_404(banc: Banc) -> None:
    sans = banc.client.get("/atlas/v2/dossiers", headers=banc.a.entetes())
    assert sans.status_code == 400
    assert sans.json()["errors"][0]["champ"] == "numeroInterne"
    inconnu = banc.client.get(
        "/atlas/v2/dossiers", params={"numeroInterne": "0" * 32}, headers=banc.a.entetes()
    )
    assert inconnu.status_code == 404
    assert inconnu.json()["errors"][0]["code"] == "OBJET_INCONNU"


def test_dossier_d_une_autre_opco_est_inconnu(banc: Banc) -> None:
    accuse = deposer(banc, opco="akto")
    reponse = banc.client.get(
        "/atlas/v2/dossiers",
        params={"numeroInterne": accuse["numeroInterne"]},
        headers=banc.a.entetes(),
    )
    assert reponse.status_code == 404


def test_liste_par_numeros(banc: Banc) -> None:
    a1, a2 = deposer(banc, numero=9), deposer(banc, numero=10)
    reponse = banc.client.get(
        "/atlas/v1/dossiers/liste",
        params={"numerosInternes": f"{a2['numeroInterne']},inconnu,{a1['numeroInterne']}"},
        headers=banc.a.entetes(),
    )
    assert reponse.status_code == 200
    assert [d["numeroInterne"] for d in reponse.json()] == [
        a2["numeroInterne"],
        a1["numeroInterne"],
    ]
    assert set(reponse.json()[0]) == {"numeroInterne", "numeroExterne", "numeroDeca", "etat"}
    vide = banc.client.get("/atlas/v1/dossiers/liste", headers=banc.a.entetes())
    assert vide.status_code == 400 and vide.json()["errors"][0]["champ"] == "numerosInternes"
