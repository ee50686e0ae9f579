"""La relecture d'un dossier respecte le modèle strict de la norme (`DossierRelu`, SPEC §6.2)
avant l'engagement, engagé avec frais annexes, et après une rupture ; `periodesFraisAnnexes`
dit avec quelle échéance chaque nature de frais se facture."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from opco_banc import Banc, attendre_etat, dossier_recent, envoyer_piece
from opco_banc import convention as corps_convention
from sqlalchemy.orm import Session

from apicfa.financement.npec import ReferentielNpec
from apicfa.norme.reponses import DossierRelu
from apicfa.opco.instruction_auto import decider_lot, ecrire_lot
from apicfa.opco.profils import charger_profils
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.guichet import lire_a_instruire
from apicfa.stockage.moteur import creer_moteur


def _relire(banc: Banc, numero: str) -> dict[str, Any]:
    reponse = banc.client.get(
        "/atlas/v2/dossiers", params={"numeroInterne": numero}, headers=banc.a.entetes()
    )
    assert reponse.status_code == 200, reponse.text
    return reponse.json()


def _deposer(banc: Banc) -> str:
    reponse = banc.client.post(
        "/atlas/v2/dossiers", json=dossier_recent(1, 170), headers=banc.a.entetes()
    )
    assert reponse.status_code == 200, reponse.text
    return reponse.json()["numeroInterne"]


def _convention_avec_frais(numero: str) -> dict[str, Any]:
    corps = corps_convention(numero)
    corps["couts"] |= {
        "nombreRepasTotaux": 20,
        "montantPremierEquipement": 300,
        "mentionMobiliteInternationale": True,
        "montantRQTHAnnee1": 1000,
    }
    return corps


def _periodes(relu: dict[str, Any]) -> set[tuple[int, str]]:
    return {
        (p["numeroEcheance"], p["nature"])
        for p in relu["detailsFacturation"]["periodesFraisAnnexes"]
    }


def _verifier_periodes(relu: dict[str, Any]) -> None:
    """Une fois : première échéance ; restauration : chaque échéance sauf le solde final (la
    dernière, pour ce contrat de neuf mois)."""
    numeros = {e["numero"] for e in relu["echeances"]}
    premiere, solde = min(numeros), max(numeros)
    periodes = _periodes(relu)
    assert {n for n, _ in periodes} <= numeros
    for nature in ("PREMIEREQUIPEMENT", "MOBILITE", "MAJORATION_RQTH"):
        assert {n for n, autre in periodes if autre == nature} == {premiere}
    assert {n for n, nature in periodes if nature == "RESTAURATION"} == numeros - {solde}


def test_relecture_avant_engagement_conforme(banc_sans_instruction: Banc) -> None:
    numero = _deposer(banc_sans_instruction)
    relu = _relire(banc_sans_instruction, numero)
    assert relu["cerfa"]["etat"] == "TRANSMIS"
    assert relu["detailsFacturation"]["plafondFraisPremierEquipement"] == 0
    modele = DossierRelu.model_validate(relu)
    assert modele.engagement == 0 and modele.echeances == []
    assert modele.detailsFacturation.periodesFraisAnnexes == []


def test_relecture_engagee_puis_rompue_conforme(banc: Banc) -> None:
    numero = _deposer(banc)
    relu = attendre_etat(banc, numero)
    assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
    assert DossierRelu.model_validate(relu).engagement > 0
    assert relu["detailsFacturation"]["periodesFraisAnnexes"] == []

    envoi = envoyer_piece(banc, "v1/conventions", "convention", _convention_avec_frais(numero))
    assert envoi.status_code == 200, envoi.text
    relu = _relire(banc, numero)
    modele = DossierRelu.model_validate(relu)
    assert modele.detailsFacturation.plafondFraisPremierEquipement == Decimal(300)
    _verifier_periodes(relu)

    rupture = banc.client.post(
        "/atlas/v2/dossiers/rupture/employeur",
        json={
            "numeroInterne": numero,
            "dateRupture": (date.today() - timedelta(days=1)).isoformat(),
            "initiative": "EMPLOYEUR",
            "motif": "Départ",
            "dansPeriodeEssai": False,
        },
        headers=banc.a.entetes(),
    )
    assert rupture.status_code == 200, rupture.text
    for relu in (rupture.json(), _relire(banc, numero)):
        modele = DossierRelu.model_validate(relu)
        assert relu["cerfa"]["etat"] == "RUPTURE" and modele.engagement > 0
        numeros = {e["numero"] for e in relu["echeances"]}
        assert {n for n, _ in _periodes(relu)} <= numeros
        assert (min(numeros), "PREMIEREQUIPEMENT") in _periodes(relu)


def test_convention_avant_engagement_periodes_ecrites_par_le_lot(
    banc_sans_instruction: Banc,
) -> None:
    banc = banc_sans_instruction
    numero = _deposer(banc)
    envoi = envoyer_piece(banc, "v1/conventions", "convention", _convention_avec_frais(numero))
    assert envoi.status_code == 200, envoi.text
    moteur = creer_moteur(banc.url)
    with Session(moteur) as session, session.begin():
        dossiers = lire_a_instruire(session, 10)
        ecrire_lot(
            session, decider_lot(dossiers, charger_profils(), ReferentielNpec()), maintenant_utc()
        )
    moteur.dispose()
    relu = _relire(banc, numero)
    assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
    DossierRelu.model_validate(relu)
    _verifier_periodes(relu)
