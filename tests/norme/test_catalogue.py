"""Le catalogue : codes stables et uniques, chemins concrets, messages complets en français."""

from __future__ import annotations

import re

import pytest

from apicfa.norme.constats import NIVEAUX
from apicfa.norme.regles import CATALOGUE, CATALOGUE_PAR_OBJET

CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
CHEMIN = re.compile(r"[a-z]+(?:\.[A-Za-z0-9]+(?:\[\])?)*")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_regle_bien_formee(code: str) -> None:
    regle = CATALOGUE[code]
    assert regle.code == code and CODE.fullmatch(code)
    assert regle.niveau in NIVEAUX
    assert CHEMIN.fullmatch(regle.champ), regle.champ
    message = regle.message.format(**{nom: "«x»" for nom in regle.parametres})
    assert "{" not in message and "}" not in message
    assert message[0].isupper() and message.endswith(".")


def test_chaque_objet_prefixe_ses_chemins() -> None:
    for objet, regles in CATALOGUE_PAR_OBJET.items():
        assert all(r.champ.split(".")[0].split("[")[0] == objet for r in regles.values()), objet
    assert sum(len(r) for r in CATALOGUE_PAR_OBJET.values()) == len(CATALOGUE)


def test_regles_exigees_par_la_norme_presentes() -> None:
    attendues = {
        "EMPLOYEUR_SIRET_CLE", "EMPLOYEUR_NAF_FORMAT", "EMPLOYEUR_CODE_IDCC_FORMAT",
        "ORGANISME_FORMATION_UAI_CFA_CLE", "APPRENTI_NIR_CLE", "APPRENTI_NIR_SEXE",
        "APPRENTI_NIR_ANNEE", "APPRENTI_NIR_MOIS", "APPRENTI_NIR_DEPARTEMENT",
        "FACTURE_IBAN_EMETTEUR_CLE", "FORMATION_RNCP_FORMAT", "FORMATION_CODE_DIPLOME_FORMAT",
        "CONTRAT_NO_CONTRAT_FORMAT", "EMPLOYEUR_ADRESSE_CODE_POSTAL_FORMAT",
        "EMPLOYEUR_COURRIEL_FORMAT", "EMPLOYEUR_TELEPHONE_FORMAT", "APPRENTI_AGE_MINIMUM",
        "APPRENTI_AGE_MAXIMUM", "MAITRE1_AGE_MINIMUM", "APPRENTI_RESPONSABLE_LEGAL_ABSENT",
        "CONTRAT_DUREE_TROP_COURTE", "CONTRAT_DUREE_TROP_LONGUE", "CONTRAT_DUREE_HEBDO_MAXIMUM",
        "REMUNERATION_TAUX_MINIMUM", "CONTRAT_DATE_EFFET_AVENANT_ABSENT",
        "CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT", "FORMATION_DUREE_INSUFFISANTE",
        "EMPLOYEUR_TYPE_EMPLOYEUR_CODE", "APPRENTI_DIPLOME_CODE", "CONTRAT_TYPE_CONTRAT_APP_CODE",
    }  # fmt: skip
    assert attendues <= set(CATALOGUE)
