"""Colonnes normalisées d'un dossier déposé et son empreinte anti-doublon.

Un même contrat déposé deux fois par le même CFA chez la même OPCO, sans `Idempotency-Key`, ne
crée pas un second dossier : on reconnaît un doublon à l'empreinte SHA-256 de
(OPCO, CFA, SIRET de l'employeur, nom + prénom + date de naissance de l'apprenti, type de
contrat, date de début du contrat, date d'effet de l'avenant, RNCP). Noms sans accents ni
casse ni espaces multiples ; dates calendaires telles qu'écrites ; RNCP toujours préfixé.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from typing import Any

from apicfa.opco.formats import lire_date
from apicfa.stockage.espace import NouveauDossier


def _bloc(cerfa: dict[str, Any], nom: str) -> dict[str, Any]:
    valeur = cerfa.get(nom)
    return valeur if isinstance(valeur, dict) else {}


def _texte(valeur: Any) -> str:
    if valeur is None:
        return ""
    texte = str(valeur)
    if texte.isascii():
        # Chemin court, même résultat : NFKD ne change pas un texte ASCII et n'y trouve aucun
        # caractère combinant ; `split()` coupe sur les mêmes blancs que `\s` (str.isspace).
        return " ".join(texte.split()).upper()
    sans_accents = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", sans_accents).strip().upper()


def normaliser_rncp(valeur: Any) -> str | None:
    if valeur is None or str(valeur).strip() == "":
        return None
    texte = str(valeur).strip().upper().replace(" ", "")
    return texte if texte.startswith("RNCP") else f"RNCP{texte}"


def _jour(valeur: Any, jour: date | None) -> str:
    """La date calendaire `jour` lue de `valeur` (ISO), sinon `valeur` en texte normalisé."""
    return jour.isoformat() if jour else _texte(valeur)


def extraire_dossier(
    donnees: dict[str, Any], corps: bytes, version_api: int, opco: str, cfa_id: int
) -> NouveauDossier:
    cerfa = donnees.get("cerfa", donnees)
    cerfa = cerfa if isinstance(cerfa, dict) else {}
    employeur, apprenti = _bloc(cerfa, "employeur"), _bloc(cerfa, "apprenti")
    contrat, formation = _bloc(cerfa, "contrat"), _bloc(cerfa, "formation")
    # `"".join(x.split())` retire les mêmes blancs que `re.sub(r"\s", "", x)`.
    siret = "".join(str(employeur.get("siret") or "").split()) or None
    rncp = normaliser_rncp(formation.get("rncp"))
    type_contrat = str(contrat["typeContratApp"]) if contrat.get("typeContratApp") else None
    naissance = apprenti.get("dateNaissance")
    debut, effet = contrat.get("dateDebutContrat"), contrat.get("dateEffetAvenant")
    jour_debut = lire_date(debut)
    identite = "|".join(
        [
            opco,
            str(cfa_id),
            siret or "",
            _texte(apprenti.get("nom")),
            _texte(apprenti.get("prenom")),
            _jour(naissance, lire_date(naissance)),
            type_contrat or "",
            _jour(debut, jour_debut),
            _jour(effet, lire_date(effet)),
            rncp or "",
        ]
    )
    return NouveauDossier(
        version_api=version_api,
        charge_utile=corps,
        empreinte=hashlib.sha256(identite.encode("utf-8")).hexdigest(),
        siret_employeur=siret[:14] if siret else None,
        rncp=rncp[:16] if rncp else None,
        type_contrat=type_contrat[:4] if type_contrat else None,
        date_conclusion=lire_date(contrat.get("dateConclusion")),
        date_debut_contrat=jour_debut,
        date_fin_contrat=lire_date(contrat.get("dateFinContrat")),
    )
