"""Avec quelle échéance chaque nature de frais annexes se facture (`periodesFraisAnnexes`, SPEC §6.2).

Choix d'apicfa (la norme ne le dit pas) :
- premier équipement et mobilité internationale (une fois) : la première échéance du contrat ;
- majoration RQTH de l'année k : la première échéance de l'année d'exécution k ;
- hébergement et restauration (consommés tout au long) : chaque échéance de pédagogie hors
  solde final (à défaut, la dernière échéance).
Une nature dont l'année n'a plus d'échéance (après une rupture) n'a pas de période.
"""

from __future__ import annotations

from collections.abc import Sequence

from apicfa.financement.frais_annexes import (
    HEBERGEMENT,
    MAJORATION_RQTH,
    MOBILITE,
    PREMIER_EQUIPEMENT,
    RESTAURATION,
)
from apicfa.financement.modeles import Echeance, EngagementFraisAnnexe

NATURES_UNE_FOIS = (PREMIER_EQUIPEMENT, MOBILITE)
NATURES_AU_FIL_DU_CONTRAT = (HEBERGEMENT, RESTAURATION)


def _numeros_pour(nature: str, annee: int | None, echeances: Sequence[Echeance]) -> tuple[int, ...]:
    if nature in NATURES_UNE_FOIS:
        return (echeances[0].numero,)
    if nature == MAJORATION_RQTH:
        de_l_annee = [e.numero for e in echeances if e.annee == (annee or 1)]
        return (de_l_annee[0],) if de_l_annee else ()
    if nature in NATURES_AU_FIL_DU_CONTRAT:
        courantes = tuple(e.numero for e in echeances if not e.solde)
        return courantes or (echeances[-1].numero,)
    return (echeances[0].numero,)


def periodes_frais_annexes(
    echeances: Sequence[Echeance], engagements: Sequence[EngagementFraisAnnexe]
) -> list[dict[str, int | str]]:
    """Les lignes `periode_frais_annexe` (numéro d'échéance, nature), triées, sans doublon."""
    if not echeances or not engagements:
        return []
    ordonnees = sorted(echeances, key=lambda e: e.numero)
    couples = {
        (numero, f.nature_frais)
        for f in engagements
        for numero in _numeros_pour(f.nature_frais, f.annee, ordonnees)
    }
    return [{"numero_echeance": n, "nature": nature} for n, nature in sorted(couples)]
