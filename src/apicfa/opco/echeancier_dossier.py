"""Passage entre l'échéancier du moteur (`apicfa.financement`, euros en `Decimal`) et les
tables du dossier (centimes entiers), dans les deux sens."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import orjson

from apicfa.financement.contrat import ContratFinance
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.frais_annexes import PREMIER_EQUIPEMENT, CoutsConvention, lire_couts
from apicfa.financement.lecture_cerfa import depuis_cerfa
from apicfa.financement.modeles import Echeance, Echeancier, EngagementFraisAnnexe
from apicfa.financement.montants import en_centimes, en_euros
from apicfa.financement.periodes_frais import periodes_frais_annexes
from apicfa.opco.profils import ProfilOpco
from apicfa.stockage.espace import EspaceCfa
from apicfa.stockage.guichet import COLONNES_ECHEANCE
from apicfa.stockage.tables import Dossier
from apicfa.stockage.tables import Echeance as EcheanceStockee


def cerfa_de_charge(charge_utile: bytes) -> dict[str, Any]:
    """Le cerfa déposé (enveloppe ou objet nu), décodé ; `{}` si ce n'est pas un objet."""
    donnees = orjson.loads(charge_utile)
    return donnees if isinstance(donnees, dict) else {}


def cerfa_du_dossier(dossier: Dossier) -> dict[str, Any]:
    """Le cerfa déposé d'un dossier stocké (`cerfa_de_charge` de sa charge utile)."""
    return cerfa_de_charge(dossier.charge_utile)


def couts_de_convention(espace: EspaceCfa, dossier: Dossier) -> CoutsConvention | None:
    """Les `couts` de la dernière convention reçue pour ce dossier, s'il y en a une."""
    convention = espace.derniere_convention(dossier)
    if convention is None:
        return None
    donnees = orjson.loads(convention.charge_utile)
    return lire_couts(donnees) if isinstance(donnees, dict) else None


def contrat_du_dossier(
    dossier: Dossier, profil: ProfilOpco, couts: CoutsConvention | None = None
) -> ContratFinance:
    """Le contrat vu par le financement, avec la NPEC retenue à l'engagement."""
    if dossier.npec_centimes is None:
        raise ValueError(f"le dossier {dossier.numero_externe} n'a pas de NPEC engagée")
    return depuis_cerfa(
        cerfa_du_dossier(dossier),
        en_euros(dossier.npec_centimes),
        couts=couts,
        forfait_mobilite=profil.forfait_mobilite,
    )


def echeancier_initial(contrat: ContratFinance) -> Echeancier:
    return calculer_echeancier(contrat)


_CENTIMES: dict[Decimal, int] = {}
_TAILLE_MAX_CACHE = 100_000


def centimes(montant: Decimal) -> int:
    """`en_centimes`, avec un cache : les mêmes montants (NPEC découpés, zéros) reviennent d'un
    échéancier à l'autre ; une fonction pure de la valeur, et une valeur égale (`Decimal` de
    même valeur numérique) donne les mêmes centimes."""
    try:
        connu = _CENTIMES.get(montant)
    except TypeError:  # NaN signalant : non hachable, `en_centimes` dit pourquoi
        return en_centimes(montant)
    if connu is None:
        if len(_CENTIMES) >= _TAILLE_MAX_CACHE:
            _CENTIMES.clear()
        connu = _CENTIMES[montant] = en_centimes(montant)
    return connu


def lignes_echeances(echeances: Sequence[Echeance]) -> list[dict[str, Any]]:
    """Les colonnes de la table `echeance` pour chaque échéance du moteur (les n-uplets de
    `valeurs_echeances`, nommés par `COLONNES_ECHEANCE`)."""
    return [
        dict(zip(COLONNES_ECHEANCE, ligne, strict=True)) for ligne in valeurs_echeances(echeances)
    ]


def valeurs_echeances(echeances: Sequence[Echeance]) -> list[tuple[Any, ...]]:
    """Les valeurs des colonnes de la table `echeance` pour chaque échéance du moteur, en
    n-uplets dans l'ordre de `COLONNES_ECHEANCE` (écriture groupée de l'instruction
    automatique). Les centimes sont lus du cache de `centimes` sans appel de fonction quand le
    montant y est déjà (le cas courant) : même valeur que `centimes(montant)`."""
    connus = _CENTIMES.get
    lignes: list[tuple[Any, ...]] = []
    for (
        numero,
        codification,
        total,
        regle,
        en_cours,
        ouverture,
        debut,
        fin,
        _annee,
        solde,
    ) in echeances:
        try:
            cents = (connus(total), connus(regle), connus(en_cours))
        except TypeError:  # NaN signalant, non hachable : `centimes` dit pourquoi
            cents = (None, None, None)
        lignes.append(
            (
                numero,
                codification,
                centimes(total) if cents[0] is None else cents[0],
                centimes(regle) if cents[1] is None else cents[1],
                centimes(en_cours) if cents[2] is None else cents[2],
                ouverture,
                debut,
                fin,
                solde,
            )
        )
    return lignes


def lignes_frais(engagements: Sequence[EngagementFraisAnnexe]) -> list[dict[str, Any]]:
    return [
        {
            "nature": f.nature_frais,
            "quantite": Decimal(f.quantite),
            "prix_unitaire_centimes": en_centimes(f.prix_unitaire),
            "montant_total_centimes": en_centimes(f.montant_total),
        }
        for f in engagements
    ]


def echeances_relues(echeances: Sequence[EcheanceStockee]) -> list[dict[str, Any]]:
    """Les échéances stockées sous la forme que relit le contrôle des factures."""
    return [
        {
            "numero": e.numero,
            "codification": e.codification,
            "montantTotal": en_euros(e.montant_total_centimes),
            "montantRegle": en_euros(e.montant_regle_centimes),
            "montantEnCoursInstruction": en_euros(e.montant_en_cours_centimes),
            "dateOuverture": e.date_ouverture,
            "solde": e.solde,
        }
        for e in echeances
    ]


def engagements_stockes(espace: EspaceCfa, dossier: Dossier) -> list[EngagementFraisAnnexe]:
    """Les lignes `engagementsFraisAnnexe` stockées, sous la forme du moteur."""
    return [
        EngagementFraisAnnexe(
            f.nature,
            int(f.quantite),
            en_euros(f.prix_unitaire_centimes),
            en_euros(f.montant_total_centimes),
        )
        for f in espace.frais_annexes(dossier)
    ]


def ecrire_frais(espace: EspaceCfa, dossier: Dossier, echeancier: Echeancier) -> None:
    """Écrit les lignes `engagementsFraisAnnexe`, leurs périodes de facturation
    (`periodesFraisAnnexes`) et le plafond de premier équipement."""
    engagements = echeancier.engagements_frais_annexe
    espace.ecrire_frais_annexes(
        dossier,
        lignes_frais(engagements),
        periodes_frais_annexes(echeancier.echeances, engagements),
    )
    premier = [f for f in engagements if f.nature_frais == PREMIER_EQUIPEMENT]
    dossier.plafond_premier_equipement_centimes = (
        sum(en_centimes(f.montant_total) for f in premier) if premier else None
    )


def frais_de_convention(
    dossier: Dossier, profil: ProfilOpco, couts: CoutsConvention
) -> Echeancier | None:
    """L'échéancier (avec les frais annexes) qu'engage une convention sur un dossier engagé
    (None avant l'engagement : ses frais seront engagés avec lui)."""
    if dossier.npec_centimes is None or dossier.etat != "ENGAGE":
        return None
    return echeancier_initial(contrat_du_dossier(dossier, profil, couts))
