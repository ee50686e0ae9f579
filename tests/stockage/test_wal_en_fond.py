"""Points de contrôle du WAL SQLite faits par un fil à part (`creer_moteur(…, wal_en_fond=True)`).

Sans point de contrôle, les pages validées restent dans le WAL et le fichier de la base ne
grossit pas : c'est ce qui montre ici qui les fait. Les connexions du moteur n'en font plus
qu'en secours (au-delà de `SECOURS_WAL_PAGES` pages) ; le fil les fait à côté, jusqu'au
`dispose()` du moteur ; chaque validation reste synchronisée (`synchronous=FULL`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import Engine, text

from apicfa.stockage.moteur import SECOURS_WAL_PAGES, creer_moteur, fil_wal

LIGNES = 600  # ≈ 600 pages de 4 Kio : moins que le seuil par défaut (1 000 pages) de SQLite


def _ecrire(moteur: Engine) -> None:
    with moteur.begin() as connexion:
        connexion.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)"))
    for _ in range(3):
        with moteur.begin() as connexion:
            connexion.execute(
                text("INSERT INTO t (v) VALUES (:v)"),
                [{"v": os.urandom(3000)} for _ in range(LIGNES // 3)],
            )


def _attendre_taille(chemin: Path, minimum: int, delai_s: float = 5.0) -> int:
    limite = time.monotonic() + delai_s
    while chemin.stat().st_size < minimum and time.monotonic() < limite:
        time.sleep(0.02)
    return chemin.stat().st_size


def test_le_fil_fait_les_points_de_controle(tmp_path: Path) -> None:
    chemin = tmp_path / "base.db"
    moteur = creer_moteur(f"sqlite:///{chemin}", wal_en_fond=True)
    fil = fil_wal(moteur)
    assert fil is not None
    with moteur.connect() as connexion:
        assert connexion.execute(text("PRAGMA wal_autocheckpoint")).scalar() == SECOURS_WAL_PAGES
        assert connexion.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    _ecrire(moteur)
    # les pages quittent le WAL pour la base sans qu'aucune connexion du moteur ne s'en charge
    assert _attendre_taille(chemin, LIGNES * 3000) >= LIGNES * 3000
    limite = time.monotonic() + 5
    while fil.passages == 0 and time.monotonic() < limite:  # compté une fois le passage fini
        time.sleep(0.02)
    assert fil.passages > 0
    moteur.dispose()
    assert fil_wal(moteur) is fil and not (fil._fil and fil._fil.is_alive())


def test_sans_fil_les_pages_restent_dans_le_wal(tmp_path: Path) -> None:
    """Le témoin : fil arrêté, aucune validation ne fait de point de contrôle sous le seuil de
    secours, la base ne grossit pas (et un moteur ordinaire garde le seuil de SQLite)."""
    chemin = tmp_path / "base.db"
    moteur = creer_moteur(f"sqlite:///{chemin}", wal_en_fond=True)
    fil = fil_wal(moteur)
    assert fil is not None
    fil.arreter()
    _ecrire(moteur)
    time.sleep(0.3)
    assert chemin.stat().st_size < LIGNES * 3000 // 4
    assert (tmp_path / "base.db-wal").stat().st_size >= LIGNES * 3000
    moteur.dispose()
    ordinaire = creer_moteur(f"sqlite:///{tmp_path / 'autre.db'}")
    assert fil_wal(ordinaire) is None
    with ordinaire.connect() as connexion:
        assert connexion.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000
    ordinaire.dispose()


def test_pas_de_fil_hors_sqlite_sur_fichier(tmp_path: Path) -> None:
    memoire = creer_moteur("sqlite:///:memory:", wal_en_fond=True)
    assert fil_wal(memoire) is None
    memoire.dispose()


def test_reglages_de_chaque_connexion_sqlite(tmp_path: Path) -> None:
    """Chaque connexion du moteur : WAL, validation durable, clés étrangères, fichiers
    temporaires en mémoire (aucun fichier ouvert et effacé par lot d'insertions)."""
    moteur = creer_moteur(f"sqlite:///{tmp_path / 'base.db'}")
    with moteur.connect() as connexion:
        reglages = {
            nom: connexion.execute(text(f"PRAGMA {nom}")).scalar()
            for nom in ("journal_mode", "synchronous", "foreign_keys", "temp_store")
        }
    moteur.dispose()
    assert reglages == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "temp_store": 2}


def test_la_derniere_connexion_rendue_est_la_prochaine_pretee(tmp_path: Path) -> None:
    """Réserve de connexions SQLite en pile : la connexion suivante garde son cache de pages."""
    moteur = creer_moteur(f"sqlite:///{tmp_path / 'base.db'}")
    premiere, seconde = moteur.connect(), moteur.connect()
    pilotes = [premiere.connection.driver_connection, seconde.connection.driver_connection]
    premiere.close()
    seconde.close()
    with moteur.connect() as suivante:
        assert suivante.connection.driver_connection is pilotes[1]
    moteur.dispose()
