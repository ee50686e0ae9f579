"""Le détail explique chaque montant, en français, en nommant ce qui a joué."""

from __future__ import annotations

from apicfa.financement.echeancier import calculer_echeancier

from .aides import contrat


def test_une_phrase_par_annee_et_par_echeance() -> None:
    echeancier = calculer_echeancier(contrat("2025-09-15", "2027-06-30", "8000"))
    detail = echeancier.detail
    assert detail[0].startswith("Année 1 (du 15/09/2025 au 14/09/2026), complète")
    assert "incomplète : 8\u202f000,00 € × 289 jours / 365" in detail[1]
    for echeance in echeancier.echeances:
        assert any(phrase.startswith(f"{echeance.codification} : ") for phrase in detail)
    assert detail[-1] == "Engagement : 14\u202f334,25 €."


def test_fusion_minoration_plancher_et_participation_sont_dits() -> None:
    # 6 mois, NPEC 4500 à distance (≥ 80 %) → 4000 (plancher), niveau 6.
    echeancier = calculer_echeancier(
        contrat("2025-09-01", "2026-02-28", "4500", niveau=6, duree=100, distanciel=90)
    )
    texte = "\n".join(echeancier.detail)
    assert "Minoration de 20 % : 90 h à distance sur 100 h" in texte
    assert "ne fait pas descendre sous 4\u202f000,00 €" in texte
    assert "solde 10 % + 30 % + 20 %" in texte
    assert "Participation de l'employeur (certification de niveau 6)" in texte
    assert "après participation" in texte


def test_regime_2020_mois_commences() -> None:
    echeancier = calculer_echeancier(
        contrat("2023-09-15", "2024-03-16", "6000", conclusion="2023-08-01")
    )
    assert "× 7 mois commencés / 12 = 3\u202f500,00 €" in echeancier.detail[0]
    assert any("reste 50 %" in phrase for phrase in echeancier.detail)


def test_phrases_en_tete_ajoutees_sans_toucher_aux_montants() -> None:
    echeancier = calculer_echeancier(contrat("2025-09-01", "2026-08-31", "8000"))
    complete = echeancier.avec_phrases_en_tete("NPEC lu dans le référentiel.")
    assert complete.detail[0] == "NPEC lu dans le référentiel."
    assert complete.detail[1:] == echeancier.detail
    assert complete == echeancier
