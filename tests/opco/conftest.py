"""Rend `opco_banc` importable par les tests de ce dossier et fournit la fixture `banc`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from opco_banc import Banc, ouvrir_banc


@pytest.fixture
def banc(url_base: str) -> Iterator[Banc]:
    yield from ouvrir_banc(url_base)


@pytest.fixture
def banc_sans_instruction(url_base: str) -> Iterator[Banc]:
    """Un banc dont le serveur n'instruit pas : les dossiers déposés restent TRANSMIS."""
    yield from ouvrir_banc(url_base, instruction_automatique=False)
