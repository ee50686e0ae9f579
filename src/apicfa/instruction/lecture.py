"""Lecture, dans un cerfa déjà validé, des quelques champs dont l'instruction a besoin.

Le cerfa arrive sous forme de dictionnaire JSON (enveloppe `{"cerfa": {…}}` ou objet nu).
Les dates sont lues telles qu'écrites (SPEC §2) : `2025-09-01T00:00:00+02:00` est le
1er septembre, jamais converti en UTC.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from apicfa.norme.dates import lire_date

_CODE_POSTAL = re.compile(r"\d{5}")


def _est_objet(valeur: Any) -> bool:
    """Un objet JSON (le cas courant, `dict`, testé d'abord : `isinstance` sur l'ABC coûte)."""
    return valeur.__class__ is dict or isinstance(valeur, Mapping)


def contenu_cerfa(donnees: Mapping[str, Any]) -> Mapping[str, Any]:
    """L'objet cerfa, que `donnees` soit l'enveloppe `{"cerfa": …}` ou l'objet nu."""
    interieur = donnees.get("cerfa")
    return interieur if _est_objet(interieur) else donnees


def lire_date_champ(cerfa: Mapping[str, Any], bloc: str, champ: str) -> date | None:
    """La date du champ `cerfa.<bloc>.<champ>`, ou None si elle est absente ou illisible."""
    section = cerfa.get(bloc)
    if not _est_objet(section):
        return None
    valeur = section.get(champ)
    if isinstance(valeur, date):
        return valeur
    return lire_date(valeur)


def departement_employeur(cerfa: Mapping[str, Any]) -> str | None:
    """Le département de l'établissement employeur, déduit de son code postal.

    Métropole : deux chiffres (« 75 ») ; Corse : « 2A » (200xx–201xx) ou « 2B » (202xx–206xx) ;
    outre-mer : trois chiffres (« 971 »). None quand le code postal manque ou est illisible.
    """
    employeur = cerfa.get("employeur")
    if not _est_objet(employeur):
        return None
    adresse = employeur.get("adresse")
    if not _est_objet(adresse):
        return None
    code_postal = str(adresse.get("codePostal") or "").strip()
    if not _CODE_POSTAL.fullmatch(code_postal):
        return None
    if code_postal.startswith("97") or code_postal.startswith("98"):
        return code_postal[:3]
    if code_postal.startswith("20"):
        return "2A" if int(code_postal[2]) <= 1 else "2B"
    return code_postal[:2]
