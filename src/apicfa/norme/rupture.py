"""Modèle de la rupture par l'employeur (`POST /v2/dossiers/rupture/employeur`, SPEC §5.6)."""

from __future__ import annotations

from typing import Any

from apicfa.norme.types_norme import Booleen, DateNorme, Identifiant, ModeleNorme


class Rupture(ModeleNorme):
    numeroInterne: Identifiant | None = None
    dateRupture: DateNorme | None = None
    initiative: str | None = None
    motif: str | None = None
    dansPeriodeEssai: Booleen | None = None


def lire_rupture(donnees: Any) -> Rupture:
    """La rupture de `{"rupture": …}` ou d'une rupture nue."""
    if isinstance(donnees, dict) and "rupture" in donnees:
        donnees = donnees["rupture"]
    return Rupture.model_validate(donnees)
