"""Identifiants de la norme : formats et clés de contrôle (SPEC §4, §5).

Chaque fonction `verifier_…` prend la valeur telle que reçue (texte, parfois nombre) et rend
`(forme_canonique, None)` quand elle est correcte, ou `(None, motif)` avec `motif` parmi
`"FORMAT"` (forme attendue non respectée) et `"CLE"` (clé de contrôle fausse). Les clés sont
calculées ici (chemin rapide du validateur) ; les tests les confrontent à python-stdnum.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum import iban as _iban

Verification = tuple[Any, str | None]

FORMAT = "FORMAT"
CLE = "CLE"

SIREN_LA_POSTE = "356000000"
SIRET_SIEGE_LA_POSTE = "35600000000048"
LETTRES_UAI = "ABCDEFGHJKLMNPRSTUVWXYZ"

_SEPARATEURS = re.compile(r"[\s.\-]")
_UAI = re.compile(r"(\d{7})([A-Z])", re.ASCII)
_NIR = re.compile(r"[1278]\d{4}(?:\d{2}|2[AB])\d{6}(?:\d{2})?", re.ASCII)
_NAF = re.compile(r"(\d{2})\.?(\d{2})([A-Za-z])", re.ASCII)
_IDCC = re.compile(r"\d{4}", re.ASCII)
_RNCP = re.compile(r"(?:RNCP)?(\d{3,5})", re.IGNORECASE | re.ASCII)
_CFD = re.compile(r"[A-Z0-9]{3}\d{3}[A-Z0-9]{2}", re.ASCII)
_DECA = re.compile(
    r"(?:0\d\d|02[ABab]|9[012345]|97[12346])\d{4}[0-1]\d(?:NC|nc|\d{2})\d{4}", re.ASCII
)
_CODE_POSTAL = re.compile(r"\d{5}", re.ASCII)
MOTIF_COURRIEL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}")
MOTIF_TELEPHONE_FR = re.compile(
    r"(?:(?:\+|00)33\s?(?:\(0\))?|0)[1-9](?:[\s.\-]?\d{2}){4}", re.ASCII
)
_TELEPHONE_INTERNATIONAL = re.compile(r"(?:\+|00)[1-9][\d\s.\-]{6,18}\d", re.ASCII)
_DEPARTEMENT = re.compile(r"0?(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8]|98[4-9]|99)", re.ASCII)
_SIMPLE = {str(c): c for c in range(10)}.__getitem__
_DOUBLE = {str(c): (2 * c) % 10 + (2 * c) // 10 for c in range(10)}.__getitem__


def luhn_valide(chiffres: str) -> bool:
    """Clé de Luhn d'une suite de chiffres ASCII (déjà vérifiée comme telle)."""
    return (sum(map(_SIMPLE, chiffres[-1::-2])) + sum(map(_DOUBLE, chiffres[-2::-2]))) % 10 == 0


def _chiffres(texte: str, longueur: int) -> str | None:
    """`texte` sans espaces, points ni tirets s'il fait `longueur` chiffres ASCII."""
    if len(texte) != longueur or not (texte.isascii() and texte.isdigit()):
        texte = _SEPARATEURS.sub("", texte)
        if len(texte) != longueur or not (texte.isascii() and texte.isdigit()):
            return None
    return texte


def _texte(valeur: Any) -> str | None:
    if isinstance(valeur, str):
        return valeur
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        return str(valeur)
    return None


def verifier_siren(valeur: Any) -> Verification:
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    texte = _chiffres(texte, 9)
    if texte is None:
        return None, FORMAT
    if not luhn_valide(texte):
        return None, CLE
    return texte, None


def verifier_siret(valeur: Any) -> Verification:
    """SIRET : 14 chiffres, Luhn sur les 14 et sur le SIREN ; exception La Poste.

    Les établissements de La Poste (SIREN 356000000) ne suivent pas Luhn : la somme des 14
    chiffres doit être multiple de 5 ; seul le siège (35600000000048) suit Luhn.
    """
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    texte = _chiffres(texte, 14)
    if texte is None:
        return None, FORMAT
    if texte.startswith(SIREN_LA_POSTE) and texte != SIRET_SIEGE_LA_POSTE:
        if sum(map(_SIMPLE, texte)) % 5 != 0:
            return None, CLE
    elif not (luhn_valide(texte) and luhn_valide(texte[:9])):
        return None, CLE
    return texte, None


def cle_uai(sept_chiffres: str) -> str:
    return LETTRES_UAI[int(sept_chiffres) % 23]


def verifier_uai(valeur: Any) -> Verification:
    """UAI : 7 chiffres puis la lettre-clé « ABCDEFGHJKLMNPRSTUVWXYZ »[nombre mod 23]."""
    if not isinstance(valeur, str):
        return None, FORMAT
    texte = valeur.strip().upper()
    trouve = _UAI.fullmatch(texte)
    if trouve is None:
        return None, FORMAT
    if cle_uai(trouve.group(1)) != trouve.group(2):
        return None, CLE
    return texte, None


def cle_nir(treize: str) -> str:
    """Clé d'un NIR (13 caractères) : 97 − (NIR mod 97), 2A → 19 et 2B → 18."""
    departement = treize[5:7]
    if departement == "2A":
        treize = treize[:5] + "19" + treize[7:]
    elif departement == "2B":
        treize = treize[:5] + "18" + treize[7:]
    return f"{97 - int(treize) % 97:02d}"


def verifier_nir(valeur: Any) -> Verification:
    """NIR de 13 caractères, ou de 15 avec sa clé (vérifiée). Espaces tolérés."""
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    texte = texte.replace(" ", "").upper()
    if not _NIR.fullmatch(texte):
        return None, FORMAT
    if len(texte) == 15 and cle_nir(texte[:13]) != texte[13:]:
        return None, CLE
    return texte, None


def nir_complet_valide(texte: str) -> bool:
    """Vrai pour un NIR déjà canonique de 15 chiffres ASCII dont la clé est juste : le chemin
    rapide du validateur (qui l'admet tel quel, comme `verifier_nir` le rendrait), sans motif
    ni copie. Faux n'est pas un refus : `verifier_nir` tranche alors."""
    return (
        len(texte) == 15
        and texte.isdigit()
        and texte.isascii()
        and texte[0] in "1278"
        and int(texte[:13]) % 97 + int(texte[13:]) == 97
    )


def verifier_iban(valeur: Any) -> Verification:
    """IBAN (longueur et format du pays, clé mod 97) par python-stdnum ; forme compacte."""
    if not isinstance(valeur, str):
        return None, FORMAT
    compact = _iban.compact(valeur)
    if len(compact) < 15 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return None, FORMAT
    try:
        _iban.validate(compact)
    except _iban.InvalidChecksum:
        return None, CLE
    except Exception:
        return None, FORMAT
    return compact, None


def verifier_naf(valeur: Any) -> Verification:
    """Code NAF/APE : `^\\d{2}\\.?\\d{2}[A-Za-z]$` ; forme canonique `62.01Z`."""
    if not isinstance(valeur, str):
        return None, FORMAT
    trouve = _NAF.fullmatch(valeur.strip())
    if trouve is None:
        return None, FORMAT
    return f"{trouve.group(1)}.{trouve.group(2)}{trouve.group(3).upper()}", None


def verifier_idcc(valeur: Any) -> Verification:
    """IDCC : 4 chiffres (un nombre est complété de zéros à gauche) ; 9999 et 9998 admis."""
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        if 0 <= valeur <= 9999:
            return f"{valeur:04d}", None
        return None, FORMAT
    if not isinstance(valeur, str):
        return None, FORMAT
    texte = valeur.strip()
    if texte.isdigit() and len(texte) < 4:
        texte = texte.zfill(4)
    if not _IDCC.fullmatch(texte):
        return None, FORMAT
    return texte, None


def verifier_rncp(valeur: Any) -> Verification:
    """RNCP avec ou sans préfixe (`RNCP34825`, `34825`) ; forme canonique avec préfixe."""
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    trouve = _RNCP.fullmatch(texte.strip())
    if trouve is None:
        return None, FORMAT
    return "RNCP" + trouve.group(1), None


def verifier_cfd(valeur: Any) -> Verification:
    """Code formation diplôme (CFD) : 8 caractères `^[A-Z0-9]{3}\\d{3}[A-Z0-9]{2}$`."""
    if not isinstance(valeur, str):
        return None, FORMAT
    texte = valeur.strip().upper()
    if not _CFD.fullmatch(texte):
        return None, FORMAT
    return texte, None


def verifier_deca(valeur: Any) -> Verification:
    """Numéro DECA (contrat, avenant) tel que l'application de l'État le contrôle."""
    if not isinstance(valeur, str):
        return None, FORMAT
    texte = valeur.strip()
    if not _DECA.fullmatch(texte):
        return None, FORMAT
    return texte, None


def verifier_code_postal(valeur: Any) -> Verification:
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    texte = texte.strip()
    if not _CODE_POSTAL.fullmatch(texte):
        return None, FORMAT
    return texte, None


def verifier_courriel(valeur: Any) -> Verification:
    if not isinstance(valeur, str):
        return None, FORMAT
    texte = valeur.strip()
    if len(texte) > 254 or not MOTIF_COURRIEL.fullmatch(texte):
        return None, FORMAT
    return texte, None


def verifier_telephone(valeur: Any) -> Verification:
    """Téléphone français (0X…, +33…) ou international (+…)."""
    texte = _texte(valeur)
    if texte is None:
        return None, FORMAT
    texte = texte.strip()
    if MOTIF_TELEPHONE_FR.fullmatch(texte) or _TELEPHONE_INTERNATIONAL.fullmatch(texte):
        return texte, None
    return None, FORMAT


def telephone_rapide(texte: str) -> bool:
    """Vrai pour un téléphone que `verifier_telephone` admet tel quel : dix chiffres ASCII
    collés « 0X… » (X de 1 à 9, la forme la plus courante, vue sans motif) ou le motif français.
    Faux n'est pas un refus : `verifier_telephone` tranche alors."""
    if len(texte) == 10 and texte[0] == "0" and texte.isdigit() and texte.isascii():
        return texte[1] != "0"
    return MOTIF_TELEPHONE_FR.fullmatch(texte) is not None


def verifier_departement(valeur: Any) -> Verification:
    """Département de naissance (99 = étranger) ; `075` et `02A` admis, rendus `75`, `2A`."""
    if isinstance(valeur, int) and not isinstance(valeur, bool):
        valeur = f"{valeur:02d}"
    if not isinstance(valeur, str):
        return None, FORMAT
    trouve = _DEPARTEMENT.fullmatch(valeur.strip().upper())
    if trouve is None:
        return None, FORMAT
    return trouve.group(1), None


def nir_departement_compatible(nir: str, departement: str) -> bool:
    """Le département inscrit dans le NIR (positions 6–7) s'accorde au département de naissance.

    97x s'écrit 97 dans le NIR ; une naissance en Corse avant 1976 s'écrit 20.
    """
    code = nir[5:7]
    if departement.startswith("97") or departement.startswith("98"):
        return code == departement[:2]
    if departement in ("2A", "2B"):
        return code in (departement, "20")
    return code == departement
