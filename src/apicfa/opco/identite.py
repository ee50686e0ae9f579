"""Qui appelle ? OPCO de l'URL, route offerte, en-têtes du logiciel, jeton OAuth2, clé d'API,
limite de débit — dans cet ordre (404, 501, 400, 401, 403, 429)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from apicfa.opco.erreurs import Erreur, ErreurApi, erreur
from apicfa.opco.intergiciel import entetes_de
from apicfa.opco.profils import ProfilOpco
from apicfa.opco.services import Services
from apicfa.portail.logiciels import jeton_valide

ENTETES_LOGICIEL = ("EDITEUR", "LOGICIEL", "VERSION")
# (nom, nom ASGI en minuscules, clé de l'état de la requête, longueur gardée au journal)
_LECTURES_LOGICIEL = tuple(
    (nom, nom.lower().encode("latin-1"), nom.lower(), 100 if nom == "VERSION" else 200)
    for nom in ENTETES_LOGICIEL
)


@dataclass(frozen=True)
class Appelant:
    opco: str
    profil: ProfilOpco
    cfa_id: int
    siret: str


def services_de(request: Request) -> Services:
    """`app.state.services`. L'état d'une application Starlette (`State`) garde ses valeurs dans
    le dictionnaire `_state` et ne les rend que par `__getattr__`, appelé après l'échec de la
    recherche ordinaire (≈ 0,6 µs, trois fois par dépôt) : lu d'abord dans ce dictionnaire."""
    etat = request.scope["app"].state
    try:
        return etat._state["services"]  # type: ignore[no-any-return]
    except (AttributeError, KeyError):
        return etat.services  # type: ignore[no-any-return]


def _etat(request: Request) -> dict[str, Any]:
    """L'état de la requête (ce que lit `request.state`), en dictionnaire."""
    return request.scope.setdefault("state", {})  # type: ignore[no-any-return]


def profil_de(request: Request, opco: str) -> ProfilOpco:
    profil = services_de(request).profils.get(opco)
    if profil is None:
        raise erreur(
            404,
            "OPCO_INCONNUE",
            f"L'OPCO « {opco} » n'existe pas (codes admis : "
            f"{', '.join(services_de(request).profils)}).",
            "opco",
        )
    _etat(request)["opco"] = opco
    return profil


def verifier_capacite(profil: ProfilOpco, capacite: str) -> None:
    if not profil.offre(capacite):
        raise erreur(
            501,
            "NON_SUPPORTE",
            f"{profil.nom} ne propose pas cette route ({capacite}).",
        )


def verifier_entetes_logiciel(request: Request) -> None:
    entetes, etat = entetes_de(request.scope), _etat(request)
    manquants = []
    for nom, cle, champ, longueur in _LECTURES_LOGICIEL:
        brut = entetes.get(cle)  # une seule lecture de chaque en-tête
        valeur = "" if brut is None else brut.decode("latin-1")
        if not valeur.strip():
            manquants.append(nom)
        etat[champ] = valeur[:longueur] or None
    if manquants:
        raise ErreurApi(
            400,
            [
                Erreur(
                    "ENTETE_MANQUANT",
                    f"L'en-tête {nom} est obligatoire : il nomme "
                    + {
                        "EDITEUR": "l'éditeur du logiciel.",
                        "LOGICIEL": "le logiciel qui appelle.",
                        "VERSION": "la version du logiciel.",
                    }[nom],
                    nom,
                )
                for nom in manquants
            ],
        )


async def verifier_jeton(request: Request, services: Services, profil: ProfilOpco) -> None:
    autorisation = (entetes_de(request.scope).get(b"authorization") or b"").decode("latin-1")
    schema, _, jeton = autorisation.partition(" ")
    if schema.lower() != "bearer" or not jeton.strip():
        raise erreur(
            401,
            "JETON_ABSENT",
            f"{profil.nom} exige un jeton OAuth2 (en-tête Authorization: Bearer …), obtenu sur "
            f"POST /{profil.code}/oauth/token.",
            "Authorization",
            {"WWW-Authenticate": "Bearer"},
        )
    maintenant = services.horloge()
    if not await services.lire(
        lambda session: jeton_valide(session, profil.code, jeton.strip(), maintenant)
    ):
        raise erreur(
            401,
            "JETON_INVALIDE",
            "Le jeton OAuth2 est inconnu ou expiré : demandez-en un nouveau.",
            "Authorization",
            {"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )


async def identifier(request: Request, opco: str, capacite: str | None) -> Appelant:
    services = services_de(request)
    profil = profil_de(request, opco)
    if capacite is not None:
        verifier_capacite(profil, capacite)
    verifier_entetes_logiciel(request)
    if profil.oauth_obligatoire:
        await verifier_jeton(request, services, profil)
    cle = (entetes_de(request.scope).get(b"x-api-key") or b"").decode("latin-1").strip()
    if not cle:
        raise erreur(
            403,
            "CLE_ABSENTE",
            "L'en-tête X-API-KEY (la clé du CFA pour cette OPCO) est absent.",
            "X-API-KEY",
        )
    valide = await services.cle(cle)
    if valide is None:
        raise erreur(
            403,
            "CLE_INVALIDE",
            "La clé d'API est inconnue, révoquée ou expirée.",
            "X-API-KEY",
        )
    if valide.opco != opco:
        raise erreur(
            403,
            "CLE_AUTRE_OPCO",
            f"Cette clé d'API n'est pas une clé pour {profil.nom}.",
            "X-API-KEY",
        )
    _etat(request)["cfa_id"] = valide.cfa_id
    limite = profil.limite_requetes_par_minute
    if limite:
        attente = services.limiteur.attente(f"{opco}:{valide.cfa_id}", limite)
        if attente:
            raise erreur(
                429,
                "TROP_DE_REQUETES",
                f"Limite de {limite} requêtes par minute atteinte : réessayez dans {attente} s.",
                None,
                {"Retry-After": str(attente)},
            )
    return Appelant(opco, profil, valide.cfa_id, valide.siret)
