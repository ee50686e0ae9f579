"""Lecture des corps de requête : taille bornée pendant la lecture, JSON, parties multipart,
types de fichiers reconnus à leurs premiers octets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request

from apicfa.opco.erreurs import ErreurApi, erreur
from apicfa.opco.intergiciel import entete

LIMITE_CORPS_DEFAUT = 20 * 1024 * 1024

SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def _trop_gros(limite: int) -> ErreurApi:
    return erreur(
        413,
        "CORPS_TROP_VOLUMINEUX",
        f"Le corps de la requête dépasse la taille maximale admise ({limite} octets).",
    )


async def lire_corps(request: Request, limite: int) -> bytes:
    """Le corps entier, en refusant (413) dès que la taille dépasse `limite`.

    Lu directement des messages ASGI (`receive`), avec les mêmes effets sur `request` que
    `request.stream()` de Starlette (flux consommé, déconnexion notée), sans son générateur."""
    annonce = entete(request.scope, b"content-length")
    if annonce is not None and annonce.isdigit() and int(annonce) > limite:
        raise _trop_gros(limite)
    if hasattr(request, "_body") or request._stream_consumed:
        return await _lire_flux(request, limite)  # déjà lu : Starlette rejoue ou refuse
    recevoir = request.receive
    morceaux: list[bytes] = []
    taille = 0
    while True:
        message = await recevoir()
        nature = message["type"]
        if nature == "http.request":
            morceau = message.get("body", b"")
            dernier = not message.get("more_body", False)
            if dernier:
                request._stream_consumed = True
            if morceau:
                taille += len(morceau)
                if taille > limite:
                    raise _trop_gros(limite)
                morceaux.append(morceau)
            if dernier:
                return morceaux[0] if len(morceaux) == 1 else b"".join(morceaux)
        elif nature == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()


async def _lire_flux(request: Request, limite: int) -> bytes:
    morceaux: list[bytes] = []
    taille = 0
    async for morceau in request.stream():
        taille += len(morceau)
        if taille > limite:
            raise _trop_gros(limite)
        morceaux.append(morceau)
    return b"".join(morceaux)


def empreinte_corps(corps: bytes) -> str:
    return hashlib.sha256(corps).hexdigest()


def lire_json_objet(corps: bytes, champ: str | None = None) -> dict[str, Any]:
    """Un objet JSON, sinon 400 nommant la partie fautive."""
    ou = f" (partie « {champ} »)" if champ else ""
    try:
        donnees = orjson.loads(corps)
    except orjson.JSONDecodeError as cause:
        raise erreur(
            400, "JSON_INVALIDE", f"Le JSON reçu{ou} est illisible : {cause}.", champ
        ) from None
    if not isinstance(donnees, dict):
        raise erreur(400, "JSON_INVALIDE", f"Le JSON reçu{ou} doit être un objet.", champ)
    return donnees


@dataclass(frozen=True)
class FichierRecu:
    contenu: bytes
    nom: str | None
    type_mime: str
    sha256: str


@dataclass(frozen=True)
class EnvoiMultipart:
    donnees: dict[str, Any]
    brut: bytes
    fichier: FichierRecu


def type_fichier(contenu: bytes) -> str | None:
    for signature, type_mime in SIGNATURES:
        if contenu.startswith(signature):
            return type_mime
    return None


async def lire_multipart(
    request: Request,
    corps: bytes,
    partie_json: str,
    types_admis: tuple[str, ...] = ("application/pdf", "image/png", "image/jpeg"),
) -> EnvoiMultipart:
    """Lit les parties `partie_json` (JSON) et `fichier` d'un envoi multipart déjà lu."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise erreur(
            400,
            "MULTIPART_ATTENDU",
            f"Le corps doit être multipart/form-data avec les parties « {partie_json} » et "
            "« fichier ».",
        )
    envoye = False

    async def rejouer() -> dict[str, Any]:
        nonlocal envoye
        if envoye:
            return {"type": "http.request", "body": b"", "more_body": False}
        envoye = True
        return {"type": "http.request", "body": corps, "more_body": False}

    relue = Request(request.scope, rejouer)
    try:
        formulaire = await relue.form(max_files=4, max_fields=20, max_part_size=len(corps) + 1)
    except Exception as cause:
        raise erreur(400, "MULTIPART_INVALIDE", f"Envoi multipart illisible : {cause}.") from None
    erreurs = []
    valeur = formulaire.get(partie_json)
    fichier = formulaire.get("fichier")
    if valeur is None:
        erreurs.append(
            erreur(
                400, "PARTIE_MANQUANTE", f"La partie « {partie_json} » est absente.", partie_json
            )
        )
    if not isinstance(fichier, UploadFile):
        erreurs.append(
            erreur(
                400,
                "PARTIE_MANQUANTE",
                "La partie « fichier » (le document) est absente.",
                "fichier",
            )
        )
    if erreurs:
        raise ErreurApi(400, [e for x in erreurs for e in x.erreurs])
    assert isinstance(fichier, UploadFile)
    brut = await valeur.read() if isinstance(valeur, UploadFile) else str(valeur).encode()
    donnees = lire_json_objet(brut, partie_json)
    contenu = await fichier.read()
    type_mime = type_fichier(contenu)
    if type_mime is None or type_mime not in types_admis:
        admis = ", ".join(t.split("/")[1].upper().replace("JPEG", "JPG") for t in types_admis)
        raise erreur(
            400,
            "FICHIER_TYPE_INVALIDE",
            f"Le fichier joint n'est pas d'un type admis ({admis}) d'après son contenu.",
            "fichier",
        )
    return EnvoiMultipart(
        donnees=donnees,
        brut=brut,
        fichier=FichierRecu(
            contenu=contenu,
            nom=fichier.filename,
            type_mime=type_mime,
            sha256=hashlib.sha256(contenu).hexdigest(),
        ),
    )
