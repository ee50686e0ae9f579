"""Politique de nouvelles tentatives : 429, 5xx et délais dépassés, jamais les autres 4xx.

Attente exponentielle avec gigue, plafonnée ; un `Retry-After` de l'OPCO (secondes ou
date HTTP) prime sur le calcul.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

STATUTS_A_REESSAYER: frozenset[int] = frozenset({429, 500, 502, 503, 504})


@dataclass
class PolitiqueReessai:
    """Combien de fois et combien de temps attendre avant de réessayer."""

    tentatives: int = 5
    attente_base: float = 0.5
    attente_max: float = 30.0
    alea: random.Random = field(default_factory=random.Random)
    dormir: Callable[[float], None] = time.sleep

    def doit_reessayer(self, statut: int | None, tentative: int) -> bool:
        """`statut` None signifie délai dépassé ou connexion perdue."""
        if tentative >= self.tentatives:
            return False
        return statut is None or statut in STATUTS_A_REESSAYER

    def attente(self, tentative: int, retry_after: str | None = None) -> float:
        """Secondes à attendre avant la tentative suivante (`tentative` ≥ 1)."""
        impose = lire_retry_after(retry_after)
        if impose is not None:
            return min(impose, self.attente_max)
        plafond = min(self.attente_max, self.attente_base * (2 ** (tentative - 1)))
        return plafond / 2 + self.alea.uniform(0, plafond / 2)


def lire_retry_after(valeur: str | None, maintenant: datetime | None = None) -> float | None:
    """Secondes demandées par un en-tête `Retry-After`, ou None s'il est absent ou illisible."""
    if not valeur:
        return None
    texte = valeur.strip()
    try:
        return max(0.0, float(texte))
    except ValueError:
        pass
    try:
        quand = parsedate_to_datetime(texte)
    except (TypeError, ValueError):
        return None
    if quand.tzinfo is None:
        quand = quand.replace(tzinfo=UTC)
    reference = maintenant or datetime.now(UTC)
    return max(0.0, (quand - reference).total_seconds())
