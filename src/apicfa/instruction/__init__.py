"""Instruction automatique d'un dossier : règles d'instruction, délais, jours fériés, DECA.

Paquet pur : aucune E/S, aucune horloge (les dates sont des paramètres).
"""

from apicfa.instruction.deca import departement_deca, numero_deca
from apicfa.instruction.decision import Decision, instruire
from apicfa.instruction.delais import (
    ajouter_jours_ouvres,
    date_limite_decision,
    date_limite_depot,
    est_jour_ouvre,
    est_refus_tacite,
)
from apicfa.instruction.profil import ParametresInstruction

__all__ = [
    "Decision",
    "ParametresInstruction",
    "ajouter_jours_ouvres",
    "date_limite_decision",
    "date_limite_depot",
    "departement_deca",
    "est_jour_ouvre",
    "est_refus_tacite",
    "instruire",
    "numero_deca",
]
