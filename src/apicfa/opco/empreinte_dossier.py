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
from typing import Any

from apicfa.opco.formats import lire_date
from apicfa.stockage.espace import NouveauDossier


def _bloc(cerfa: dict[str, Any], nom: str) -> dict[str, Any]:
    valeur = cerfa.get(nom)
    return valeur if isinstance(valeur, dict) else {}


def _texte(valeur: Any) -> str:
    if valeur is None:
        return ""
    sans_accents = unicodedata.normalize("NFKD", str(valeur))
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", sans_accents).strip().upper()


def normaliser_rncp(valeur: Any) -> str | None:
    if valeur is None or str(valeur).strip() == "":
        return None
    texte = str(valeur).strip().upper().replace(" ", "")
    return texte if texte.startswith("RNCP") else f"RNCP{texte}"


def _jour(valeur: Any) -> str:
    jour = lire_date(valeur)
    return jour.isoformat() if jour else _texte(valeur)


def extraire_dossier(
    donnees: dict[str, Any], corps: bytes, version_api: int, opco: str, cfa_id: int
) -> NouveauDossier:
    cerfa = donnees.get("cerfa", donnees)
    cerfa = cerfa if isinstance(cerfa, dict) else {}
    employeur, apprenti = _bloc(cerfa, "employeur"), _bloc(cerfa, "apprenti")
    contrat, formation = _bloc(cerfa, "contrat"), _bloc(cerfa, "formation")
    siret = re.sub(r"\s", "", str(employeur.get("siret") or "")) or None
    rncp = normaliser_rncp(formation.get("rncp"))
    type_contrat = str(contrat["typeContratApp"]) if contrat.get("typeContratApp") else None
    identite = "|".join(
        [
            opco,
            str(cfa_id),
            siret or "",
            _texte(apprenti.get("nom")),
            _texte(apprenti.get("prenom")),
            _jour(apprenti.get("dateNaissance")),
            type_contrat or "",
            _jour(contrat.get("dateDebutContrat")),
            _jour(contrat.get("dateEffetAvenant")),
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
        date_debut_contrat=lire_date(contrat.get("dateDebutContrat")),
        date_fin_contrat=lire_date(contrat.get("dateFinContrat")),
    )
