"""Issue de l'envoi d'un objet et bilan d'un lot."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

ENVOYE = "envoye"
DEJA_ENVOYE = "deja_envoye"
REFUSE = "refuse"
INVALIDE = "invalide"
ECHEC = "echec"
VALIDE = "valide"

LIBELLES: dict[str, str] = {
    ENVOYE: "envoyés",
    DEJA_ENVOYE: "déjà envoyés (journal)",
    REFUSE: "refusés par l'OPCO",
    INVALIDE: "invalides avant envoi",
    ECHEC: "en échec (réessayés au prochain lancement)",
    VALIDE: "valides (essai à blanc, rien envoyé)",
}


@dataclass(frozen=True)
class Resultat:
    """Ce qu'il est advenu d'un objet : `issue` parmi les constantes de ce module."""

    source: str
    issue: str
    opco: str | None = None
    numero_interne: str | None = None
    numero_externe: str | None = None
    motifs: tuple[str, ...] = ()


@dataclass
class Bilan:
    """Compte par issue ; ne garde le détail que des objets non envoyés (mémoire bornée
    par le nombre d'échecs, pas par la taille du lot)."""

    comptes: Counter[str] = field(default_factory=Counter)
    problemes: list[Resultat] = field(default_factory=list)

    def ajouter(self, resultat: Resultat) -> None:
        self.comptes[resultat.issue] += 1
        if resultat.issue in (REFUSE, INVALIDE, ECHEC):
            self.problemes.append(resultat)

    @property
    def total(self) -> int:
        return sum(self.comptes.values())
