"""Lecture de `numeroPage` (1, 2, … ; au-delà de la fin : liste vide, pas d'erreur)."""

from __future__ import annotations

from starlette.requests import Request

from apicfa.opco.erreurs import erreur

PAGE_MAX = 10_000_000


def lire_numero_page(request: Request) -> int:
    brut = request.query_params.get("numeroPage", "1").strip() or "1"
    if not brut.isdigit() or not 1 <= int(brut) <= PAGE_MAX:
        raise erreur(
            400,
            "PARAMETRE_INVALIDE",
            f"numeroPage doit être un entier à partir de 1 (reçu : « {brut[:20]} »).",
            "numeroPage",
        )
    return int(brut)
