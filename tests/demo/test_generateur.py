"""Le générateur : déterministe, paresseux, varié, et des identifiants justes."""

from __future__ import annotations

import re
from datetime import date
from itertools import islice

import pytest
from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from apicfa.demo.generateur import REFERENCE_PAR_DEFAUT, generer_dossiers
from apicfa.referentiels.exemples import idcc_opco

DECA = re.compile(r"^(0[0-9][0-9]|02[ABab]|9[012345]|97[12346])\d{4}[0-1]\d(NC|nc|\d{2})\d{4}$")
LETTRES_UAI = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _jour(texte: str) -> date:
    return date.fromisoformat(texte)


def test_meme_graine_memes_dossiers() -> None:
    assert list(generer_dossiers(30, 11)) == list(generer_dossiers(30, 11))


def test_graines_differentes_dossiers_differents() -> None:
    assert list(generer_dossiers(5, 1)) != list(generer_dossiers(5, 2))


def test_un_dossier_ne_depend_pas_du_nombre_demande() -> None:
    assert list(generer_dossiers(10, 5)) == list(generer_dossiers(40, 5))[:10]


def test_le_flux_est_paresseux() -> None:
    # Un milliard de dossiers demandés : seuls les trois premiers sont fabriqués.
    assert len(list(islice(generer_dossiers(10**9, 3), 3))) == 3


def test_nombre_negatif_refuse() -> None:
    with pytest.raises(ValueError, match="positif"):
        generer_dossiers(-1, 1)


def test_aucune_conclusion_apres_la_reference() -> None:
    reference = date(2025, 3, 15)
    for dossier in generer_dossiers(300, 4, reference=reference):
        contrat = dossier["cerfa"]["contrat"]
        assert _jour(contrat["dateConclusion"]) <= reference
        assert _jour(contrat["dateConclusion"]) >= date(2020, 1, 1)


@pytest.fixture(scope="module")
def deux_cents() -> list[dict]:
    return [d["cerfa"] for d in generer_dossiers(200, 2026)]


def test_variete_sur_deux_cents_dossiers(deux_cents: list[dict]) -> None:
    regime_2025 = [
        c for c in deux_cents if _jour(c["contrat"]["dateConclusion"]) >= date(2025, 7, 1)
    ]
    assert 40 <= len(regime_2025) <= 160, "les deux régimes de financement"
    mineurs = [c for c in deux_cents if "responsableLegal" in c["apprenti"]]
    assert len(mineurs) >= 10
    assert any(c["apprenti"]["handicap"] for c in deux_cents), "RQTH"
    distanciel_fort = [
        c
        for c in deux_cents
        if c["formation"]["nombreHeuresEnDistanciel"] >= 0.8 * c["formation"]["dureeFormation"]
    ]
    assert len(distanciel_fort) >= 5, "formation à 80 % ou plus à distance"
    assert any(c["formation"]["nombreHeuresEnDistanciel"] > 0 for c in deux_cents)
    niveaux = {c["formation"]["typeDiplome"] // 10 for c in deux_cents}
    assert {3, 4, 5, 6, 7} <= niveaux, "niveaux 6 et plus, et en dessous"
    opcos = {idcc_opco()[c["employeur"]["codeIdcc"]] for c in deux_cents}
    assert len(opcos) >= 6
    assert sum("maitre2" in c for c in deux_cents) >= 20
    types = {c["contrat"]["typeContratApp"] for c in deux_cents}
    assert 11 in types and types & {21, 22, 23} and len(types & set(range(31, 39))) >= 3
    assert any("organismeFormationLieuFormationPrincipal" in c for c in deux_cents)
    assert any(c["contrat"].get("typeDerogation") for c in deux_cents)


def test_tous_les_opco_sur_mille_dossiers() -> None:
    table = idcc_opco()
    opcos = {table[d["cerfa"]["employeur"]["codeIdcc"]] for d in generer_dossiers(1000, 9)}
    assert opcos == set(table.values())


def test_avenants_et_successions(deux_cents: list[dict]) -> None:
    for cerfa in deux_cents:
        contrat = cerfa["contrat"]
        type_contrat = contrat["typeContratApp"]
        if type_contrat == 11:
            assert "numeroContratPrecedent" not in contrat
            assert contrat["dateConclusion"] <= contrat["dateDebutContrat"]
            continue
        assert DECA.match(contrat["numeroContratPrecedent"]), contrat["numeroContratPrecedent"]
        if 31 <= type_contrat <= 37:
            effet = _jour(contrat["dateEffetAvenant"])
            assert _jour(contrat["dateDebutContrat"]) <= effet <= _jour(contrat["dateFinContrat"])


def test_identifiants_verifies_par_stdnum(deux_cents: list[dict]) -> None:
    for cerfa in deux_cents:
        for siret in (cerfa["employeur"]["siret"], cerfa["organismeFormation"]["siret"]):
            assert stdnum_siret.is_valid(siret), siret
            assert stdnum_siren.is_valid(siret[:9]), siret
            assert luhn.is_valid(siret)
        uai = cerfa["organismeFormation"]["uaiCfa"]
        assert uai[7] == LETTRES_UAI[int(uai[:7]) % 23]


def test_nir_accorde_au_sexe_a_la_naissance_et_au_departement(deux_cents: list[dict]) -> None:
    for cerfa in deux_cents:
        apprenti = cerfa["apprenti"]
        nir = apprenti["nir"]
        naissance = _jour(apprenti["dateNaissance"])
        numerique = nir[:13].replace("2A", "19").replace("2B", "18")
        assert int(nir[13:]) == 97 - int(numerique) % 97
        assert nir[0] == ("1" if apprenti["sexe"] == "M" else "2")
        assert nir[1:3] == f"{naissance.year % 100:02d}"
        assert nir[3:5] == f"{naissance.month:02d}"
        departement = apprenti["departementNaissance"]
        assert nir[5:7] == departement[:2]


def test_corse_et_outre_mer_dans_les_nir() -> None:
    departements = {
        d["cerfa"]["apprenti"]["departementNaissance"] for d in generer_dossiers(600, 13)
    }
    assert {"2A", "2B", "99"} <= departements
    assert any(dep.startswith("97") for dep in departements)


def test_reference_par_defaut_fixe() -> None:
    # Sans référence, le tirage ne dépend pas du jour : il est celui de la référence fixe.
    assert list(generer_dossiers(20, 8)) == list(
        generer_dossiers(20, 8, reference=REFERENCE_PAR_DEFAUT)
    )
