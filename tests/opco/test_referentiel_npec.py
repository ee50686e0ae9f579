"""Le référentiel NPEC du serveur : lu en base, gardé en mémoire ; sans tables, vide."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from opco_banc import dossier_recent

from apicfa.opco.referentiel_npec import CacheReferentiel, resoudre_pour_cerfa
from apicfa.referentiels.depot import charger_exemples


def test_referentiel_importe_puis_garde_en_memoire(url_base: str) -> None:
    charger_exemples(url_base)
    cache = CacheReferentiel(url_base)
    referentiel = cache.obtenir()
    assert referentiel.versions
    assert cache.frais() is referentiel and cache.obtenir() is referentiel
    resolution = resoudre_pour_cerfa(referentiel, dossier_recent(1), date.today())
    assert resolution is not None and resolution.valeur > 0


def test_base_sans_referentiel_donne_un_referentiel_vide(tmp_path: Path) -> None:
    cache = CacheReferentiel(f"sqlite:///{tmp_path / 'vide.db'}")
    assert cache.obtenir().versions == ()
    # sans référentiel, la NPEC retombe sur l'amorçage du niveau de la certification
    resolution = resoudre_pour_cerfa(cache.obtenir(), dossier_recent(1), date.today())
    assert resolution is None or resolution.origine == "amorcage"


def test_cache_relu_apres_sa_duree(url_base: str) -> None:
    cache = CacheReferentiel(url_base, duree_s=0.0)
    vide = cache.obtenir()
    assert vide.versions == ()
    charger_exemples(url_base)
    assert cache.obtenir().versions
