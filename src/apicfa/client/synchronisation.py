"""Synchronisation : états des dossiers, échéanciers et états des factures vers le journal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from apicfa.client.erreurs import ErreurNonSupporte, ErreurOpco, ErreurValidation
from apicfa.client.journal import Journal
from apicfa.client.opco import ClientOpco

# États dont l'échéancier a un sens (engagement prononcé).
ETATS_FINANCES = frozenset({"ENGAGE", "RUPTURE", "SOLDE"})


@dataclass
class BilanSynchronisation:
    opco: str
    etats: int = 0
    echeanciers: int = 0
    factures: int = 0
    remarques: list[str] = field(default_factory=list)


def synchroniser_opco(
    client: ClientOpco, opco: str, journal: Journal, *, aujourd_hui: date, complet: bool = False
) -> BilanSynchronisation:
    """Rapatrie ce que l'OPCO sait des dossiers et factures du CFA.

    Les états ne sont demandés que depuis la veille de la synchronisation précédente
    (`modifieDepuis`, extension apicfa ; un OPCO qui l'ignore renvoie tout, sans dommage :
    les états sont remplacés) ; `complet` ou un refus du filtre redemandent tout. Les
    échéanciers des dossiers financés sont toujours relus (les montants réglés bougent sans
    que l'état change).
    """
    bilan = BilanSynchronisation(opco)
    precedente = None if complet else journal.jour_synchronisation(opco)
    depuis = precedente - timedelta(days=1) if precedente else None
    try:
        bilan.etats = journal.enregistrer_etats(opco, client.etats_dossiers(modifie_depuis=depuis))
    except ErreurValidation:
        if depuis is None:
            raise
        bilan.remarques.append("filtre modifieDepuis refusé : synchronisation complète")
        bilan.etats = journal.enregistrer_etats(opco, client.etats_dossiers())
    journal.noter_synchronisation(opco, aujourd_hui)
    for dossier in journal.dossiers(opco):
        if dossier["etat"] not in ETATS_FINANCES:
            continue
        try:
            journal.enregistrer_dossier(opco, client.lire_dossier(dossier["numero_interne"]))
            bilan.echeanciers += 1
        except ErreurOpco as exc:
            bilan.remarques.append(f"dossier {dossier['numero_externe'] or ''} : {exc}")
    try:
        bilan.factures = journal.enregistrer_etats_factures(opco, client.etats_factures())
    except ErreurNonSupporte:
        bilan.remarques.append("cet OPCO n'offre pas l'état des factures (501)")
    return bilan
