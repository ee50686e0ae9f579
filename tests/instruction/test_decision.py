"""Décision d'instruction : engager, refuser (tous les motifs), laisser en instruction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from apicfa.financement.npec import ResolutionNpec
from apicfa.instruction import ParametresInstruction, instruire
from apicfa.instruction.deca import FORME_DECA
from apicfa.norme.constats import Constat
from apicfa.norme.etats import EtatDossier

NPEC = ResolutionNpec(valeur=Decimal("8000"), origine="referentiel", code_certification="RNCP1")
AMORCAGE = ResolutionNpec(valeur=Decimal("6000"), origine="amorcage", niveau=6)
AGE = Constat("APPRENTI_AGE", "cerfa.apprenti.dateNaissance", "L'apprenti a 31 ans.", "instruction")
SALAIRE = Constat(
    "SALAIRE_MINIMUM",
    "cerfa.contrat.remunerationsAnnuelles[0].taux",
    "Le taux 20 % est sous le minimum de 43 %.",
    "instruction",
)
TELEPHONE = Constat(
    "TELEPHONE", "cerfa.employeur.telephone", "Numéro de téléphone douteux.", "avertissement"
)


def cerfa(debut: str = "2026-09-01", code_postal: str = "69003") -> dict[str, Any]:
    return {
        "cerfa": {
            "employeur": {"siret": "x", "adresse": {"codePostal": code_postal}},
            "contrat": {"dateDebutContrat": debut, "dateConclusion": "2026-08-20"},
        }
    }


DEFAUT = ParametresInstruction()


def test_dossier_complet_engage_avec_numero_deca() -> None:
    decision = instruire(
        cerfa(),
        constats=[],
        resolution_npec=NPEC,
        date_depot=date(2026, 9, 3),
        profil=DEFAUT,
        sequence_deca=42,
    )
    assert decision.etat is EtatDossier.ENGAGE
    assert decision.engage
    assert decision.npec == NPEC
    assert decision.numero_deca == "069202609000042"
    assert FORME_DECA.match(decision.numero_deca)
    assert decision.commentaire_etat is None
    assert decision.motifs == ()
    assert decision.date_limite_depot == date(2026, 9, 8)
    assert not decision.depot_tardif
    assert decision.date_limite_decision == date(2026, 9, 23)


def test_sans_sequence_pas_de_numero_deca() -> None:
    decision = instruire(
        cerfa(), constats=[], resolution_npec=NPEC, date_depot=date(2026, 9, 3), profil=DEFAUT
    )
    assert decision.engage
    assert decision.numero_deca is None


def test_refus_donne_tous_les_motifs_en_un_commentaire() -> None:
    decision = instruire(
        cerfa(),
        constats=[AGE, TELEPHONE, SALAIRE],
        resolution_npec=NPEC,
        date_depot=date(2026, 9, 3),
        profil=DEFAUT,
        sequence_deca=1,
    )
    assert decision.etat is EtatDossier.REFUSE
    assert len(decision.motifs) == 2
    commentaire = decision.commentaire_etat or ""
    assert commentaire.startswith("Dossier refusé : ")
    assert "L'apprenti a 31 ans (cerfa.apprenti.dateNaissance)" in commentaire
    assert "sous le minimum de 43 % (cerfa.contrat.remunerationsAnnuelles[0].taux)" in commentaire
    assert "téléphone" not in commentaire
    assert decision.avertissements == ("Numéro de téléphone douteux (cerfa.employeur.telephone)",)
    assert decision.npec is None
    assert decision.numero_deca is None


def test_refus_meme_sans_npec_connu() -> None:
    decision = instruire(
        cerfa(), constats=[AGE], resolution_npec=None, date_depot=date(2026, 9, 3), profil=DEFAUT
    )
    assert decision.etat is EtatDossier.REFUSE


@pytest.mark.parametrize(
    ("resolution", "profil", "raison"),
    [
        (None, DEFAUT, "Aucun NPEC connu"),
        (AMORCAGE, ParametresInstruction(amorcage_autorise=False), "valeur d'amorçage"),
        (NPEC, ParametresInstruction(instruction_manuelle=True), "à la main"),
    ],
)
def test_reste_en_instruction_avec_sa_raison(
    resolution: ResolutionNpec | None, profil: ParametresInstruction, raison: str
) -> None:
    decision = instruire(
        cerfa(),
        constats=[],
        resolution_npec=resolution,
        date_depot=date(2026, 9, 3),
        profil=profil,
        sequence_deca=7,
    )
    assert decision.etat is EtatDossier.EN_COURS_INSTRUCTION
    assert raison in (decision.commentaire_etat or "")
    assert decision.raisons_attente
    assert decision.numero_deca is None
    assert decision.npec is None


def test_amorcage_admis_par_defaut() -> None:
    decision = instruire(
        cerfa(), constats=[], resolution_npec=AMORCAGE, date_depot=date(2026, 9, 3), profil=DEFAUT
    )
    assert decision.engage
    assert decision.npec == AMORCAGE


def test_instruction_manuelle_montre_les_points_a_examiner_sans_refuser() -> None:
    decision = instruire(
        cerfa(),
        constats=[AGE],
        resolution_npec=NPEC,
        date_depot=date(2026, 9, 3),
        profil=ParametresInstruction(instruction_manuelle=True),
    )
    assert decision.etat is EtatDossier.EN_COURS_INSTRUCTION
    assert "Points à examiner : L'apprenti a 31 ans" in (decision.commentaire_etat or "")


@pytest.mark.parametrize(
    ("debut", "depot", "tardif"),
    [
        ("2026-09-01", date(2026, 9, 8), False),  # mardi + 5 jours ouvrés = mardi 8
        ("2026-09-01", date(2026, 9, 9), True),
        ("2026-09-01T00:00:00+02:00", date(2026, 9, 9), True),  # date lue telle qu'écrite
        ("2026-04-30", date(2026, 5, 11), False),  # 1er et 8 mai fériés
        ("2026-04-30", date(2026, 5, 12), True),
        ("2026-10-01", date(2026, 9, 15), False),  # dépôt avant le début
    ],
)
def test_depot_tardif_est_un_avertissement(debut: str, depot: date, tardif: bool) -> None:
    decision = instruire(
        cerfa(debut), constats=[], resolution_npec=NPEC, date_depot=depot, profil=DEFAUT
    )
    assert decision.engage  # jamais un refus
    assert decision.depot_tardif is tardif
    texte = " ".join(decision.avertissements)
    assert ("Dépôt tardif" in texte) is tardif
    if tardif:
        assert "Dépôt tardif" in (decision.commentaire_etat or "")


def test_feries_du_departement_de_l_employeur() -> None:
    # Jeudi 2 avril 2026 : en Moselle le vendredi saint est férié, la limite recule d'un jour.
    moselle = instruire(
        cerfa("2026-04-02", code_postal="57000"),
        constats=[],
        resolution_npec=NPEC,
        date_depot=date(2026, 4, 13),
        profil=DEFAUT,
    )
    lyon = instruire(
        cerfa("2026-04-02"),
        constats=[],
        resolution_npec=NPEC,
        date_depot=date(2026, 4, 13),
        profil=DEFAUT,
    )
    assert not moselle.depot_tardif
    assert lyon.depot_tardif


def test_date_de_debut_absente_pas_de_limite_de_depot() -> None:
    decision = instruire(
        {"employeur": {}, "contrat": {}},
        constats=[],
        resolution_npec=NPEC,
        date_depot=date(2026, 9, 3),
        profil=DEFAUT,
        sequence_deca=3,
    )
    assert decision.date_limite_depot is None
    assert not decision.depot_tardif
    assert decision.numero_deca == "075202609000003"  # département par défaut du profil


def test_delai_de_decision_du_profil() -> None:
    decision = instruire(
        cerfa(),
        constats=[],
        resolution_npec=None,
        date_depot=date(2026, 9, 3),
        profil=ParametresInstruction(delai_decision_jours=10),
    )
    assert decision.date_limite_decision == date(2026, 9, 13)


def test_message_du_depot_tardif_nomme_dates_et_champ() -> None:
    decision = instruire(
        cerfa("2026-09-01"),
        constats=[TELEPHONE],
        resolution_npec=NPEC,
        date_depot=date(2026, 9, 9),
        profil=DEFAUT,
    )
    assert decision.avertissements[-1] == (
        "Dépôt tardif : contrat déposé le 09/09/2026, après la date limite du 08/09/2026 "
        "(5 jours ouvrés après le début d'exécution, cerfa.contrat.dateDebutContrat)"
    )
    assert decision.commentaire_etat == (
        "Dossier engagé. Numéro de téléphone douteux (cerfa.employeur.telephone) ; "
        + decision.avertissements[-1]
        + "."
    )
