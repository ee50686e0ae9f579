"""Lecture des cellules des classeurs de France compétences : montants, dates, codes.

Les cellules arrivent de python-calamine en `float`, `int`, `str`, `date` ou `datetime`.
Chaque fonction rend une valeur propre ou lève `ValueError` avec un message français ;
le lecteur de classeur y ajoute l'onglet, la ligne et la colonne.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from apicfa.financement.npec import normaliser_cpne, normaliser_idcc, normaliser_rncp

Cellule = str | int | float | bool | date | datetime | object

#: Valeurs qui disent « pas de NPEC » : non communiqué, non renseigné, sans objet.
SANS_VALEUR = frozenset({"", "NC", "NR", "NA", "N/A", "-", "SO"})

_ESPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_SEPARATEURS_CODES = re.compile(r"[/,;\s]+")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CODE_FORMATION = re.compile(r"^\d{1,8}$")


def texte(cellule: Cellule) -> str:
    """Le contenu en texte, sans espaces autour ; un nombre entier sans « .0 »."""
    if cellule is None:
        return ""
    if isinstance(cellule, float) and cellule.is_integer():
        return str(int(cellule))
    return str(cellule).strip()


def cle_entete(cellule: Cellule) -> str:
    """Forme de comparaison d'un en-tête : sans accents, minuscules, espaces simples, sans
    les renvois (`**`, `(…)`, retour à la ligne) qui suivent le nom de la colonne."""
    brut = texte(cellule).split("\n", 1)[0]
    brut = re.split(r"[*(]", brut, maxsplit=1)[0]
    sans_accents = unicodedata.normalize("NFKD", brut).encode("ascii", "ignore").decode()
    sans_accents = sans_accents.replace("\u2019", "'")
    return _ESPACES.sub(" ", sans_accents).strip().lower()


def montant(cellule: Cellule) -> Decimal | None:
    """`8000`, `8000.0`, `"8 000 €"`, `"8 000,50"` → Decimal ; `NC`, `NR`, vide → None."""
    if isinstance(cellule, bool):
        raise ValueError(f"montant attendu, lu « {cellule} »")
    if isinstance(cellule, int | float):
        valeur = Decimal(repr(float(cellule))) if isinstance(cellule, float) else Decimal(cellule)
    else:
        brut = _ESPACES.sub("", texte(cellule)).replace("€", "").replace("EUR", "")
        if brut.upper() in SANS_VALEUR:
            return None
        try:
            valeur = Decimal(brut.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"montant illisible « {texte(cellule)} »") from None
    if not valeur.is_finite() or valeur < 0:
        raise ValueError(f"montant invalide « {texte(cellule)} »")
    return valeur.quantize(Decimal(1)) if valeur == valeur.to_integral() else valeur


def jour(cellule: Cellule) -> date | None:
    """Une date de cellule (date Excel, `JJ/MM/AAAA` ou `AAAA-MM-JJ`) ; vide → None."""
    if isinstance(cellule, datetime):
        return cellule.date()
    if isinstance(cellule, date):
        return cellule
    brut = texte(cellule)
    if not brut:
        return None
    francaise = _DATE_FR.match(brut)
    try:
        if francaise:
            j, m, a = (int(x) for x in francaise.groups())
            return date(a, m, j)
        return date.fromisoformat(brut[:10])
    except ValueError:
        raise ValueError(f"date illisible « {brut} » (attendu JJ/MM/AAAA)") from None


def codes_certification(cellule: Cellule) -> tuple[str, ...]:
    """`"RNCP1006/RNCP37239"` → `("RNCP1006", "RNCP37239")` ; un code formation numérique de la
    mise en page 2019 (`1022001.0`) retrouve ses huit caractères (`01022001`)."""
    codes: list[str] = []
    for morceau in _SEPARATEURS_CODES.split(texte(cellule)):
        if not morceau:
            continue
        if _CODE_FORMATION.match(morceau) and len(morceau) > 5:
            code = morceau.zfill(8)
        else:
            code = normaliser_rncp(morceau)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def codes_idcc(cellule: Cellule) -> tuple[str, ...]:
    """`478.0` → `("0478",)` ; `"627, 749, 1597"` → trois IDCC ; `NA` → aucun."""
    return tuple(
        normaliser_idcc(morceau)
        for morceau in _SEPARATEURS_CODES.split(texte(cellule))
        if morceau.isdigit()
    )


def code_cpne(cellule: Cellule) -> str:
    """`2.0` → `"2"`."""
    if isinstance(cellule, float):
        return normaliser_cpne(cellule)
    return normaliser_cpne(texte(cellule))
