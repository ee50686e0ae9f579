"""Limite de débit par clé d'API (seau à jetons en mémoire, par processus)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Seau:
    jetons: float
    dernier: float


class LimiteurDebit:
    """`limite` requêtes par minute et par clé ; `attente(cle)` = 0 si la requête passe, sinon
    le nombre de secondes à attendre (pour `Retry-After`)."""

    def __init__(self, horloge: Callable[[], float] = time.monotonic) -> None:
        self._seaux: dict[str, _Seau] = {}
        self._horloge = horloge

    def attente(self, cle: str, limite: int) -> int:
        maintenant = self._horloge()
        debit = limite / 60.0
        seau = self._seaux.get(cle)
        if seau is None:
            seau = self._seaux[cle] = _Seau(float(limite), maintenant)
        seau.jetons = min(float(limite), seau.jetons + (maintenant - seau.dernier) * debit)
        seau.dernier = maintenant
        if seau.jetons >= 1.0:
            seau.jetons -= 1.0
            return 0
        return max(1, math.ceil((1.0 - seau.jetons) / debit))
