"""Synchronisation : états des dossiers, échéanciers et états des factures vers le journal."""

from __future__ import annotations

from dataclasses import dataclass, field

from apicfa.client.erreurs import ErreurNonSupporte, ErreurOpco
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


def synchroniser_opco(client: ClientOpco, opco: str, journal: Journal) -> BilanSynchronisation:
    """Rapatrie tout ce que l'OPCO sait des dossiers et factures du CFA."""
    bilan = BilanSynchronisation(opco)
    bilan.etats = journal.enregistrer_etats(opco, client.etats_dossiers())
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
