"""Banc d'essai du serveur OPCO : une application sur une base neuve, deux CFA et leurs clés,
et des charges utiles valides."""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from apicfa.demo.generateur import generer_dossiers
from apicfa.demo.invalides import DossierInvalide, dossiers_invalides
from apicfa.opco.app import creer_app
from apicfa.opco.journal import COLONNES, inserer_lignes
from apicfa.opco.profils import ProfilOpco, charger_profils
from apicfa.portail.comptes import creer_cfa
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.tables import Journal

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

DOSSIERS = list(generer_dossiers(40, 3))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
_suite = count()


def dossier(numero: int | None = None) -> dict[str, Any]:
    """Un dossier `{"cerfa": …}` valide et distinct des autres (générateur de démo)."""
    return copy.deepcopy(DOSSIERS[(next(_suite) if numero is None else numero) % len(DOSSIERS)])


def dossiers_melanges(
    recents: int, anciens: int, graine: int, jour_depot: date
) -> list[dict[str, Any]]:
    """Des dossiers valides, contrats récents (`recents`, commencés 3 jours avant `jour_depot`)
    puis anciens (`anciens` : dépôts tardifs), puis les invalides du générateur ; tirés des
    graines `graine`, `graine + 1` et `graine + 2`."""
    valides = list(generer_dossiers(recents, graine, reference=jour_depot - timedelta(days=3)))
    valides += list(generer_dossiers(anciens, graine + 1))
    invalides = [
        cas.dossier
        for cas in dossiers_invalides(graine + 2, reference=jour_depot)
        if isinstance(cas, DossierInvalide)
    ]
    return valides + invalides


@dataclass
class Cfa:
    id: int
    siret: str
    cles: dict[str, str]

    def entetes(self, opco: str = "atlas", **autres: str) -> dict[str, str]:
        return {
            "X-API-KEY": self.cles[opco],
            "EDITEUR": "Editeur test",
            "LOGICIEL": "Logiciel test",
            "VERSION": "1.0",
            **autres,
        }


@dataclass
class Banc:
    client: TestClient
    url: str
    a: Cfa
    b: Cfa


def creer_compte(url: str, siret: str, uai: str, **options: Any) -> Cfa:
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        compte = creer_cfa(
            session,
            siret=siret,
            uai=uai,
            nom=f"CFA {siret}",
            opcos=options.get("opcos"),
            expire_le=options.get("expire_le"),
            maintenant=datetime(2026, 1, 1),
        )
        cfa = Cfa(compte.cfa.id, siret, compte.cles)
    moteur.dispose()
    return cfa


def ouvrir_banc(
    url: str, profils: dict[str, ProfilOpco] | None = None, **options: Any
) -> Iterator[Banc]:
    a = creer_compte(url, "13002526500013", "0751234J")
    b = creer_compte(url, "44306184100047", "0691234A")
    app = creer_app(url, profils or charger_profils(), duree_cache_cles_s=0, **options)
    with TestClient(app) as client:
        yield Banc(client, url, a, b)


def deposer(
    banc: Banc, cfa: Cfa | None = None, opco: str = "atlas", numero: int | None = None
) -> dict[str, Any]:
    reponse = banc.client.post(
        f"/{opco}/v2/dossiers", json=dossier(numero), headers=(cfa or banc.a).entetes(opco)
    )
    assert reponse.status_code == 200, reponse.text
    return reponse.json()


def envoyer_piece(
    banc: Banc,
    route: str,
    partie: str,
    contenu: dict[str, Any],
    cfa: Cfa | None = None,
    fichier: bytes = PDF,
    opco: str = "atlas",
    **entetes: str,
) -> Any:
    import orjson

    return banc.client.post(
        f"/{opco}/{route}",
        files={
            partie: (None, orjson.dumps(contenu), "application/json"),
            "fichier": ("piece.pdf", fichier, "application/octet-stream"),
        },
        headers=(cfa or banc.a).entetes(opco, **entetes),
    )


def facture(numero_externe: str, numero: str = "F-2026-001") -> dict[str, Any]:
    return {
        "numero": numero,
        "dateEmission": "2026-10-05",
        "montantTotal": 1200.5,
        "ibanEmetteur": "FR7630006000011234567890189",
        "siretEmetteur": "13002526500013",
        "estCertificatRealisation": False,
        "lignes": [
            {
                "montant": 1200.5,
                "natureLigne": "PEDAGOGIE",
                "quantite": 1,
                "numeroEcheance": 1,
                "codificationEcheance": "E1",
                "numeroDossier": numero_externe,
            }
        ],
    }


def convention(numero_interne: str) -> dict[str, Any]:
    return {
        "numeroInterneDossier": numero_interne,
        "employeur": {"siret": "73282932000074"},
        "apprenti": {"nom": "Le Goff", "prenom": "Yann"},
        "contrat": {"dateDebutContrat": "2025-09-01", "dateFinContrat": "2027-08-31"},
        "organismeFormation": {"siret": "13002526500013", "uaiCfa": "0751234J"},
        "formation": {
            "dateDebutFormation": "2025-09-08",
            "dateFinFormation": "2027-06-30",
            "dureeFormation": 1350,
            "rncp": "RNCP38362",
            "intituleQualification": "BTS Management commercial opérationnel",
        },
        "couts": {
            "coutTotalPedagogieCFA": 16000,
            "nombreRepasTotaux": 0,
            "nombreHebergementTotaux": 0,
            "montantPremierEquipement": 0,
            "mentionMobiliteInternationale": False,
            "accompagnementDROM": False,
        },
        "mandatEmployeur": False,
        "dateSignature": "2025-08-25",
        "attestationConventionSigneeEntreprise": True,
        "attestationConventionSigneeCFA": True,
        "attestationConventionSignatureProbante": True,
        "attestationConventionConformeJSON": True,
    }


def certificat(numero_interne: str) -> dict[str, Any]:
    return {
        "typeCertificat": "Intermediaire",
        "numeroInterneDossier": numero_interne,
        "dateSignature": "2026-03-02",
        "lieuSignatureContrat": "Nantes",
        "representantLegal": {"nom": "Durand", "prenom": "Claire", "qualite": "Directrice"},
        "attestationConservationPieces": True,
        "natureAction": "Apprentissage",
        "employeur": {"siret": "73282932000074"},
        "apprenti": {"nom": "Le Goff", "prenom": "Yann"},
        "organismeFormation": {"siret": "13002526500013"},
        "echeance": {
            "numero": 1,
            "codification": "E1",
            "duree": 300,
            "dateDebut": "2025-09-01",
            "dateFin": "2026-02-28",
            "echeancePartielle": False,
        },
    }


def document(objets: list[tuple[str, str]]) -> dict[str, Any]:
    return {"typeFichier": "autre", "objets": [{"typeObjet": t, "idObjet": i} for t, i in objets]}


def rupture(numero_interne: str) -> dict[str, Any]:
    return {
        "numeroInterne": numero_interne,
        "dateRupture": "2026-01-20",
        "initiative": "EMPLOYEUR",
        "motif": "Départ de l'apprenti",
        "dansPeriodeEssai": False,
    }


def recaler(envoye: dict[str, Any], debut: date, duree_jours: int | None = None) -> dict[str, Any]:
    """Le même dossier décalé pour que le contrat commence le `debut` (toutes les dates du
    contrat et de la formation glissent d'autant) ; `duree_jours` fixe la fin du contrat."""
    recale = copy.deepcopy(envoye)
    cerfa = recale["cerfa"]
    ecart = debut - date.fromisoformat(cerfa["contrat"]["dateDebutContrat"][:10])
    for bloc in ("contrat", "formation"):
        for cle, valeur in list(cerfa.get(bloc, {}).items()):
            if cle.startswith("date") and isinstance(valeur, str) and valeur[4:5] == "-":
                cerfa[bloc][cle] = (date.fromisoformat(valeur[:10]) + ecart).isoformat() + valeur[
                    10:
                ]
    if duree_jours is not None:
        cerfa["contrat"]["dateFinContrat"] = (debut + timedelta(days=duree_jours)).isoformat()
    return recale


def dossier_recent(numero: int = 1, jours_ecoules: int = 30) -> dict[str, Any]:
    """Un dossier valide dont le contrat a commencé il y a `jours_ecoules` jours (neuf mois de
    contrat) : E1 est ouverte aujourd'hui, E2 s'ouvre dans environ cinq mois."""
    return recaler(DOSSIERS[numero], date.today() - timedelta(days=jours_ecoules))


def profils_manuels() -> dict[str, ProfilOpco]:
    """Les profils de référence, chaque OPCO instruisant à la main."""
    return {
        code: replace(profil, instruction_manuelle=True)
        for code, profil in charger_profils().items()
    }


def attendre_etat(
    banc: Banc, numero_interne: str, sauf: str = "TRANSMIS", delai_s: float = 5.0
) -> dict[str, Any]:
    """Relit le dossier jusqu'à ce qu'il quitte l'état `sauf` (instruction en tâche de fond)."""
    limite = time.monotonic() + delai_s
    while True:
        relu = banc.client.get(
            "/atlas/v2/dossiers", params={"numeroInterne": numero_interne}, headers=banc.a.entetes()
        ).json()
        if relu["cerfa"]["etat"] != sauf or time.monotonic() > limite:
            return relu
        time.sleep(0.02)


def journal_par_sqlalchemy_et_par_le_pilote(
    url: str, lignes: list[Any]
) -> tuple[list[Any], list[Any]]:
    """Les mêmes lignes du journal d'audit écrites par l'insertion de SQLAlchemy, puis par
    `inserer_lignes`, relues colonne par colonne en « type:texte » tels que stockés (SQLite :
    `typeof` et `quote` ; PostgreSQL : `pg_typeof` et `quote_literal`, NULL à part) :
    (lues après SQLAlchemy, lues après le pilote)."""
    moteur = creer_moteur(url)
    table = Journal.__table__
    stockage = (
        "typeof({c}) || ':' || quote({c})"
        if moteur.dialect.name == "sqlite"
        else "pg_typeof({c})::text || ':' || coalesce(quote_literal({c}), 'NULL')"
    )
    colonnes = ", ".join(stockage.format(c=c) for c in COLONNES)
    with sessionmaker(moteur)() as session, session.begin():
        session.execute(table.delete())
        session.execute(
            table.insert(), [dict(zip(COLONNES, ligne, strict=True)) for ligne in lignes]
        )
        premier = session.scalar(text("SELECT max(id) FROM journal"))
        inserer_lignes(session, lignes)
        avant = session.execute(
            text(f"SELECT {colonnes} FROM journal WHERE id <= :p ORDER BY id"), {"p": premier}
        ).all()
        apres = session.execute(
            text(f"SELECT {colonnes} FROM journal WHERE id > :p ORDER BY id"), {"p": premier}
        ).all()
        session.execute(table.delete())
    moteur.dispose()
    return avant, apres
