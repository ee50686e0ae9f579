"""Rupture d'un contrat engagé : l'échéancier stocké recoupé par `financement.rupture`
(SPEC §6.4), avec ce qui est déjà réglé ou en cours d'instruction lu en base."""

from __future__ import annotations

from datetime import date

from apicfa.financement.modeles import Echeancier
from apicfa.financement.montants import en_centimes, en_euros
from apicfa.financement.rupture import appliquer_rupture
from apicfa.opco.echeancier_dossier import (
    contrat_du_dossier,
    couts_de_convention,
    echeancier_initial,
    ecrire_frais,
    lignes_echeances,
)
from apicfa.opco.profils import ProfilOpco
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.tables import Dossier


def echeancier_coupe(
    espace: EspaceCfa,
    dossier: Dossier,
    profil: ProfilOpco,
    date_rupture: date,
    dans_periode_essai: bool,
) -> Echeancier:
    """Le nouvel échéancier (rien n'est écrit) ; `ValueError` si la date ne convient pas."""
    contrat = contrat_du_dossier(dossier, profil, couts_de_convention(espace, dossier))
    stockees = espace.echeances(dossier)
    return appliquer_rupture(
        echeancier_initial(contrat),
        contrat,
        date_rupture,
        dans_periode_essai=dans_periode_essai,
        montants_regles={e.numero: en_euros(e.montant_regle_centimes) for e in stockees},
        montants_en_cours={e.numero: en_euros(e.montant_en_cours_centimes) for e in stockees},
    )


def ecrire_echeancier_coupe(espace: EspaceCfa, dossier: Dossier, coupe: Echeancier) -> None:
    dossier.engagement_centimes = en_centimes(coupe.engagement)
    dossier.trop_percu_centimes = en_centimes(coupe.trop_percu)
    espace.ecrire_echeances(dossier, lignes_echeances(coupe.echeances))
    ecrire_frais(espace, dossier, coupe)
