"""Regroupement des factures payables : un virement par IBAN de CFA.

Chaque virement reçoit sa `referenceVirement` (reprise sur chaque facture réglée et dans le
fichier SEPA comme identifiant de bout en bout) : `<référence du lot>-<rang sur 4 chiffres>`,
les virements étant rangés par IBAN. Une facture dont l'IBAN est invalide n'est pas payée :
elle est écartée avec son motif, les autres sont payées.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from apicfa.paiements.echeances import FactureAPayer

_REFERENCE_LOT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}$")
LONGUEUR_LIBELLE = 140


@dataclass(frozen=True, slots=True)
class Virement:
    """Un virement vers un CFA : toutes ses factures payables sur un même IBAN."""

    reference_virement: str
    iban: str
    bic: str | None
    beneficiaire: str
    montant: Decimal
    factures: tuple[FactureAPayer, ...]

    @property
    def libelle(self) -> str:
        """Le motif du virement (140 caractères au plus) : les numéros de facture du CFA."""
        texte = "Factures " + ", ".join(f.reference_cfa for f in self.factures)
        if len(texte) > LONGUEUR_LIBELLE:
            texte = texte[: LONGUEUR_LIBELLE - 3] + "..."
        return texte


@dataclass(frozen=True, slots=True)
class FactureEcartee:
    facture: FactureAPayer
    motif: str


@dataclass(frozen=True, slots=True)
class LotVirements:
    virements: tuple[Virement, ...]
    ecartees: tuple[FactureEcartee, ...]

    @property
    def montant_total(self) -> Decimal:
        return sum((v.montant for v in self.virements), Decimal("0.00"))

    @property
    def nombre_factures(self) -> int:
        return sum(len(v.factures) for v in self.virements)


def lire_iban(texte: str) -> IBAN:
    """L'IBAN vérifié (longueur, pays, clé) ; `ValueError` en français s'il est invalide."""
    try:
        return IBAN(texte)
    except SchwiftyException as erreur:
        raise ValueError(f"IBAN « {texte} » invalide : {erreur}") from erreur


def bic_de(iban: IBAN) -> str | None:
    """Le BIC de la banque de l'IBAN quand le registre de schwifty la connaît, sinon None."""
    try:
        bic = iban.bic
    except SchwiftyException:
        return None
    return str(bic) if bic is not None else None


def grouper_virements(factures: Iterable[FactureAPayer], *, reference_lot: str) -> LotVirements:
    """Un virement par IBAN de CFA, références `<reference_lot>-0001`, `-0002`…"""
    if not _REFERENCE_LOT.match(reference_lot):
        raise ValueError(
            f"référence de lot « {reference_lot} » invalide : 1 à 30 lettres, chiffres ou tirets"
        )
    par_iban: dict[str, list[FactureAPayer]] = {}
    ibans: dict[str, IBAN] = {}
    ecartees: list[FactureEcartee] = []
    for facture in factures:
        try:
            iban = lire_iban(facture.iban)
        except ValueError as erreur:
            ecartees.append(FactureEcartee(facture, f"ibanEmetteur : {erreur}"))
            continue
        ibans[iban.compact] = iban
        par_iban.setdefault(iban.compact, []).append(facture)
    virements = []
    for rang, compact in enumerate(sorted(par_iban), start=1):
        lot = tuple(par_iban[compact])
        virements.append(
            Virement(
                reference_virement=f"{reference_lot}-{rang:04d}",
                iban=compact,
                bic=bic_de(ibans[compact]),
                beneficiaire=lot[0].beneficiaire,
                montant=sum((f.montant for f in lot), Decimal("0.00")),
                factures=lot,
            )
        )
    return LotVirements(tuple(virements), tuple(ecartees))
