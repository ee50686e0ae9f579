"""Dépôts de dossiers groupés : les dépôts simultanés d'un même CFA chez une même OPCO sont
écrits ensemble (une réservation de numéros, une insertion multiple, une validation).

Un dépôt peut arriver avec sa décision d'instruction déjà calculée (`Instructeur.decider_au_depot`) :
le dossier est alors inséré directement dans son état final, avec son échéancier et son numéro
DECA, dans la transaction de son dépôt (docs/instruction.md, « Instruction au dépôt »).

Utilisé pour les dépôts sans `Idempotency-Key` ; ceux qui en portent une passent par le chemin
commun (`opco.ecriture`), qui mémorise la réponse dans la même transaction."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from apicfa.opco.ecrivain import TravailGroupable
from apicfa.opco.instruction_auto import Decision, NumerotationDeca
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.vues import accuse_depot
from apicfa.stockage.espace import DossierDepose, EspaceCfa, NouveauDossier, etats_finals
from apicfa.stockage.guichet import DecisionAEcrire, ecrire_instruits_au_depot
from apicfa.stockage.sequences import (
    DemandeLot,
    LotReserve,
    lire_puis_reserver_lot,
    rendre_lot,
    reserver_lot,
)


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
        maintenant = premier.horloge()
        a_creer, decisions = _a_creer(travaux, {}, maintenant)
        numerotation = NumerotationDeca([d for d in decisions if d is not None])

        def demande() -> DemandeLot:  # lue à l'appel : `decisions` change après un doublon
            return DemandeLot(
                premier.opco,
                premier.cfa_id,
                maintenant.year,
                etats_finals([None if d is None else d[0] for d in decisions]),
                numerotation.demandes(),
            )

        # Doublons déjà en base, puis séquences DECA, numéros, rangs, compteurs et (PostgreSQL)
        # identifiants réservés pour tous les dossiers du lot : sur PostgreSQL en UN aller-retour
        # avec le BEGIN, la réservation sous un point de sauvegarde, annulée si un doublon est
        # trouvé (rare : le lot crée alors moins de dossiers, pour lesquels on réserve ensuite).
        connus: dict[str, DossierDepose] = {}
        reserve: LotReserve | None = None
        empreintes = [t.nouveau.empreinte for t in travaux if t.nouveau.empreinte]
        if empreintes:
            lecture, lire = espace.lecture_empreintes(empreintes)
            lus, reserve = lire_puis_reserver_lot(session, lecture, demande())
            connus = lire(lus)
        if connus:
            if reserve is not None:
                rendre_lot(session)
                reserve = None
            a_creer, decisions = _a_creer(travaux, connus, maintenant)
            numerotation = NumerotationDeca([d for d in decisions if d is not None])
        if reserve is None and a_creer:
            reserve = reserver_lot(session, demande())
        numerotees = iter(numerotation.appliquer({} if reserve is None else reserve.deca))
        issues: list[DecisionAEcrire | None] = [
            None if d is None else next(numerotees) for d in decisions
        ]
        crees_liste = espace.inserer_dossiers(a_creer, maintenant, issues, reserve)
        ecrire_instruits_au_depot(
            espace.session,
            [
                (cree.numero_interne, issue)
                for cree, issue in zip(crees_liste, issues, strict=True)
                if issue is not None
            ],
            None
            if reserve is None or reserve.ids is None
            else {cree.numero_interne: i for cree, i in zip(crees_liste, reserve.ids, strict=True)},
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


def _a_creer(
    travaux: list[DepotDossier], connus: Mapping[str, DossierDepose], maintenant: datetime
) -> tuple[list[NouveauDossier], list[Decision | None]]:
    """Les dossiers que le lot crée (ni connus, ni doublons d'un dépôt précédent du lot : un
    seul nouveau dossier par empreinte) et la décision de chacun (None : l'instructeur)."""
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
    return a_creer, decisions
