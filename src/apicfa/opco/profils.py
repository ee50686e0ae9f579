"""Profils OPCO : ce qui diffère d'une OPCO réelle à l'autre, en réglages plutôt qu'en code.

Un fichier TOML décrit une section `[defaut]` puis, au besoin, une section `[opco.<code>]` par
OPCO qui remplace certains réglages. Le fichier livré `profils.toml` (serveur de référence) offre
toutes les routes partout ; `profils-instantane-2026-07.toml` reproduit les différences relevées
en juillet 2026 (SPEC §1). `apicfa serveur --profils FICHIER` ou `APICFA_PROFILS` en choisit un.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from apicfa.norme.codes import OPCOS

VARIABLE_PROFILS = "APICFA_PROFILS"
FICHIER_REFERENCE = Path(__file__).with_name("profils.toml")
FICHIER_INSTANTANE = Path(__file__).with_name("profils-instantane-2026-07.toml")

# Les capacités qu'une OPCO peut offrir ou non (matrice de SPEC §1).
CAPACITES: tuple[str, ...] = (
    "dossiers_v1",
    "dossiers_v2",
    "conventions",
    "factures",
    "factures_etats",
    "certificats",
    "documents",
    "rupture",
)


class ProfilInvalide(ValueError):
    """Fichier de profils illisible ou incohérent ; message en français."""


@dataclass(frozen=True)
class ProfilOpco:
    code: str
    nom: str
    routes: frozenset[str]
    oauth_obligatoire: bool
    delai_paiement_jours: int
    etat_rupture: str
    format_dates: str
    statut_objet_inconnu: int
    limite_requetes_par_minute: int | None
    forfait_mobilite: Decimal
    instruction_manuelle: bool
    amorcage_autorise: bool
    iban_virement: str
    bic_virement: str | None

    def offre(self, capacite: str) -> bool:
        return capacite in self.routes


_CONTRAINTES: dict[str, tuple[Any, ...]] = {
    "etat_rupture": ("RUPTURE", "RUPTU"),
    "format_dates": ("date", "datetime"),
    "statut_objet_inconnu": (404, 400),
}


def _construire(code: str, reglages: dict[str, Any], source: str) -> ProfilOpco:
    connus = {f.name for f in fields(ProfilOpco)} - {"code", "nom"}
    inconnus = set(reglages) - connus
    if inconnus:
        raise ProfilInvalide(
            f"{source} : réglage inconnu pour {code} : {', '.join(sorted(inconnus))}."
        )
    manquants = connus - set(reglages)
    if manquants:
        raise ProfilInvalide(
            f"{source} : réglage manquant pour {code} : {', '.join(sorted(manquants))}."
        )
    routes = frozenset(reglages["routes"])
    hors_liste = routes - set(CAPACITES)
    if hors_liste:
        raise ProfilInvalide(
            f"{source} : route inconnue pour {code} : {', '.join(sorted(hors_liste))} "
            f"(admises : {', '.join(CAPACITES)})."
        )
    for nom, admis in _CONTRAINTES.items():
        if reglages[nom] not in admis:
            raise ProfilInvalide(
                f"{source} : {nom} = {reglages[nom]!r} pour {code} (admis : {admis})."
            )
    limite = reglages["limite_requetes_par_minute"]
    return ProfilOpco(
        code=code,
        nom=OPCOS[code],
        routes=routes,
        oauth_obligatoire=bool(reglages["oauth_obligatoire"]),
        delai_paiement_jours=int(reglages["delai_paiement_jours"]),
        etat_rupture=str(reglages["etat_rupture"]),
        format_dates=str(reglages["format_dates"]),
        statut_objet_inconnu=int(reglages["statut_objet_inconnu"]),
        limite_requetes_par_minute=int(limite) if limite else None,
        forfait_mobilite=Decimal(str(reglages["forfait_mobilite"])),
        instruction_manuelle=bool(reglages["instruction_manuelle"]),
        amorcage_autorise=bool(reglages["amorcage_autorise"]),
        iban_virement=_iban(code, str(reglages["iban_virement"]), source),
        bic_virement=str(reglages["bic_virement"]).strip() or None,
    )


def _iban(code: str, texte: str, source: str) -> str:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        return IBAN(texte).compact
    except SchwiftyException as probleme:
        raise ProfilInvalide(
            f"{source} : iban_virement invalide pour {code} ({probleme})."
        ) from None


def lire_profils(texte: str, source: str = "profils") -> dict[str, ProfilOpco]:
    """Lit un fichier de profils (TOML) ; chaque OPCO hérite de `[defaut]`."""
    try:
        donnees = tomllib.loads(texte)
    except tomllib.TOMLDecodeError as erreur:
        raise ProfilInvalide(f"{source} : TOML invalide ({erreur}).") from None
    defaut = dict(donnees.get("defaut", {}))
    par_opco = donnees.get("opco", {})
    inconnues = set(par_opco) - set(OPCOS)
    if inconnues:
        raise ProfilInvalide(f"{source} : OPCO inconnue : {', '.join(sorted(inconnues))}.")
    return {code: _construire(code, {**defaut, **par_opco.get(code, {})}, source) for code in OPCOS}


def charger_profils(chemin: str | Path | None = None) -> dict[str, ProfilOpco]:
    """Profils depuis `chemin`, sinon `APICFA_PROFILS`, sinon le serveur de référence."""
    choisi = chemin or os.environ.get(VARIABLE_PROFILS) or FICHIER_REFERENCE
    fichier = Path(choisi)
    try:
        texte = fichier.read_text(encoding="utf-8")
    except OSError as erreur:
        raise ProfilInvalide(
            f"Fichier de profils illisible : {fichier} ({erreur.strerror})."
        ) from None
    return lire_profils(texte, str(fichier))
