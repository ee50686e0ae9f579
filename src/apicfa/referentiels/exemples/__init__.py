"""Échantillons synthétiques livrés avec apicfa (fichiers CSV de ce dossier).

- `idcc_opco()` : quelques IDCC par OPCO (au moins deux pour chacun des 11 OPCO), rattachements
  publics (voir docs/referentiels.md) ;
- `certifications()` : 20 certifications synthétiques (RNCP90001 à RNCP90020), niveaux 3 à 7 ;
- `referentiel_exemple()` : un référentiel NPEC synthétique sur ces certifications, en deux
  versions (applicables au 2019-01-01 et au 2025-07-01) ; RNCP90004 et RNCP90019 n'y ont pas de
  valeur, pour que la valeur d'amorçage serve.

Les codes RNCP 9xxxx et les codes CPNE 9xx sont choisis hors des plages réelles : un échantillon
ne peut pas être pris pour une donnée officielle.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType

from apicfa.financement.npec import ReferentielNpec, ValeurNpec, VersionNpec

#: Niveau de qualification de chaque code `typeDiplome` de la norme (SPEC §4.2).
NIVEAU_PAR_TYPE_DIPLOME: dict[str, int] = {
    **dict.fromkeys(("33", "34", "35", "38"), 3),
    **dict.fromkeys(("41", "42", "43", "49"), 4),
    **dict.fromkeys(("54", "55", "58"), 5),
    **dict.fromkeys(("61", "62", "63", "69"), 6),
    **dict.fromkeys(("71", "72", "73", "74", "79"), 7),
    "80": 8,
}


@dataclass(frozen=True, slots=True)
class CertificationExemple:
    rncp: str
    code_diplome: str
    type_diplome: str
    intitule: str
    niveau: int


def _lignes(nom: str) -> Iterator[dict[str, str]]:
    fichier = resources.files(__name__).joinpath(nom)
    with fichier.open("r", encoding="utf-8", newline="") as flux:
        yield from csv.DictReader(flux, delimiter=";")


def chemin_idcc_opco() -> str:
    """Le fichier CSV `idcc;opco;libelle_idcc` livré (importable par `importer_idcc_opco`)."""
    return str(resources.files(__name__).joinpath("idcc_opco.csv"))


def idcc_opco() -> dict[str, str]:
    """IDCC (4 chiffres) → code OPCO de la norme (`afdas`, `akto`, …)."""
    return {ligne["idcc"]: ligne["opco"] for ligne in _lignes("idcc_opco.csv")}


def libelles_idcc() -> dict[str, str]:
    """IDCC → libellé de la convention collective, pour l'échantillon."""
    return {ligne["idcc"]: ligne["libelle_idcc"] for ligne in _lignes("idcc_opco.csv")}


@cache
def _certifications() -> tuple[CertificationExemple, ...]:
    return tuple(
        CertificationExemple(
            rncp=ligne["rncp"],
            code_diplome=ligne["code_diplome"],
            type_diplome=ligne["type_diplome"],
            intitule=ligne["intitule"],
            niveau=int(ligne["niveau"]),
        )
        for ligne in _lignes("certifications.csv")
    )


def certifications() -> list[CertificationExemple]:
    return list(_certifications())


def libelles_cpne() -> dict[str, str]:
    return {ligne["code_cpne"]: ligne["libelle_cpne"] for ligne in _lignes("cpne.csv")}


def cpne_par_idcc() -> dict[str, tuple[str, ...]]:
    rattachements: dict[str, list[str]] = defaultdict(list)
    for ligne in _lignes("idcc_cpne.csv"):
        rattachements[ligne["idcc"]].append(ligne["code_cpne"])
    return {idcc: tuple(codes) for idcc, codes in rattachements.items()}


def lignes_npec() -> Iterator[tuple[date, str, str, Decimal, str]]:
    """(date d'applicabilité, RNCP, code CPNE, valeur, statut) pour chaque ligne de l'échantillon."""
    for ligne in _lignes("npec.csv"):
        yield (
            date.fromisoformat(ligne["date_applicabilite"]),
            ligne["rncp"],
            ligne["code_cpne"],
            Decimal(ligne["valeur"]),
            ligne["statut"],
        )


@cache
def referentiel_exemple() -> ReferentielNpec:
    """Le référentiel NPEC synthétique (deux versions), en lecture seule : il est partagé."""
    valeurs: dict[date, dict[tuple[str, str], ValeurNpec]] = defaultdict(dict)
    for jour, rncp, code_cpne, valeur, statut in lignes_npec():
        valeurs[jour][(rncp, code_cpne)] = ValeurNpec(valeur=valeur, statut=statut)
    rattachements = MappingProxyType(cpne_par_idcc())
    libelles = MappingProxyType(libelles_cpne())
    return ReferentielNpec(
        versions=tuple(
            VersionNpec(
                date_applicabilite=jour,
                valeurs=MappingProxyType(par_couple),
                cpne_par_idcc=rattachements,
                libelles_cpne=libelles,
                source=f"exemple synthétique apicfa {jour.isoformat()}",
            )
            for jour, par_couple in sorted(valeurs.items())
        )
    )
