"""Premier démarrage : CFA de démonstration et fichier de clés, une seule fois."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from apicfa.norme.codes import OPCOS
from apicfa.portail.demo import preparer_demo
from apicfa.stockage.moteur import creer_moteur


def test_demo_creee_sur_base_vide_seulement(url_base: str, tmp_path: Path) -> None:
    fichier = tmp_path / "var" / "demo-cles.json"
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        demo = preparer_demo(session, fichier, datetime(2026, 1, 1))
    with Session(moteur) as session, session.begin():
        encore = preparer_demo(session, tmp_path / "autre.json", datetime(2026, 1, 2))
    moteur.dispose()
    assert demo is not None and encore is None
    contenu = json.loads(fichier.read_text())
    assert set(contenu["cles"]) == set(OPCOS)
    assert contenu["cfa"]["siret"] == "13002526500013"
    assert fichier.stat().st_mode & 0o077 == 0
    assert not (tmp_path / "autre.json").exists()
