"""SDK ClientOpco contre des réponses enregistrées (httpx.MockTransport)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import orjson
import pytest
from tests.client import enregistrements as enr
from tests.client.faux_opco import FauxOpco, json

from apicfa.client import (
    ErreurAcces,
    ErreurAuthentification,
    ErreurNonSupporte,
    ErreurPagination,
    ErreurReseau,
    ErreurServeurOpco,
    ErreurValidation,
    Fichier,
)
from apicfa.client.dates import lire_date
from apicfa.client.reessai import PolitiqueReessai, lire_retry_after

CERFA = {"employeur": {"siret": "12345678901234"}, "apprenti": {"nom": "Durand"}}


@pytest.mark.parametrize("reponse", [enr.DEPOT_OBJET, enr.DEPOT_ENVELOPPE])
def test_depot_accepte_objet_ou_tableau_et_porte_les_en_tetes(reponse: object) -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v2/dossiers", json(200, reponse))
    with faux.client() as client:
        accuse = client.deposer_dossier(CERFA, cle_idempotence="cle-1")
    assert accuse.numero_interne == "9f2c1e"
    assert accuse.numero_externe == "ATL-2025-000123"
    requete = faux.requetes[0]
    assert requete.headers["X-API-KEY"] == "cle-secrete-123456"
    assert requete.headers["EDITEUR"] and requete.headers["LOGICIEL"] and requete.headers["VERSION"]
    assert requete.headers["Idempotency-Key"] == "cle-1"
    assert orjson.loads(requete.content) == {"cerfa": CERFA}


def test_chaque_post_porte_une_cle_d_idempotence_meme_sans_journal() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/dossiers", json(200, enr.DEPOT_OBJET))
    with faux.client() as client:
        client.deposer_dossier({"cerfa": CERFA}, version=1)
        client.deposer_dossier({"cerfa": CERFA}, version=1)
    cles = [r.headers.get("Idempotency-Key") for r in faux.requetes]
    assert all(cles) and cles[0] != cles[1]


def test_400_porte_toutes_les_erreurs_avec_champ_et_n_est_pas_reessaye() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v2/dossiers", json(400, enr.ERREUR_400))
    with faux.client() as client, pytest.raises(ErreurValidation) as erreur:
        client.deposer_dossier(CERFA)
    assert erreur.value.statut == 400
    assert erreur.value.champs == ["cerfa.employeur.siret", "cerfa.apprenti.nir"]
    assert "cerfa.employeur.siret" in str(erreur.value)
    assert len(faux.requetes) == 1 and faux.attentes == []


@pytest.mark.parametrize(
    ("statut", "classe"), [(403, ErreurAcces), (501, ErreurNonSupporte), (404, Exception)]
)
def test_autres_4xx_et_501_jamais_reessayes(statut: int, classe: type[Exception]) -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/status", json(statut, {"errors": [{"code": "X", "description": "d"}]}))
    with faux.client() as client, pytest.raises(classe):
        client.statut()
    assert len(faux.requetes) == 1


def test_429_respecte_retry_after_et_garde_la_meme_cle() -> None:
    faux = FauxOpco()
    faux.ajouter(
        "/atlas/v2/dossiers",
        json(429, {"errors": []}, {"Retry-After": "7"}),
        json(503, {}),
        json(200, enr.DEPOT_OBJET),
    )
    with faux.client() as client:
        accuse = client.deposer_dossier(CERFA)
    assert accuse.numero_interne == "9f2c1e"
    assert faux.attentes[0] == 7.0
    assert 0 < faux.attentes[1] <= 1.0
    cles = {r.headers["Idempotency-Key"] for r in faux.requetes}
    assert len(faux.requetes) == 3 and len(cles) == 1


def test_5xx_persistant_abandonne_apres_les_tentatives() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/status", json(502, {}))
    with faux.client(tentatives=3) as client, pytest.raises(ErreurServeurOpco):
        client.statut()
    assert len(faux.requetes) == 3 and len(faux.attentes) == 2


def test_delai_depasse_reessaye_puis_erreur_reseau_en_francais() -> None:
    faux = FauxOpco()

    def coupe(requete: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("délai", request=requete)

    faux.ajouter("/atlas/v2/dossiers", coupe, coupe, json(200, enr.DEPOT_OBJET))
    with faux.client() as client:
        assert client.deposer_dossier(CERFA).numero_interne == "9f2c1e"
    faux2 = FauxOpco()
    faux2.ajouter("/atlas/v2/dossiers", coupe)
    with faux2.client(tentatives=2) as client, pytest.raises(ErreurReseau, match="injoignable"):
        client.deposer_dossier(CERFA)


def test_attente_exponentielle_avec_gigue_plafonnee() -> None:
    politique = PolitiqueReessai(attente_base=1.0, attente_max=5.0)
    for tentative, plafond in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 5.0)]:
        for _ in range(20):
            assert plafond / 2 <= politique.attente(tentative) <= plafond
    assert politique.attente(1, "120") == 5.0


def test_retry_after_en_date_http() -> None:
    maintenant = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert lire_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", maintenant) == 30.0
    assert lire_retry_after("n'importe quoi") is None


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("2025-09-01", date(2025, 9, 1)),
        ("2025-09-01T00:00:00+02:00", date(2025, 9, 1)),
        ("2025-09-01T00:00:00+0000", date(2025, 9, 1)),
        ("2025-09-01T23:59:59Z", date(2025, 9, 1)),
        ("01/09/2025", date(2025, 9, 1)),
        (None, None),
    ],
)
def test_dates_lues_comme_ecrites(texte: str | None, attendu: date | None) -> None:
    assert lire_date(texte) == attendu


def test_date_illisible_message_francais() -> None:
    with pytest.raises(ValueError, match="date illisible"):
        lire_date("demain")


def test_dossier_relu_dates_decalees_montants_decimaux_echeances_triees() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/dossiers", json(200, enr.DOSSIER_DATES_DECALEES))
    with faux.client() as client:
        dossier = client.lire_dossier("9f2c1e")
    assert faux.requetes[0].url.params["numeroInterne"] == "9f2c1e"
    assert dossier.etat == "ENGAGE" and dossier.engagement == Decimal("15250.00")
    assert [e.numero for e in dossier.echeances] == [1, 2]
    premiere, seconde = dossier.echeances
    assert premiere.date_ouverture == date(2025, 9, 1)
    assert seconde.date_debut == date(2026, 3, 1) and seconde.date_fin == date(2026, 5, 31)
    assert premiere.montant_total == Decimal("2450.10")
    assert premiere.reste_du == Decimal("1450.00")


def test_ruptu_lu_rupture_et_trop_percu() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v2/dossiers/rupture/employeur", json(200, enr.DOSSIER_RUPTU_ENVELOPPE))
    with faux.client() as client:
        dossier = client.declarer_rupture({"numeroInterne": "ab12", "dateRupture": "2026-01-20"})
    assert dossier.etat == "RUPTURE"
    assert dossier.trop_percu == Decimal("98.63")
    assert faux.requetes[0].headers["Idempotency-Key"]


@pytest.mark.parametrize("enveloppe", [False, True])
def test_pagination_s_arrete_sur_total(enveloppe: bool) -> None:
    faux = FauxOpco()
    faux.ajouter(
        "/atlas/v1/dossiers/etats",
        json(200, enr.page_etats(1, 3, ["a1", "a2"], enveloppe=enveloppe)),
        json(200, enr.page_etats(2, 3, ["a7"], enveloppe=enveloppe)),
        json(500, {}),
    )
    with faux.client() as client:
        etats = list(client.etats_dossiers(etat="TRANSMIS", modifie_depuis=date(2025, 1, 1)))
    assert [e.numero_interne for e in etats] == ["a1", "a2", "a7"]
    assert etats[2].etat == "RUPTURE"
    assert [r.url.params["numeroPage"] for r in faux.requetes] == ["1", "2"]
    assert faux.requetes[0].url.params["modifieDepuis"] == "2025-01-01"
    assert faux.requetes[0].url.params["etat"] == "TRANSMIS"


def test_pagination_s_arrete_sur_page_vide_sans_total() -> None:
    faux = FauxOpco()
    premiere = {"EtatDossierResult": [{"numeroInterne": "x1"}]}
    faux.ajouter(
        "/atlas/v1/dossiers/etats", json(200, premiere), json(200, {"EtatDossierResult": []})
    )
    with faux.client() as client:
        assert [e.numero_interne for e in client.etats_dossiers()] == ["x1"]
    assert len(faux.requetes) == 2


def test_pagination_refuse_une_page_recue_deux_fois() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/dossiers/etats", json(200, enr.page_etats(1, 10, ["a1", "a2"])))
    with faux.client() as client, pytest.raises(ErreurPagination, match="déjà reçue"):
        list(client.etats_dossiers())
    assert len(faux.requetes) == 2


def test_etats_factures_pagines_et_types() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v2/factures/etats", json(200, [enr.PAGE_FACTURES]))
    with faux.client() as client:
        (etat,) = list(client.etats_factures())
    assert etat.etat_facture == "REGLE"
    assert etat.montant_facture == Decimal("2450.00")
    assert etat.date_reglement == date(2025, 10, 1)


def test_facture_multipart_parties_facture_et_fichier() -> None:
    faux = FauxOpco()
    faux.ajouter(
        "/atlas/v1/factures",
        json(200, {"numeroInterneFacture": "F9", "numeroInterneDocument": "D9"}),
    )
    with faux.client() as client:
        accuse = client.envoyer_facture(
            {"numero": "CFA-1", "montantTotal": 10.0}, Fichier("f.pdf", b"%PDF-1.4 test")
        )
    assert accuse.numero_interne == "F9" and accuse.numero_interne_document == "D9"
    requete = faux.requetes[0]
    assert requete.headers["Content-Type"].startswith("multipart/form-data")
    corps = requete.content
    assert b'name="facture"' in corps and b'"numero":"CFA-1"' in corps
    assert b'name="fichier"; filename="f.pdf"' in corps and b"%PDF-1.4 test" in corps
    assert requete.headers["Idempotency-Key"]


def test_liste_et_cfakeyinfo() -> None:
    faux = FauxOpco()
    faux.ajouter(
        "/atlas/v1/dossiers/liste",
        json(200, [{"numeroInterne": "a", "etat": "ENGAGE"}, {"numeroInterne": "b"}]),
    )
    faux.ajouter(
        "/atlas/v2/cfakeyinfo",
        json(200, [{"status": "success", "dateFinValidite": "2027-01-31T00:00:00+01:00"}]),
    )
    with faux.client() as client:
        assert [e.numero_interne for e in client.liste_dossiers(["a", "b"])] == ["a", "b"]
        info = client.info_cle("123456789")
    assert faux.requetes[0].url.params["numerosInternes"] == "a,b"
    assert info.valide and info.date_fin_validite == date(2027, 1, 31)
    assert faux.requetes[1].url.params["XAPIKEY"] == "cle-secrete-123456"


def _jeton(numero: int) -> httpx.Response:
    return json(200, {"access_token": f"jeton{numero}", "token_type": "Bearer", "expires_in": 3600})


def test_oauth_jeton_en_cache_et_un_seul_renouvellement_sur_401() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/oauth/token", _jeton(1), _jeton(2))

    def statut(requete: httpx.Request) -> httpx.Response:
        if requete.headers.get("Authorization") == "Bearer jeton2":
            return json(200, {"status": "healthy", "versions": ["1", "2"]})
        if len(faux.requetes_vers("/atlas/v1/status")) == 1:
            return json(200, {"status": "healthy", "versions": ["1"]})
        return json(401, {"errors": [{"code": "JETON_EXPIRE", "description": "expiré"}]})

    faux.ajouter("/atlas/v1/status", statut)
    with faux.client(oauth=True) as client:
        assert client.statut().versions == ["1"]
        assert client.statut().versions == ["1", "2"]
    jetons = faux.requetes_vers("/atlas/oauth/token")
    assert len(jetons) == 2
    assert b"grant_type=client_credentials" in jetons[0].content


def test_oauth_401_persistant_leve_erreur_authentification() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/oauth/token", _jeton(1))
    faux.ajouter("/atlas/v1/status", json(401, {"errors": []}))
    with faux.client(oauth=True) as client, pytest.raises(ErreurAuthentification):
        client.statut()
    assert len(faux.requetes_vers("/atlas/v1/status")) == 2


def test_401_sans_oauth_explique_la_configuration() -> None:
    faux = FauxOpco()
    faux.ajouter("/atlas/v1/status", json(401, {}))
    with faux.client() as client, pytest.raises(ErreurAuthentification, match="--oauth-url"):
        client.statut()


def test_modeles_stricts_de_la_norme_a_la_demande() -> None:
    from pydantic import ValidationError

    from apicfa.client.reponses import AccuseDepot, DossierLu
    from apicfa.norme.etats import EtatDossier as Etat

    assert AccuseDepot.lire(enr.DEPOT_ENVELOPPE).modele().etat is Etat.TRANSMIS
    dossier = DossierLu.lire(enr.DOSSIER_DATES_DECALEES)
    modele = dossier.modele()
    assert [e.dateOuverture for e in modele.echeances] == [
        e.date_ouverture for e in sorted(dossier.echeances, key=lambda e: -e.numero)
    ]
    assert modele.engagement == dossier.engagement
    # Invariant de la norme violé (réglé > total) : le SDK lit, le modèle strict refuse.
    incoherent = {**enr.DOSSIER_DATES_DECALEES}
    incoherent["echeances"] = [{**incoherent["echeances"][0], "montantRegle": 9999}]
    assert DossierLu.lire(incoherent).echeances[0].reste_du < 0
    with pytest.raises(ValidationError):
        DossierLu.lire(incoherent).modele()


def test_liste_d_un_seul_dossier_n_est_pas_prise_pour_une_enveloppe() -> None:
    faux = FauxOpco()
    faux.ajouter(
        "/atlas/v1/dossiers/liste", json(200, [{"numeroInterne": "seul", "etat": "RUPTU"}])
    )
    with faux.client() as client:
        (etat,) = client.liste_dossiers(["seul"])
    assert etat.numero_interne == "seul" and etat.etat == "RUPTURE"
