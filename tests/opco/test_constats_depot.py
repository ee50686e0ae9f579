"""Les constats du dépôt sont repris par l'instruction du même processus (une seule validation)."""

from __future__ import annotations

import hashlib
from datetime import date

from opco_banc import Banc, attendre_etat, dossier_recent
from sqlalchemy import select
from sqlalchemy.orm import Session

from apicfa.financement.npec import ReferentielNpec
from apicfa.norme.constats import Constat
from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.instruction_auto import decider_lot, ecrire_lot
from apicfa.opco.profils import charger_profils
from apicfa.opco.services import maintenant_utc
from apicfa.stockage.guichet import lire_a_instruire
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Dossier

JOUR = date(2026, 3, 2)


def _empreinte(corps: bytes) -> str:
    return hashlib.sha256(corps).hexdigest()


def test_garder_puis_prendre_une_fois() -> None:
    gardes = ConstatsDepot(taille_max=2)
    gardes.garder(_empreinte(b"a"), JOUR, ["constat"])
    assert gardes.prendre(b"a", date(2026, 3, 3)) is None  # autre jour : revalider
    assert gardes.prendre(b"a", JOUR) == (["constat"], None)
    assert gardes.prendre(b"a", JOUR) is None  # consommé
    for corps in (b"x", b"y", b"z"):
        gardes.garder(_empreinte(corps), JOUR, [])
    assert len(gardes) == 2 and gardes.prendre(b"x", JOUR) is None  # le plus ancien est parti
    assert gardes.prendre(b"z", JOUR) == ([], None)
    cerfa = {"apprenti": {"nom": "Le Goff"}}
    gardes.garder(_empreinte(b"c"), JOUR, [], cerfa)
    assert gardes.prendre(b"c", JOUR) == ([], cerfa)  # le cerfa décodé au dépôt suit


def test_instruction_reprend_les_constats_gardes(banc_sans_instruction: Banc) -> None:
    banc = banc_sans_instruction
    accuse = banc.client.post(
        "/atlas/v2/dossiers", json=dossier_recent(1, 170), headers=banc.a.entetes()
    )
    assert accuse.status_code == 200, accuse.text
    numero = accuse.json()["numeroInterne"]
    moteur = creer_moteur(banc.url)
    gardes = ConstatsDepot()
    refus = Constat("TEST_REPRIS", "cerfa.apprenti.nom", "constat gardé au dépôt", "instruction")
    with Session(moteur) as session:
        stocke = session.scalars(select(Dossier).where(Dossier.numero_interne == numero)).one()
        gardes.garder(_empreinte(stocke.charge_utile), stocke.date_creation.date(), [refus])
    with Session(moteur) as session, session.begin():
        dossiers = lire_a_instruire(session, 10)
        ecrire_lot(
            session,
            decider_lot(dossiers, charger_profils(), ReferentielNpec(), gardes),
            maintenant_utc(),
        )
    moteur.dispose()
    relu = attendre_etat(banc, numero)
    # sans les constats gardés, ce dossier valide serait engagé : le refus prouve leur reprise
    assert relu["cerfa"]["etat"] == "REFUSE"
    assert "constat gardé au dépôt" in relu["cerfa"]["commentaireEtat"]
    assert len(gardes) == 0


def test_le_serveur_consomme_ses_constats(banc: Banc) -> None:
    accuse = banc.client.post(
        "/atlas/v2/dossiers", json=dossier_recent(2, 170), headers=banc.a.entetes()
    )
    relu = attendre_etat(banc, accuse.json()["numeroInterne"])
    assert relu["cerfa"]["etat"] == "ENGAGE", relu["cerfa"]["commentaireEtat"]
    services = banc.client.app.state.services
    assert len(services.constats_depot) == 0
