"""Modèle de la facture (partie `facture` de `POST /v1/factures`, SPEC §5.1)."""

from __future__ import annotations

from typing import Any

from apicfa.norme.types_norme import (
    Booleen,
    DateNorme,
    Entier,
    Iban,
    Identifiant,
    ModeleNorme,
    Montant,
    Siret,
)


class LigneFacture(ModeleNorme):
    montant: Montant | None = None
    natureLigne: str | None = None
    quantite: Montant | None = None
    numeroEcheance: Entier | None = None
    codificationEcheance: str | None = None
    numeroDeca: str | None = None
    numeroDossier: Identifiant | None = None


class Facture(ModeleNorme):
    numero: Identifiant | None = None
    dateEmission: DateNorme | None = None
    montantTotal: Montant | None = None
    ibanEmetteur: Iban | None = None
    siretEmetteur: Siret | None = None
    estCertificatRealisation: Booleen | None = None
    lignes: list[LigneFacture] | None = None


def lire_facture(donnees: Any) -> Facture:
    """La facture de `{"facture": …}` ou d'une facture nue."""
    if isinstance(donnees, dict) and "facture" in donnees:
        donnees = donnees["facture"]
    return Facture.model_validate(donnees)
