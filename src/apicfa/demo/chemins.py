"""Accès à un champ d'un dossier par le chemin JSON d'une règle (`cerfa.contrat.remunerationsAnnuelles[].taux`).

`[]` désigne un élément de liste : on prend le premier.
"""

from __future__ import annotations

from typing import Any

ABSENT = object()


def _segments(chemin: str) -> list[tuple[str, bool]]:
    return [(s.removesuffix("[]"), s.endswith("[]")) for s in chemin.split(".")]


def parent(dossier: dict[str, Any], chemin: str) -> tuple[dict[str, Any], str] | None:
    """L'objet qui porte le dernier élément du chemin, et sa clé ; None si le chemin n'existe pas."""
    segments = _segments(chemin)
    courant: Any = dossier
    for cle, liste in segments[:-1]:
        if not isinstance(courant, dict) or cle not in courant:
            return None
        courant = courant[cle]
        if liste:
            if not isinstance(courant, list) or not courant:
                return None
            courant = courant[0]
    if not isinstance(courant, dict):
        return None
    return courant, segments[-1][0]


def lire(dossier: dict[str, Any], chemin: str) -> Any:
    """La valeur au bout du chemin, ou `ABSENT`."""
    trouve = parent(dossier, chemin)
    if trouve is None:
        return ABSENT
    objet, cle = trouve
    return objet.get(cle, ABSENT)


def present(dossier: dict[str, Any], chemin: str) -> bool:
    return lire(dossier, chemin) is not ABSENT
