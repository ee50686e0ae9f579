"""Paiement des factures validées : échéance de paiement, virements par CFA, fichier SEPA.

Paquet pur (aucune E/S, aucune horloge) : le fichier SEPA est rendu en octets.
"""

from apicfa.paiements.echeances import (
    DELAI_MAXIMAL_JOURS,
    DELAI_PAR_DEFAUT_JOURS,
    FactureAPayer,
    date_paiement,
    factures_payables,
)
from apicfa.paiements.sepa import DonneurOrdre, fichier_sepa
from apicfa.paiements.virements import LotVirements, Virement, grouper_virements

__all__ = [
    "DELAI_MAXIMAL_JOURS",
    "DELAI_PAR_DEFAUT_JOURS",
    "DonneurOrdre",
    "FactureAPayer",
    "LotVirements",
    "Virement",
    "date_paiement",
    "factures_payables",
    "fichier_sepa",
    "grouper_virements",
]
