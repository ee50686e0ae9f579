"""Préparation des dossiers à envoyer : lecture en flux, contrôle, routage, journal.

Chaque fichier est lu, contrôlé avec le validateur de la norme (mêmes règles que le
serveur : seuls les constats bloquants empêchent l'envoi), routé vers son OPCO, puis
écrit dans le journal AVANT tout envoi, par lots de `LOT_JOURNAL` : la mémoire ne dépend
pas de la taille du lot de fichiers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from apicfa.client.journal import ACCEPTE, REFUSE, Envoi, Journal, Objet
from apicfa.client.resultats import DEJA_ENVOYE, INVALIDE, VALIDE, Resultat
from apicfa.client.resultats import REFUSE as ISSUE_REFUSE
from apicfa.client.routage import ErreurRoutage, Routeur

# Dossiers écrits au journal par transaction (une synchronisation disque par lot).
LOT_JOURNAL = 64


def fichiers_json(entrees: Iterable[str | Path]) -> Iterator[Path]:
    """Les fichiers `.json` désignés : fichiers donnés tels quels, dossiers parcourus
    (récursivement, par ordre de nom)."""
    for entree in entrees:
        chemin = Path(entree)
        if chemin.is_dir():
            for racine, sous_dossiers, noms in os.walk(chemin):
                sous_dossiers.sort()
                for nom in sorted(noms):
                    if nom.lower().endswith(".json"):
                        yield Path(racine) / nom
        else:
            yield chemin


def nature_dossier(version: int) -> str:
    return f"dossier-v{version}"


def lire_cerfa_fichier(chemin: Path) -> dict[str, Any]:
    """Le cerfa (objet nu) d'un fichier JSON `{"cerfa": …}` ou nu ; ValueError sinon."""
    try:
        donnees = orjson.loads(chemin.read_bytes())
    except OSError as exc:
        raise ValueError(f"fichier illisible : {exc.strerror}") from exc
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"JSON invalide ({exc.msg}, ligne {exc.lineno})") from exc
    if isinstance(donnees, dict) and isinstance(donnees.get("cerfa"), dict):
        return donnees["cerfa"]
    if isinstance(donnees, dict):
        return donnees
    raise ValueError('le fichier doit contenir un objet JSON (le cerfa ou {"cerfa": …})')


def motifs_bloquants(cerfa: dict[str, Any], aujourd_hui: date) -> list[str]:
    """Les constats bloquants du validateur de la norme, en « champ : message »."""
    from apicfa.norme.validation import valider_cerfa

    return [
        f"{c.champ} : {c.message}"
        for c in valider_cerfa({"cerfa": cerfa}, aujourd_hui=aujourd_hui)
        if c.niveau == "bloquant"
    ]


def preparer_dossiers(
    chemins: Iterable[Path],
    *,
    routeur: Routeur,
    journal: Journal | None,
    aujourd_hui: date,
    versions: Mapping[str, int] | None = None,
    lot: int = LOT_JOURNAL,
) -> Iterator[Envoi | Resultat]:
    """Pour chaque fichier : un Envoi à expédier, ou le Resultat qui le concerne déjà.

    Sans journal (essai à blanc), les dossiers valides donnent un Resultat `valide`.
    `versions` donne la version de route des dossiers par OPCO (défaut 2). Les dossiers
    valides sont écrits au journal par lots de `lot` (une transaction durable par lot) et
    ne sont rendus qu'une fois leur lot validé : aucun ne part avant d'y être écrit. Au
    plus `lot` dossiers sont en mémoire à la fois.
    """
    versions = versions or {}
    en_attente: list[Objet] = []
    for chemin in chemins:
        source = str(chemin)
        try:
            cerfa = lire_cerfa_fichier(chemin)
        except ValueError as exc:
            yield Resultat(source, INVALIDE, motifs=(str(exc),))
            continue
        motifs = motifs_bloquants(cerfa, aujourd_hui)
        try:
            opco = routeur.opco(cerfa)
        except ErreurRoutage as exc:
            motifs.append(str(exc))
            opco = None
        if motifs or opco is None:
            yield Resultat(source, INVALIDE, opco=opco, motifs=tuple(motifs))
            continue
        if journal is None:
            yield Resultat(source, VALIDE, opco=opco)
            continue
        nature = nature_dossier(versions.get(opco, 2))
        en_attente.append(Objet(opco, nature, {"cerfa": cerfa}, source=source))
        if len(en_attente) >= lot:
            yield from _ecrire_lot(journal, en_attente)
            en_attente = []
    if journal is not None:
        yield from _ecrire_lot(journal, en_attente)


def _ecrire_lot(journal: Journal, objets: list[Objet]) -> Iterator[Envoi | Resultat]:
    """Écrit les objets au journal en une transaction, puis rend chacun selon son statut."""
    for objet, envoi in zip(objets, journal.preparer_lot(objets), strict=True):
        yield issue_preparation(objet.source or str(envoi.id), envoi)


def issue_preparation(source: str, envoi: Envoi) -> Envoi | Resultat:
    """L'envoi à expédier, ou le Resultat d'un envoi que le journal a déjà conclu."""
    if envoi.statut == ACCEPTE:
        return Resultat(
            source,
            DEJA_ENVOYE,
            opco=envoi.opco,
            numero_interne=envoi.numero_interne,
            numero_externe=envoi.numero_externe,
        )
    if envoi.statut == REFUSE:
        return Resultat(
            source,
            ISSUE_REFUSE,
            opco=envoi.opco,
            motifs=tuple(str(e) for e in envoi.erreurs) or ("déjà refusé par l'OPCO",),
        )
    return envoi
