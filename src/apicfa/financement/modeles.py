"""Ce que rend le moteur : échéances, engagements de frais annexes, échéancier.

Montants en `Decimal` à deux décimales. Les échéances et lignes de frais sont des tuples nommés
(immuables, légers : un portefeuille entier se recalcule en quelques secondes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NamedTuple

Regime = Literal["2020", "2025"]


class Echeance(NamedTuple):
    """Une échéance de pédagogie.

    `date_debut`/`date_fin` : la période que l'échéance paie (voir docs/financement.md).
    `annee` : l'année d'exécution (1 à 4) à laquelle elle appartient.
    `solde` : vrai quand elle s'ouvre après la fin du contrat (ou le lendemain de la rupture) :
    c'est un solde final, payable sur un certificat de réalisation `Final`.
    """

    numero: int
    codification: str
    montant_total: Decimal
    montant_regle: Decimal
    montant_en_cours_instruction: Decimal
    date_ouverture: date
    date_debut: date
    date_fin: date
    annee: int
    solde: bool


class EngagementFraisAnnexe(NamedTuple):
    """Une ligne `engagementsFraisAnnexe` : nature (= `natureLigne` de facture), quantité, prix."""

    nature_frais: str
    quantite: int
    prix_unitaire: Decimal
    montant_total: Decimal
    annee: int | None = None


class Explication:
    """Les phrases du détail, rédigées à la première lecture seulement.

    Recalculer un portefeuille entier ne paie pas la rédaction de millions de phrases que
    personne ne lit ; `Echeancier.detail` les rédige (une fois) quand on les demande.
    """

    __slots__ = ("_arguments", "_phrases", "_rediger")

    def __init__(self, rediger: Callable[..., Iterable[str]], *arguments: Any) -> None:
        # `rediger(*arguments)` plutôt qu'un `functools.partial` : un objet de moins à créer.
        self._rediger: Callable[..., Iterable[str]] | None = rediger
        self._arguments = arguments
        self._phrases: tuple[str, ...] | None = None

    @classmethod
    def fixe(cls, phrases: Iterable[str]) -> Explication:
        explication = cls(tuple)
        explication._phrases = tuple(phrases)
        return explication

    def phrases(self) -> tuple[str, ...]:
        if self._phrases is None:
            assert self._rediger is not None
            self._phrases = tuple(self._rediger(*self._arguments))
            self._rediger = None
            self._arguments = ()
        return self._phrases


class _ChampsEcheancier:
    """Les emplacements d'un `Echeancier`, sans le gel : `nouvel_echeancier` les remplit par
    de simples affectations, puis fait de l'objet un `Echeancier` (même disposition mémoire)."""

    __slots__ = (
        "echeances",
        "engagement",
        "engagements_frais_annexe",
        "explication",
        "npec",
        "participation_employeur",
        "regime",
        "trop_percu",
    )


@dataclass(frozen=True, slots=True, init=False)
class Echeancier(_ChampsEcheancier):
    """L'engagement d'un contrat et son échéancier.

    `engagement` = Σ des montants des années − participation de l'employeur (après rupture :
    E'). Invariant : Σ `montant_total` des échéances = `engagement` + `trop_percu`.
    `detail` : une phrase française par montant, dans l'ordre du calcul (rédigée à la demande).
    """

    regime: Regime
    npec: Decimal
    engagement: Decimal
    echeances: tuple[Echeance, ...]
    participation_employeur: Decimal
    engagements_frais_annexe: tuple[EngagementFraisAnnexe, ...]
    trop_percu: Decimal
    explication: Explication = field(compare=False, repr=False)

    def __init__(
        self,
        regime: Regime,
        npec: Decimal,
        engagement: Decimal,
        echeances: tuple[Echeance, ...],
        participation_employeur: Decimal,
        engagements_frais_annexe: tuple[EngagementFraisAnnexe, ...],
        trop_percu: Decimal,
        explication: Explication,
    ) -> None:
        # Écrit à la main (plutôt que généré) : un portefeuille en crée des millions.
        fixer = object.__setattr__
        fixer(self, "regime", regime)
        fixer(self, "npec", npec)
        fixer(self, "engagement", engagement)
        fixer(self, "echeances", echeances)
        fixer(self, "participation_employeur", participation_employeur)
        fixer(self, "engagements_frais_annexe", engagements_frais_annexe)
        fixer(self, "trop_percu", trop_percu)
        fixer(self, "explication", explication)

    @property
    def detail(self) -> tuple[str, ...]:
        return self.explication.phrases()

    def avec_phrases_en_tete(self, *phrases: str) -> Echeancier:
        """Le même échéancier, des phrases ajoutées en tête du détail (ex. l'origine du NPEC)."""
        suite = self.explication
        return Echeancier(
            self.regime,
            self.npec,
            self.engagement,
            self.echeances,
            self.participation_employeur,
            self.engagements_frais_annexe,
            self.trop_percu,
            Explication(lambda: (*phrases, *suite.phrases())),
        )


def nouvel_echeancier(
    regime: Regime,
    npec: Decimal,
    engagement: Decimal,
    echeances: tuple[Echeance, ...],
    participation_employeur: Decimal,
    engagements_frais_annexe: tuple[EngagementFraisAnnexe, ...],
    trop_percu: Decimal,
    explication: Explication,
) -> Echeancier:
    """`Echeancier(…)` en six fois moins de temps (un portefeuille en crée des millions).

    Un `Echeancier` gelé ne se remplit qu'à coups d'`object.__setattr__` (≈ 0,7 µs pour huit
    champs) ; ici les champs sont posés sur un `_ChampsEcheancier`, dont les emplacements sont
    ceux de l'`Echeancier` (il n'en ajoute aucun), puis l'objet change de classe (≈ 0,1 µs en
    tout). Le résultat est un `Echeancier` comme un autre : mêmes champs, gelé, égal à celui
    que rend le constructeur (`tests/financement/test_motif.py`).
    """
    echeancier = _ChampsEcheancier()
    echeancier.regime = regime
    echeancier.npec = npec
    echeancier.engagement = engagement
    echeancier.echeances = echeances
    echeancier.participation_employeur = participation_employeur
    echeancier.engagements_frais_annexe = engagements_frais_annexe
    echeancier.trop_percu = trop_percu
    echeancier.explication = explication
    echeancier.__class__ = Echeancier
    return echeancier  # type: ignore[return-value]
