"""`Idempotency-Key` (extension apicfa, SPEC §3) : même clé et même corps → la première réponse ;
même clé et autre corps → 409. La réponse est mémorisée dans la transaction qui écrit l'objet :
soit les deux existent, soit aucun."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from apicfa.opco.erreurs import erreur
from apicfa.stockage.espace import EspaceCfa

ENTETE = "idempotency-key"
LONGUEUR_MAX = 200


def lire_cle(valeur: str | None) -> str | None:
    if valeur is None or not valeur.strip():
        return None
    cle = valeur.strip()
    if len(cle) > LONGUEUR_MAX:
        raise erreur(
            400,
            "IDEMPOTENCE_CLE_INVALIDE",
            f"L'en-tête Idempotency-Key dépasse {LONGUEUR_MAX} caractères.",
            "Idempotency-Key",
        )
    return cle


def avec_idempotence(
    espace: EspaceCfa,
    cle: str | None,
    route: str,
    empreinte_corps: str,
    maintenant: datetime,
    produire: Callable[[], tuple[int, bytes]],
) -> tuple[int, bytes]:
    if cle is not None:
        memoire = espace.reponse_memorisee(cle)
        if memoire is not None:
            if memoire.route == route and memoire.empreinte_corps == empreinte_corps:
                return memoire.statut, memoire.reponse
            raise erreur(
                409,
                "IDEMPOTENCE_CONFLIT",
                "Cette Idempotency-Key a déjà servi pour une autre requête : utilisez une "
                "nouvelle clé pour un nouveau contenu.",
                "Idempotency-Key",
            )
    statut, corps = produire()
    if cle is not None:
        espace.memoriser_reponse(cle, route, empreinte_corps, statut, corps, maintenant)
    return statut, corps
