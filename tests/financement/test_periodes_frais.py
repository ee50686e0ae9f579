"""Avec quelle échéance chaque nature de frais annexes se facture (`periodesFraisAnnexes`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apicfa.financement.modeles import Echeance, EngagementFraisAnnexe
from apicfa.financement.periodes_frais import periodes_frais_annexes


def _echeance(numero: int, annee: int, solde: bool = False) -> Echeance:
    jour = date(2026, 1, 1)
    zero = Decimal(0)
    return Echeance(numero, f"E{numero}", Decimal(1), zero, zero, jour, jour, jour, annee, solde)


def test_periodes_par_nature() -> None:
    echeances = [_echeance(n, 1 if n <= 4 else 2, solde=n == 6) for n in (6, 1, 2, 3, 4, 5)]
    un = Decimal(1)
    frais = [
        EngagementFraisAnnexe("PREMIEREQUIPEMENT", 1, un, un),
        EngagementFraisAnnexe("MOBILITE", 1, un, un),
        EngagementFraisAnnexe("HEBERGEMENT", 3, un, un),
        EngagementFraisAnnexe("MAJORATION_RQTH", 1, un, un, 2),
        EngagementFraisAnnexe("MAJORATION_RQTH", 1, un, un, 3),
    ]
    couples = [
        (p["numero_echeance"], p["nature"]) for p in periodes_frais_annexes(echeances, frais)
    ]
    assert couples == [
        (1, "HEBERGEMENT"),
        (1, "MOBILITE"),
        (1, "PREMIEREQUIPEMENT"),
        (2, "HEBERGEMENT"),
        (3, "HEBERGEMENT"),
        (4, "HEBERGEMENT"),
        (5, "HEBERGEMENT"),
        (5, "MAJORATION_RQTH"),
    ]
    assert periodes_frais_annexes([], frais) == []
    assert periodes_frais_annexes(echeances, []) == []
