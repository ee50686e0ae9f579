"""Table IDCC → OPCO : lecture du CSV `idcc;opco;libelle_idcc` et échantillon livré."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apicfa.financement.npec import normaliser_idcc
from apicfa.norme.codes import OPCOS
from apicfa.referentiels import exemples
from apicfa.referentiels.erreurs import FichierReferentielInvalide

COLONNES = ("idcc", "opco")


@dataclass(frozen=True, slots=True)
class LigneIdccOpco:
    idcc: str
    opco: str
    libelle_idcc: str


def normaliser_opco(nom: str) -> str | None:
    """`MOBILITES`, `OPCO Mobilités`, `mobilites` → `mobilites` ; None si ce n'est aucun des 11."""
    sans_accents = unicodedata.normalize("NFKD", nom).encode("ascii", "ignore").decode()
    cle = "".join(c for c in sans_accents.lower() if c.isalnum())
    for code, libelle in OPCOS.items():
        libelle_cle = unicodedata.normalize("NFKD", libelle).encode("ascii", "ignore").decode()
        if cle in (code, "".join(c for c in libelle_cle.lower() if c.isalnum())):
            return code
    if cle.startswith("opco") and cle[4:] in OPCOS:
        return cle[4:]
    return None


def lignes_idcc_opco(chemin: str | Path) -> Iterator[LigneIdccOpco]:
    """Les lignes du CSV (séparateur `;`, en-tête `idcc;opco;libelle_idcc`), validées."""
    chemin = Path(chemin)
    try:
        flux = chemin.open("r", encoding="utf-8-sig", newline="")
    except OSError as erreur:
        raise FichierReferentielInvalide(
            f"fichier IDCC → OPCO illisible : {chemin} ({erreur.strerror})"
        ) from erreur
    with flux:
        try:
            lecteur = csv.DictReader(flux, delimiter=";")
            entete = [c.strip().lower() for c in (lecteur.fieldnames or [])]
            manquantes = [c for c in COLONNES if c not in entete]
            if manquantes:
                raise FichierReferentielInvalide(
                    f"{chemin.name} : colonne(s) {', '.join(manquantes)} absente(s) de l'en-tête "
                    "(attendu : idcc;opco;libelle_idcc, séparateur « ; »)"
                )
            lecteur.fieldnames = entete
            for numero, ligne in enumerate(lecteur, start=2):
                idcc = (ligne.get("idcc") or "").strip()
                opco_brut = (ligne.get("opco") or "").strip()
                if not idcc and not opco_brut:
                    continue
                opco = normaliser_opco(opco_brut)
                if not idcc.isdigit() or opco is None:
                    raise FichierReferentielInvalide(
                        f"{chemin.name}, ligne {numero} : "
                        + (
                            f"IDCC « {idcc} » invalide (chiffres attendus)"
                            if not idcc.isdigit()
                            else f"OPCO « {opco_brut} » inconnu (attendu : {', '.join(OPCOS)})"
                        )
                    )
                yield LigneIdccOpco(
                    idcc=normaliser_idcc(idcc),
                    opco=opco,
                    libelle_idcc=(ligne.get("libelle_idcc") or "").strip(),
                )
        except UnicodeDecodeError as erreur:
            raise FichierReferentielInvalide(
                f"{chemin.name} : ce n'est pas un fichier texte UTF-8 (CSV attendu)"
            ) from erreur


def lire_idcc_opco(chemin: str | Path) -> dict[str, str]:
    """IDCC (4 chiffres) → code OPCO, lu depuis un CSV `idcc;opco;libelle_idcc`."""
    return {ligne.idcc: ligne.opco for ligne in lignes_idcc_opco(chemin)}


def table_exemple() -> dict[str, str]:
    """L'échantillon synthétique livré (au moins deux IDCC par OPCO)."""
    return exemples.idcc_opco()
