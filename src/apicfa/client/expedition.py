"""Expédition concurrente des envois du journal, chacun avec sa clé d'idempotence.

Les appels HTTP tournent dans un groupe de fils ; le journal n'est écrit que par le
fil principal, au fil des réponses. Le nombre d'envois en vol est borné : la mémoire
ne dépend pas de la taille du lot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from apicfa.client.erreurs import (
    ErreurConflit,
    ErreurIntrouvable,
    ErreurNonSupporte,
    ErreurOpco,
    ErreurServeur,
    ErreurTropVolumineux,
    ErreurValidation,
)
from apicfa.client.journal import Envoi, Journal
from apicfa.client.opco import ClientOpco, Fichier
from apicfa.client.resultats import ECHEC, ENVOYE, REFUSE, Resultat

# Refus définitifs pour ce contenu : le renvoyer tel quel donnerait la même réponse.
REFUS_DEFINITIFS: tuple[type[ErreurOpco], ...] = (
    ErreurValidation,
    ErreurConflit,
    ErreurIntrouvable,
    ErreurNonSupporte,
    ErreurTropVolumineux,
)

_MULTIPART = {
    "facture": ClientOpco.envoyer_facture,
    "convention": ClientOpco.envoyer_convention,
    "certificat": ClientOpco.envoyer_certificat,
    "document": ClientOpco.envoyer_document,
}


def executer(client: ClientOpco, envoi: Envoi) -> tuple[str | None, str | None, dict[str, Any]]:
    """Envoie un objet du journal ; rend (numéro interne, numéro externe, réponse brute)."""
    if envoi.nature.startswith("dossier-v"):
        version = int(envoi.nature.removeprefix("dossier-v"))
        accuse = client.deposer_dossier(
            envoi.charge, version=version, cle_idempotence=envoi.cle_idempotence
        )
        return accuse.numero_interne, accuse.numero_externe, accuse.brut
    if envoi.nature == "rupture":
        dossier = client.declarer_rupture(envoi.charge, cle_idempotence=envoi.cle_idempotence)
        return dossier.numero_interne, dossier.numero_externe, dossier.brut
    methode = _MULTIPART.get(envoi.nature)
    if methode is None or envoi.fichier is None:
        raise ValueError(f"envoi {envoi.id} : nature « {envoi.nature} » ou fichier manquant")
    objet = methode(
        client,
        envoi.charge,
        Fichier(envoi.nom_fichier or "fichier.pdf", envoi.fichier, _type_mime(envoi.nom_fichier)),
        cle_idempotence=envoi.cle_idempotence,
    )
    return objet.numero_interne, None, objet.brut


def _type_mime(nom: str | None) -> str:
    nom = (nom or "").lower()
    if nom.endswith(".png"):
        return "image/png"
    if nom.endswith((".jpg", ".jpeg")):
        return "image/jpeg"
    return "application/pdf"


class Expediteur:
    """Expédie des envois vers leurs OPCO, `concurrence` à la fois."""

    def __init__(
        self,
        journal: Journal,
        client_de: Callable[[str], ClientOpco],
        *,
        concurrence: int = 8,
    ) -> None:
        self._journal = journal
        self._client_de = client_de
        self._concurrence = max(1, concurrence)

    def expedier(self, flux: Iterable[Envoi | Resultat]) -> Iterator[Resultat]:
        """Rend un Resultat par élément du flux, dans l'ordre des réponses ; un envoi déjà
        vu dans ce lancement n'est expédié qu'une fois."""
        vus: set[int] = set()
        en_vol: dict[Future[tuple[str | None, str | None, dict[str, Any]]], Envoi] = {}
        with ThreadPoolExecutor(max_workers=self._concurrence) as groupe:
            for element in flux:
                if isinstance(element, Resultat):
                    yield element
                    continue
                if element.id in vus:
                    continue
                vus.add(element.id)
                try:
                    client = self._client_de(element.opco)
                except Exception as exc:
                    yield self._echec(element, [ErreurServeur("CONFIGURATION", str(exc))])
                    continue
                en_vol[groupe.submit(executer, client, element)] = element
                if len(en_vol) >= 2 * self._concurrence:
                    yield from self._recolter(en_vol, tout=False)
            yield from self._recolter(en_vol, tout=True)

    def _recolter(
        self,
        en_vol: dict[Future[tuple[str | None, str | None, dict[str, Any]]], Envoi],
        *,
        tout: bool,
    ) -> Iterator[Resultat]:
        while en_vol:
            faits, _ = wait(list(en_vol), return_when=FIRST_COMPLETED)
            for futur in faits:
                envoi = en_vol.pop(futur)
                yield self._conclure(envoi, futur)
            if not tout:
                return

    def _conclure(
        self, envoi: Envoi, futur: Future[tuple[str | None, str | None, dict[str, Any]]]
    ) -> Resultat:
        try:
            numero_interne, numero_externe, brut = futur.result()
        except REFUS_DEFINITIFS as exc:
            erreurs = exc.erreurs or [ErreurServeur(str(exc.statut or ""), str(exc))]
            self._journal.marquer_refuse(envoi.id, erreurs)
            return Resultat(
                envoi.source or str(envoi.id),
                REFUSE,
                opco=envoi.opco,
                motifs=tuple(str(e) for e in erreurs),
            )
        except ErreurOpco as exc:
            return self._echec(
                envoi, exc.erreurs or [ErreurServeur(str(exc.statut or ""), str(exc))]
            )
        except Exception as exc:  # une erreur imprévue ne doit pas perdre les autres envois
            return self._echec(envoi, [ErreurServeur(type(exc).__name__, str(exc))])
        self._journal.marquer_accepte(
            envoi.id, numero_interne=numero_interne, numero_externe=numero_externe, reponse=brut
        )
        return Resultat(
            envoi.source or str(envoi.id),
            ENVOYE,
            opco=envoi.opco,
            numero_interne=numero_interne,
            numero_externe=numero_externe,
        )

    def _echec(self, envoi: Envoi, erreurs: list[ErreurServeur]) -> Resultat:
        self._journal.marquer_echec(envoi.id, erreurs)
        return Resultat(
            envoi.source or str(envoi.id),
            ECHEC,
            opco=envoi.opco,
            motifs=tuple(str(e) for e in erreurs),
        )
