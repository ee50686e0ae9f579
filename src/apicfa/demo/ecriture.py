"""Écriture des dossiers de démonstration : un fichier JSON par dossier."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

LARGEUR_MINIMALE_NUMERO = 5


def nom_fichier(numero: int, nombre: int) -> str:
    """`dossier-00001.json` ; la largeur grandit avec `nombre` pour garder l'ordre alphabétique."""
    largeur = max(LARGEUR_MINIMALE_NUMERO, len(str(nombre)))
    return f"dossier-{numero:0{largeur}d}.json"


def en_json(donnees: dict[str, Any]) -> bytes:
    return orjson.dumps(donnees, option=orjson.OPT_INDENT_2) + b"\n"


def ecrire_dossiers(
    dossiers: Iterable[dict[str, Any]],
    nombre: int,
    sortie: Path,
    *,
    avancer: Callable[[], None] | None = None,
) -> int:
    """Écrit les dossiers dans `sortie` (créé au besoin) ; rend le nombre de fichiers écrits."""
    sortie.mkdir(parents=True, exist_ok=True)
    ecrits = 0
    for numero, dossier in enumerate(dossiers, start=1):
        (sortie / nom_fichier(numero, nombre)).write_bytes(en_json(dossier))
        ecrits += 1
        if avancer is not None:
            avancer()
    return ecrits
