"""Les constats de la validation faite au dépôt, gardés pour l'instruction du même processus.

Le dépôt valide le cerfa (`valider_cerfa`, jour du dépôt) ; l'instruction automatique, juste
après, a besoin des mêmes constats pour la même charge utile et le même jour. Les garder évite
de valider deux fois chaque dossier ; le dépôt y laisse aussi le cerfa qu'il a déjà décodé
(égal à la charge utile stockée une fois décodée), que l'instruction lit sans le redécoder.
Clé : SHA-256 de la charge utile reçue (octet pour octet ce qui est stocké) et le jour ; une
entrée est consommée par l'instruction. Un dossier instruit ailleurs (autre processus, reprise
après arrêt) ou un autre jour est simplement revalidé.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

TAILLE_MAX = 4096


class ConstatsDepot:
    def __init__(self, taille_max: int = TAILLE_MAX) -> None:
        self._taille_max = taille_max
        self._entrees: dict[tuple[str, date], tuple[list[Any], dict[str, Any] | None]] = {}

    def garder(
        self,
        empreinte_corps: str,
        jour: date,
        constats: Sequence[Any],
        donnees: dict[str, Any] | None = None,
    ) -> None:
        """Garde les constats du corps d'empreinte `empreinte_corps` validé le `jour` et, s'il
        est donné, le cerfa décodé de ce corps (que personne ne doit plus modifier)."""
        if len(self._entrees) >= self._taille_max:
            # les plus anciennes d'abord (ordre d'insertion) : doublons jamais instruits, etc.
            del self._entrees[next(iter(self._entrees))]
        self._entrees[(empreinte_corps, jour)] = (list(constats), donnees)

    def prendre(
        self, charge_utile: bytes, jour: date
    ) -> tuple[list[Any], dict[str, Any] | None] | None:
        """(constats, cerfa décodé ou None) gardés pour cette charge utile ce jour-là
        (retirés), sinon None."""
        return self._entrees.pop((hashlib.sha256(charge_utile).hexdigest(), jour), None)

    def __len__(self) -> int:
        return len(self._entrees)
