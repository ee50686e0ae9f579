"""Une règle du catalogue : code stable, niveau, champ concerné, modèle de message français."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apicfa.norme.constats import Constat, Niveau

LONGUEUR_MAX_VALEUR = 60


def montrer(valeur: Any) -> str:
    """Une valeur reçue, montrée dans un message : courte, sur une ligne."""
    if isinstance(valeur, bool):
        texte = "true" if valeur else "false"
    elif isinstance(valeur, (dict, list)):
        texte = "objet JSON" if isinstance(valeur, dict) else "liste JSON"
    else:
        texte = str(valeur)
    texte = " ".join(texte.split())
    if len(texte) > LONGUEUR_MAX_VALEUR:
        texte = texte[: LONGUEUR_MAX_VALEUR - 1] + "…"
    return texte


@dataclass(frozen=True, slots=True)
class Regle:
    """`champ` est le chemin JSON (`[]` marque un élément de liste) ; `message` un modèle
    `str.format` dont les paramètres sont nommés dans `parametres`."""

    code: str
    niveau: Niveau
    champ: str
    message: str
    parametres: tuple[str, ...] = ()

    def constat(self, champ: str | None = None, **valeurs: Any) -> Constat:
        texte = self.message.format(**valeurs) if valeurs else self.message
        return Constat(self.code, champ or self.champ, texte, self.niveau)
