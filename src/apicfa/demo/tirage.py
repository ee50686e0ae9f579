"""Tirages rapides dans un `random.Random` : un dossier en demande une centaine, et
`Random.choice` / `Random.randint` coûtent plusieurs fois un simple `Random.random()`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def choisir(rng: random.Random, suite: Sequence[T]) -> T:
    """Un élément de `suite` (non vide), équiprobable."""
    return suite[int(rng.random() * len(suite))]


def entier(rng: random.Random, minimum: int, maximum: int) -> int:
    """Un entier de `minimum` à `maximum` inclus, équiprobable."""
    return minimum + int(rng.random() * (maximum - minimum + 1))
