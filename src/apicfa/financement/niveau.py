"""Niveau de certification déduit de `formation.typeDiplome` (SPEC §6.4, [choix]).

80 → 8, 7x → 7, 6x → 6, 5x → 5, 4x → 4, 3x → 3, tout le reste → en dessous de 3 (renvoyé 0).
"""

from __future__ import annotations

NIVEAU_INFERIEUR_A_3 = 0


def niveau_certification(type_diplome: int | str | None) -> int:
    """Niveau (3 à 8) d'un code `typeDiplome`, ou 0 quand il est inférieur à 3 ou inconnu."""
    if type_diplome is None:
        return NIVEAU_INFERIEUR_A_3
    texte = str(type_diplome).strip()
    if not texte.isdigit():
        return NIVEAU_INFERIEUR_A_3
    code = int(texte)
    if code == 80:
        return 8
    dizaine = code // 10
    if 3 <= dizaine <= 7:
        return dizaine
    return NIVEAU_INFERIEUR_A_3
