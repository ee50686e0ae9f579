"""Écriture sur place du processus de dépôt (`ServeurDepot.sur_place`, `Ecrivain.executer_ici`).

Les dépôts sans clé reçus dans un même tour de boucle sont préparés puis écrits ensemble, dans le
fil de la boucle, en une transaction. Ce chemin doit écrire EXACTEMENT ce qu'écrit le chemin par
le fil de l'écrivain, rendre les mêmes statuts, et ne jamais écrire en même temps qu'un lot du
fil de l'écrivain.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import orjson
from opco_banc import creer_compte
from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker
from test_instruction_au_depot import (
    TABLES,
    _charges,
    _compteurs,
    _lignes,
    _par_le_depot,
    _services,
)

from apicfa.opco.corps import empreinte_corps
from apicfa.opco.depot_distant import ServeurDepot
from apicfa.opco.depot_noyau import DemandeDepot
from apicfa.opco.ecrivain import Ecrivain
from apicfa.opco.idempotence import LONGUEUR_MAX
from apicfa.referentiels.depot import charger_exemples
from apicfa.stockage.moteur import creer_moteur


class _Sortie:
    """Tient lieu de connexion du processus HTTP : garde les trames de réponse envoyées."""

    def __init__(self) -> None:
        self.trames: list[tuple[Any, ...]] = []

    def envoyer(self, objet: tuple[Any, ...]) -> None:
        self.trames.append(objet)


def _demande(cfa_id: int, charge: bytes, cle: str | None = None) -> DemandeDepot:
    return DemandeDepot("atlas", 2, cfa_id, charge, empreinte_corps(charge), cle)


async def _sur_place(url: str, cfa_id: int, charges: list[bytes]) -> tuple[list[int], int]:
    """Dépose par tours de boucle de 16 trames ; rend les statuts et le nombre de validations."""
    services = _services(url)
    validations = [0]

    def compter(_: Any) -> None:
        validations[0] += 1

    event.listen(services.moteur_ecriture or services.moteur, "commit", compter)
    serveur = ServeurDepot(services)  # sur place par défaut, sur SQLite comme sur PostgreSQL
    assert serveur.sur_place
    sortie = _Sortie()
    try:
        for debut in range(0, len(charges), 16):
            for numero, charge in enumerate(charges[debut : debut + 16], start=debut):
                serveur.recevoir(sortie, (numero, *_demande(cfa_id, charge).en_tuple()))  # type: ignore[arg-type]
            await asyncio.sleep(0)  # le tour suivant : le lot est écrit et servi
        await serveur.terminer()
    finally:
        await services.ecrivain.arreter()
        services.fermer_bases()
    par_numero = {trame[0]: trame for trame in sortie.trames}
    # chaque accusé nomme le dossier de SA charge utile
    moteur = creer_moteur(url)
    with moteur.connect() as connexion:
        stockees = dict(
            connexion.execute(
                text("SELECT numero_interne, charge_utile FROM dossier WHERE cfa_id = :cfa"),
                {"cfa": cfa_id},
            ).all()
        )
    moteur.dispose()
    for numero, (_, statut, corps, _) in par_numero.items():
        if statut == 200:
            assert bytes(stockees[orjson.loads(corps)["numeroInterne"]]) == charges[numero]
    return [par_numero[numero][1] for numero in range(len(charges))], validations[0]


def test_sur_place_ecrit_comme_le_fil_de_l_ecrivain(url_base: str) -> None:
    charger_exemples(url_base)
    charges = _charges()
    sur_place = creer_compte(url_base, "13002526500013", "0751234J")
    fil = creer_compte(url_base, "44306184100047", "0691234A")
    statuts_sur_place, validations = asyncio.run(_sur_place(url_base, sur_place.id, charges))
    statuts_fil = asyncio.run(_par_le_depot(url_base, fil.id, charges))
    assert statuts_sur_place == statuts_fil
    assert statuts_fil.count(200) >= 100 and statuts_fil.count(400) >= 10
    # une transaction par tour de boucle (un tour sans dépôt valide n'écrit rien)
    assert validations <= -(-len(charges) // 16)
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        lignes_sur_place, lignes_fil = _lignes(session, sur_place.id), _lignes(session, fil.id)
        for table in TABLES:
            assert lignes_sur_place[table] == lignes_fil[table], table
        assert len(lignes_sur_place["dossier"]) == statuts_fil.count(200)
        assert _compteurs(session, sur_place.id) == _compteurs(session, fil.id)
    moteur.dispose()


async def _un_tour(url: str, demandes: list[DemandeDepot]) -> list[tuple[Any, ...]]:
    """Les trames de réponse (triées par numéro) de `demandes` reçues dans un même tour de
    boucle par un processus de dépôt sur place, qui finit ensuite ses dépôts."""
    services = _services(url)
    serveur = ServeurDepot(services, sur_place=True)
    sortie = _Sortie()
    try:
        for numero, demande in enumerate(demandes):
            serveur.recevoir(sortie, (numero, *demande.en_tuple()))  # type: ignore[arg-type]
        await serveur.terminer()
    finally:
        await services.ecrivain.arreter()
        services.fermer_bases()
    return sorted(sortie.trames)


def test_refus_et_depot_avec_cle_dans_un_meme_tour(url_base: str) -> None:
    """Un refus n'empêche pas l'écriture des autres dépôts du tour ; un dépôt avec
    Idempotency-Key passe par le fil de l'écrivain (réponse mémorisée avec sa clé)."""
    charger_exemples(url_base)
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    valide, avec_cle = _charges()[:2]

    trames = asyncio.run(
        _un_tour(
            url_base,
            [
                _demande(cfa.id, valide),
                _demande(cfa.id, b"{pas du json"),
                _demande(cfa.id, avec_cle, cle="cle-essai-1"),
            ],
        )
    )
    assert [trame[1] for trame in trames] == [200, 400, 200]
    assert orjson.loads(trames[1][2])["errors"][0]["code"] == "JSON_INVALIDE"
    moteur = creer_moteur(url_base)
    with moteur.connect() as connexion:
        cles = connexion.execute(text("SELECT cle FROM idempotence")).scalars().all()
        nombre = connexion.execute(
            text("SELECT COUNT(*) FROM dossier WHERE cfa_id = :cfa"), {"cfa": cfa.id}
        ).scalar_one()
    moteur.dispose()
    assert cles == ["cle-essai-1"] and nombre == 2


def test_executer_ici_attend_le_lot_du_fil(url_base: str) -> None:
    """Un lot sur place ne commence qu'après le lot en cours du fil de l'écrivain."""
    moteur = creer_moteur(url_base)
    ecrivain = Ecrivain(sessionmaker(moteur))
    ordre: list[str] = []
    dans_le_fil = threading.Event()
    liberer = threading.Event()

    def lent(_: Session) -> str:
        dans_le_fil.set()
        assert liberer.wait(10)
        ordre.append("fil")
        return "fil"

    def ici(_: Session) -> str:
        ordre.append("ici")
        return "ici"

    async def scenario() -> tuple[str, list[Any]]:
        attente = asyncio.ensure_future(ecrivain.executer(lent))
        assert await asyncio.to_thread(dans_le_fil.wait, 10)
        sur_place = asyncio.ensure_future(asyncio.to_thread(ecrivain.executer_ici, [ici]))
        await asyncio.sleep(0.2)
        assert ordre == []  # le lot sur place attend
        liberer.set()
        resultats = await sur_place
        fil = await attente
        await ecrivain.arreter()
        return fil, resultats

    fil, resultats = asyncio.run(scenario())
    moteur.dispose()
    assert (fil, resultats, ordre) == ("fil", ["ici"], ["fil", "ici"])


def test_executer_ici_rend_la_panne_a_chaque_travail(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    ecrivain = Ecrivain(sessionmaker(moteur))

    def panne(_: Session) -> None:
        raise RuntimeError("panne")

    resultats = ecrivain.executer_ici([panne, lambda _: "écrit"])
    moteur.dispose()
    # le lot échoue, chaque travail est rejoué seul : la panne ne prend que le sien
    assert isinstance(resultats[0], RuntimeError) and resultats[1] == "écrit"


def test_en_tete_de_cle_blanc_ou_trop_long(url_base: str) -> None:
    """Un en-tête Idempotency-Key blanc vaut « sans clé » ; trop long, il est refusé (400 qui
    nomme l'en-tête), par le processus de dépôt comme par le mode local."""
    charger_exemples(url_base)
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    charge = _charges()[0]

    blanc, trop_long = asyncio.run(
        _un_tour(
            url_base,
            [_demande(cfa.id, charge, cle=cle) for cle in ("   ", "x" * (LONGUEUR_MAX + 1))],
        )
    )
    assert blanc[1] == 200
    assert trop_long[1] == 400
    erreur = orjson.loads(trop_long[2])["errors"][0]
    assert (erreur["code"], erreur["champ"]) == ("IDEMPOTENCE_CLE_INVALIDE", "Idempotency-Key")
    moteur = creer_moteur(url_base)
    with moteur.connect() as connexion:
        assert connexion.execute(text("SELECT COUNT(*) FROM idempotence")).scalar_one() == 0
    moteur.dispose()
