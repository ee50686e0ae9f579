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


def test_un_avenant_lit_la_version_du_contrat_initial() -> None:
    # Avenant signé après le 1er juillet 2025 d'un contrat commencé avant : la version
    # 2019 du référentiel d'exemple s'applique (7 000 €), pas celle de 2025 (6 720 €).
    from apicfa.referentiels.exemples import referentiel_exemple

    cerfa = {
        "employeur": {"codeIdcc": "0086"},
        "formation": {"rncp": "RNCP90001"},
        "contrat": {
            "typeContratApp": 33,
            "dateConclusion": "2025-09-18",
            "dateDebutContrat": "2025-03-24",
            "dateFinContrat": "2027-03-23",
        },
    }
    referentiel = referentiel_exemple()
    avenant = resoudre_pour_cerfa(referentiel, {"cerfa": cerfa}, date.today())
    assert avenant is not None and avenant.valeur == 7000
    cerfa["contrat"]["typeContratApp"] = 11
    cerfa["contrat"]["dateDebutContrat"] = "2025-09-24"
    premier = resoudre_pour_cerfa(referentiel, {"cerfa": cerfa}, date.today())
    assert premier is not None and premier.valeur == 6720
