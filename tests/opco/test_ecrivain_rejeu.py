"""L'écrivain rejoue une transaction que PostgreSQL a rompue (interblocage, sérialisation) ou
dont la connexion a été coupée ; les autres erreurs d'exploitation sont rendues telles quelles."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.app import creer_services
from apicfa.opco.ecrivain import ESSAIS_SEUL, Ecrivain
from apicfa.stockage.aller_retour import executer_ensemble


class _ErreurPilote(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("échec simulé")
        self.sqlstate = sqlstate


def _travail_qui_echoue(fois: int, sqlstate: str | None) -> tuple[list[int], object]:
    appels: list[int] = []

    def travail(_: Session) -> str:
        appels.append(1)
        if len(appels) <= fois:
            raise OperationalError("UPDATE …", {}, _ErreurPilote(sqlstate))
        return "écrit"

    return appels, travail


async def _executer(travail: object) -> object:
    moteur = create_engine("sqlite://")
    ecrivain = Ecrivain(sessionmaker(moteur))
    try:
        return await ecrivain.executer(travail)  # type: ignore[arg-type]
    finally:
        await ecrivain.arreter()
        moteur.dispose()


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_interblocage_rejoue(sqlstate: str) -> None:
    appels, travail = _travail_qui_echoue(ESSAIS_SEUL - 1, sqlstate)
    assert asyncio.run(_executer(travail)) == "écrit"
    assert len(appels) == ESSAIS_SEUL


def test_interblocage_persistant_rendu() -> None:
    appels, travail = _travail_qui_echoue(ESSAIS_SEUL, "40P01")
    with pytest.raises(OperationalError):
        asyncio.run(_executer(travail))
    assert len(appels) == ESSAIS_SEUL


def test_autre_erreur_non_rejouee() -> None:
    appels, travail = _travail_qui_echoue(1, "08006")
    with pytest.raises(OperationalError):
        asyncio.run(_executer(travail))
    assert len(appels) == 1


def test_connexion_coupee_rejouee() -> None:
    """Une connexion coupée (SQLAlchemy l'a invalidée) : rien n'est écrit, le travail est rejoué
    sur une connexion neuve, comme après un interblocage."""
    appels: list[int] = []

    def travail(_: Session) -> str:
        appels.append(1)
        if len(appels) == 1:
            raise OperationalError("INSERT …", {}, _ErreurPilote(None), connection_invalidated=True)
        return "écrit"

    assert asyncio.run(_executer(travail)) == "écrit"
    assert len(appels) == 2


def test_ecrivain_postgresql_sans_verification_reprend_apres_coupure(url_base: str) -> None:
    """PostgreSQL : l'écrivain a son propre moteur, sans `pool_pre_ping` (un aller-retour de
    moins par lot). Sa connexion coupée par la base (redémarrage, `pg_terminate_backend`), le
    lot suivant réussit quand même : échec, réserve invalidée, rejeu sur une connexion neuve."""
    if not url_base.startswith("postgresql"):
        pytest.skip("PostgreSQL seulement : SQLite n'a pas de connexion réseau à couper")
    services = creer_services(url_base, instruction_automatique=False)
    assert services.moteur_ecriture is not None
    assert services.moteur_ecriture.pool._pre_ping is False  # type: ignore[attr-defined]

    def processus(session: Session) -> int:
        # première instruction du lot par le pilote, comme la recherche des doublons d'un dépôt
        # (`executer_ensemble`, mode pipeline) : sa coupure doit invalider la connexion
        ((pid,),) = executer_ensemble(session.connection(), [("SELECT pg_backend_pid()", ())])[0]
        return int(pid)

    async def scenario() -> tuple[int, int]:
        try:
            avant = await services.ecrivain.executer(processus)
            moteur = create_engine(url_base)
            with moteur.begin() as connexion:
                connexion.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": avant})
            moteur.dispose()
            apres = await services.ecrivain.executer(processus)
            return avant, apres
        finally:
            await services.ecrivain.arreter()
            services.fermer_bases()

    avant, apres = asyncio.run(scenario())
    assert apres != avant
