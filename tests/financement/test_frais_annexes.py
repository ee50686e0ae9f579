"""Frais annexes d'une convention : lignes séparées, plafonds, phrases quand un plafond coupe."""

from __future__ import annotations

from decimal import Decimal

import pytest

from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.frais_annexes import CoutsConvention, calculer_frais_annexes, lire_couts
from apicfa.financement.modeles import EngagementFraisAnnexe

from .aides import contrat


def _lignes(
    couts: dict[str, object], annees: int = 2, forfait: str | None = None
) -> tuple[list[tuple[str, int, str, str]], tuple[str, ...]]:
    lignes, detail = calculer_frais_annexes(
        lire_couts(couts),
        nombre_annees=annees,
        forfait_mobilite=Decimal(forfait) if forfait else None,
    )
    return [
        (ligne.nature_frais, ligne.quantite, str(ligne.prix_unitaire), str(ligne.montant_total))
        for ligne in lignes
    ], detail


def test_hebergement_et_restauration_au_prix_unitaire() -> None:
    # 10 nuitées × 6 € = 60 € ; 100 repas × 3 € = 300 €.
    lignes, detail = _lignes({"nombreHebergementTotaux": 10, "nombreRepasTotaux": 100})
    assert lignes == [
        ("HEBERGEMENT", 10, "6.00", "60.00"),
        ("RESTAURATION", 100, "3.00", "300.00"),
    ]
    assert len(detail) == 2


def test_premier_equipement_au_plafond_n_est_pas_coupe() -> None:
    lignes, detail = _lignes({"montantPremierEquipement": "500"})
    assert lignes == [("PREMIEREQUIPEMENT", 1, "500.00", "500.00")]
    assert not any("plafonnés" in phrase for phrase in detail)


def test_premier_equipement_au_dessus_du_plafond_est_coupe_et_dit() -> None:
    # 650 € demandés → 500 € (une fois).
    lignes, detail = _lignes({"montantPremierEquipement": "650.00"})
    assert lignes == [("PREMIEREQUIPEMENT", 1, "500.00", "500.00")]
    assert any("couts.montantPremierEquipement" in p and "plafonnés" in p for p in detail)


def test_majoration_rqth_par_annee_plafonnee_et_limitee_aux_annees_du_contrat() -> None:
    # Année 1 : 4 000 (au plafond) ; année 2 : 5 000 → 4 000 ; année 3 : contrat de 2 ans → rien.
    lignes, detail = _lignes(
        {"montantRQTHAnnee1": 4000, "montantRQTHAnnee2": 5000, "montantRQTHAnnee3": 1000}
    )
    assert lignes == [
        ("MAJORATION_RQTH", 1, "4000.00", "4000.00"),
        ("MAJORATION_RQTH", 1, "4000.00", "4000.00"),
    ]
    assert any("montantRQTHAnnee2" in p and "plafonnés" in p for p in detail)
    assert any("montantRQTHAnnee3" in p and "non engagés" in p for p in detail)


def test_mobilite_au_forfait_du_profil_ou_rien_sans_forfait() -> None:
    lignes, _ = _lignes({"mentionMobiliteInternationale": "oui"}, forfait="350")
    assert lignes == [("MOBILITE", 1, "350.00", "350.00")]
    lignes, detail = _lignes({"mentionMobiliteInternationale": True})
    assert lignes == []
    assert any("ne fixe aucun forfait" in p for p in detail)


def test_lire_couts_accepte_l_enveloppe_et_refuse_les_valeurs_fausses() -> None:
    assert lire_couts({"convention": {"couts": {"nombreRepasTotaux": "12"}}}) == CoutsConvention(
        nombre_repas=12
    )
    with pytest.raises(ValueError, match=r"couts\.nombreRepasTotaux : nombre entier positif"):
        lire_couts({"nombreRepasTotaux": -3})
    with pytest.raises(ValueError, match=r"couts\.nombreHebergementTotaux"):
        lire_couts({"nombreHebergementTotaux": 2.5})
    with pytest.raises(ValueError, match=r"couts\.montantPremierEquipement : montant attendu"):
        lire_couts({"montantPremierEquipement": "beaucoup"})
    with pytest.raises(ValueError, match=r"couts\.mentionMobiliteInternationale"):
        lire_couts({"mentionMobiliteInternationale": "peut-être"})


def test_les_frais_ne_gonflent_pas_la_pedagogie() -> None:
    sans = calculer_echeancier(contrat("2025-09-01", "2026-08-31", "8000"))
    couts = lire_couts({"nombreRepasTotaux": 100, "montantRQTHAnnee1": 4000})
    base = contrat("2025-09-01", "2026-08-31", "8000")
    avec = calculer_echeancier(
        type(base)(**{**{f: getattr(base, f) for f in base.__slots__}, "couts": couts})
    )
    assert avec.echeances == sans.echeances
    assert avec.engagement == sans.engagement
    assert avec.engagements_frais_annexe == (
        EngagementFraisAnnexe("RESTAURATION", 100, Decimal("3.00"), Decimal("300.00")),
        EngagementFraisAnnexe("MAJORATION_RQTH", 1, Decimal("4000.00"), Decimal("4000.00"), 1),
    )
