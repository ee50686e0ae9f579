"""`python -m apicfa.stockage.sonde URL` : code 0 si la base répond, 1 sinon."""

from __future__ import annotations

import sys

from sqlalchemy import text

from apicfa.stockage.moteur import creer_moteur


def base_joignable(url: str) -> bool:
    try:
        moteur = creer_moteur(url, connect_args={"connect_timeout": 3})
        with moteur.connect() as connexion:
            connexion.execute(text("SELECT 1"))
        moteur.dispose()
        return True
    except Exception:
        return False


if __name__ == "__main__":
    sys.exit(0 if base_joignable(sys.argv[1]) else 1)
