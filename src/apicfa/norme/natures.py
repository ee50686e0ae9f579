"""Natures de champ : comment lire une valeur reçue et ce qu'on en attend (en français).

Une nature rend `(valeur_canonique, None)` ou `(None, motif)` ; `motif` vaut `FORMAT`, `CLE`
(clé de contrôle) ou `CODE` (valeur hors de la liste de codes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apicfa.norme import identifiants as ident
from apicfa.norme.dates import lire_date

CODE = "CODE"
Verificateur = Callable[[Any], ident.Verification]


MEMO_MAX = 20_000


@dataclass(frozen=True, slots=True)
class Nature:
    """`rapide` : (type, valeurs) admises telles quelles sans appel (chemin rapide) ;
    `memo` : résultats déjà calculés pour une valeur d'un des `memo_types` (natures pures,
    sans donnée personnelle) ; `memo_admis` : parmi elles, les valeurs admises et leur forme
    canonique (rempli par le validateur compilé, jamais plus grand que `memo`) ;
    `texte_max` : texte libre d'au plus ce nombre de caractères (vérifié sans appel) ;
    `motif_rapide` : motif qu'un texte déjà canonique satisfait (admis tel quel sans appel) ;
    `bornes` : entier JSON admis tel quel entre ces bornes."""

    verifier: Verificateur
    attendu: str
    avec_cle: bool = False
    liste_codes: bool = False
    sensible: bool = False
    affichage: Callable[[Any], str] | None = None
    rapide: tuple[type, frozenset[Any]] | None = None
    texte_max: int | None = None
    motif_rapide: Callable[[str], Any] | None = None
    bornes: tuple[int, int] | None = None
    memo: dict[Any, ident.Verification] | None = field(default=None, compare=False)
    memo_types: tuple[type, ...] = (str,)
    memo_admis: dict[Any, Any] = field(default_factory=dict, compare=False)


def _memo() -> dict[Any, ident.Verification]:
    return {}


def _lire_texte(longueur_max: int | None) -> Verificateur:
    def verifier(valeur: Any) -> ident.Verification:
        if not isinstance(valeur, str):
            return None, ident.FORMAT
        texte = valeur.strip()
        if not texte or (longueur_max is not None and len(texte) > longueur_max):
            return None, ident.FORMAT
        return texte, None

    return verifier


def texte(longueur_max: int | None = None) -> Nature:
    attendu = "un texte" + (f" d'au plus {longueur_max} caractères" if longueur_max else "")
    return Nature(_lire_texte(longueur_max), attendu, texte_max=longueur_max)


_NOM = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ][A-Za-zÀ-ÖØ-öø-ÿŒœ '’\-]{0,79}")


def _verifier_nom(valeur: Any) -> ident.Verification:
    if not isinstance(valeur, str):
        return None, ident.FORMAT
    texte_ = valeur.strip()
    if not _NOM.fullmatch(texte_):
        return None, ident.FORMAT
    return texte_, None


NOM = Nature(
    _verifier_nom,
    "des lettres (accents admis), espaces, tirets ou apostrophes, 80 au plus",
    motif_rapide=re.compile(_NOM.pattern + r"(?<! )").fullmatch,
)


def _entier(valeur: Any) -> int | None:
    if isinstance(valeur, bool):
        return None
    if isinstance(valeur, int):
        return valeur
    if isinstance(valeur, float) and valeur.is_integer():
        return int(valeur)
    if isinstance(valeur, str):
        texte_ = valeur.strip()
        chiffres = texte_.removeprefix("-")
        if chiffres.isascii() and chiffres.isdigit() and len(texte_) < 12:
            return int(texte_)
    return None


def entier(minimum: int | None = None, maximum: int | None = None) -> Nature:
    def verifier(valeur: Any) -> ident.Verification:
        nombre_ = _entier(valeur)
        if nombre_ is None:
            return None, ident.FORMAT
        if (minimum is not None and nombre_ < minimum) or (
            maximum is not None and nombre_ > maximum
        ):
            return None, ident.FORMAT
        return nombre_, None

    if minimum is not None and maximum is not None:
        attendu = f"un nombre entier de {minimum} à {maximum}"
    elif minimum is not None:
        attendu = f"un nombre entier supérieur ou égal à {minimum}"
    else:
        attendu = "un nombre entier"
    bornes = (-(10**12) if minimum is None else minimum, 10**12 if maximum is None else maximum)
    return Nature(verifier, attendu, bornes=bornes)


_NOMBRE_TEXTE = re.compile(r"-?\d{1,15}(?:\.(\d{1,15}))?", re.ASCII)


def _decimales(texte: str) -> int:
    point = texte.find(".")
    return 0 if point < 0 else len(texte) - point - 1


def lire_decimal(valeur: Any) -> Decimal | None:
    """Nombre JSON ou texte numérique (« 1234.5 », « 1 234,50 ») en `Decimal` ; jamais de float."""
    if isinstance(valeur, bool):
        return None
    if isinstance(valeur, int):
        return Decimal(valeur)
    if isinstance(valeur, float):
        texte_ = repr(valeur)
    elif isinstance(valeur, str):
        texte_ = valeur.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    else:
        return None
    if not _NOMBRE_TEXTE.fullmatch(texte_):
        return None
    return Decimal(texte_)


def nombre(minimum: Decimal | None = None, decimales: int | None = None) -> Nature:
    def verifier(valeur: Any) -> ident.Verification:
        resultat = lire_decimal(valeur)
        if resultat is None or (minimum is not None and resultat < minimum):
            return None, ident.FORMAT
        if (
            decimales is not None
            and not isinstance(valeur, int)
            and resultat.as_tuple().exponent < -decimales  # type: ignore[operator]
        ):
            return None, ident.FORMAT
        return resultat, None

    attendu = "un nombre"
    if minimum is not None:
        attendu += f" supérieur ou égal à {minimum}"
    if decimales is not None:
        attendu += f" avec au plus {decimales} décimales"
    # les nombres JSON sont mémorisés aussi : 43 et 43.0 donnent des Decimal égaux
    return Nature(verifier, attendu, memo=_memo(), memo_types=(str, int, float))


_VRAI = frozenset({"true", "oui", "1"})
_FAUX = frozenset({"false", "non", "0"})


def _verifier_booleen(valeur: Any) -> ident.Verification:
    if isinstance(valeur, bool):
        return valeur, None
    if isinstance(valeur, str):
        texte_ = valeur.strip().lower()
        if texte_ in _VRAI:
            return True, None
        if texte_ in _FAUX:
            return False, None
    if isinstance(valeur, int) and valeur in (0, 1):
        return bool(valeur), None
    return None, ident.FORMAT


BOOLEEN = Nature(_verifier_booleen, "true ou false", rapide=(bool, frozenset({True, False})))


def _verifier_date(valeur: Any) -> ident.Verification:
    jour = lire_date(valeur)
    if jour is None:
        return None, ident.FORMAT
    return jour, None


DATE = Nature(
    _verifier_date,
    "une date réelle AAAA-MM-JJ (une date-heure avec décalage est admise)",
    memo=_memo(),
)


def _liste(codes: Iterable[Any]) -> str:
    return ", ".join(str(c) for c in sorted(codes))


def code_entier(codes: frozenset[int]) -> Nature:
    def verifier(valeur: Any) -> ident.Verification:
        nombre_ = _entier(valeur)
        if nombre_ is None:
            return None, ident.FORMAT
        if nombre_ not in codes:
            return None, CODE
        return nombre_, None

    return Nature(verifier, f"codes admis : {_liste(codes)}", liste_codes=True, rapide=(int, codes))


def code_texte(codes: frozenset[str], largeur: int = 0) -> Nature:
    """Code textuel ; `largeur` > 0 complète un nombre reçu de zéros (1 → « 01 »)."""

    def verifier(valeur: Any) -> ident.Verification:
        if largeur and isinstance(valeur, int) and not isinstance(valeur, bool):
            valeur = f"{valeur:0{largeur}d}"
        if not isinstance(valeur, str):
            return None, ident.FORMAT
        texte_ = valeur.strip()
        if texte_ not in codes:
            return None, CODE
        return texte_, None

    return Nature(verifier, f"codes admis : {_liste(codes)}", liste_codes=True, rapide=(str, codes))


def _siret_lisible(valeur: Any) -> str:
    texte_ = str(valeur).replace(" ", "")
    if len(texte_) == 14 and texte_.isdigit():
        return f"{texte_[:3]} {texte_[3:6]} {texte_[6:9]} {texte_[9:]}"
    return str(valeur)


SIRET = Nature(
    ident.verifier_siret, "14 chiffres", avec_cle=True, affichage=_siret_lisible, memo=_memo()
)
SIREN = Nature(ident.verifier_siren, "9 chiffres", avec_cle=True)
UAI = Nature(
    ident.verifier_uai,
    "7 chiffres suivis d'une lettre (ex. 0751234J)",
    avec_cle=True,
    memo=_memo(),
)
NIR = Nature(
    ident.verifier_nir,
    "13 caractères, ou 15 avec la clé",
    avec_cle=True,
    sensible=True,
    motif_rapide=ident.nir_complet_valide,
)
IBAN = Nature(ident.verifier_iban, "un IBAN (ex. FR76 3000 6000 0112 3456 7890 189)", avec_cle=True)
NAF = Nature(ident.verifier_naf, "4 chiffres et une lettre (ex. 62.01Z)", memo=_memo())
IDCC = Nature(
    ident.verifier_idcc,
    "4 chiffres (9999 : aucune convention, 9998 : en négociation)",
    memo=_memo(),
)
RNCP = Nature(ident.verifier_rncp, "RNCP suivi de 3 à 5 chiffres (ex. RNCP34825)", memo=_memo())
CFD = Nature(ident.verifier_cfd, "8 caractères (ex. 32031210)", memo=_memo())
DECA = Nature(
    ident.verifier_deca,
    "un numéro DECA : département (3), année (4), mois (2), NC ou 2 chiffres, séquence (4)",
)
CODE_POSTAL = Nature(ident.verifier_code_postal, "5 chiffres", memo=_memo())
COURRIEL = Nature(
    ident.verifier_courriel,
    "une adresse électronique (ex. nom@exemple.fr)",
    motif_rapide=re.compile(r"(?=.{3,254}\Z)" + ident.MOTIF_COURRIEL.pattern).fullmatch,
)
TELEPHONE = Nature(
    ident.verifier_telephone,
    "un numéro de téléphone (ex. 01 23 45 67 89)",
    motif_rapide=ident.telephone_rapide,
)
DEPARTEMENT = Nature(
    ident.verifier_departement,
    "un département (01 à 95, 2A, 2B, 971 à 978, 984 à 989, 99)",
    memo=_memo(),
)


def _verifier_identifiant(valeur: Any) -> ident.Verification:
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        return str(valeur), None
    if not isinstance(valeur, str):
        return None, ident.FORMAT
    texte_ = valeur.strip()
    if not texte_ or len(texte_) > 100:
        return None, ident.FORMAT
    return texte_, None


IDENTIFIANT = Nature(
    _verifier_identifiant, "un identifiant (texte ou nombre, 100 caractères au plus)"
)
