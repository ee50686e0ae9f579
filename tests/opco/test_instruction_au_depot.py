"""L'instruction au dépôt écrit EXACTEMENT ce qu'écrit la boucle de l'instructeur.

Chemin au dépôt : `traiter_depot` décide (`Instructeur.decider_au_depot`) et l'écrivain insère le
dossier directement dans son état final, avec ses lignes liées. Chemin de la boucle : le dossier
est déposé `TRANSMIS`, puis instruit par `Instructeur.instruire_en_attente` (lecture, décision,
mise à jour). Les mêmes charges utiles, déposées par deux CFA d'une même base à la même heure,
doivent laisser les mêmes lignes (dossier, échéances, frais, périodes) et les mêmes compteurs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import orjson
import pytest
from opco_banc import creer_compte, dossiers_melanges
from sqlalchemy import text
from sqlalchemy.orm import Session

from apicfa.opco.app import creer_services
from apicfa.opco.corps import empreinte_corps
from apicfa.opco.depot_noyau import DemandeDepot, traiter_depot
from apicfa.opco.empreinte_dossier import extraire_dossier
from apicfa.opco.erreurs import ErreurApi
from apicfa.opco.services import Services
from apicfa.referentiels.depot import charger_exemples
from apicfa.stockage.moteur import creer_moteur

DEPOT = datetime(2026, 3, 2, 9, 30, 15, 123456)
TABLES = ("dossier", "echeance", "engagement_frais_annexe", "periode_frais_annexe")
# Colonnes propres à chaque dépôt (identifiants, numéros, CFA) ; le numéro DECA est comparé à
# part (les deux CFA tirent sur les mêmes séquences).
PROPRES = {"id", "dossier_id", "numero_interne", "numero_externe", "rang", "cfa_id"}


def _charges() -> list[bytes]:
    # Une charge par empreinte de doublon : des dossiers invalides tirés d'une même base en
    # partagent, et un doublon n'est reconnu que tant que son aîné n'est pas refusé (le refus
    # libère l'empreinte) : au dépôt, c'est aussitôt ; par la boucle, un instant plus tard.
    charges: dict[str | None, bytes] = {}
    for dossier in dossiers_melanges(90, 30, 51, DEPOT.date()):
        charge = orjson.dumps(dossier)
        empreinte = extraire_dossier(dossier, charge, 2, "atlas", 1).empreinte
        charges.setdefault(empreinte, charge)
    return list(charges.values())


async def _deposer(services: Services, cfa_id: int, charges: list[bytes]) -> list[int]:
    """Dépose par paquets simultanés (l'écrivain les groupe) ; rend les statuts."""

    async def un(charge: bytes) -> int:
        demande = DemandeDepot("atlas", 2, cfa_id, charge, empreinte_corps(charge), None)
        try:
            return (await traiter_depot(services, demande))[0]
        except ErreurApi as refus:
            return refus.statut

    statuts: list[int] = []
    for debut in range(0, len(charges), 16):
        statuts += await asyncio.gather(*(un(c) for c in charges[debut : debut + 16]))
    return statuts


def _services(url: str) -> Services:
    services = creer_services(url)
    services.horloge = lambda: DEPOT
    assert services.instructeur is not None
    services.instructeur._referentiel.obtenir()  # frais : la décision au dépôt est possible
    return services


async def _par_le_depot(url: str, cfa_id: int, charges: list[bytes]) -> list[int]:
    services = _services(url)
    try:
        return await _deposer(services, cfa_id, charges)
    finally:
        await services.ecrivain.arreter()
        services.fermer_bases()


async def _par_la_boucle(url: str, cfa_id: int, charges: list[bytes]) -> list[int]:
    services = _services(url)
    instructeur = services.instructeur
    assert instructeur is not None
    instructeur.decider_au_depot = lambda *_: None  # type: ignore[method-assign]
    try:
        statuts = await _deposer(services, cfa_id, charges)
        await instructeur.instruire_en_attente()
        return statuts
    finally:
        await services.ecrivain.arreter()
        services.fermer_bases()


def _lignes(session: Session, cfa_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Les lignes stockées des dossiers de `cfa_id`, chacune repérée par la charge utile de
    son dossier (les rangs diffèrent d'un CFA à l'autre : dépôts simultanés)."""
    charges = {
        ident: charge
        for ident, charge in session.connection().exec_driver_sql(
            f"SELECT id, charge_utile FROM dossier WHERE cfa_id = {cfa_id}"
        )
    }
    lignes: dict[str, list[tuple[Any, ...]]] = {}
    for table in TABLES:
        description = (
            session.connection()
            .exec_driver_sql(f"SELECT * FROM {table} WHERE 1 = 0")
            .cursor.description
        )
        colonnes = [d[0] for d in description if d[0] not in PROPRES]
        cle = "id" if table == "dossier" else "dossier_id"
        resultat = session.connection().exec_driver_sql(
            f"SELECT {cle}, {', '.join(colonnes)} FROM {table} ORDER BY id"
        )
        rangees = []
        for ident, *valeurs in resultat:
            if ident not in charges:
                continue
            ligne = dict(zip(colonnes, valeurs, strict=True))
            if "numero_deca" in ligne:  # département et mois, pas la séquence
                ligne["numero_deca"] = (ligne["numero_deca"] or "")[:9]
            if "empreinte" in ligne:  # liée au CFA : seule sa présence compte
                ligne["empreinte"] = ligne["empreinte"] is not None
            rangees.append((bytes(charges[ident]), *ligne.items()))
        lignes[table] = sorted(rangees)
    return lignes


def _compteurs(session: Session, cfa_id: int) -> dict[str, int]:
    return {
        etat: nombre
        for etat, nombre in session.execute(
            text("SELECT etat, nombre FROM compteur_etat WHERE cfa_id = :cfa"), {"cfa": cfa_id}
        )
        if nombre
    }


def _executer(coroutine: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(coroutine())  # type: ignore[arg-type]


def test_instruction_au_depot_identique_a_la_boucle(url_base: str) -> None:
    charger_exemples(url_base)
    charges = _charges()
    au_depot = creer_compte(url_base, "13002526500013", "0751234J")
    boucle = creer_compte(url_base, "44306184100047", "0691234A")
    statuts_depot = _executer(lambda: _par_le_depot(url_base, au_depot.id, charges))
    statuts_boucle = _executer(lambda: _par_la_boucle(url_base, boucle.id, charges))
    assert statuts_depot == statuts_boucle
    assert statuts_depot.count(200) >= 100 and statuts_depot.count(400) >= 10
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        lignes_depot, lignes_boucle = _lignes(session, au_depot.id), _lignes(session, boucle.id)
        for table in TABLES:
            assert lignes_depot[table] == lignes_boucle[table], table
        # le jeu couvre les issues et les lignes liées
        etats = {dict(ligne[1:])["etat"] for ligne in lignes_depot["dossier"]}
        assert {"ENGAGE", "REFUSE"} <= etats, etats
        assert len(lignes_depot["echeance"]) > 3 * len(lignes_depot["dossier"]) // 2
        assert _compteurs(session, au_depot.id) == _compteurs(session, boucle.id)
        assert "TRANSMIS" not in _compteurs(session, au_depot.id)
        # numéros DECA : aucun doublon entre les deux chemins
        numeros = [n for (n,) in session.execute(text("SELECT numero_deca FROM dossier")) if n]
        assert len(numeros) == len(set(numeros)) > 50
    moteur.dispose()


def test_referentiel_pas_frais_laisse_transmis_pour_la_boucle(url_base: str) -> None:
    """Sans référentiel frais en mémoire, le dépôt n'attend pas son chargement : le dossier est
    déposé TRANSMIS, ses constats gardés, et la boucle l'instruit."""
    charger_exemples(url_base)
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    charge = _charges()[0]

    async def scenario() -> tuple[str, str, int]:
        services = creer_services(url_base)
        services.horloge = lambda: DEPOT
        instructeur = services.instructeur
        assert instructeur is not None and instructeur._referentiel.frais() is None
        try:
            (statut,) = await _deposer(services, cfa.id, [charge])
            assert statut == 200
            gardes = len(services.constats_depot)
            avant = _etat(url_base, cfa.id)
            await instructeur.instruire_en_attente()
            return avant, _etat(url_base, cfa.id), gardes
        finally:
            await services.ecrivain.arreter()
            services.fermer_bases()

    avant, apres, gardes = _executer(scenario)
    assert (avant, apres, gardes) == ("TRANSMIS", "ENGAGE", 1)


def test_decision_de_la_veille_laissee_a_la_boucle(url_base: str) -> None:
    """Une décision prise avant minuit mais écrite après n'est pas écrite : le dossier est
    déposé TRANSMIS (son jour de dépôt est celui de l'écriture) et la boucle l'instruit."""
    charger_exemples(url_base)
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    charge = _charges()[1]
    instants = iter([datetime(2026, 3, 2, 23, 59, 59, 999000), datetime(2026, 3, 3, 0, 0, 0, 1)])

    async def scenario() -> tuple[str, str]:
        services = _services(url_base)
        instant = {"valeur": DEPOT}

        def horloge() -> datetime:
            return instant["valeur"]

        services.horloge = horloge
        instant["valeur"] = next(instants)
        ecrivain = services.ecrivain
        executer = ecrivain.executer

        async def executer_apres_minuit(travail: Any) -> Any:
            instant["valeur"] = next(instants)
            return await executer(travail)

        ecrivain.executer = executer_apres_minuit  # type: ignore[method-assign]
        try:
            (statut,) = await _deposer(services, cfa.id, [charge])
            assert statut == 200
            avant = _etat(url_base, cfa.id)
            ecrivain.executer = executer  # type: ignore[method-assign]
            assert services.instructeur is not None
            await services.instructeur.instruire_en_attente()
            return avant, _etat(url_base, cfa.id)
        finally:
            await ecrivain.arreter()
            services.fermer_bases()

    assert _executer(scenario) == ("TRANSMIS", "ENGAGE")


def _etat(url: str, cfa_id: int) -> str:
    moteur = creer_moteur(url)
    with moteur.connect() as connexion:
        (etat,) = connexion.execute(
            text("SELECT etat FROM dossier WHERE cfa_id = :cfa"), {"cfa": cfa_id}
        ).one()
    moteur.dispose()
    return str(etat)


@pytest.mark.parametrize("panne", [KeyError, ValueError])
def test_decision_en_panne_laisse_le_dossier_a_l_agent(
    url_base: str, monkeypatch: pytest.MonkeyPatch, panne: type[Exception]
) -> None:
    """Une erreur imprévue de la décision au dépôt : le dossier est déposé (200) et laissé
    EN_COURS_INSTRUCTION avec le commentaire générique, comme par la boucle."""
    from apicfa.opco import instruction_auto

    charger_exemples(url_base)
    cfa = creer_compte(url_base, "13002526500013", "0751234J")

    def casse(*_: Any, **__: Any) -> Any:
        raise panne("imprévu")

    monkeypatch.setattr(instruction_auto, "_decider", casse)

    async def scenario() -> list[int]:
        services = _services(url_base)
        try:
            return await _deposer(services, cfa.id, [_charges()[2]])
        finally:
            await services.ecrivain.arreter()
            services.fermer_bases()

    assert _executer(scenario) == [200]
    moteur = creer_moteur(url_base)
    with moteur.connect() as connexion:
        etat, commentaire = connexion.execute(
            text("SELECT etat, commentaire_etat FROM dossier WHERE cfa_id = :cfa"),
            {"cfa": cfa.id},
        ).one()
    moteur.dispose()
    assert etat == "EN_COURS_INSTRUCTION"
    assert commentaire == instruction_auto.COMMENTAIRE_PANNE


def test_lot_avec_doublons_deja_deposes_ne_laisse_aucun_trou(url_base: str) -> None:
    """Un lot où des dépôts sont les doublons de dossiers déjà en base : sur PostgreSQL, la
    réservation faite pour tout le lot (avec la recherche des doublons, en un aller-retour) est
    annulée, puis refaite pour les seuls nouveaux dossiers. Les doublons reçoivent l'accusé du
    dossier existant ; rangs, numéros externes et séquences DECA restent sans trou, et les
    compteurs comptent chaque dossier une fois."""
    cfa = creer_compte(url_base, "13002526500013", "0751234J")
    charges = [c for c in _charges() if b'"nom"' in c][:24]
    premiers, second_lot = charges[:8], charges[2:6] + charges[8:20]

    async def deposer() -> tuple[list[bytes], list[bytes]]:
        services = _services(url_base)

        async def lot(paquet: list[bytes]) -> list[bytes]:
            demandes = [
                DemandeDepot("atlas", 2, cfa.id, c, empreinte_corps(c), None) for c in paquet
            ]
            return [
                r[1] for r in await asyncio.gather(*(traiter_depot(services, d) for d in demandes))
            ]

        try:
            return await lot(premiers), await lot(second_lot)
        finally:
            await services.ecrivain.arreter()
            services.fermer_bases()

    accuses_1, accuses_2 = _executer(deposer)
    internes_1 = [orjson.loads(a)["numeroInterne"] for a in accuses_1]
    internes_2 = [orjson.loads(a)["numeroInterne"] for a in accuses_2]
    assert internes_2[:4] == internes_1[2:6]  # les doublons : le dossier déjà déposé
    assert len(set(internes_1 + internes_2)) == 20
    moteur = creer_moteur(url_base)
    with Session(moteur) as session:
        lignes = session.execute(
            text(
                "SELECT rang, numero_externe, numero_deca FROM dossier "
                "WHERE cfa_id = :cfa ORDER BY rang"
            ),
            {"cfa": cfa.id},
        ).all()
        compteur = session.execute(
            text("SELECT dossiers FROM compteur_cfa WHERE cfa_id = :cfa"), {"cfa": cfa.id}
        ).scalar_one()
        compteurs = _compteurs(session, cfa.id)
    moteur.dispose()
    assert [rang for rang, _, _ in lignes] == list(range(1, 21)) and compteur == 20
    assert [externe for _, externe, _ in lignes] == [f"ATL-2026-{n:06d}" for n in range(1, 21)]
    assert sum(compteurs.values()) == 20
    sequences: dict[str, list[int]] = {}
    for _, _, deca in lignes:
        if deca is not None:
            sequences.setdefault(deca[:9], []).append(int(deca[9:]))
    assert sequences and all(
        sorted(suite) == list(range(1, len(suite) + 1)) for suite in sequences.values()
    ), sequences
