"""Le travail d'un dépôt de dossier une fois l'appelant identifié et le corps lu.

`traiter_depot(services, demande)` décode le cerfa, le valide (`apicfa.norme` : constats
bloquants → 400), extrait le dossier et son empreinte de doublon, l'écrit par l'écrivain groupé
(avec la réponse mémorisée quand le dépôt porte une `Idempotency-Key`) et réveille l'instructeur.
`preparer_sans_cle` fait tout ce qui précède l'écriture d'un dépôt sans clé (décision
d'instruction comprise) : le processus de dépôt s'en sert pour écrire un lot sur place.
Il ne lit rien de la requête HTTP : une `DemandeDepot` porte tout ce qu'il lui faut. Il s'exécute
dans le processus HTTP (mode local) ou dans le processus de dépôt (`opco.processus_depot`), avec
le même code ; les refus sont levés (`ErreurApi`…) comme par toute route.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apicfa.opco.corps import lire_json_objet
from apicfa.opco.depot_groupe import DepotDossier
from apicfa.opco.ecriture import ecrire_travail
from apicfa.opco.empreinte_dossier import extraire_dossier
from apicfa.opco.idempotence import lire_cle
from apicfa.opco.services import Services
from apicfa.opco.validation import verifier
from apicfa.opco.vues import accuse_depot
from apicfa.stockage.espace import EspaceCfa, NouveauDossier


@dataclass(frozen=True, slots=True)
class DemandeDepot:
    """Un dépôt accepté par la couche HTTP (appelant identifié, corps lu dans la limite)."""

    opco: str
    version: int
    cfa_id: int
    corps: bytes
    empreinte_corps: str
    entete_idempotence: str | None  # l'en-tête Idempotency-Key tel que reçu

    def en_tuple(self) -> tuple[Any, ...]:
        return (
            self.opco,
            self.version,
            self.cfa_id,
            self.corps,
            self.empreinte_corps,
            self.entete_idempotence,
        )


@dataclass(frozen=True, slots=True)
class DepotPrepare:
    """Un dépôt sans clé prêt à écrire ; `a_instruire` : l'instructeur est à réveiller après
    l'écriture (le dossier reste `TRANSMIS`)."""

    travail: DepotDossier
    a_instruire: bool


# le cerfa décodé, ses constats, le dossier extrait, l'instant de la validation
_Lu = tuple[dict[str, Any], list[Any], NouveauDossier, datetime]


def _lire(services: Services, demande: DemandeDepot) -> _Lu:
    donnees = lire_json_objet(demande.corps)
    maintenant = services.horloge()
    constats = verifier("cerfa", donnees, maintenant.date())
    nouveau = extraire_dossier(
        donnees, demande.corps, demande.version, demande.opco, demande.cfa_id
    )
    return donnees, constats, nouveau, maintenant


def preparer_sans_cle(services: Services, demande: DemandeDepot) -> DepotPrepare:
    """Décode, valide, extrait et (si l'instructeur est là) instruit un dépôt sans
    `Idempotency-Key` : tout le travail du dépôt avant son écriture, sans attente ni accès en
    écriture à la base. Lève les refus (`ErreurApi` : JSON illisible, constats bloquants)."""
    return _preparer(services, demande, _lire(services, demande))


def _preparer(services: Services, demande: DemandeDepot, lu: _Lu) -> DepotPrepare:
    donnees, constats, nouveau, maintenant = lu
    decision = None
    if services.instructeur is not None:
        decision = services.instructeur.decider_au_depot(
            demande.opco, demande.cfa_id, donnees, constats, maintenant
        )
    if decision is None:
        # instruit après coup par la boucle de l'instructeur, qui reprendra ces constats
        services.constats_depot.garder(
            demande.empreinte_corps, maintenant.date(), constats, donnees
        )
    travail = DepotDossier(
        demande.opco,
        demande.cfa_id,
        nouveau,
        services.profils[demande.opco],
        services.horloge,
        decision,
    )
    return DepotPrepare(travail, a_instruire=decision is None)


async def traiter_depot(services: Services, demande: DemandeDepot) -> tuple[int, bytes]:
    """(statut, corps JSON) de la réponse d'un dépôt ; lève les refus de l'API."""
    lu = _lire(services, demande)
    cle = lire_cle(demande.entete_idempotence)
    if cle is None:
        prepare = _preparer(services, demande, lu)
        resultat: tuple[int, bytes] = await services.ecrivain.executer(prepare.travail)
        if prepare.a_instruire:
            services.signaler_depot()
        return resultat
    donnees, constats, nouveau, maintenant = lu
    # dépôt avec clé : toujours instruit après coup, par la boucle de l'instructeur
    services.constats_depot.garder(demande.empreinte_corps, maintenant.date(), constats, donnees)
    profil = services.profils[demande.opco]

    def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
        existant = espace.dossier_par_empreinte(nouveau.empreinte) if nouveau.empreinte else None
        dossier = existant or espace.inserer_dossier(nouveau, maintenant)
        return accuse_depot(dossier, profil)

    resultat = await services.ecrivain.executer(
        ecrire_travail(
            services,
            demande.opco,
            demande.cfa_id,
            cle,
            f"POST dossiers v{demande.version}",
            demande.empreinte_corps,
            produire,
        )
    )
    services.signaler_depot()
    return resultat
