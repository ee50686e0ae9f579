"""Envoi unitaire des autres objets : convention, certificat, document, rupture, facture.

Chacun est contrôlé avec le validateur de la norme, puis écrit au journal avant l'envoi.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from apicfa.client.journal import ACCEPTE, REFUSE, Envoi, Journal
from apicfa.client.resultats import DEJA_ENVOYE, INVALIDE, Resultat
from apicfa.client.resultats import REFUSE as ISSUE_REFUSE
from apicfa.norme.constats import Constat

NATURES_AVEC_FICHIER = frozenset({"facture", "convention", "certificat", "document"})


def validateur(nature: str) -> Callable[..., list[Constat]]:
    from apicfa.norme import validation

    return {
        "facture": validation.valider_facture,
        "convention": validation.valider_convention,
        "certificat": validation.valider_certificat,
        "document": validation.valider_document,
        "rupture": validation.valider_rupture,
    }[nature]


def lire_objet(chemin: Path, nature: str) -> dict[str, Any]:
    """L'objet d'un fichier JSON, enveloppé (`{"convention": …}`) ou nu ; ValueError sinon."""
    try:
        donnees = orjson.loads(chemin.read_bytes())
    except OSError as exc:
        raise ValueError(f"{chemin} : fichier illisible ({exc.strerror})") from exc
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"{chemin} : JSON invalide ({exc.msg}, ligne {exc.lineno})") from exc
    if isinstance(donnees, dict) and isinstance(donnees.get(nature), dict):
        return donnees[nature]
    if not isinstance(donnees, dict):
        raise ValueError(f"{chemin} : un objet JSON est attendu")
    return donnees


def preparer_objet(
    journal: Journal,
    opco: str,
    nature: str,
    charge: dict[str, Any],
    *,
    source: str,
    aujourd_hui: date,
    nom_fichier: str | None = None,
    fichier: bytes | None = None,
) -> Envoi | Resultat:
    """Contrôle l'objet puis l'écrit au journal ; un Resultat s'il ne doit pas partir."""
    motifs = [
        f"{c.champ} : {c.message}"
        for c in validateur(nature)({nature: charge}, aujourd_hui=aujourd_hui)
        if c.niveau == "bloquant"
    ]
    if nature in NATURES_AVEC_FICHIER and fichier is None:
        motifs.append(f"{nature} : la pièce jointe (PDF, PNG ou JPG) est obligatoire")
    if motifs:
        return Resultat(source, INVALIDE, opco=opco, motifs=tuple(motifs))
    envoi = journal.preparer(
        opco, nature, charge, source=source, nom_fichier=nom_fichier, fichier=fichier
    )
    if envoi.statut == ACCEPTE:
        return Resultat(
            source,
            DEJA_ENVOYE,
            opco=opco,
            numero_interne=envoi.numero_interne,
            numero_externe=envoi.numero_externe,
        )
    if envoi.statut == REFUSE:
        return Resultat(
            source, ISSUE_REFUSE, opco=opco, motifs=tuple(str(e) for e in envoi.erreurs)
        )
    return envoi


def numero_dossier(charge: dict[str, Any]) -> str | None:
    """Le numéro interne du dossier visé par un objet (document : son premier objet dossier)."""
    numero = charge.get("numeroInterneDossier") or charge.get("numeroInterne")
    if numero:
        return str(numero)
    for objet in charge.get("objets") or []:
        if isinstance(objet, dict) and objet.get("typeObjet") == "dossier" and objet.get("idObjet"):
            return str(objet["idObjet"])
    return None


def opco_du_dossier(journal: Journal, numero_interne: str | None) -> str | None:
    """L'OPCO d'un dossier connu du journal (synchronisé ou envoyé par ce poste)."""
    if not numero_interne:
        return None
    dossier = journal.dossier(numero_interne)
    if dossier is not None:
        return str(dossier["opco"])
    return journal.opco_envoi(numero_interne)
