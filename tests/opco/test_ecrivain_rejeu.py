"""L'écrivain rejoue une transaction que PostgreSQL a rompue (interblocage, sérialisation) ;
les autres erreurs d'exploitation sont rendues telles quelles."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from apicfa.opco.ecrivain import ESSAIS_SEUL, Ecrivain


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
