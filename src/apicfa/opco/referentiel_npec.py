"""Le référentiel NPEC importé, gardé en mémoire par le serveur et relu périodiquement."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date
from typing import Any

from apicfa.financement.lecture_cerfa import conclusion_financement
from apicfa.financement.niveau import niveau_certification
from apicfa.financement.npec import ReferentielNpec, ResolutionNpec, resoudre_npec
from apicfa.instruction.lecture import contenu_cerfa, lire_date_champ

DUREE_CACHE_S = 30.0
journaliseur = logging.getLogger("apicfa.opco")


class CacheReferentiel:
    """`obtenir()` rend le référentiel de la base, relu au plus toutes les `duree_s` secondes
    (un import fait pendant que le serveur tourne est pris en compte sans redémarrage)."""

    def __init__(self, url: str, duree_s: float = DUREE_CACHE_S) -> None:
        self._url = url
        self._duree_s = duree_s
        self._verrou = threading.Lock()
        self._valeur: ReferentielNpec | None = None
        self._lu_a = 0.0

    def frais(self) -> ReferentielNpec | None:
        """Le référentiel en mémoire s'il est encore frais (sans attendre ni lire la base)."""
        valeur = self._valeur
        if valeur is not None and time.monotonic() - self._lu_a <= self._duree_s:
            return valeur
        return None

    def obtenir(self) -> ReferentielNpec:
        with self._verrou:
            if self._valeur is None or time.monotonic() - self._lu_a > self._duree_s:
                from sqlalchemy.exc import SQLAlchemyError

                from apicfa.referentiels.depot import charger_referentiel

                try:
                    self._valeur = charger_referentiel(self._url)
                except SQLAlchemyError as probleme:
                    # Base sans tables de référentiel (branche `referentiels` non migrée) :
                    # aucune NPEC connue, l'instruction se rabat sur l'amorçage ou l'agent.
                    journaliseur.warning(
                        "référentiel NPEC illisible (%s) : instruction sans référentiel",
                        type(probleme).__name__,
                    )
                    self._valeur = ReferentielNpec()
                self._lu_a = time.monotonic()
            return self._valeur


def resoudre_pour_cerfa(
    referentiel: ReferentielNpec,
    donnees: dict[str, Any],
    defaut_conclusion: date,
    *,
    conclusion: date | None = None,
) -> ResolutionNpec | None:
    """La NPEC d'un cerfa (RNCP ou code diplôme × CPNE de l'IDCC, sinon amorçage du niveau).

    `conclusion` : `conclusion_financement` de ce cerfa quand l'appelant l'a déjà calculée
    (l'instruction automatique la reprend ensuite pour l'échéancier) ; None : calculée ici."""
    cerfa = contenu_cerfa(donnees)
    formation = cerfa.get("formation")
    formation = formation if isinstance(formation, dict) else {}
    employeur = cerfa.get("employeur")
    employeur = employeur if isinstance(employeur, dict) else {}
    if conclusion is None:
        try:
            conclusion = conclusion_financement(cerfa)
        except ValueError:
            conclusion = lire_date_champ(cerfa, "contrat", "dateConclusion") or defaut_conclusion
    niveau = niveau_certification(formation.get("typeDiplome")) or None
    rncp = formation.get("rncp")
    diplome = formation.get("codeDiplome")
    return resoudre_npec(
        referentiel,
        str(rncp) if rncp else None,
        employeur.get("codeIdcc"),
        conclusion,
        niveau,
        code_diplome=str(diplome) if diplome else None,
    )
