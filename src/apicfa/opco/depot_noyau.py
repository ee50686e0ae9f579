"""Le travail d'un dépôt de dossier une fois l'appelant identifié et le corps lu.

`traiter_depot(services, demande)` décode le cerfa, le valide (`apicfa.norme` : constats
bloquants → 400), extrait le dossier et son empreinte de doublon, l'écrit par l'écrivain groupé
(avec la réponse mémorisée quand le dépôt porte une `Idempotency-Key`) et réveille l'instructeur.
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
from apicfa.stockage.espace import EspaceCfa


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


async def traiter_depot(services: Services, demande: DemandeDepot) -> tuple[int, bytes]:
    """(statut, corps JSON) de la réponse d'un dépôt ; lève les refus de l'API."""
    opco, version, cfa_id = demande.opco, demande.version, demande.cfa_id
    profil = services.profils[opco]
    donnees = lire_json_objet(demande.corps)
    maintenant = services.horloge()
    jour = maintenant.date()
    constats = verifier("cerfa", donnees, jour)
    nouveau = extraire_dossier(donnees, demande.corps, version, opco, cfa_id)
    cle = lire_cle(demande.entete_idempotence)
    decision = None
    if cle is None and services.instructeur is not None:
        decision = services.instructeur.decider_au_depot(
            opco, cfa_id, donnees, constats, maintenant
        )
    if decision is None:
        # instruit après coup par la boucle de l'instructeur, qui reprendra ces constats
        services.constats_depot.garder(demande.empreinte_corps, jour, constats, donnees)
    if cle is None:
        resultat: tuple[int, bytes] = await services.ecrivain.executer(
            DepotDossier(opco, cfa_id, nouveau, profil, services.horloge, decision)
        )
    else:

        def produire(espace: EspaceCfa, maintenant: datetime) -> dict[str, Any]:
            existant = (
                espace.dossier_par_empreinte(nouveau.empreinte) if nouveau.empreinte else None
            )
            dossier = existant or espace.inserer_dossier(nouveau, maintenant)
            return accuse_depot(dossier, profil)

        resultat = await services.ecrivain.executer(
            ecrire_travail(
                services,
                opco,
                cfa_id,
                cle,
                f"POST dossiers v{version}",
                demande.empreinte_corps,
                produire,
            )
        )
    if decision is None:
        services.signaler_depot()
    return resultat
