"""Quand payer une facture validée (SPEC §6.5) et lesquelles payer à une date donnée.

L'OPCO paie dans les 30 jours qui suivent la réception de la facture (maximum réglementaire) ;
chaque OPCO fixe sa cible dans son profil (ATLAS annonce 15 jours, valeur par défaut).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from apicfa.norme.etats import EtatFacture

DELAI_PAR_DEFAUT_JOURS = 15
DELAI_MAXIMAL_JOURS = 30


@dataclass(frozen=True, slots=True)
class FactureAPayer:
    """Une facture vue par le paiement.

    `reference_cfa` : le `numero` de la facture chez le CFA ; `beneficiaire` : la dénomination
    du CFA ; `iban` : l'`ibanEmetteur` de la facture.
    """

    numero_interne: str
    reference_cfa: str
    montant: Decimal
    iban: str
    beneficiaire: str
    date_reception: date
    etat: EtatFacture = EtatFacture.VALIDE


def verifier_delai(delai_jours: int) -> int:
    """Le délai de paiement du profil, s'il respecte le maximum réglementaire de 30 jours."""
    if not 0 <= delai_jours <= DELAI_MAXIMAL_JOURS:
        raise ValueError(
            f"délai de paiement de {delai_jours} jours invalide : entre 0 et "
            f"{DELAI_MAXIMAL_JOURS} jours après la réception (maximum réglementaire)"
        )
    return delai_jours


def date_paiement(date_reception: date, delai_jours: int = DELAI_PAR_DEFAUT_JOURS) -> date:
    """Le jour où une facture validée, reçue le `date_reception`, devient payable."""
    return date_reception + timedelta(days=verifier_delai(delai_jours))


def factures_payables(
    factures: Iterable[FactureAPayer],
    *,
    jour: date,
    delai_jours: int = DELAI_PAR_DEFAUT_JOURS,
) -> tuple[FactureAPayer, ...]:
    """Les factures `VALIDE` dont la date de paiement est arrivée le `jour`.

    Ordre stable : par date de réception puis numéro interne.
    """
    verifier_delai(delai_jours)
    retenues = [
        f
        for f in factures
        if f.etat is EtatFacture.VALIDE
        and f.montant > 0
        and date_paiement(f.date_reception, delai_jours) <= jour
    ]
    return tuple(sorted(retenues, key=lambda f: (f.date_reception, f.numero_interne)))
