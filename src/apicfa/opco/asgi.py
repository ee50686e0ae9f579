"""Fabrique ASGI pour uvicorn (`apicfa.opco.asgi:fabriquer`, un appel par processus ouvrier).

La base et le fichier de profils viennent de `APICFA_BASE` et `APICFA_PROFILS`, posées par
`apicfa serveur` avant de lancer uvicorn. Chaque processus HTTP lance son processus de dépôt
(`opco.processus_depot`) sauf si `APICFA_PROCESSUS_DEPOT=0`.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from apicfa.opco.app import creer_app
from apicfa.opco.corps import LIMITE_CORPS_DEFAUT
from apicfa.opco.profils import VARIABLE_PROFILS
from apicfa.stockage.moteur import VARIABLE_BASE

VARIABLE_LIMITE_CORPS = "APICFA_LIMITE_CORPS"
VARIABLE_PROCESSUS_DEPOT = "APICFA_PROCESSUS_DEPOT"


def fabriquer() -> FastAPI:
    return creer_app(
        os.environ.get(VARIABLE_BASE),
        os.environ.get(VARIABLE_PROFILS) or None,
        limite_corps=int(os.environ.get(VARIABLE_LIMITE_CORPS) or LIMITE_CORPS_DEFAUT),
        processus_depot=os.environ.get(VARIABLE_PROCESSUS_DEPOT, "1") != "0",
    )
