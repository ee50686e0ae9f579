"""L'entrée du moteur : ce qu'il faut savoir d'un contrat pour le financer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apicfa.financement.frais_annexes import CoutsConvention
from apicfa.financement.modeles import Regime

DEBUT_REGIME_2025 = date(2025, 7, 1)


def regime_applicable(date_conclusion: date) -> Regime:
    """Le régime choisi par la date de conclusion : avant le 1er juillet 2025 → « 2020 »."""
    return "2020" if date_conclusion < DEBUT_REGIME_2025 else "2025"


TYPES_AVENANT = frozenset(range(31, 39))


def date_conclusion_financement(
    date_conclusion: date, date_debut: date, type_contrat: int | None
) -> date:
    """La date de conclusion qui choisit le régime et la version du référentiel NPEC.

    Un avenant (types 31 à 38) ne conclut pas un nouveau contrat : il reste financé selon le
    contrat initial. Le CERFA ne donne pas la date de conclusion de celui-ci, mais un contrat
    est conclu au plus tard le jour de son début : pour un avenant, la date retenue est donc la
    plus ancienne de `dateConclusion` et `dateDebutContrat` (choix documenté dans
    docs/financement.md).
    """
    if type_contrat in TYPES_AVENANT:
        return min(date_conclusion, date_debut)
    return date_conclusion


@dataclass(frozen=True, slots=True)
class ContratFinance:
    """Un contrat vu par le financement.

    `npec` : le niveau de prise en charge annuel avant minoration (euros). `niveau` : niveau de
    la certification (3 à 8 ; 0 en dessous ou inconnu), voir `niveau_certification`.
    `duree_formation`, `heures_distanciel` : heures (facultatives ; la minoration de 20 % du
    régime 2025 en dépend). `couts` : frais annexes de la convention, s'il y en a une.
    `forfait_mobilite` : montant forfaitaire de mobilité internationale du profil OPCO.
    """

    date_conclusion: date
    date_debut: date
    date_fin: date
    npec: Decimal
    niveau: int = 0
    duree_formation: Decimal | int | None = None
    heures_distanciel: Decimal | int | None = None
    couts: CoutsConvention | None = None
    forfait_mobilite: Decimal | None = None

    def __post_init__(self) -> None:
        if self.date_fin < self.date_debut:
            raise ValueError(
                f"contrat.dateFinContrat ({self.date_fin.isoformat()}) est antérieure à "
                f"contrat.dateDebutContrat ({self.date_debut.isoformat()})"
            )
        if not isinstance(self.npec, Decimal) or not self.npec.is_finite() or self.npec < 0:
            raise ValueError(f"npec : montant positif attendu, reçu {self.npec!r}")
        for champ, valeur in (
            ("formation.dureeFormation", self.duree_formation),
            ("formation.nombreHeuresEnDistanciel", self.heures_distanciel),
        ):
            if valeur is not None and valeur < 0:
                raise ValueError(f"{champ} : nombre d'heures positif attendu, reçu {valeur!r}")

    @property
    def regime(self) -> Regime:
        return regime_applicable(self.date_conclusion)
