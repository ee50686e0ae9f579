"""Tables du service OPCO : comptes, dossiers, pièces, journal.

Importer ce paquet enregistre toutes les tables sur `apicfa.stockage.base.Base.metadata`.
"""

from apicfa.stockage.tables.comptes import Cfa, CleApi, JetonOauth, Logiciel
from apicfa.stockage.tables.dossiers import (
    CompteurCfa,
    CompteurEtat,
    Dossier,
    Echeance,
    EngagementFraisAnnexe,
    PeriodeFraisAnnexe,
    SequenceNumero,
)
from apicfa.stockage.tables.journal import Idempotence, Journal
from apicfa.stockage.tables.pieces import (
    Certificat,
    Convention,
    Document,
    DocumentObjet,
    Facture,
    Fichier,
    LigneFacture,
    Rupture,
)

__all__ = [
    "Certificat",
    "Cfa",
    "CleApi",
    "CompteurCfa",
    "CompteurEtat",
    "Convention",
    "Document",
    "DocumentObjet",
    "Dossier",
    "Echeance",
    "EngagementFraisAnnexe",
    "Facture",
    "Fichier",
    "Idempotence",
    "JetonOauth",
    "Journal",
    "LigneFacture",
    "Logiciel",
    "PeriodeFraisAnnexe",
    "Rupture",
    "SequenceNumero",
]
