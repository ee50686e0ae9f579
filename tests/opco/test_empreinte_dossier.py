"""L'extraction des colonnes d'un dépôt (chemins courts ASCII, dates lues une fois) rend EXACTEMENT
ce que rendait la formule de référence, recopiée ici telle qu'elle était avant le raccourci."""

from __future__ import annotations

import copy
import hashlib
import random
import re
import unicodedata
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st
from opco_banc import DOSSIERS

from apicfa.opco.empreinte_dossier import _texte, extraire_dossier, normaliser_rncp
from apicfa.opco.formats import lire_date
from apicfa.stockage.espace import NouveauDossier


def _texte_reference(valeur: Any) -> str:
    if valeur is None:
        return ""
    sans_accents = unicodedata.normalize("NFKD", str(valeur))
    sans_accents = "".join(c for c in sans_accents if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", sans_accents).strip().upper()


def _bloc(cerfa: dict[str, Any], nom: str) -> dict[str, Any]:
    valeur = cerfa.get(nom)
    return valeur if isinstance(valeur, dict) else {}


def _jour_reference(valeur: Any) -> str:
    jour = lire_date(valeur)
    return jour.isoformat() if jour else _texte_reference(valeur)


def extraire_reference(
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
            _texte_reference(apprenti.get("nom")),
            _texte_reference(apprenti.get("prenom")),
            _jour_reference(apprenti.get("dateNaissance")),
            type_contrat or "",
            _jour_reference(contrat.get("dateDebutContrat")),
            _jour_reference(contrat.get("dateEffetAvenant")),
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


# Blancs ASCII et Unicode, lettres accentuées, caractères combinants, ligatures (NFKD).
_CARACTERES = (
    st.sampled_from(
        list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003\u3000")
        + list("aAzZéÉèçÇœŒﬁß0-'.")
        + ["e\u0301", "\u0327", "İ", "ǅ"]
    )
    | st.characters(exclude_categories=["Cs"])  # orjson ne décode jamais de demi-paire
)
_TEXTES = st.lists(_CARACTERES, max_size=30).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXTES)
def test_texte_identique_a_la_reference(texte: str) -> None:
    assert _texte(texte) == _texte_reference(texte)


_VALEURS = st.one_of(
    st.none(),
    _TEXTES,
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from(["2025-09-01", " 2025-09-01 ", "2025-09-01T00:00:00+02:00", "01/09/2025"]),
    st.sampled_from(["1 3002 526 5000 13", "13002526500013\u00a0", "rncp 12 3", "RNCP38362"]),
)
_CHAMPS = [
    ("employeur", "siret"),
    ("apprenti", "nom"),
    ("apprenti", "prenom"),
    ("apprenti", "dateNaissance"),
    ("contrat", "typeContratApp"),
    ("contrat", "dateDebutContrat"),
    ("contrat", "dateEffetAvenant"),
    ("contrat", "dateConclusion"),
    ("contrat", "dateFinContrat"),
    ("formation", "rncp"),
]


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, len(DOSSIERS) - 1), st.dictionaries(st.sampled_from(_CHAMPS), _VALEURS))
def test_extraction_identique_a_la_reference(
    numero: int, remplacements: dict[tuple[str, str], Any]
) -> None:
    envoye = copy.deepcopy(DOSSIERS[numero])
    for (bloc, champ), valeur in remplacements.items():
        envoye["cerfa"].setdefault(bloc, {})[champ] = valeur
    corps = orjson.dumps(envoye)
    assert extraire_dossier(envoye, corps, 2, "atlas", 7) == extraire_reference(
        envoye, corps, 2, "atlas", 7
    )


def test_extraction_identique_sur_les_dossiers_generes() -> None:
    alea = random.Random(5)
    for envoye in DOSSIERS:
        for _ in range(50):
            variante = copy.deepcopy(envoye)
            apprenti = variante["cerfa"]["apprenti"]
            apprenti["nom"] = alea.choice(["  ", " Éloïse ", "O'Neil\u00a0", ""]) + apprenti["nom"]
            corps = orjson.dumps(variante)
            for cerfa_nu in (False, True):
                donnees = variante["cerfa"] if cerfa_nu else variante
                assert extraire_dossier(donnees, corps, 1, "akto", 3) == extraire_reference(
                    donnees, corps, 1, "akto", 3
                )
