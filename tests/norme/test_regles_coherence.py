"""Règles de cohérence du cerfa : un cas où chacune échoue, un (ou plusieurs) où elle tient."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from norme_fabrique import AUJOURD_HUI, cerfa_valide, poser

from apicfa.norme.coherence_cerfa import REGLES, taux_minimum
from apicfa.norme.identifiants import cle_nir
from apicfa.norme.validation import valider_cerfa

Modifs = list[tuple[str, Any]]


def _nir(treize: str) -> str:
    return treize + cle_nir(treize)


C = "contrat."
F = "formation."
A = "apprenti."
PRECEDENT = (C + "numeroContratPrecedent", "044202406NC0012")
RQTH = (A + "handicap", True)

# code → (modifications qui la font échouer, [modifications où elle tient])
CAS: dict[str, tuple[Modifs, list[Modifs]]] = {
    "CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT": (
        [(C + "typeContratApp", 21)],
        [[(C + "typeContratApp", 21), PRECEDENT], [(C + "typeContratApp", 11)]],
    ),
    "CONTRAT_DATE_EFFET_AVENANT_ABSENT": (
        [(C + "typeContratApp", 31), PRECEDENT],
        [[(C + "typeContratApp", 38), PRECEDENT]],
    ),
    "CONTRAT_DATE_EFFET_AVENANT_HORS_CONTRAT": (
        [(C + "typeContratApp", 33), PRECEDENT, (C + "dateEffetAvenant", "2027-09-01")],
        [
            [(C + "typeContratApp", 33), PRECEDENT, (C + "dateEffetAvenant", "2027-08-31")],
            [(C + "typeContratApp", 37), PRECEDENT, (C + "dateEffetAvenant", "2025-09-01")],
        ],
    ),
    "CONTRAT_DATE_CONCLUSION_FUTURE": (
        [(C + "dateConclusion", "2025-09-06"), (C + "dateDebutContrat", "2025-09-06")],
        [[(C + "dateConclusion", "2025-09-05")]],
    ),
    "CONTRAT_DATE_CONCLUSION_AVANT_2020": (
        [(C + "dateConclusion", "2019-12-31")],
        [[(C + "dateConclusion", "2020-01-01")]],
    ),
    "CONTRAT_DATE_CONCLUSION_APRES_DEBUT": (
        [(C + "dateConclusion", "2025-09-02")],
        [
            [(C + "dateConclusion", "2025-09-01")],
            [(C + "dateConclusion", "2025-09-02"), (C + "typeContratApp", 21), PRECEDENT],
        ],
    ),
    "CONTRAT_DATE_FIN_AVANT_DEBUT": (
        [(C + "dateFinContrat", "2025-09-01")],
        [[(C + "dateFinContrat", "2025-09-02")]],
    ),
    "CONTRAT_DATE_FORMATION_PRATIQUE_FENETRE": (
        [(C + "dateFormationPratiqueEmployeur", "2025-12-02")],
        [
            [(C + "dateFormationPratiqueEmployeur", "2025-12-01")],
            [(C + "dateFormationPratiqueEmployeur", "2025-09-01")],
        ],
    ),
    "CONTRAT_DATE_RUPTURE_HORS_CONTRAT": (
        [(C + "dateRupture", "2027-09-01")],
        [[(C + "dateRupture", "2027-08-31")], [(C + "dateRupture", "2025-09-01")]],
    ),
    "CONTRAT_DUREE_TROP_COURTE": (
        [(C + "dateFinContrat", "2026-02-27")],
        [[(C + "dateFinContrat", "2026-02-28")]],
    ),
    "CONTRAT_DUREE_TROP_LONGUE": (
        [(C + "dateFinContrat", "2028-09-01")],
        [
            [(C + "dateFinContrat", "2028-08-31")],
            [(C + "dateFinContrat", "2029-08-31"), RQTH],
            [(C + "dateFinContrat", "2029-08-31"), (C + "typeDerogation", 22)],
        ],
    ),
    "CONTRAT_DUREE_HEBDO_MAXIMUM": (
        [(C + "dureeTravailHebdoHeures", 41)],
        [[(C + "dureeTravailHebdoHeures", 40)]],
    ),
    "REMUNERATION_DATES_ORDRE": (
        [(C + "remunerationsAnnuelles[0].dateFin", "2025-08-31")],
        [[(C + "remunerationsAnnuelles[0].dateFin", "2026-06-14")]],
    ),
    "REMUNERATION_ANNEE_MANQUANTE": (
        [(C + "remunerationsAnnuelles[2]", ...)],
        [[(C + "remunerationsAnnuelles[1]", ...), (C + "remunerationsAnnuelles[0].taux", 53)]],
    ),
    "REMUNERATION_TAUX_MINIMUM": (
        [(C + "remunerationsAnnuelles[0].taux", 42.99)],
        [[(C + "remunerationsAnnuelles[0].taux", "43.00")]],
    ),
    "REMUNERATION_TRANCHE_AGE": (
        [
            (C + "remunerationsAnnuelles[1]", ...),
            (C + "remunerationsAnnuelles[0].dateFin", "2026-08-31"),
        ],
        [
            [
                (C + "remunerationsAnnuelles[1]", ...),
                (C + "remunerationsAnnuelles[0].dateFin", "2026-08-31"),
                (C + "remunerationsAnnuelles[0].taux", 53),
            ]
        ],
    ),
    "FORMATION_DATE_DEBUT_FENETRE": (
        [(F + "dateDebutFormation", "2025-12-02")],
        [[(F + "dateDebutFormation", "2025-12-01")], [(F + "dateDebutFormation", "2025-06-01")]],
    ),
    "FORMATION_DATE_FIN_AVANT_DEBUT": (
        [(F + "dateFinFormation", "2025-09-07")],
        [[(F + "dateFinFormation", "2025-09-08")]],
    ),
    "FORMATION_DATE_FIN_AVANT_DEBUT_CONTRAT": (
        [(F + "dateDebutFormation", "2025-06-01"), (F + "dateFinFormation", "2025-08-31")],
        [[(F + "dateDebutFormation", "2025-06-01"), (F + "dateFinFormation", "2025-09-01")]],
    ),
    "FORMATION_DATE_FIN_APRES_FIN_CONTRAT": (
        [(F + "dateFinFormation", "2027-09-01")],
        [[(F + "dateFinFormation", "2027-08-31")]],
    ),
    "FORMATION_DUREE_INSUFFISANTE": (
        [(F + "dureeFormation", 803), (F + "nombreHeuresEnDistanciel", 0)],
        [[(F + "dureeFormation", 804), (F + "nombreHeuresEnDistanciel", 0)]],
    ),
    "FORMATION_DISTANCIEL_SUPERIEUR_DUREE": (
        [(F + "nombreHeuresEnDistanciel", 1351)],
        [[(F + "nombreHeuresEnDistanciel", 1350)]],
    ),
    "APPRENTI_AGE_MINIMUM": (
        [(A + "dateNaissance", "2009-09-02")],
        [
            [(A + "dateNaissance", "2009-09-01")],
            [(A + "dateNaissance", "2009-09-02"), (C + "typeDerogation", 11)],
        ],
    ),
    "APPRENTI_AGE_MAXIMUM": (
        [(A + "dateNaissance", "1995-09-01")],
        [
            [(A + "dateNaissance", "1995-09-02")],
            [(A + "dateNaissance", "1995-09-01"), RQTH],
            [(A + "dateNaissance", "1995-09-01"), (A + "inscriptionSportifDeHautNiveau", True)],
            [(A + "dateNaissance", "1995-09-01"), (A + "projetCreationRepriseEntreprise", True)],
            [(A + "dateNaissance", "1995-09-01"), (C + "typeDerogation", 12)],
        ],
    ),
    "APPRENTI_RESPONSABLE_LEGAL_ABSENT": (
        [(A + "dateNaissance", "2007-08-21")],
        [
            [(A + "dateNaissance", "2007-08-20")],
            [
                (A + "dateNaissance", "2007-08-21"),
                (A + "responsableLegal", {"nom": "Le Goff", "prenom": "Anne"}),
            ],
        ],
    ),
    "APPRENTI_NIR_SEXE": (
        [(A + "sexe", "F")],
        [
            [(A + "sexe", "F"), (A + "nir", _nir("2050675123456"))],
            [(A + "nir", _nir("7050675123456"))],
        ],
    ),
    "APPRENTI_NIR_ANNEE": (
        [(A + "dateNaissance", "2004-06-15")],
        [[(A + "dateNaissance", "2005-01-31"), (A + "nir", _nir("1050175123456"))]],
    ),
    "APPRENTI_NIR_MOIS": (
        [(A + "dateNaissance", "2005-07-15")],
        [[(A + "dateNaissance", "2005-07-15"), (A + "nir", _nir("1059975123456"))]],
    ),
    "APPRENTI_NIR_DEPARTEMENT": (
        [(A + "departementNaissance", "44")],
        [
            [(A + "departementNaissance", "2A"), (A + "nir", _nir("1050620123456"))],
            [(A + "departementNaissance", "971"), (A + "nir", _nir("1050697123456"))],
        ],
    ),
    "APPRENTI_NIR_ABSENT": (
        [(A + "nir", ...)],
        [[(A + "nir", ...), (A + "nationalite", 3)]],
    ),
    "MAITRE1_AGE_MINIMUM": (
        [("maitre1.dateNaissance", "2007-09-02")],
        [[("maitre1.dateNaissance", "2007-09-01")]],
    ),
    "MAITRE2_AGE_MINIMUM": (
        [("maitre2", {"nom": "Petit", "prenom": "Léa", "dateNaissance": "2007-09-02"})],
        [[("maitre2", {"nom": "Petit", "prenom": "Léa", "dateNaissance": "2007-09-01"})]],
    ),
    "LIEU_FORMATION_ABSENT": (
        [("organismeFormation.lieuFormationIdentique", False)],
        [
            [
                ("organismeFormation.lieuFormationIdentique", False),
                (
                    "organismeFormationLieuFormationPrincipal",
                    {"denomination": "Site", "siret": "13002526500013", "uaiCfa": "0751234J"},
                ),
            ]
        ],
    ),
}


def _codes(modifs: Modifs, aujourd_hui: date | None = AUJOURD_HUI) -> list[str]:
    donnees = cerfa_valide()
    for chemin, valeur in modifs:
        poser(donnees, chemin, valeur)
    return [c.code for c in valider_cerfa({"cerfa": donnees}, aujourd_hui=aujourd_hui)]


def test_chaque_regle_de_coherence_a_ses_cas() -> None:
    assert set(CAS) == set(REGLES)


@pytest.mark.parametrize("code", sorted(CAS))
def test_regle_echoue(code: str) -> None:
    donnees = cerfa_valide()
    for chemin, valeur in CAS[code][0]:
        poser(donnees, chemin, valeur)
    constats = [c for c in valider_cerfa(donnees, aujourd_hui=AUJOURD_HUI) if c.code == code]
    assert len(constats) == 1
    (constat,) = constats
    assert re.sub(r"\[\d+\]", "[]", constat.champ) == REGLES[code].champ
    assert constat.niveau == REGLES[code].niveau


@pytest.mark.parametrize(
    ("code", "modifs"),
    [(code, modifs) for code, (_, tenus) in sorted(CAS.items()) for modifs in tenus],
)
def test_regle_tient(code: str, modifs: Modifs) -> None:
    assert code not in _codes(modifs)


def test_niveaux_du_catalogue() -> None:
    assert REGLES["APPRENTI_AGE_MAXIMUM"].niveau == "instruction"
    assert REGLES["CONTRAT_DATE_FIN_AVANT_DEBUT"].niveau == "bloquant"
    assert REGLES["APPRENTI_NIR_DEPARTEMENT"].niveau == "avertissement"


def test_sans_jour_de_depot_la_date_future_n_est_pas_verifiee() -> None:
    modifs: Modifs = [(C + "dateConclusion", "2030-01-01"), (C + "typeContratApp", 21), PRECEDENT]
    assert "CONTRAT_DATE_CONCLUSION_FUTURE" not in _codes(modifs, None)


def test_age_quinze_ans_exige_la_derogation_et_pas_moins() -> None:
    modifs: Modifs = [(A + "dateNaissance", "2010-09-02"), (C + "typeDerogation", 11)]
    assert "APPRENTI_AGE_MINIMUM" in _codes(modifs)


def test_duree_de_quatre_ans_depassee_meme_avec_rqth() -> None:
    assert "CONTRAT_DUREE_TROP_LONGUE" in _codes([(C + "dateFinContrat", "2029-09-01"), RQTH])


def test_quarante_heures_et_des_minutes() -> None:
    modifs: Modifs = [(C + "dureeTravailHebdoHeures", 40), (C + "dureeTravailHebdoMinutes", 30)]
    assert "CONTRAT_DUREE_HEBDO_MAXIMUM" in _codes(modifs)


@pytest.mark.parametrize(
    ("annee", "age", "taux"),
    [
        (1, 16, 27), (1, 17, 27), (1, 18, 43), (1, 20, 43), (1, 21, 53), (1, 25, 53), (1, 26, 100),
        (2, 17, 39), (2, 18, 51), (2, 21, 61), (2, 26, 100),
        (3, 17, 55), (3, 19, 67), (3, 23, 78), (3, 29, 100),
        (4, 17, 55), (4, 22, 78),
    ],
)  # fmt: skip
def test_grille_des_taux_minimaux(annee: int, age: int, taux: int) -> None:
    assert taux_minimum(annee, age) == taux


def test_message_taux_minimum() -> None:
    donnees = poser(cerfa_valide(), C + "remunerationsAnnuelles[0].taux", 40)
    (constat,) = [c for c in valider_cerfa(donnees) if c.code == "REMUNERATION_TAUX_MINIMUM"]
    assert constat.champ == "cerfa.contrat.remunerationsAnnuelles[0].taux"
    assert "43 %" in constat.message and "20 ans" in constat.message


def test_numero_precedent_mal_forme_n_est_pas_dit_absent() -> None:
    # Le numéro est là mais mal formé : seul le constat de forme doit sortir, pas « absent ».
    codes = _codes([(C + "typeContratApp", 21), (C + "numeroContratPrecedent", "12AB")])
    assert "CONTRAT_NUMERO_CONTRAT_PRECEDENT_ABSENT" not in codes
    assert any(code.startswith("CONTRAT_NUMERO_CONTRAT_PRECEDENT") for code in codes)


@pytest.mark.parametrize(
    "champ",
    [
        A + "handicap",
        A + "inscriptionSportifDeHautNiveau",
        A + "projetCreationRepriseEntreprise",
        C + "typeDerogation",
    ],
)
def test_exception_d_age_mal_formee_ne_fait_pas_parler_l_age_maximum(champ: str) -> None:
    naissance = date(AUJOURD_HUI.year - 45, 1, 15).isoformat()
    assert "APPRENTI_AGE_MAXIMUM" in _codes([(A + "dateNaissance", naissance)])
    codes = _codes([(A + "dateNaissance", naissance), (champ, "peut-être")])
    assert "APPRENTI_AGE_MAXIMUM" not in codes
    assert any(code.endswith(("_FORMAT", "_CODE", "_TYPE")) for code in codes), codes


def test_derogation_mal_formee_ne_fait_pas_parler_la_duree_maximale() -> None:
    donnees = cerfa_valide()
    debut = date.fromisoformat(donnees["contrat"]["dateDebutContrat"])
    fin = date(debut.year + 4, debut.month, 1).isoformat()
    assert "CONTRAT_DUREE_TROP_LONGUE" in _codes([(C + "dateFinContrat", fin)])
    codes = _codes([(C + "dateFinContrat", fin), (C + "typeDerogation", "peut-être")])
    assert "CONTRAT_DUREE_TROP_LONGUE" not in codes
