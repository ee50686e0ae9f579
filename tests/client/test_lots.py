"""Journal par lots : exactement ce que donne le chemin un par un, sur des milliers de cas.

Les lots (écriture des envois avant l'envoi, notes des réponses) ne changent que le nombre de
transactions : le contenu du journal et les issues rendues doivent être les mêmes que quand
chaque objet est écrit et chaque réponse notée seul.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from apicfa.client import ClientOpco, PolitiqueReessai
from apicfa.client.erreurs import ErreurServeur
from apicfa.client.expedition import Expediteur
from apicfa.client.journal import ECHEC, REFUSE, Accuse, Issue, Journal, Objet
from apicfa.client.preparation import preparer_dossiers
from apicfa.client.resultats import ENVOYE, Resultat
from apicfa.client.routage import Routeur
from apicfa.demo.generateur import generer_dossiers

OPCOS = ("atlas", "akto", "sante")
NATURES = ("dossier-v1", "dossier-v2", "rupture")


def _contenu(journal: Journal) -> list[tuple[Any, ...]]:
    """Le journal sans ce qui est tiré au hasard ou daté (clé d'idempotence, horodatages)."""
    return [
        (
            e.id,
            e.opco,
            e.nature,
            e.source,
            e.charge,
            e.nom_fichier,
            e.fichier,
            e.statut,
            e.tentatives,
            e.numero_interne,
            e.numero_externe,
            e.erreurs,
        )
        for e in journal.envois()
    ]


def _objets(nombre: int, graine: int) -> list[Objet]:
    """Des objets variés, avec beaucoup de doublons (dans un même lot et entre lots)."""
    alea = random.Random(graine)
    objets: list[Objet] = []
    for rang in range(nombre):
        if objets and alea.random() < 0.25:
            modele = alea.choice(objets)  # même contenu : même envoi, quelle que soit la source
            objets.append(
                Objet(
                    modele.opco,
                    modele.nature,
                    dict(modele.charge),
                    f"copie-{rang}",
                    modele.nom_fichier,
                    modele.fichier,
                )
            )
            continue
        fichier = alea.choice([None, b"%PDF-1.4 " + alea.randbytes(alea.randint(0, 40))])
        charge = {
            "n": alea.randint(0, nombre // 3),
            "t": alea.choice(["a", "é", "€", ""]),
            "l": [alea.random() for _ in range(alea.randint(0, 3))],
        }
        objets.append(
            Objet(
                alea.choice(OPCOS),
                alea.choice(NATURES),
                charge,
                alea.choice([None, f"f{rang}"]),
                None if fichier is None else f"p{rang}.pdf",
                fichier,
            )
        )
    return objets


def test_preparer_lot_ecrit_exactement_ce_qu_ecrit_preparer(tmp_path: Path) -> None:
    objets = _objets(3000, 11)
    alea = random.Random(12)
    with Journal(tmp_path / "un.sqlite") as un, Journal(tmp_path / "lots.sqlite") as lots:
        rendus_un = [
            un.preparer(
                o.opco,
                o.nature,
                o.charge,
                source=o.source,
                nom_fichier=o.nom_fichier,
                fichier=o.fichier,
            )
            for o in objets
        ]
        rendus_lots = []
        debut = 0
        while debut < len(objets):
            taille = alea.choice([1, 2, 7, 64, 200])
            rendus_lots += lots.preparer_lot(objets[debut : debut + taille])
            debut += taille
        assert len(rendus_un) == len(rendus_lots) == len(objets)
        for a, b in zip(rendus_un, rendus_lots, strict=True):
            assert (a.id, a.opco, a.nature, a.source, a.charge, a.statut) == (
                b.id,
                b.opco,
                b.nature,
                b.source,
                b.charge,
                b.statut,
            )
        # Les doublons rendent le même envoi (même clé) que leur premier exemplaire.
        cles_un = {e.id: e.cle_idempotence for e in rendus_un}
        cles_lots = {e.id: e.cle_idempotence for e in rendus_lots}
        assert all(cles_un[e.id] == e.cle_idempotence for e in rendus_un)
        assert all(cles_lots[e.id] == e.cle_idempotence for e in rendus_lots)
        assert len(set(cles_lots.values())) == len(cles_lots)
        assert _contenu(un) == _contenu(lots)


def test_marquer_lot_note_exactement_ce_que_notent_les_marques_une_a_une(tmp_path: Path) -> None:
    objets = _objets(2000, 21)
    alea = random.Random(22)
    with Journal(tmp_path / "un.sqlite") as un, Journal(tmp_path / "lots.sqlite") as lots:
        envois = un.preparer_lot(objets)
        lots.preparer_lot(objets)
        notes: list[Accuse | Issue] = []
        for _ in range(4000):  # un même envoi peut être noté plusieurs fois : la dernière gagne
            envoi = alea.choice(envois)
            tirage = alea.random()
            if tirage < 0.5:
                numero = f"N{alea.randint(0, 99)}"
                reponse = {"numeroInterne": numero, "etat": "TRANSMIS", "x": alea.random()}
                notes.append(Accuse(envoi.id, numero, alea.choice([None, "E-1"]), reponse))
            else:
                erreurs = tuple(
                    ErreurServeur(f"C{i}", f"motif {alea.random()}", alea.choice([None, "cerfa.x"]))
                    for i in range(alea.randint(0, 2))
                )
                notes.append(Issue(envoi.id, REFUSE if tirage < 0.75 else ECHEC, erreurs))
        for note in notes:
            if isinstance(note, Accuse):
                un.marquer_accepte(
                    note.id,
                    numero_interne=note.numero_interne,
                    numero_externe=note.numero_externe,
                    reponse=note.reponse,
                )
            elif note.statut == REFUSE:
                un.marquer_refuse(note.id, note.erreurs)
            else:
                un.marquer_echec(note.id, note.erreurs)
        debut = 0
        while debut < len(notes):
            taille = alea.choice([1, 3, 64, 500])
            lots.marquer_lot(notes[debut : debut + taille])
            debut += taille
        assert _contenu(un) == _contenu(lots)
        reponses = "SELECT id, reponse FROM envois ORDER BY id"
        assert un._dicts(reponses, ()) == lots._dicts(reponses, ())


class _OpcoAuHasard:
    """Faux OPCO idempotent qui accepte, refuse (400) ou échoue (503) selon le contenu."""

    def __init__(self) -> None:
        self.premieres: dict[str, bytes] = {}

    def __call__(self, requete: httpx.Request) -> httpx.Response:
        cerfa = orjson.loads(requete.content)["cerfa"]
        sort = sum(cerfa["apprenti"]["nom"].encode()) % 7
        if sort == 0:
            return httpx.Response(
                400,
                json={
                    "errors": [{"code": "X", "description": "non", "champ": "cerfa.apprenti.nom"}]
                },
            )
        if sort == 1:
            return httpx.Response(503)
        cle = requete.headers["Idempotency-Key"]
        numero = self.premieres.setdefault(
            cle,
            orjson.dumps(
                {
                    "numeroInterne": cerfa["apprenti"]["nom"] + cerfa["apprenti"]["prenom"],
                    "etat": "TRANSMIS",
                }
            ),
        )
        return httpx.Response(200, content=numero)


def _lancer(tmp_path: Path, nom: str, passes: list[list[Path]], lot: int) -> tuple[Any, ...]:
    opco = _OpcoAuHasard()
    client = ClientOpco(
        "https://opco.test/x",
        "cle",
        opco="x",
        politique=PolitiqueReessai(tentatives=1, dormir=lambda _: None),
        transport=httpx.MockTransport(opco),
    )
    resultats: list[Resultat] = []
    with Journal(tmp_path / f"{nom}.sqlite") as journal, client:
        for chemins in passes:
            flux = preparer_dossiers(
                chemins,
                routeur=Routeur({}, "x"),
                journal=journal,
                aujourd_hui=date(2026, 6, 1),
                lot=lot,
            )
            expediteur = Expediteur(journal, lambda _: client, concurrence=4, lot_journal=lot)
            resultats += sorted(expediteur.expedier(flux), key=repr)
        return tuple(resultats), tuple(_contenu(journal))


def test_envoyer_par_lots_donne_les_memes_issues_et_le_meme_journal(tmp_path: Path) -> None:
    lot_fichiers = tmp_path / "lot"
    lot_fichiers.mkdir()
    chemins: list[Path] = []
    for rang, dossier in enumerate(generer_dossiers(1200, 5)):
        chemin = lot_fichiers / f"d{rang:05d}.json"
        chemin.write_bytes(orjson.dumps(dossier))
        chemins.append(chemin)
        if rang % 9 == 0:  # des copies d'un même dossier sous un autre nom
            copie = lot_fichiers / f"d{rang:05d}-copie.json"
            copie.write_bytes(orjson.dumps(dossier))
            chemins.append(copie)
    chemins.append(lot_fichiers / "absent.json")
    # Première passe sans les copies, seconde avec : une copie lue pendant que son original est
    # en vol n'a pas d'issue propre (l'envoi ne part qu'une fois), quel que soit le lot.
    passes = [[c for c in chemins if "copie" not in c.name], chemins]
    un = _lancer(tmp_path, "un", passes, lot=1)
    lots = _lancer(tmp_path, "lots", passes, lot=64)
    assert un[0] == lots[0]
    # Les envois sont écrits dans l'ordre des fichiers dans les deux cas : mêmes numéros.
    assert un[1] == lots[1]


def test_chaque_envoi_est_au_journal_valide_avant_de_partir(tmp_path: Path) -> None:
    """Lu par une autre connexion au moment de la requête : la transaction du lot est validée."""
    import sqlite3

    chemin_journal = tmp_path / "j.sqlite"
    vus: list[str] = []

    def opco(requete: httpx.Request) -> httpx.Response:
        cle = requete.headers["Idempotency-Key"]
        with sqlite3.connect(f"file:{chemin_journal}?mode=ro", uri=True) as lecture:
            ligne = lecture.execute(
                "SELECT statut FROM envois WHERE cle_idempotence = ?", (cle,)
            ).fetchone()
        assert ligne == ("a_envoyer",), f"clé {cle} absente du journal au moment de l'envoi"
        vus.append(cle)
        return httpx.Response(200, json={"numeroInterne": cle, "etat": "TRANSMIS"})

    dossiers = tmp_path / "lot"
    dossiers.mkdir()
    for rang, dossier in enumerate(generer_dossiers(300, 8)):
        (dossiers / f"d{rang:04d}.json").write_bytes(orjson.dumps(dossier))
    client = ClientOpco("https://opco.test/x", "cle", transport=httpx.MockTransport(opco))
    with Journal(chemin_journal) as journal, client:
        flux = preparer_dossiers(
            sorted(dossiers.iterdir()),
            routeur=Routeur({}, "x"),
            journal=journal,
            aujourd_hui=date(2026, 6, 1),
        )
        resultats = list(Expediteur(journal, lambda _: client, concurrence=8).expedier(flux))
        envoyes = [r for r in resultats if r.issue == ENVOYE]
        assert len(resultats) == 300 and len(envoyes) == len(vus) == len(set(vus)) > 200
        assert journal.compter() == {"accepte": len(vus)}


def test_sort_des_reponses_rendues_note_meme_si_l_expedition_est_interrompue(
    tmp_path: Path,
) -> None:
    """Chaque Resultat rendu avant l'arrêt est au journal, même quand le lot n'est pas plein."""

    def opco(requete: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"numeroInterne": requete.headers["Idempotency-Key"]})

    client = ClientOpco("https://opco.test/x", "cle", transport=httpx.MockTransport(opco))
    with Journal(tmp_path / "j.sqlite") as journal, client:
        envois = journal.preparer_lot(
            [Objet("x", "dossier-v2", {"cerfa": {"n": n}}, f"f{n}") for n in range(50)]
        )
        expedition = Expediteur(
            journal, lambda _: client, concurrence=2, lot_journal=1000, delai_journal_s=3600
        ).expedier(envois)
        rendus = [next(expedition) for _ in range(7)]
        assert journal.compter() == {"a_envoyer": 50}  # rien n'est encore noté
        expedition.close()  # arrêt (Ctrl-C, erreur du lecteur…)
        acceptes = {e.source for e in journal.envois(statut="accepte")}
        assert {r.source for r in rendus} <= acceptes
        assert journal.compter()["accepte"] + journal.compter().get("a_envoyer", 0) == 50


def test_une_erreur_au_milieu_d_un_lot_annule_tout_le_lot(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite") as journal:
        objets = [Objet("atlas", "dossier-v2", {"cerfa": {"n": n}}) for n in range(3)]
        envois = journal.preparer_lot(objets)
        avant = _contenu(journal)
        illisible = Accuse(envois[2].id, "N", None, {"montant": object()})  # orjson refuse
        with pytest.raises(TypeError):
            journal.marquer_lot([Accuse(envois[0].id, "N0", None, {}), illisible])
        assert _contenu(journal) == avant
        charge_illisible = Objet("atlas", "dossier-v2", {"cerfa": {"n": object()}})
        with pytest.raises(TypeError):
            journal.preparer_lot([Objet("akto", "dossier-v2", {"cerfa": {}}), charge_illisible])
        assert _contenu(journal) == avant
        # Aucune transaction laissée ouverte : le journal sert encore.
        journal.marquer_lot([Accuse(envois[1].id, "N1", None, {})])
        relu = journal.envoi(envois[1].id)
        assert relu is not None and relu.numero_interne == "N1"
