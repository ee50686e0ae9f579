"""L'écrivain dans son fil : les lots s'enchaînent sans la boucle asyncio, l'arrêt sert ce qui est
déjà reçu (et reste borné), une autre boucle (ou deux à la fois) est servie."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from apicfa.opco.ecrivain import Ecrivain

ATTENTE_S = 10.0


@pytest.fixture
def ecrivain() -> Iterator[Ecrivain]:
    # une seule connexion en mémoire, partagée par les fils successifs de l'écrivain
    moteur = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    yield Ecrivain(sessionmaker(moteur))
    moteur.dispose()


def _bloquant(
    commence: threading.Event, libere: threading.Event, valeur: str
) -> Callable[..., str]:
    def travail(_: Session) -> str:
        commence.set()
        assert libere.wait(ATTENTE_S)
        return valeur

    return travail


async def _attendre(evenement: threading.Event) -> None:
    assert await asyncio.to_thread(evenement.wait, ATTENTE_S)


def test_lots_enchaines_sans_la_boucle(ecrivain: Ecrivain) -> None:
    """Le lot suivant s'exécute pendant que la boucle est bloquée : l'écrivain ne lui rend pas la
    main entre deux lots (seules les réponses y retournent)."""
    commence, libere, second = threading.Event(), threading.Event(), threading.Event()

    def suivant(_: Session) -> str:
        second.set()
        return "second"

    async def scenario() -> tuple[str, str, bool]:
        premier = asyncio.ensure_future(ecrivain.executer(_bloquant(commence, libere, "premier")))
        await _attendre(commence)  # le premier lot est en cours dans le fil
        deuxieme = asyncio.ensure_future(ecrivain.executer(suivant))
        await asyncio.sleep(0)  # déposé dans la file : il fera le lot suivant
        libere.set()
        # la boucle est bloquée ici : seul le fil de l'écrivain peut exécuter le second lot
        execute_boucle_bloquee = second.wait(ATTENTE_S)
        resultats = await asyncio.gather(premier, deuxieme)
        await ecrivain.arreter()
        return resultats[0], resultats[1], execute_boucle_bloquee

    assert asyncio.run(scenario()) == ("premier", "second", True)


def test_arret_sert_les_travaux_deja_recus(ecrivain: Ecrivain) -> None:
    commence, libere = threading.Event(), threading.Event()

    def lecture(numero: int) -> Callable[[Session], int]:
        def travail(session: Session) -> int:
            return int(session.execute(text(f"SELECT {numero}")).scalar_one())

        return travail

    async def scenario() -> tuple[str, list[int], bool]:
        premier = asyncio.ensure_future(ecrivain.executer(_bloquant(commence, libere, "premier")))
        await _attendre(commence)
        suivants = [asyncio.ensure_future(ecrivain.executer(lecture(n))) for n in range(5)]
        await asyncio.sleep(0)  # les cinq sont dans la file, derrière le lot en cours
        arret = asyncio.ensure_future(ecrivain.arreter())
        await asyncio.sleep(0.05)
        assert not arret.done()  # l'arrêt attend les travaux reçus
        libere.set()
        await arret
        # tout est servi au retour d'`arreter`, sans autre tour de boucle
        assert premier.done() and all(tache.done() for tache in suivants)
        return premier.result(), [tache.result() for tache in suivants], ecrivain._actif

    assert asyncio.run(scenario()) == ("premier", [0, 1, 2, 3, 4], False)


def test_arret_borne(ecrivain: Ecrivain, caplog: pytest.LogCaptureFixture) -> None:
    """Un lot bloqué ne retient pas l'arrêt au-delà du délai ; il est servi quand il finit."""
    commence, libere = threading.Event(), threading.Event()

    async def scenario() -> tuple[float, str]:
        premier = asyncio.ensure_future(ecrivain.executer(_bloquant(commence, libere, "tardif")))
        await _attendre(commence)
        debut = time.monotonic()
        await ecrivain.arreter(delai_s=0.2)
        duree = time.monotonic() - debut
        libere.set()
        return duree, await premier

    with caplog.at_level(logging.ERROR, logger="apicfa.opco"):
        duree, resultat = asyncio.run(scenario())
    assert 0.15 < duree < 2.0
    assert resultat == "tardif"
    assert "arrêt non terminé" in caplog.text
    asyncio.run(ecrivain.arreter())


def test_relance_sur_une_autre_boucle(ecrivain: Ecrivain) -> None:
    async def une_fois(valeur: int, arreter: bool) -> int:
        resultat = await ecrivain.executer(lambda _: valeur)
        if arreter:
            await ecrivain.arreter()
        return resultat

    # arrêté puis relancé, ou laissé vivant d'une boucle à l'autre
    assert [asyncio.run(une_fois(n, arreter=n % 2 == 0)) for n in range(4)] == [0, 1, 2, 3]
    asyncio.run(ecrivain.arreter())
    assert not ecrivain._actif


def test_deux_boucles_servies_chacune(ecrivain: Ecrivain) -> None:
    """Deux boucles (deux fils) déposent en même temps : chacune reçoit ses réponses chez elle."""
    resultats: dict[str, list[tuple[int, bool]]] = {}
    depart = threading.Barrier(2)

    def fil(nom: str) -> None:
        async def deposer() -> list[tuple[int, bool]]:
            boucle = asyncio.get_running_loop()
            depart.wait(ATTENTE_S)

            async def un(n: int) -> tuple[int, bool]:
                valeur = await ecrivain.executer(lambda _: n)
                return valeur, asyncio.get_running_loop() is boucle

            return list(await asyncio.gather(*(un(n) for n in range(50))))

        resultats[nom] = asyncio.run(deposer())

    fils = [threading.Thread(target=fil, args=(nom,)) for nom in ("a", "b")]
    for un_fil in fils:
        un_fil.start()
    for un_fil in fils:
        un_fil.join(ATTENTE_S)
    attendu = [(n, True) for n in range(50)]
    assert resultats == {"a": attendu, "b": attendu}
    asyncio.run(ecrivain.arreter())


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_fil_mort_remplace(ecrivain: Ecrivain, monkeypatch: pytest.MonkeyPatch) -> None:
    """Une erreur imprévue hors d'un lot tue le fil : le travail suivant en relance un."""
    import apicfa.opco.ecrivain as module

    servir = module._servir_de_loin
    pannes = [RuntimeError]

    def servir_en_panne(boucle: asyncio.AbstractEventLoop, servis: list[object]) -> None:
        if pannes:
            raise pannes.pop()("panne simulée")
        servir(boucle, servis)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "_servir_de_loin", servir_en_panne)

    async def scenario() -> int:
        with pytest.raises(TimeoutError):  # sa réponse est perdue avec le fil
            async with asyncio.timeout(0.5):
                await ecrivain.executer(lambda _: 1)
        async with asyncio.timeout(ATTENTE_S):
            resultat = await ecrivain.executer(lambda _: 2)
        await ecrivain.arreter()
        return resultat

    assert asyncio.run(scenario()) == 2
