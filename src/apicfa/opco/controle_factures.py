"""Contrôle d'une facture reçue contre l'échéancier stocké (SPEC §6.5), dans la transaction
qui l'enregistre : `VALIDE` (ses montants passent « en cours d'instruction » sur chaque
échéance) ou `REJETE` avec chaque motif dans `commentaire`.

Les dossiers facturés sont d'abord verrouillés (`EspaceCfa.verrouiller`) : deux factures
simultanées pour la même échéance sont contrôlées l'une après l'autre, et une seule passe."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from apicfa.financement.facturation import (
    DossierFacture,
    ResultatControle,
    controler_facture,
    plafonds_frais,
)
from apicfa.financement.montants import en_centimes, en_euros
from apicfa.opco.echeancier_dossier import echeances_relues, engagements_stockes
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.tables import Dossier, Facture


def controler_et_imputer(
    espace: EspaceCfa,
    facture: Facture,
    donnees: Mapping[str, Any],
    dossiers: Mapping[str, Dossier],
    maintenant: datetime,
) -> ResultatControle:
    """Contrôle `facture` (JSON `donnees`) ; `dossiers` : les dossiers facturés, par
    `numeroExterne`. Met à jour l'état de la facture et, si elle est valide, les échéances."""
    verrouilles = espace.verrouiller([d.id for d in dossiers.values()])
    frais: dict[str, Any] = {}
    vus: dict[str, DossierFacture] = {}
    for numero, dossier in dossiers.items():
        dossier = verrouilles.get(dossier.id, dossier)
        deja = {nature: en_euros(c) for nature, c in espace.frais_deja_factures(dossier).items()}
        frais[numero] = plafonds_frais(engagements_stockes(espace, dossier), deja)
        vus[numero] = DossierFacture(
            etat=dossier.etat,
            echeances=echeances_relues(espace.echeances(dossier)),
            numero_deca=dossier.numero_deca,
            frais=frais[numero],
            certificats_finals=tuple(espace.certificats_finals(dossier)),
        )
    resultat = controler_facture(donnees, dossiers=vus, date_reception=maintenant.date())
    facture.etat = resultat.etat.value
    facture.commentaire = resultat.commentaire
    facture.date_modification = maintenant
    if resultat.valide:
        for dossier in dossiers.values():
            dossier.iban = dossier.iban or facture.iban_emetteur
        for numero, dossier in dossiers.items():
            montants = resultat.montants_par_echeance(numero)
            if not montants:
                continue
            for echeance in espace.echeances(dossier):
                montant = montants.get(echeance.numero)
                if montant is not None:
                    echeance.montant_en_cours_centimes += en_centimes(montant)
    espace.session.flush()
    return resultat
