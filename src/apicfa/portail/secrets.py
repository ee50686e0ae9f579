"""Génération des secrets (clés d'API, secrets de logiciels, jetons) et de leurs empreintes.

Un secret a 256 bits d'entropie : son SHA-256 suffit à le retrouver sans le garder en clair.
"""

from __future__ import annotations

import hashlib
import secrets


def generer_secret(prefixe: str) -> str:
    """Un secret lisible : préfixe de nature, puis 43 caractères URL-safe (256 bits)."""
    return f"{prefixe}_{secrets.token_urlsafe(32)}"


def empreinte(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
