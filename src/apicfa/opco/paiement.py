"""Campagne de paiement d'une OPCO (`apicfa opco payer`) : chaque facture `VALIDE` dont la date
de paiement est arrivée (réception + délai du profil) est réglée — `REGLE`, `dateReglement`,
`referenceVirement` — ses montants passent de « en cours d'instruction » à « réglé » sur chaque
échéance, un dossier `ENGAGE` entièrement réglé devient `SOLDE`, et le fichier SEPA des
virements (un par IBAN de CFA) est produit. Tout dans la transaction de l'appelant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from apicfa.financement.frais_annexes import MOBILITE, PREMIER_EQUIPEMENT
from apicfa.financement.montants import en_euros
from apicfa.norme.etats import EtatDossier
from apicfa.opco.profils import ProfilOpco
from apicfa.paiements import (
    DonneurOrdre,
    FactureAPayer,
    factures_payables,
    fichier_sepa,
    grouper_virements,
)
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.guichet import (
    factures_validees,
    lignes_des_factures,
    prendre_verrou_ecriture,
    verrouiller_dossiers,
)
from apicfa.stockage.sequences import PREFIXES_OPCO
from apicfa.stockage.tables import Dossier, LigneFacture


@dataclass(frozen=True)
class CampagnePaiement:
    factures_reglees: int
    montant_total_centimes: int
    virements: int
    dossiers_soldes: int
    #: Factures valides écartées (IBAN invalide…), avec leur motif : elles restent `VALIDE`.
    ecartees: tuple[str, ...]
    sepa: bytes | None


def reference_lot(opco: str, maintenant: datetime) -> str:
    """Référence du lot de virements : `ATL-20261128-093015` (unique à la seconde)."""
    return f"{PREFIXES_OPCO.get(opco, opco[:3].upper())}-{maintenant:%Y%m%d-%H%M%S}"


def _imputer(session: Session, ligne: LigneFacture, dossier: Dossier) -> None:
    montant = ligne.montant_centimes
    if ligne.numero_echeance is not None and (ligne.nature or "PEDAGOGIE") == "PEDAGOGIE":
        espace = EspaceCfa(session, dossier.opco, dossier.cfa_id)
        for echeance in espace.echeances(dossier):
            if echeance.numero == ligne.numero_echeance:
                echeance.montant_regle_centimes += montant
                echeance.montant_en_cours_centimes -= min(
                    montant, echeance.montant_en_cours_centimes
                )
    elif ligne.nature == PREMIER_EQUIPEMENT:
        dossier.premier_equipement_regle_centimes += montant
    elif ligne.nature == MOBILITE:
        dossier.mobilite_reglee_centimes += montant


def payer(
    session: Session, profil: ProfilOpco, jour: date, maintenant: datetime
) -> CampagnePaiement:
    """Paie ce qui est payable le `jour` chez l'OPCO du `profil`."""
    prendre_verrou_ecriture(session)
    validees = factures_validees(session, profil.code)
    par_numero = {facture.numero_interne: facture for facture, _ in validees}
    payables = factures_payables(
        (
            FactureAPayer(
                numero_interne=facture.numero_interne,
                reference_cfa=facture.numero or facture.numero_interne,
                montant=en_euros(facture.montant_total_centimes),
                iban=facture.iban_emetteur or "",
                beneficiaire=nom,
                date_reception=facture.date_reception.date(),
            )
            for facture, nom in validees
        ),
        jour=jour,
        delai_jours=profil.delai_paiement_jours,
    )
    reference = reference_lot(profil.code, maintenant)
    lot = grouper_virements(payables, reference_lot=reference)
    reglees = []
    for virement in lot.virements:
        for a_payer in virement.factures:
            facture = par_numero[a_payer.numero_interne]
            facture.etat = "REGLE"
            facture.date_reglement = jour
            facture.reference_virement = virement.reference_virement
            facture.date_modification = maintenant
            reglees.append(facture)
    lignes = lignes_des_factures(session, [f.id for f in reglees])
    # Les dossiers payés sont verrouillés avant de toucher leurs échéances : une facture
    # contrôlée au même moment par le serveur attend, puis relit les montants à jour.
    verrouilles = verrouiller_dossiers(session, [x.dossier_id for x in lignes if x.dossier_id])
    dossiers: dict[int, Dossier] = {}
    for ligne in lignes:
        dossier = verrouilles.get(ligne.dossier_id) if ligne.dossier_id else None
        if dossier is None:
            continue
        dossiers[dossier.id] = dossier
        _imputer(session, ligne, dossier)
    session.flush()
    soldes = 0
    for dossier in dossiers.values():
        espace = EspaceCfa(session, dossier.opco, dossier.cfa_id)
        echeances = espace.echeances(dossier)
        if (
            dossier.etat == EtatDossier.ENGAGE.value
            and echeances
            and all(e.montant_regle_centimes >= e.montant_total_centimes for e in echeances)
        ):
            espace.changer_etat(dossier, EtatDossier.SOLDE.value, maintenant, None)
            soldes += 1
    sepa = (
        fichier_sepa(
            lot.virements,
            donneur_ordre=DonneurOrdre(profil.nom, profil.iban_virement, profil.bic_virement),
            date_execution=jour,
            identifiant_message=reference,
            cree_le=maintenant,
        )
        if lot.virements
        else None
    )
    return CampagnePaiement(
        factures_reglees=len(reglees),
        montant_total_centimes=sum(f.montant_total_centimes for f in reglees),
        virements=len(lot.virements),
        dossiers_soldes=soldes,
        ecartees=tuple(
            f"{e.facture.reference_cfa} ({e.facture.numero_interne}) : {e.motif}"
            for e in lot.ecartees
        ),
        sepa=sepa,
    )
