"""Ce que le générateur tire des échantillons livrés (`apicfa.referentiels.exemples`) :
IDCC par OPCO avec leurs libellés, certifications par niveau. Le serveur de démonstration
charge les mêmes échantillons : il sait engager les dossiers générés."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from apicfa.referentiels import exemples
from apicfa.referentiels.exemples import CertificationExemple


@dataclass(frozen=True, slots=True)
class ReferentielDemo:
    opcos: tuple[str, ...]
    idcc_par_opco: dict[str, tuple[str, ...]]
    libelles_idcc: dict[str, str]
    niveaux: tuple[int, ...]
    certifications_par_niveau: dict[int, tuple[CertificationExemple, ...]]


def construire(
    idcc_opco: dict[str, str],
    libelles_idcc: dict[str, str],
    certifications: list[CertificationExemple],
) -> ReferentielDemo:
    """Range les échantillons pour des tirages rapides (ordre stable : triés)."""
    if not idcc_opco or not certifications:
        raise ValueError(
            "Échantillons incomplets : il faut au moins un IDCC rattaché à un OPCO "
            "et une certification pour générer des dossiers."
        )
    par_opco: dict[str, list[str]] = defaultdict(list)
    for idcc, opco in sorted(idcc_opco.items()):
        par_opco[opco].append(idcc)
    par_niveau: dict[int, list[CertificationExemple]] = defaultdict(list)
    for certification in sorted(certifications, key=lambda c: c.rncp):
        par_niveau[certification.niveau].append(certification)
    return ReferentielDemo(
        opcos=tuple(sorted(par_opco)),
        idcc_par_opco={opco: tuple(liste) for opco, liste in par_opco.items()},
        libelles_idcc=dict(libelles_idcc),
        niveaux=tuple(sorted(par_niveau)),
        certifications_par_niveau={n: tuple(liste) for n, liste in par_niveau.items()},
    )


@cache
def referentiel_exemple() -> ReferentielDemo:
    """Le référentiel de démonstration tiré des échantillons livrés avec apicfa."""
    return construire(exemples.idcc_opco(), exemples.libelles_idcc(), exemples.certifications())
