"""Premier démarrage : un CFA de démonstration avec une clé par OPCO, écrites dans un fichier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.orm import Session

from apicfa.portail.comptes import base_vide, creer_cfa

CFA_DEMO = {"siret": "13002526500013", "uai": "0751234J", "nom": "CFA de démonstration"}


@dataclass(frozen=True)
class Demo:
    contenu: dict[str, Any]
    fichier: Path


def preparer_demo(session: Session, fichier: Path, maintenant: datetime) -> Demo | None:
    """Sur une base sans CFA : crée le CFA de démonstration, écrit ses clés dans `fichier`."""
    if not base_vide(session):
        return None
    compte = creer_cfa(session, opcos=None, expire_le=None, maintenant=maintenant, **CFA_DEMO)
    contenu = {
        "cfa": {
            "id": compte.cfa.id,
            "siret": compte.cfa.siret,
            "uai": compte.cfa.uai,
            "nom": compte.cfa.nom,
        },
        "cles": compte.cles,
    }
    fichier.parent.mkdir(parents=True, exist_ok=True)
    fichier.write_bytes(orjson.dumps(contenu, option=orjson.OPT_INDENT_2))
    fichier.chmod(0o600)
    return Demo(contenu, fichier)
