"""Côté CFA : SDK des routes OPCO, journal des envois, synchronisation, facturation."""

from apicfa.client.erreurs import (
    ErreurAcces,
    ErreurAuthentification,
    ErreurConflit,
    ErreurIntrouvable,
    ErreurLimiteDebit,
    ErreurNonSupporte,
    ErreurOpco,
    ErreurPagination,
    ErreurReponse,
    ErreurReseau,
    ErreurServeur,
    ErreurServeurOpco,
    ErreurTropVolumineux,
    ErreurValidation,
)
from apicfa.client.jeton import IdentifiantsOAuth
from apicfa.client.opco import ClientOpco, Fichier, Logiciel
from apicfa.client.reessai import PolitiqueReessai
from apicfa.client.reponses import (
    AccuseDepot,
    AccuseObjet,
    DossierLu,
    Echeance,
    EtatDossier,
    EtatFacture,
    InfoCle,
    Page,
    StatutService,
)

__all__ = [
    "AccuseDepot",
    "AccuseObjet",
    "ClientOpco",
    "DossierLu",
    "Echeance",
    "ErreurAcces",
    "ErreurAuthentification",
    "ErreurConflit",
    "ErreurIntrouvable",
    "ErreurLimiteDebit",
    "ErreurNonSupporte",
    "ErreurOpco",
    "ErreurPagination",
    "ErreurReponse",
    "ErreurReseau",
    "ErreurServeur",
    "ErreurServeurOpco",
    "ErreurTropVolumineux",
    "ErreurValidation",
    "EtatDossier",
    "EtatFacture",
    "Fichier",
    "IdentifiantsOAuth",
    "InfoCle",
    "Logiciel",
    "Page",
    "PolitiqueReessai",
    "StatutService",
]
