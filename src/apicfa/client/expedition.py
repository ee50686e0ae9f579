"""Expédition concurrente des envois du journal, chacun avec sa clé d'idempotence.

Les appels HTTP tournent dans un groupe de fils ; le journal n'est écrit que par le
fil principal, par lots de réponses (voir `Expediteur`). Le nombre d'envois en vol est
borné : la mémoire ne dépend pas de la taille du lot.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from queue import Empty, SimpleQueue
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
from apicfa.client.journal import ECHEC as ECHEC_JOURNAL
from apicfa.client.journal import REFUSE as REFUSE_JOURNAL
from apicfa.client.journal import Accuse, Envoi, Issue, Journal
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


# Ce que rend `executer` : (numéro interne, numéro externe, réponse brute).
Issu = tuple[str | None, str | None, dict[str, Any]]


def executer(client: ClientOpco, envoi: Envoi) -> Issu:
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
    """Expédie des envois vers leurs OPCO, `concurrence` à la fois.

    Le sort de chaque envoi (accusé, refus, échec) est noté au journal par lots : une
    transaction pour `lot_journal` réponses, ou au plus tard toutes les
    `delai_journal_s` secondes, et à la fin de l'expédition, même interrompue. Un envoi
    parti dont le sort n'est pas encore noté reste « à envoyer » : s'il faut le reprendre,
    il repart avec sa clé d'idempotence et l'OPCO rend sa première réponse, sans doublon.
    """

    def __init__(
        self,
        journal: Journal,
        client_de: Callable[[str], ClientOpco],
        *,
        concurrence: int = 8,
        lot_journal: int = 64,
        delai_journal_s: float = 0.2,
    ) -> None:
        self._journal = journal
        self._client_de = client_de
        self._concurrence = max(1, concurrence)
        self._lot_journal = max(1, lot_journal)
        self._delai_journal_s = delai_journal_s

    def expedier(self, flux: Iterable[Envoi | Resultat]) -> Iterator[Resultat]:
        """Rend un Resultat par élément du flux, dans l'ordre des réponses ; un envoi déjà
        vu dans ce lancement n'est expédié qu'une fois."""
        vus: set[int] = set()
        en_vol: dict[Future[Issu], Envoi] = {}
        termines: SimpleQueue[Future[Issu]] = SimpleQueue()
        notes = _Notes(self._journal, self._lot_journal, self._delai_journal_s)
        try:
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
                        yield notes.echec(element, [ErreurServeur("CONFIGURATION", str(exc))])
                        continue
                    futur = groupe.submit(executer, client, element)
                    en_vol[futur] = element
                    futur.add_done_callback(termines.put)
                    if len(en_vol) >= 2 * self._concurrence:
                        yield from self._recolter(en_vol, termines, notes)
                while en_vol:
                    yield from self._recolter(en_vol, termines, notes)
        finally:
            notes.ecrire()

    def _recolter(
        self,
        en_vol: dict[Future[Issu], Envoi],
        termines: SimpleQueue[Future[Issu]],
        notes: _Notes,
    ) -> Iterator[Resultat]:
        """Attend une réponse, puis prend toutes celles déjà arrivées."""
        futur = termines.get()
        while True:
            yield self._conclure(en_vol.pop(futur), futur, notes)
            try:
                futur = termines.get_nowait()
            except Empty:
                break
        notes.ecrire_si_du()

    def _conclure(self, envoi: Envoi, futur: Future[Issu], notes: _Notes) -> Resultat:
        try:
            numero_interne, numero_externe, brut = futur.result()
        except ErreurOpco as exc:
            erreurs = exc.erreurs or [ErreurServeur(str(exc.statut or ""), str(exc))]
            if isinstance(exc, REFUS_DEFINITIFS):
                return notes.refus(envoi, erreurs)
            return notes.echec(envoi, erreurs)
        except Exception as exc:  # une erreur imprévue ne doit pas perdre les autres envois
            return notes.echec(envoi, [ErreurServeur(type(exc).__name__, str(exc))])
        notes.ajouter(Accuse(envoi.id, numero_interne, numero_externe, brut))
        return Resultat(
            envoi.source or str(envoi.id),
            ENVOYE,
            opco=envoi.opco,
            numero_interne=numero_interne,
            numero_externe=numero_externe,
        )


class _Notes:
    """Le sort des envois, en attente d'être noté au journal par lots."""

    def __init__(self, journal: Journal, lot: int, delai_s: float) -> None:
        self._journal = journal
        self._lot = lot
        self._delai_s = delai_s
        self._en_attente: list[Accuse | Issue] = []
        self._derniere = time.monotonic()

    def ajouter(self, note: Accuse | Issue) -> None:
        self._en_attente.append(note)
        if len(self._en_attente) >= self._lot:
            self.ecrire()

    def refus(self, envoi: Envoi, erreurs: list[ErreurServeur]) -> Resultat:
        """Refus définitif : noté `refuse` au journal, l'envoi ne repartira pas."""
        return self._issue(envoi, REFUSE_JOURNAL, REFUSE, erreurs)

    def echec(self, envoi: Envoi, erreurs: list[ErreurServeur]) -> Resultat:
        """Échec passager : noté `echec` au journal, l'envoi repartira au prochain lancement."""
        return self._issue(envoi, ECHEC_JOURNAL, ECHEC, erreurs)

    def _issue(
        self, envoi: Envoi, statut_journal: str, statut: str, erreurs: list[ErreurServeur]
    ) -> Resultat:
        self.ajouter(Issue(envoi.id, statut_journal, tuple(erreurs)))
        return Resultat(
            envoi.source or str(envoi.id),
            statut,
            opco=envoi.opco,
            motifs=tuple(str(e) for e in erreurs),
        )

    def ecrire_si_du(self) -> None:
        if self._en_attente and time.monotonic() - self._derniere >= self._delai_s:
            self.ecrire()

    def ecrire(self) -> None:
        notes, self._en_attente = self._en_attente, []
        self._derniere = time.monotonic()
        self._journal.marquer_lot(notes)
