"""Participation de l'employeur (régime 2025) : 750 € pour une certification de niveau 6 ou plus.

Déduite de la première échéance, puis des suivantes si la première ne suffit pas. Pendant la
période d'essai de 45 jours, une rupture la ramène à 50 % du montant des jours exécutés, au plus
750 €. Elle ne dépasse jamais le montant financé (l'engagement ne devient pas négatif).
"""

from __future__ import annotations

from apicfa.financement.montants import diviser_arrondi

PARTICIPATION_CENTIMES = 75000
NIVEAU_MINIMUM = 6


def montant_participation(brut_centimes: int, *, dans_periode_essai: bool) -> int:
    """La participation due sur un montant financé `brut_centimes` (niveau ≥ 6, régime 2025)."""
    if dans_periode_essai:
        return min(PARTICIPATION_CENTIMES, diviser_arrondi(brut_centimes, 2))
    return min(PARTICIPATION_CENTIMES, brut_centimes)


def deduire(montants: list[int], participation: int) -> list[tuple[int, int]]:
    """Déduit `participation` des montants dans l'ordre ; rend (indice, montant déduit) par ligne."""
    deductions = []
    reste = participation
    for indice, montant in enumerate(montants):
        if reste <= 0:
            break
        prise = min(montant, reste)
        if prise:
            montants[indice] = montant - prise
            deductions.append((indice, prise))
            reste -= prise
    return deductions
