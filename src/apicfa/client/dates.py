"""Lecture des dates renvoyées par les OPCO.

Les OPCO écrivent `YYYY-MM-DD` ou une date-heure avec décalage (`…T00:00:00+02:00`,
`…+0000`, `…Z`). On retient la date du calendrier telle qu'écrite, sans jamais
convertir en UTC : minuit `+02:00` converti en UTC serait la veille.
"""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")
_FRANCAISE = re.compile(r"^\s*(\d{2})/(\d{2})/(\d{4})\s*$")


def lire_date(valeur: object) -> date | None:
    """La date de calendrier écrite dans `valeur`, ou None si elle est vide.

    Lève ValueError (message en français) quand la valeur n'est pas une date lisible.
    """
    if valeur is None or valeur == "":
        return None
    if isinstance(valeur, date):
        return valeur
    texte = str(valeur)
    trouve = _ISO.match(texte)
    if trouve:
        annee, mois, jour = (int(x) for x in trouve.groups())
    else:
        trouve = _FRANCAISE.match(texte)
        if not trouve:
            raise ValueError(f"date illisible : « {texte} »")
        jour, mois, annee = (int(x) for x in trouve.groups())
    try:
        return date(annee, mois, jour)
    except ValueError as exc:
        raise ValueError(f"date impossible : « {texte} »") from exc
