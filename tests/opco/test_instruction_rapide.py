"""Le chemin rapide de l'instruction automatique donne EXACTEMENT ce que donne le chemin normal.

Chemin rapide (`opco.instruction_auto`, `stockage.guichet`) : cerfa et constats repris du dépôt,
centimes en cache, lecture et écriture des lignes par le pilote (executemany), séquences DECA
réservées en une instruction. Chemin normal, écrit ici à partir des API publiques :
`valider_cerfa` → `apicfa.instruction.instruire` → `financement.calculer_echeancier`, montants
par `en_centimes`, écriture par les objets ORM.

Comparaison sur des centaines de dossiers générés : valides, invalides (une règle enfreinte à la
fois : refus, motifs), profils automatique, manuel et sans amorçage, avec et sans référentiel,
avec et sans convention reçue avant l'engagement.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from opco_banc import convention, creer_compte, dossiers_melanges
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.frais_annexes import PREMIER_EQUIPEMENT, lire_couts
from apicfa.financement.lecture_cerfa import depuis_cerfa
from apicfa.financement.montants import en_centimes
from apicfa.financement.npec import ReferentielNpec
from apicfa.financement.periodes_frais import periodes_frais_annexes
from apicfa.instruction import ParametresInstruction, departement_deca, instruire, numero_deca
from apicfa.instruction.lecture import contenu_cerfa, departement_employeur
from apicfa.norme.validation import valider_cerfa
from apicfa.opco import instruction_auto
from apicfa.opco.constats_depot import ConstatsDepot
from apicfa.opco.corps import empreinte_corps
from apicfa.opco.empreinte_dossier import extraire_dossier
from apicfa.opco.profils import ProfilOpco, charger_profils
from apicfa.referentiels.depot import charger_exemples, charger_referentiel
from apicfa.stockage.espace import ETATS_LIBERANT_EMPREINTE, EspaceCfa
from apicfa.stockage.guichet import (
    COLONNES_ECHEANCE,
    DossierAInstruire,
    lire_a_instruire,
)
from apicfa.stockage.moteur import creer_moteur, migrer
from apicfa.stockage.sequences import ajuster_compteur_etat, sequence_deca, sequences_deca
from apicfa.stockage.tables import (
    Dossier,
    Echeance,
    EngagementFraisAnnexe,
    PeriodeFraisAnnexe,
)

DEPOT = datetime(2026, 3, 2, 9, 30, 15, 123456)
MAINTENANT = datetime(2026, 3, 2, 9, 30, 16, 654321)


def _couts_convention() -> bytes:
    envoyee = convention("0" * 32)
    envoyee["couts"].update(
        {
            "nombreRepasTotaux": 120,
            "nombreHebergementTotaux": 30,
            "montantPremierEquipement": 450,
            "mentionMobiliteInternationale": True,
        }
    )
    return orjson.dumps(envoyee)


def _charges() -> list[bytes]:
    """Des dossiers valides (contrats récents et anciens : dépôts tardifs) et invalides."""
    return [orjson.dumps(dossier) for dossier in dossiers_melanges(160, 60, 41, DEPOT.date())]


CHARGES = _charges()


@pytest.fixture(scope="module")
def referentiel(tmp_path_factory: pytest.TempPathFactory) -> ReferentielNpec:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('ref')) / 'ref.db'}"
    migrer(url)
    charger_exemples(url)
    return charger_referentiel(url)


def _profils() -> list[ProfilOpco]:
    atlas = charger_profils()["atlas"]
    return [
        atlas,
        replace(atlas, instruction_manuelle=True),
        replace(atlas, amorcage_autorise=False),
    ]


def decision_normale(
    charge: bytes, profil: ProfilOpco, referentiel: ReferentielNpec, couts: bytes | None
) -> tuple[Any, ...]:
    """Le chemin normal, des API publiques aux colonnes et lignes à écrire."""
    donnees = orjson.loads(charge)
    depot = DEPOT.date()
    reglages = ParametresInstruction(
        instruction_manuelle=profil.instruction_manuelle,
        amorcage_autorise=profil.amorcage_autorise,
    )
    decision = instruire(
        donnees,
        constats=valider_cerfa(donnees, aujourd_hui=depot),
        resolution_npec=instruction_auto.resoudre_pour_cerfa(referentiel, donnees, depot),
        date_depot=depot,
        profil=reglages,
    )
    if not decision.engage or decision.npec is None:
        return (decision.etat.value, decision.commentaire_etat, {}, [], [], [], None)
    try:
        echeancier = calculer_echeancier(
            depuis_cerfa(
                donnees,
                decision.npec.valeur,
                couts=lire_couts(orjson.loads(couts)) if couts else None,
                forfait_mobilite=profil.forfait_mobilite,
            )
        )
    except ValueError as probleme:
        commentaire = (
            f"Dossier en instruction : échéancier impossible à calculer ({probleme}) : "
            "décision manuelle de l'OPCO."
        )
        return ("EN_COURS_INSTRUCTION", commentaire, {}, [], [], [], None)
    frais = echeancier.engagements_frais_annexe
    premier = [en_centimes(f.montant_total) for f in frais if f.nature_frais == PREMIER_EQUIPEMENT]
    colonnes = {
        "npec_centimes": en_centimes(decision.npec.valeur),
        "engagement_centimes": en_centimes(echeancier.engagement),
        "trop_percu_centimes": en_centimes(echeancier.trop_percu),
        "plafond_premier_equipement_centimes": sum(premier) if premier else None,
    }
    echeances = [
        {
            "numero": e.numero,
            "codification": e.codification,
            "montant_total_centimes": en_centimes(e.montant_total),
            "montant_regle_centimes": en_centimes(e.montant_regle),
            "montant_en_cours_centimes": en_centimes(e.montant_en_cours_instruction),
            "date_ouverture": e.date_ouverture,
            "date_debut": e.date_debut,
            "date_fin": e.date_fin,
            "solde": e.solde,
        }
        for e in echeancier.echeances
    ]
    lignes_frais = [
        {
            "nature": f.nature_frais,
            "quantite": f.quantite,
            "prix_unitaire_centimes": en_centimes(f.prix_unitaire),
            "montant_total_centimes": en_centimes(f.montant_total),
        }
        for f in frais
    ]
    departement = departement_deca(
        departement_employeur(contenu_cerfa(donnees)), reglages.departement_deca_defaut
    )
    return (
        "ENGAGE",
        decision.commentaire_etat,
        colonnes,
        echeances,
        lignes_frais,
        periodes_frais_annexes(echeancier.echeances, frais),
        departement,
    )


def decision_rapide(
    charge: bytes,
    profil: ProfilOpco,
    referentiel: ReferentielNpec,
    couts: bytes | None,
    gardes: ConstatsDepot | None,
) -> tuple[Any, ...]:
    dossier = DossierAInstruire(1, "atlas", 1, "ATL-2026-000001", "TRANSMIS", charge, DEPOT, couts)
    donnees, constats = instruction_auto._lire(dossier, gardes)
    issue, departement = instruction_auto._decider(
        dossier, donnees, constats, profil, referentiel, instruction_auto._couts(couts)
    )
    return (
        issue.etat,
        issue.commentaire,
        issue.colonnes,
        [dict(zip(COLONNES_ECHEANCE, valeurs, strict=True)) for valeurs in issue.echeances],
        issue.frais,
        issue.periodes,
        departement,
    )


def test_le_jeu_couvre_toutes_les_issues(referentiel: ReferentielNpec) -> None:
    issues = {
        decision_normale(charge, profil, ref, None)[0]
        for charge in CHARGES[::7]
        for profil in _profils()
        for ref in (referentiel, ReferentielNpec())
    }
    assert issues == {"ENGAGE", "REFUSE", "EN_COURS_INSTRUCTION"}
    assert len(CHARGES) > 300


@pytest.mark.parametrize("avec_convention", [False, True])
def test_decision_rapide_identique_au_chemin_normal(
    referentiel: ReferentielNpec, avec_convention: bool
) -> None:
    couts = _couts_convention() if avec_convention else None
    compares = 0
    for profil, ref in itertools.product(_profils(), (referentiel, ReferentielNpec())):
        for rang, charge in enumerate(CHARGES):
            attendu = decision_normale(charge, profil, ref, couts)
            # Chemin du serveur : le dépôt a gardé ses constats et le cerfa décodé ; ou
            # reprise : rien de gardé, la charge utile est relue et revalidée.
            gardes = ConstatsDepot()
            if rang % 2 == 0:
                donnees = orjson.loads(charge)
                constats = valider_cerfa(donnees, aujourd_hui=DEPOT.date())
                gardes.garder(empreinte_corps(charge), DEPOT.date(), constats, donnees)
            assert decision_rapide(charge, profil, ref, couts, gardes) == attendu, rang
            compares += 1
    assert compares >= 6 * 300


# --- écriture : pilote (executemany) contre objets ORM ---------------------------------------


def _deposer(url: str, siret: str, uai: str) -> tuple[int, list[int]]:
    cfa = creer_compte(url, siret, uai)
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", cfa.id)
        # une empreinte par dossier : des dossiers invalides tirés d'une même base en partagent
        nouveaux = [
            replace(
                extraire_dossier(orjson.loads(charge), charge, 2, "atlas", cfa.id),
                empreinte=f"dossier-{rang}",
            )
            for rang, charge in enumerate(CHARGES)
        ]
        numeros = [d.numero_interne for d in espace.inserer_dossiers(nouveaux, DEPOT)]
        par_numero = {
            numero: dossier_id
            for numero, dossier_id in session.execute(
                select(Dossier.numero_interne, Dossier.id).where(Dossier.cfa_id == cfa.id)
            )
        }
        ids = [par_numero[numero] for numero in numeros]
    moteur.dispose()
    return cfa.id, ids


def _ecrire_par_l_orm(session: Session, dossiers_ids: list[int], referentiel: Any) -> None:
    """Le chemin normal d'écriture : décision normale, objets ORM, un compteur à la fois."""
    profil = charger_profils()["atlas"]
    for dossier_id in dossiers_ids:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        etat, commentaire, colonnes, echeances, frais, periodes, departement = decision_normale(
            dossier.charge_utile, profil, referentiel, None
        )
        ajuster_compteur_etat(session, "atlas", dossier.cfa_id, "TRANSMIS", -1)
        ajuster_compteur_etat(session, "atlas", dossier.cfa_id, etat, 1)
        dossier.etat = etat
        dossier.commentaire_etat = commentaire
        dossier.date_modification = MAINTENANT
        if etat in ETATS_LIBERANT_EMPREINTE:
            dossier.empreinte = None
        for colonne, valeur in colonnes.items():
            setattr(dossier, colonne, valeur)
        if departement is not None:
            depot = dossier.date_creation.date()
            (sequence,) = sequence_deca(
                session, "atlas", departement, depot.year * 100 + depot.month
            )
            dossier.numero_deca = numero_deca(departement, depot, sequence)
        session.add_all(Echeance(dossier_id=dossier_id, **ligne) for ligne in echeances)
        session.add_all(EngagementFraisAnnexe(dossier_id=dossier_id, **ligne) for ligne in frais)
        session.add_all(PeriodeFraisAnnexe(dossier_id=dossier_id, **ligne) for ligne in periodes)
    session.flush()


def _lignes_brutes(session: Session, table: str, dossiers_ids: list[int]) -> list[tuple[Any, ...]]:
    """Les lignes telles que stockées (valeurs du pilote : sur SQLite, les textes des dates),
    identifiants remplacés par le rang du dossier dans son lot."""
    rang = {dossier_id: n for n, dossier_id in enumerate(dossiers_ids)}
    colonne_dossier = "id" if table == "dossier" else "dossier_id"
    colonnes = [
        c.name
        for c in {
            "dossier": Dossier,
            "echeance": Echeance,
            "engagement_frais_annexe": EngagementFraisAnnexe,
            "periode_frais_annexe": PeriodeFraisAnnexe,
        }[table].__table__.columns
        if c.name not in ("id", "dossier_id", "numero_interne", "numero_externe", "rang", "cfa_id")
        and c.name not in ("empreinte", "numero_deca")
    ]
    lignes = session.connection().exec_driver_sql(
        f"SELECT {colonne_dossier}, {', '.join(colonnes)} FROM {table} ORDER BY id"
    )
    return sorted((rang[ligne[0]], *ligne[1:]) for ligne in lignes if ligne[0] in rang)


def test_ecriture_rapide_identique_a_l_orm(url_base: str) -> None:
    migrer(url_base)
    charger_exemples(url_base)
    referentiel = charger_referentiel(url_base)
    cfa_rapide, ids_rapides = _deposer(url_base, "13002526500013", "0751234J")
    cfa_orm, ids_orm = _deposer(url_base, "44306184100047", "0691234A")
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        # Chemin rapide : lots de l'instructeur (seuls les dossiers du premier CFA).
        reserves = [d for d in lire_a_instruire(session, 10_000) if d.cfa_id == cfa_rapide]
        assert [d.id for d in reserves] == ids_rapides
        for debut in range(0, len(reserves), 64):
            instruction_auto.ecrire_lot(
                session,
                instruction_auto.decider_lot(
                    reserves[debut : debut + 64], charger_profils(), referentiel
                ),
                MAINTENANT,
            )
        _ecrire_par_l_orm(session, ids_orm, referentiel)
    with Session(moteur) as session:
        for table in ("dossier", "echeance", "engagement_frais_annexe", "periode_frais_annexe"):
            rapides = _lignes_brutes(session, table, ids_rapides)
            assert rapides == _lignes_brutes(session, table, ids_orm), table
        assert rapides or table != "echeance"
        compteurs = {
            (cfa, etat): nombre
            for cfa, etat, nombre in session.execute(
                text("SELECT cfa_id, etat, nombre FROM compteur_etat")
            )
        }
        for etat in ("TRANSMIS", "ENGAGE", "REFUSE", "EN_COURS_INSTRUCTION"):
            assert compteurs.get((cfa_rapide, etat), 0) == compteurs.get((cfa_orm, etat), 0), etat
        assert compteurs[(cfa_rapide, "ENGAGE")] > 0 and compteurs[(cfa_rapide, "REFUSE")] > 0
        # empreinte libérée des refusés, et numéros DECA : même forme, séquences sans trou
        dossiers = {d.id: d for d in session.scalars(select(Dossier))}
        for rapide, orm in zip(ids_rapides, ids_orm, strict=True):
            a, b = dossiers[rapide], dossiers[orm]
            assert (a.empreinte is None) == (b.empreinte is None)
            assert (a.numero_deca or "")[:9] == (b.numero_deca or "")[:9]
        numeros = sorted(d.numero_deca for d in dossiers.values() if d.numero_deca)
        assert len(numeros) == len(set(numeros))
    moteur.dispose()


def test_sequences_deca_groupees_comme_une_a_une(url_base: str) -> None:
    moteur = creer_moteur(url_base)
    demandes = {
        ("atlas", "075", 202603): 3,
        ("atlas", "02A", 202603): 1,
        ("akto", "971", 202604): 2,
    }
    with Session(moteur) as session, session.begin():
        assert sequence_deca(session, "atlas", "075", 202603, 5) == range(1, 6)
        groupees = sequences_deca(session, demandes)
        assert groupees == {
            ("atlas", "075", 202603): range(6, 9),
            ("atlas", "02A", 202603): range(1, 2),
            ("akto", "971", 202604): range(1, 3),
        }
        # le compteur est le même que celui de `sequence_deca` : la suite continue
        assert sequence_deca(session, "atlas", "075", 202603) == range(9, 10)
        assert sequences_deca(session, {("akto", "971", 202604): 1}) == {
            ("akto", "971", 202604): range(3, 4)
        }
    moteur.dispose()


def test_reservation_lit_la_derniere_convention(url_base: str) -> None:
    cfa, ids = _deposer(url_base, "13002526500013", "0751234J")
    moteur = creer_moteur(url_base)
    with Session(moteur) as session, session.begin():
        espace = EspaceCfa(session, "atlas", cfa)
        espace.stocker_fichier("0" * 64, b"%PDF-", "application/pdf", DEPOT)
        dossier = session.get(Dossier, ids[1])
        assert dossier is not None
        for charge in (b'{"premiere": 1}', b'{"derniere": 2}'):
            document = espace.inserer_document("convention", "0" * 64, None, DEPOT)
            espace.inserer_convention(dossier, document, charge, DEPOT)
    with Session(moteur) as session, session.begin():
        reserves = lire_a_instruire(session, 5)
        assert [d.id for d in reserves] == ids[:5]
        assert all(d.etat == "TRANSMIS" and d.cfa_id == cfa for d in reserves)
        assert [d.convention for d in reserves] == [None, b'{"derniere": 2}', None, None, None]
        assert reserves[0].charge_utile == CHARGES[0]
        assert reserves[0].date_creation == DEPOT
    moteur.dispose()


def test_dates_ecrites_comme_strftime() -> None:
    from apicfa.instruction.decision import _jjmmaaaa

    jours = [date(1, 1, 1), date(999, 12, 31), date(2026, 2, 28), date(9999, 12, 31)]
    jours += [date(2020, 1, 1) + timedelta(days=n) for n in range(0, 3000, 7)]
    assert all(_jjmmaaaa(jour) == f"{jour:%d/%m/%Y}" for jour in jours)
