"""Exceptions du client CFA : chacune porte les `errors` renvoyées par l'OPCO.

Le message d'une exception est en français et nomme, quand l'OPCO l'a dit, le champ
fautif (`champ`, extension apicfa de la norme).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErreurServeur:
    """Une entrée de `{"errors": [...]}` telle que l'OPCO l'a renvoyée."""

    code: str
    description: str
    champ: str | None = None

    def __str__(self) -> str:
        prefixe = f"{self.champ} : " if self.champ else ""
        return f"{prefixe}{self.description} ({self.code})"


def lire_erreurs(corps: Any) -> list[ErreurServeur]:
    """Extrait la liste `errors` d'un corps de réponse, quelle que soit sa forme."""
    if isinstance(corps, list) and len(corps) == 1:
        corps = corps[0]
    if not isinstance(corps, dict):
        return []
    brutes = corps.get("errors") or corps.get("erreurs") or []
    if isinstance(brutes, dict):
        brutes = [brutes]
    erreurs: list[ErreurServeur] = []
    for brute in brutes:
        if isinstance(brute, dict):
            erreurs.append(
                ErreurServeur(
                    code=str(brute.get("code", "")),
                    description=str(brute.get("description") or brute.get("message") or ""),
                    champ=brute.get("champ"),
                )
            )
        else:
            erreurs.append(ErreurServeur(code="", description=str(brute)))
    return erreurs


class ErreurOpco(Exception):
    """Échec d'un appel à un OPCO."""

    def __init__(
        self,
        message: str,
        *,
        statut: int | None = None,
        erreurs: list[ErreurServeur] | None = None,
        opco: str | None = None,
    ) -> None:
        self.statut = statut
        self.erreurs = list(erreurs or [])
        self.opco = opco
        details = "; ".join(str(e) for e in self.erreurs)
        texte = message if not details else f"{message} — {details}"
        super().__init__(texte)

    @property
    def champs(self) -> list[str]:
        """Les chemins JSON des champs mis en cause par l'OPCO."""
        return [e.champ for e in self.erreurs if e.champ]


class ErreurValidation(ErreurOpco):
    """400 : l'OPCO refuse le contenu envoyé."""


class ErreurAuthentification(ErreurOpco):
    """401 : jeton OAuth absent, expiré ou refusé."""


class ErreurAcces(ErreurOpco):
    """403 : clé d'API mauvaise, expirée ou révoquée, ou objet d'un autre CFA."""


class ErreurIntrouvable(ErreurOpco):
    """404 : objet inconnu de l'OPCO."""


class ErreurConflit(ErreurOpco):
    """409 : clé d'idempotence déjà utilisée pour un autre contenu."""


class ErreurTropVolumineux(ErreurOpco):
    """413 : corps de requête trop volumineux."""


class ErreurLimiteDebit(ErreurOpco):
    """429 persistant : l'OPCO limite le débit et les nouvelles tentatives sont épuisées."""


class ErreurNonSupporte(ErreurOpco):
    """501 : cet OPCO n'offre pas cette route."""


class ErreurServeurOpco(ErreurOpco):
    """5xx persistant côté OPCO."""


class ErreurReseau(ErreurOpco):
    """Délai dépassé ou connexion impossible, nouvelles tentatives épuisées."""


class ErreurReponse(ErreurOpco):
    """Réponse illisible ou de forme inattendue."""


class ErreurPagination(ErreurOpco):
    """Pagination incohérente (page reçue deux fois)."""


_PAR_STATUT: dict[int, tuple[type[ErreurOpco], str]] = {
    400: (ErreurValidation, "L'OPCO a refusé la requête (400)"),
    401: (ErreurAuthentification, "Authentification refusée par l'OPCO (401)"),
    403: (ErreurAcces, "Accès refusé par l'OPCO : clé d'API invalide, expirée ou révoquée (403)"),
    404: (ErreurIntrouvable, "Objet inconnu de l'OPCO (404)"),
    409: (ErreurConflit, "Clé d'idempotence déjà utilisée pour un autre contenu (409)"),
    413: (ErreurTropVolumineux, "Requête trop volumineuse pour l'OPCO (413)"),
    429: (
        ErreurLimiteDebit,
        "L'OPCO limite le débit et refuse encore après plusieurs essais (429)",
    ),
    501: (ErreurNonSupporte, "Cet OPCO n'offre pas cette route (501)"),
}


def erreur_pour_statut(statut: int, corps: Any, *, opco: str | None = None) -> ErreurOpco:
    """L'exception française qui correspond à un statut HTTP d'échec."""
    classe, message = _PAR_STATUT.get(statut, (None, ""))
    if classe is None:
        if statut >= 500:
            classe, message = ErreurServeurOpco, f"Erreur du serveur de l'OPCO ({statut})"
        else:
            classe, message = ErreurOpco, f"Réponse inattendue de l'OPCO ({statut})"
    if opco:
        message = f"{opco} : {message}"
    return classe(message, statut=statut, erreurs=lire_erreurs(corps), opco=opco)
