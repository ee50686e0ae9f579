"""Réglages du client CFA : un OPCO par entrée (URL, clé, OAuth), identité du CFA.

Fichier JSON dans le dossier de configuration de l'utilisateur (ou `APICFA_CLIENT_CONFIG`),
lisible par son seul propriétaire (0600). Les clés ne sont jamais réaffichées en entier.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from apicfa.client.jeton import IdentifiantsOAuth
from apicfa.client.opco import ClientOpco, Logiciel

VARIABLE_CHEMIN = "APICFA_CLIENT_CONFIG"


class ErreurConfiguration(Exception):
    """Réglage manquant ou illisible (message en français)."""


@dataclass
class ReglageOpco:
    opco: str
    url: str
    cle: str
    oauth_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None
    version_dossiers: int = 2

    def oauth(self) -> IdentifiantsOAuth | None:
        if not self.oauth_url:
            return None
        if not self.client_id or not self.client_secret:
            raise ErreurConfiguration(
                f"OPCO {self.opco} : --oauth-url exige aussi --client-id et --client-secret"
            )
        return IdentifiantsOAuth(self.oauth_url, self.client_id, self.client_secret, self.scope)


@dataclass
class IdentiteCfa:
    """Ce que le CFA écrit sur ses factures."""

    siret: str | None = None
    iban: str | None = None
    denomination: str | None = None
    prefixe_factures: str = "FAC"


@dataclass
class Configuration:
    opcos: dict[str, ReglageOpco] = field(default_factory=dict)
    cfa: IdentiteCfa = field(default_factory=IdentiteCfa)
    editeur: str = "apicfa"
    logiciel: str = "apicfa-client"
    table_idcc: str | None = None

    def reglage(self, opco: str) -> ReglageOpco:
        try:
            return self.opcos[opco]
        except KeyError:
            raise ErreurConfiguration(
                f"OPCO « {opco} » non configuré : lancez "
                f"`apicfa cfa configurer --opco {opco} --url URL --cle CLE`"
            ) from None

    def client(self, opco: str, *, connexions: int = 10) -> ClientOpco:
        reglage = self.reglage(opco)
        from apicfa import __version__

        try:
            logiciel = Logiciel(self.editeur, self.logiciel, __version__)
        except ValueError as exc:  # fichier écrit avant le contrôle des en-têtes, ou à la main
            raise ErreurConfiguration(str(exc)) from None
        return ClientOpco(
            reglage.url,
            reglage.cle,
            opco=opco,
            logiciel=logiciel,
            oauth=reglage.oauth(),
            connexions=connexions,
        )


def chemin_configuration() -> Path:
    variable = os.environ.get(VARIABLE_CHEMIN)
    if variable:
        return Path(variable)
    from platformdirs import user_config_dir

    return Path(user_config_dir("apicfa", appauthor=False)) / "client.json"


def charger(chemin: Path | None = None) -> Configuration:
    chemin = chemin or chemin_configuration()
    if not chemin.exists():
        return Configuration()
    try:
        brut: dict[str, Any] = orjson.loads(chemin.read_bytes())
        return Configuration(
            opcos={o: ReglageOpco(**r) for o, r in (brut.get("opcos") or {}).items()},
            cfa=IdentiteCfa(**(brut.get("cfa") or {})),
            editeur=brut.get("editeur", "apicfa"),
            logiciel=brut.get("logiciel", "apicfa-client"),
            table_idcc=brut.get("table_idcc"),
        )
    except (orjson.JSONDecodeError, TypeError) as exc:
        raise ErreurConfiguration(f"Fichier de configuration illisible ({chemin}) : {exc}") from exc


def enregistrer(configuration: Configuration, chemin: Path | None = None) -> Path:
    """Écrit la configuration, en mode 0600 dès sa création."""
    chemin = chemin or chemin_configuration()
    chemin.parent.mkdir(parents=True, exist_ok=True)
    temporaire = chemin.with_name(chemin.name + ".tmp")
    descripteur = os.open(temporaire, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descripteur, "wb") as sortie:
        sortie.write(orjson.dumps(asdict(configuration), option=orjson.OPT_INDENT_2))
    os.chmod(temporaire, 0o600)
    os.replace(temporaire, chemin)
    return chemin


def masquer(secret: str | None) -> str:
    """Un secret réduit à ses 4 derniers caractères (moins s'il est court)."""
    if not secret:
        return "—"
    visibles = 4 if len(secret) >= 12 else 0
    return "•" * 8 + (secret[-visibles:] if visibles else "")
