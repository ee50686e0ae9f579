"""Modèles pydantic : variantes d'entrée, forme canonique, aller-retour, réponses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from norme_fabrique import cerfa_complet, enveloppe
from pydantic import ValidationError

from apicfa.norme.cerfa import emettre_cerfa, lire_cerfa
from apicfa.norme.certificat import lire_certificat
from apicfa.norme.convention import lire_convention
from apicfa.norme.document import lire_document
from apicfa.norme.etats import EtatDossier
from apicfa.norme.facture import lire_facture
from apicfa.norme.reponses import (
    CfaKeyInfo,
    DossierRelu,
    Echeance,
    corps_erreur,
    lire_page_etats_dossiers,
    lire_page_etats_factures,
)
from apicfa.norme.rupture import lire_rupture
from apicfa.norme.validation import valider_cerfa


def _aller_retour(donnees: dict[str, Any]) -> dict[str, Any]:
    return emettre_cerfa(lire_cerfa(donnees))


def test_aller_retour_ne_change_rien() -> None:
    une_fois = _aller_retour(enveloppe())
    deux_fois = _aller_retour(orjson.loads(orjson.dumps(une_fois)))
    assert une_fois == deux_fois


@pytest.mark.parametrize(
    "ecrite",
    ["2025-09-01T00:00:00+02:00", "2025-09-01T23:30:00-10:00", "2025-09-01T00:00:00+0000",
     "2025-09-01T00:00:00Z", "2025-09-01"],
)  # fmt: skip
def test_decalage_jamais_ramene_en_utc(ecrite: str) -> None:
    donnees = enveloppe()
    donnees["cerfa"]["contrat"]["dateDebutContrat"] = ecrite
    cerfa = lire_cerfa(donnees)
    assert cerfa.contrat is not None
    assert cerfa.contrat.dateDebutContrat == date(2025, 9, 1)
    assert emettre_cerfa(cerfa)["cerfa"]["contrat"]["dateDebutContrat"] == "2025-09-01"


def test_variantes_en_forme_canonique() -> None:
    cerfa = cerfa_complet()
    cerfa["CERFAsignatureProbante"] = cerfa.pop("CERFASignatureProbante")
    cerfa["formation"]["rncp"] = "38362"
    cerfa["apprenti"]["nir"] = "1050675123456"
    cerfa["employeur"]["nombreDeSalaries"] = "12"
    cerfa["employeur"]["codeIdcc"] = 843
    cerfa["contrat"]["salaireEmbauche"] = "777.34"
    cerfa["apprenti"]["derniereClasse"] = 1
    sortie = emettre_cerfa(lire_cerfa(cerfa))["cerfa"]
    assert sortie["CERFASignatureProbante"] is True
    assert "CERFAsignatureProbante" not in sortie
    assert sortie["formation"]["rncp"] == "RNCP38362"
    assert sortie["apprenti"]["nir"] == "105067512345632"
    assert sortie["employeur"]["nombreDeSalaries"] == 12
    assert sortie["employeur"]["codeIdcc"] == "0843"
    assert sortie["contrat"]["salaireEmbauche"] == 777.34
    assert sortie["apprenti"]["derniereClasse"] == "01"


def test_champs_inconnus_conserves() -> None:
    donnees = enveloppe()
    donnees["cerfa"]["extensionEditeur"] = {"version": 3}
    donnees["cerfa"]["employeur"]["codeInterne"] = "X1"
    sortie = _aller_retour(donnees)["cerfa"]
    assert sortie["extensionEditeur"] == {"version": 3}
    assert sortie["employeur"]["codeInterne"] == "X1"


def test_montants_en_decimal() -> None:
    cerfa = lire_cerfa(enveloppe())
    assert cerfa.contrat is not None
    assert cerfa.contrat.salaireEmbauche == Decimal("777.34")
    assert isinstance(cerfa.contrat.salaireEmbauche, Decimal)


def test_valeur_inconvertible_leve_en_francais() -> None:
    donnees = enveloppe()
    donnees["cerfa"]["employeur"]["siret"] = "44320618000013"
    with pytest.raises(ValidationError, match="SIRET invalide"):
        lire_cerfa(donnees)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_dossiers_generes_aller_retour_et_valides(graine: int) -> None:
    generateur = pytest.importorskip("apicfa.demo.generateur")
    for dossier in generateur.generer_dossiers(3, graine):
        constats = valider_cerfa(dossier)
        assert [c for c in constats if c.niveau != "avertissement"] == []
        une_fois = _aller_retour(dossier)
        assert _aller_retour(orjson.loads(orjson.dumps(une_fois))) == une_fois
        assert valider_cerfa(une_fois) == constats


def test_autres_objets() -> None:
    facture = lire_facture(
        {
            "facture": {
                "numero": 12,
                "montantTotal": "10.5",
                "dateEmission": "2026-01-05T10:00:00+01:00",
            }
        }
    )
    assert facture.numero == "12" and facture.montantTotal == Decimal("10.5")
    assert facture.model_dump(mode="json")["montantTotal"] == 10.5
    assert lire_convention({"formation": {"rncp": "123"}}).formation.rncp == "RNCP123"  # type: ignore[union-attr]
    assert lire_certificat({"typeCertificat": "Final"}).typeCertificat == "Final"
    assert (
        lire_document({"objets": [{"typeObjet": "dossier", "idObjet": 5}]}).objets[0].idObjet == "5"
    )  # type: ignore[index]
    assert lire_rupture({"rupture": {"dateRupture": "2026-01-20"}}).dateRupture == date(2026, 1, 20)


def test_dossier_relu_et_trop_percu() -> None:
    relu = DossierRelu.model_validate(
        {
            "cerfa": {"numeroInterne": "D1", "etat": "RUPTURE"},
            "engagement": "3501.37",
            "echeances": [
                {"numero": 1, "codification": "E1", "montantTotal": 3600, "montantRegle": 3600,
                 "dateOuverture": "2025-09-01"},
            ],
            "tropPercu": "98.63",
        }
    )  # fmt: skip
    sortie = relu.model_dump(mode="json", by_alias=True)
    assert sortie["tropPercu"] == 98.63
    assert sortie["engagement"] == 3501.37
    assert DossierRelu.model_validate({"cerfa": {}}).tropPercu == Decimal("0")


def test_invariant_echeance() -> None:
    with pytest.raises(ValidationError, match="dépassent"):
        Echeance.model_validate(
            {"numero": 1, "codification": "E1", "montantTotal": 100, "montantRegle": 60,
             "montantEnCoursInstruction": 41, "dateOuverture": "2025-09-01"}
        )  # fmt: skip


def test_pages_objet_ou_tableau() -> None:
    page = {
        "total": 1,
        "count": 1,
        "page": 1,
        "EtatDossierResult": [{"numeroInterne": "1", "etat": "RUPTU"}],
    }
    for forme in (page, [page]):
        lue = lire_page_etats_dossiers(forme)
        assert lue.EtatDossierResult[0].etat is EtatDossier.RUPTURE
    factures = {
        "total": 1, "count": 1, "page": 1,
        "factures": [{"numeroInterneFacture": "F1", "montantFacture": 10, "etatFacture": "regle"}],
    }  # fmt: skip
    assert lire_page_etats_factures([factures]).factures[0].etatFacture == "REGLE"


def test_cfakeyinfo_et_corps_erreur() -> None:
    info = CfaKeyInfo.model_validate({"status": "success", "dateFinValidite": "2027-01-01"})
    assert info.model_dump(mode="json") == {"status": "success", "dateFinValidite": "2027-01-01"}
    donnees = enveloppe()
    donnees["cerfa"]["employeur"]["siret"] = "44320618000013"
    corps = corps_erreur(valider_cerfa(donnees)).model_dump(mode="json")
    assert corps == {
        "errors": [
            {
                "code": "EMPLOYEUR_SIRET_CLE",
                "description": corps["errors"][0]["description"],
                "champ": "cerfa.employeur.siret",
            }
        ]
    }
