"""Résolution du niveau de prise en charge (NPEC) d'un contrat (SPEC §6.3).

Fonctions pures sur un référentiel déjà lu : aucune E/S, aucune horloge.

Le référentiel de France compétences est publié en versions successives, chacune applicable
à partir d'une date. Un contrat prend la valeur de la version applicable à sa `dateConclusion`
(la plus récente dont la date est antérieure ou égale) : certification (RNCP, ou code diplôme
dans la mise en page 2019) + CPNE de la branche, la CPNE étant donnée par l'IDCC de l'employeur.
Sans valeur pour la certification, la valeur d'amorçage du niveau s'applique.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

ORIGINE_REFERENTIEL = "referentiel"
ORIGINE_AMORCAGE = "amorcage"

#: Valeurs d'amorçage par niveau de la certification (SPEC §6.3, valeurs 2022).
VALEURS_AMORCAGE: Mapping[int, Decimal] = {
    3: Decimal("5470"),
    4: Decimal("5621"),
    5: Decimal("6000"),
    6: Decimal("6000"),
    7: Decimal("7000"),
    8: Decimal("7000"),
}

_RNCP = re.compile(r"^(?:RNCP)?\s*(\d{3,5})$", re.IGNORECASE)
_ENTIER = re.compile(r"^\d+$")


def normaliser_rncp(code: str) -> str:
    """`35340`, `rncp35340`, `RNCP35340` → `RNCP35340` ; un code qui n'est pas un RNCP est
    rendu nettoyé (majuscules, sans espaces) : c'est alors un code diplôme (CFD)."""
    propre = code.strip().upper().replace(" ", "")
    trouve = _RNCP.match(propre)
    return f"RNCP{trouve.group(1)}" if trouve else propre


def normaliser_idcc(code: str | int) -> str:
    """`478`, `0478`, `478.0` → `0478` (quatre chiffres, comme la table IDCC → OPCO)."""
    texte = str(code).strip()
    if texte.endswith(".0"):
        texte = texte[:-2]
    return texte.zfill(4) if _ENTIER.match(texte) else texte.upper()


def normaliser_cpne(code: str | int | float) -> str:
    """`2`, `2.0`, `"2"` → `"2"` : les codes CPNE de France compétences sont des entiers."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    texte = str(code).strip()
    return texte[:-2] if texte.endswith(".0") and _ENTIER.match(texte[:-2]) else texte


@dataclass(frozen=True, slots=True)
class ValeurNpec:
    """Une valeur du référentiel pour un couple (certification, CPNE)."""

    valeur: Decimal
    statut: str = ""
    #: Date propre à la ligne quand le classeur en donne une (colonne « Date d'applicabilité »).
    date_applicabilite: date | None = None


@dataclass(frozen=True)
class VersionNpec:
    """Une version du référentiel, applicable à partir de `date_applicabilite`."""

    date_applicabilite: date
    #: (code certification — RNCP ou code diplôme —, code CPNE) → valeur.
    valeurs: Mapping[tuple[str, str], ValeurNpec] = field(default_factory=dict)
    #: IDCC (4 chiffres) → codes CPNE de rattachement, dans l'ordre du classeur.
    cpne_par_idcc: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: code CPNE → libellé.
    libelles_cpne: Mapping[str, str] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class ReferentielNpec:
    """L'ensemble des versions connues, triées par date d'applicabilité croissante."""

    versions: tuple[VersionNpec, ...] = ()

    def __post_init__(self) -> None:
        ordonnees = tuple(sorted(self.versions, key=lambda v: v.date_applicabilite))
        object.__setattr__(self, "versions", ordonnees)

    def versions_applicables(self, jour: date) -> tuple[VersionNpec, ...]:
        """Les versions dont la date est ≤ `jour`, de la plus récente à la plus ancienne."""
        return tuple(v for v in reversed(self.versions) if v.date_applicabilite <= jour)


@dataclass(frozen=True, slots=True)
class ResolutionNpec:
    """La NPEC retenue pour un contrat, et d'où elle vient."""

    valeur: Decimal
    origine: Literal["referentiel", "amorcage"]
    date_version: date | None = None
    code_certification: str | None = None
    code_cpne: str | None = None
    libelle_cpne: str | None = None
    statut: str | None = None
    niveau: int | None = None

    def explication(self) -> str:
        """Une phrase en français qui dit d'où vient la valeur."""
        montant = f"{self.valeur:,.2f}".replace(",", "\u202f").replace(".", ",")
        if self.origine == ORIGINE_AMORCAGE:
            return (
                f"NPEC {montant} € : valeur d'amorçage du niveau {self.niveau} "
                "(aucune valeur du référentiel pour cette certification)"
            )
        statut = f", statut {self.statut}" if self.statut else ""
        libelle = f" ({self.libelle_cpne})" if self.libelle_cpne else ""
        return (
            f"NPEC {montant} € : référentiel applicable au {self.date_version:%d/%m/%Y}, "
            f"certification {self.code_certification}, CPNE {self.code_cpne}{libelle}{statut}"
        )


def valeur_amorcage(niveau: int | None) -> Decimal | None:
    """La valeur d'amorçage du niveau (3 à 8), ou None pour un niveau inconnu."""
    if niveau is None:
        return None
    return VALEURS_AMORCAGE.get(niveau)


def _chercher_dans_version(
    version: VersionNpec, codes: tuple[str, ...], idcc: str, jour: date
) -> tuple[ValeurNpec, str, str] | None:
    for code_cpne in version.cpne_par_idcc.get(idcc, ()):
        for code in codes:
            trouvee = version.valeurs.get((code, code_cpne))
            if trouvee is None:
                continue
            if trouvee.date_applicabilite is not None and trouvee.date_applicabilite > jour:
                return None
            return trouvee, code, code_cpne
    return None


def _valeur_du_referentiel(
    referentiel: ReferentielNpec, codes: tuple[str, ...], idcc: str, jour: date
) -> ResolutionNpec | None:
    """Dans la version applicable ; si la ligne trouvée ne s'applique qu'après `jour` (date
    propre à la ligne), on remonte à la version précédente, qui s'appliquait alors."""
    for version in referentiel.versions_applicables(jour):
        present = any(
            (code, cpne) in version.valeurs
            for cpne in version.cpne_par_idcc.get(idcc, ())
            for code in codes
        )
        trouve = _chercher_dans_version(version, codes, idcc, jour)
        if trouve is not None:
            valeur, code, code_cpne = trouve
            return ResolutionNpec(
                valeur=valeur.valeur,
                origine=ORIGINE_REFERENTIEL,
                date_version=version.date_applicabilite,
                code_certification=code,
                code_cpne=code_cpne,
                libelle_cpne=version.libelles_cpne.get(code_cpne),
                statut=valeur.statut or None,
            )
        if not present:
            return None
    return None


def resoudre_npec(
    referentiel: ReferentielNpec,
    rncp: str | None,
    idcc: str | int | None,
    date_conclusion: date,
    niveau: int | None = None,
    *,
    code_diplome: str | None = None,
) -> ResolutionNpec | None:
    """La NPEC d'un contrat conclu le `date_conclusion`.

    Cherche (RNCP, puis code diplôme) × CPNE de l'IDCC dans la version applicable ; à défaut,
    la valeur d'amorçage du `niveau` ; None quand rien ne s'applique (ni valeur, ni niveau connu).
    """
    codes = tuple(
        normaliser_rncp(code) for code in (rncp, code_diplome) if code is not None and code.strip()
    )
    if codes and idcc is not None and str(idcc).strip():
        trouvee = _valeur_du_referentiel(referentiel, codes, normaliser_idcc(idcc), date_conclusion)
        if trouvee is not None:
            return trouvee
    amorcage = valeur_amorcage(niveau)
    if amorcage is None:
        return None
    return ResolutionNpec(valeur=amorcage, origine=ORIGINE_AMORCAGE, niveau=niveau)
