"""Dépôts de dossiers groupés : les dépôts simultanés d'un même CFA chez une même OPCO sont
écrits ensemble (une réservation de numéros, une insertion multiple, une validation).

Un dépôt peut arriver avec sa décision d'instruction déjà calculée (`Instructeur.decider_au_depot`) :
le dossier est alors inséré directement dans son état final, avec son échéancier et son numéro
DECA, dans la transaction de son dépôt (docs/instruction.md, « Instruction au dépôt »).

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
from apicfa.opco.instruction_auto import Decision, numeroter_deca
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.vues import accuse_depot
from apicfa.stockage.espace import EspaceCfa, NouveauDossier
from apicfa.stockage.guichet import DecisionAEcrire, ecrire_instruits_au_depot


@dataclass
class DepotDossier(TravailGroupable):
    opco: str
    cfa_id: int
    nouveau: NouveauDossier
    profil: ProfilOpco
    horloge: Callable[[], datetime]
    decision: Decision | None = None

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
        maintenant = premier.horloge()
        a_creer: list[NouveauDossier] = []
        decisions: list[Decision | None] = []
        vus: set[str] = set()
        for travail in travaux:
            empreinte = travail.nouveau.empreinte
            if empreinte is None or (empreinte not in connus and empreinte not in vus):
                a_creer.append(travail.nouveau)
                decision = travail.decision
                if decision is not None and decision[0].dossier.date_creation.date() != (
                    maintenant.date()
                ):
                    decision = None  # décidée la veille : la boucle de l'instructeur reprendra
                decisions.append(decision)
                if empreinte is not None:
                    vus.add(empreinte)
        numerotees = iter(numeroter_deca(espace.session, [d for d in decisions if d is not None]))
        issues: list[DecisionAEcrire | None] = [
            None if d is None else next(numerotees) for d in decisions
        ]
        crees_liste = espace.inserer_dossiers(a_creer, maintenant, issues)
        ecrire_instruits_au_depot(
            espace.session,
            [
                (cree.numero_interne, issue)
                for cree, issue in zip(crees_liste, issues, strict=True)
                if issue is not None
            ],
        )
        crees = iter(crees_liste)
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
