"""Dépôts de dossiers groupés : les dépôts simultanés d'un même CFA chez une même OPCO sont
écrits ensemble (une réservation de numéros, une insertion multiple, une validation).

Utilisé pour les dépôts sans `Idempotency-Key` ; ceux qui en portent une passent par le chemin
commun (`opco.ecriture`), qui mémorise la réponse dans la même transaction."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from apicfa.opco.ecrivain import TravailGroupable
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.vues import accuse_depot
from apicfa.stockage.espace import EspaceCfa, NouveauDossier


@dataclass
class DepotDossier(TravailGroupable):
    opco: str
    cfa_id: int
    nouveau: NouveauDossier
    profil: ProfilOpco
    horloge: Callable[[], datetime]

    @property
    def famille(self) -> Hashable:  # type: ignore[override]
        return ("depot", self.opco, self.cfa_id)

    @classmethod
    def executer_groupe(cls, session: Session, travaux: list[Any]) -> list[Any]:
        premier: DepotDossier = travaux[0]
        espace = EspaceCfa(session, premier.opco, premier.cfa_id)
        connus = espace.dossiers_par_empreinte(
            [t.nouveau.empreinte for t in travaux if t.nouveau.empreinte]
        )
        # Un seul nouveau dossier par empreinte, même si le lot la contient plusieurs fois.
        a_creer: list[NouveauDossier] = []
        vus: set[str] = set()
        for travail in travaux:
            empreinte = travail.nouveau.empreinte
            if empreinte is None or (empreinte not in connus and empreinte not in vus):
                a_creer.append(travail.nouveau)
                if empreinte is not None:
                    vus.add(empreinte)
        crees = iter(espace.inserer_dossiers(a_creer, premier.horloge()))
        resultats: list[Any] = []
        for travail in travaux:
            empreinte = travail.nouveau.empreinte
            dossier = connus.get(empreinte) if empreinte else None
            if dossier is None:
                dossier = next(crees)
                if empreinte is not None:
                    connus[empreinte] = dossier
            resultats.append((200, orjson.dumps(accuse_depot(dossier, travail.profil))))
        return resultats
