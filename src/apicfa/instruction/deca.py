"""Numéro d'enregistrement DECA donné au contrat lors de l'engagement (SPEC §4.4, §6.1).

Forme vérifiée par l'application de l'État :
`^(0[0-9][0-9]|02[ABab]|9[012345]|97[12346])\\d{4}[0-1]\\d(NC|nc|\\d{2})\\d{4}$`
soit département (3) + année (4) + mois (2) + 2 caractères + séquence (4).

Choix d'apicfa (la fabrication réelle des numéros DECA n'est pas publique) :
- département : celui de l'établissement employeur, sur trois caractères (« 075 », « 02A »,
  « 971 ») ; quand il n'entre pas dans la forme (code postal absent, 975, 977, 98x…), le
  département par défaut du profil OPCO ;
- année et mois : ceux de la date d'engagement ;
- les 2 caractères et les 4 derniers chiffres portent la séquence fournie par l'appelant
  (1 à 999 999) : 2 chiffres de poids fort puis 4 chiffres de poids faible.
  La séquence est unique par OPCO, département et mois : c'est à l'appelant (le stockage)
  de la tenir.
"""

from __future__ import annotations

import re
from datetime import date

FORME_DECA = re.compile(
    r"^(0[0-9][0-9]|02[ABab]|9[012345]|97[12346])\d{4}[0-1]\d(NC|nc|\d{2})\d{4}$"
)
_DEPARTEMENT_DECA = re.compile(r"^(0[0-9][0-9]|02[AB]|97[12346])$")
SEQUENCE_MAXIMALE = 999_999


def departement_deca(departement: str | None, defaut: str) -> str:
    """Le département sur trois caractères attendu par DECA, ou `defaut` s'il n'y entre pas."""
    if departement:
        candidat = departement.upper().rjust(3, "0")
        if _DEPARTEMENT_DECA.match(candidat):
            return candidat
    if not _DEPARTEMENT_DECA.match(defaut):
        raise ValueError(
            f"département DECA par défaut invalide : « {defaut} » (attendu : 3 caractères, ex. 075)"
        )
    return defaut


def numero_deca(departement: str, date_engagement: date, sequence: int) -> str:
    """Le numéro DECA du contrat engagé le `date_engagement` avec ce numéro de `sequence`."""
    if not 1 <= sequence <= SEQUENCE_MAXIMALE:
        raise ValueError(
            f"séquence DECA hors bornes : {sequence} (attendue entre 1 et {SEQUENCE_MAXIMALE})"
        )
    haut, bas = divmod(sequence, 10_000)
    numero = f"{departement}{date_engagement:%Y%m}{haut:02d}{bas:04d}"
    if not FORME_DECA.match(numero):
        raise ValueError(f"numéro DECA mal formé : « {numero} »")
    return numero
