"""Rend `norme_fabrique` (le cerfa valide des tests) importable par les tests de ce dossier."""

from __future__ import annotations

import sys
from pathlib import Path

_ICI = str(Path(__file__).resolve().parent)
if _ICI not in sys.path:
    sys.path.insert(0, _ICI)
