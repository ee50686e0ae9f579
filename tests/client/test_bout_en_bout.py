"""Bout en bout : les commandes `apicfa cfa` contre un vrai processus `apicfa serveur`.

Les commandes tournent dans ce processus (CliRunner) sauf pour le test d'interruption,
où le client est un vrai processus tué par SIGKILL ; la configuration est dans
`APICFA_CLIENT_CONFIG` et le journal dans `--journal`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from apicfa.cli import app
from apicfa.client import ClientOpco
from apicfa.client import configuration as conf
from apicfa.client.facturation import echeances_a_facturer
from apicfa.client.journal import Journal
from apicfa.client.reponses import DossierLu
from apicfa.demo.generateur import generer_dossiers

pytestmark = pytest.mark.lent

COMMANDE = [sys.executable, "-c", "from apicfa.cli import main; main()"]


@dataclass(frozen=True)
class Sortie:
    returncode: int
    stdout: str
    stderr: str


@dataclass
class PosteCfa:
    """Le poste d'un CFA configuré pour parler au serveur lancé."""

    url: str
    cles: dict[str, str]
    dossier: Path
    env: dict[str, str]

    @property
    def journal(self) -> Path:
        return self.dossier / "journal.sqlite"

    def apicfa(self, *arguments: str) -> Sortie:
        """La commande `apicfa cfa …` dans ce processus (CliRunner), dans le dossier du poste."""
        ici = Path.cwd()
        os.chdir(self.dossier)
        try:
            resultat = CliRunner().invoke(app, ["cfa", *arguments], env=self.env)
        finally:
            os.chdir(ici)
        if resultat.exception is not None and not isinstance(resultat.exception, SystemExit):
            raise resultat.exception
        return Sortie(resultat.exit_code, resultat.stdout, resultat.stderr)

    def lancer(self, *arguments: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*COMMANDE, "cfa", *arguments],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.dossier,
        )

    def client(self, opco: str) -> ClientOpco:
        return ClientOpco(f"{self.url}/{opco}", self.cles[opco], opco=opco)

    def dossiers_serveur(self) -> list[str]:
        """Les numeroExterne de tous les dossiers que le serveur tient pour ce CFA."""
        numeros: list[str] = []
        for opco in self.cles:
            with self.client(opco) as client:
                numeros += [e.numero_externe or "" for e in client.etats_dossiers()]
        return numeros


@pytest.fixture
def poste(serveur_opco: Any, tmp_path: Path) -> Iterator[PosteCfa]:
    dossier = tmp_path / "poste"
    dossier.mkdir()
    env = {**os.environ, "APICFA_CLIENT_CONFIG": str(dossier / "client.json"), "COLUMNS": "250"}
    poste = PosteCfa(serveur_opco.url, serveur_opco.cles, dossier, env)
    # Un OPCO par la commande (comme un utilisateur), les autres écrits directement.
    opco, cle = "atlas", serveur_opco.cles["atlas"]
    sortie = poste.apicfa(
        "configurer", "--opco", opco, "--url", f"{poste.url}/{opco}", "--cle", cle
    )
    assert sortie.returncode == 0, sortie.stderr
    assert cle not in sortie.stdout and cle[-4:] in sortie.stdout
    reglages = conf.charger(dossier / "client.json")
    for code, cle in serveur_opco.cles.items():
        reglages.opcos.setdefault(code, conf.ReglageOpco(code, f"{poste.url}/{code}", cle))
    reglages.cfa = conf.IdentiteCfa(
        siret=str(serveur_opco.cfa.get("siret", "13002526500013")),
        iban="FR7630006000011234567890189",
        denomination="CFA de démonstration",
    )
    conf.enregistrer(reglages, dossier / "client.json")
    yield poste


def _attendre_instruction(poste: PosteCfa, delai_s: float = 20.0) -> None:
    """Attend que le serveur ait fini d'instruire les dossiers déposés (instruction en tâche
    de fond) ; un serveur qui n'instruit pas laisse ses dossiers TRANSMIS jusqu'au délai."""
    en_cours = {"TRANSMIS", "EN_COURS_INSTRUCTION"}
    limite = time.monotonic() + delai_s
    while time.monotonic() < limite:
        etats = []
        for opco in poste.cles:
            with poste.client(opco) as client:
                etats += [e.etat for e in client.etats_dossiers()]
        if etats and not en_cours.intersection(etats):
            return
        time.sleep(0.3)


def _ecrire_dossiers(dossier: Path, nombre: int, graine: int) -> list[dict[str, Any]]:
    dossier.mkdir(parents=True, exist_ok=True)
    dossiers = list(generer_dossiers(nombre, graine))
    for rang, contenu in enumerate(dossiers):
        (dossier / f"dossier-{rang:05d}.json").write_bytes(orjson.dumps(contenu))
    return dossiers


def test_envoyer_valide_route_envoie_puis_ne_renvoie_pas(poste: PosteCfa) -> None:
    lot = poste.dossier / "lot"
    dossiers = _ecrire_dossiers(lot, 12, 3)
    invalide = dict(dossiers[0]["cerfa"])
    invalide["employeur"] = {**invalide["employeur"], "siret": "12345678901234"}
    (lot / "invalide.json").write_bytes(orjson.dumps({"cerfa": invalide}))

    essai = poste.apicfa("envoyer", str(lot), "--dry-run", "--journal", str(poste.journal))
    assert essai.returncode == 1
    assert "valides (essai à blanc" in essai.stdout and "cerfa.employeur.siret" in essai.stdout
    assert poste.dossiers_serveur() == []

    envoi = poste.apicfa("envoyer", str(lot), "--journal", str(poste.journal))
    assert envoi.returncode == 1, envoi.stderr
    assert "│ envoyés " in envoi.stdout and "│     12 │" in envoi.stdout
    assert "invalides avant envoi" in envoi.stdout
    numeros = poste.dossiers_serveur()
    assert len(numeros) == 12 and len(set(numeros)) == 12

    (lot / "invalide.json").unlink()
    relance = poste.apicfa("envoyer", str(lot), "--journal", str(poste.journal))
    assert relance.returncode == 0, relance.stdout
    assert "déjà envoyés (journal)" in relance.stdout
    assert len(poste.dossiers_serveur()) == 12


def test_synchroniser_etats_echeancier_et_objets(poste: PosteCfa) -> None:
    lot = poste.dossier / "lot"
    (cerfa,) = [d["cerfa"] for d in _ecrire_dossiers(lot, 1, 21)]
    envoi = poste.apicfa("envoyer", str(lot), "--opco", "atlas", "--journal", str(poste.journal))
    assert envoi.returncode == 0, envoi.stdout
    with poste.client("atlas") as client:
        assert len(list(client.etats_dossiers())) == 1
    _attendre_instruction(poste)
    synchro = poste.apicfa("synchroniser", "--journal", str(poste.journal))
    assert synchro.returncode == 0, synchro.stderr
    assert "1 état(s) de dossier" in synchro.stdout
    with Journal(poste.journal) as journal:
        (dossier,) = journal.dossiers()
    numero = dossier["numero_interne"]
    with poste.client("atlas") as client:
        relu = client.lire_dossier(numero)
    assert relu.cerfa["apprenti"]["nom"] == cerfa["apprenti"]["nom"]
    assert relu.numero_externe == dossier["numero_externe"] and relu.etat == dossier["etat"]
    etats = poste.apicfa("etats", "--journal", str(poste.journal))
    assert numero[:8] in etats.stdout and str(dossier["etat"]) in etats.stdout
    echeancier = poste.apicfa("echeancier", numero, "--journal", str(poste.journal))
    assert echeancier.returncode == 0 and "Total" in echeancier.stdout
    # Le journal tient l'échéancier que le serveur a relu (vide tant que rien n'est engagé).
    assert len(relu.echeances) == len(journal_echeances(poste, "atlas", numero))
    if relu.echeances:
        assert "E1" in echeancier.stdout
    inconnu = poste.apicfa("echeancier", "inconnu", "--journal", str(poste.journal))
    assert inconnu.returncode == 2 and "synchroniser" in inconnu.stderr

    # Convention : OPCO retrouvé dans le journal à partir du numéro du dossier.
    convention = {
        "numeroInterneDossier": numero,
        "employeur": {"siret": cerfa["employeur"]["siret"]},
        "apprenti": {"nom": cerfa["apprenti"]["nom"], "prenom": cerfa["apprenti"]["prenom"]},
        "contrat": {k: cerfa["contrat"][k] for k in ("dateDebutContrat", "dateFinContrat")},
        "organismeFormation": {
            "siret": cerfa["organismeFormation"]["siret"],
            "uaiCfa": cerfa["organismeFormation"]["uaiCfa"],
        },
        "formation": {
            k: cerfa["formation"][k]
            for k in ("dateDebutFormation", "dateFinFormation", "dureeFormation", "rncp")
        },
        "couts": {"coutTotalPedagogieCFA": 8000},
        "mandatEmployeur": False,
        "dateSignature": cerfa["contrat"]["dateConclusion"],
    }
    (poste.dossier / "convention.json").write_bytes(orjson.dumps({"convention": convention}))
    (poste.dossier / "convention.pdf").write_bytes(b"%PDF-1.4\n% convention signee\n%%EOF\n")
    envoi = poste.apicfa(
        "convention", "convention.json", "--fichier", "convention.pdf",
        "--journal", str(poste.journal),
    )  # fmt: skip
    assert envoi.returncode == 0, envoi.stdout + envoi.stderr
    assert "envoyés" in envoi.stdout
    sans_piece = poste.apicfa("convention", "convention.json", "--journal", str(poste.journal))
    assert sans_piece.returncode == 1 and "pièce jointe" in sans_piece.stdout

    # Document et certificat : l'OPCO répond (accepté, ou refus motivé), rien ne reste en suspens.
    document = {"typeFichier": "autre", "objets": [{"typeObjet": "dossier", "idObjet": numero}]}
    certificat = {
        "typeCertificat": "Intermediaire",
        "numeroInterneDossier": numero,
        "dateSignature": cerfa["contrat"]["dateDebutContrat"],
        "representantLegal": {"nom": "Martin", "prenom": "Claire", "qualite": "Directrice"},
        "employeur": {"siret": cerfa["employeur"]["siret"]},
        "apprenti": {"nom": cerfa["apprenti"]["nom"], "prenom": cerfa["apprenti"]["prenom"]},
        "organismeFormation": {"siret": cerfa["organismeFormation"]["siret"]},
        "echeance": {
            "numero": 1,
            "dateDebut": cerfa["contrat"]["dateDebutContrat"],
            "dateFin": cerfa["contrat"]["dateDebutContrat"],
        },
    }
    for nature, contenu in (("document", document), ("certificat", certificat)):
        (poste.dossier / f"{nature}.json").write_bytes(orjson.dumps({nature: contenu}))
        sortie = poste.apicfa(
            nature, f"{nature}.json", "--fichier", "convention.pdf", "--journal", str(poste.journal)
        )
        assert "envoyés" in sortie.stdout or "refusés par l'OPCO" in sortie.stdout, sortie.stdout
        with Journal(poste.journal) as journal:
            (envoi,) = journal.envois(nature=nature)
        assert envoi.statut in ("accepte", "refuse")
        assert (envoi.statut == "accepte") == (sortie.returncode == 0)

    # Rupture : acceptée sur un dossier engagé, refus motivé sinon ; journalisée dans les deux cas.
    rupture = {
        "numeroInterne": numero,
        "dateRupture": cerfa["contrat"]["dateDebutContrat"],
        "initiative": "EMPLOYEUR",
        "motif": "départ",
        "dansPeriodeEssai": True,
    }
    (poste.dossier / "rupture.json").write_bytes(orjson.dumps(rupture))
    sortie = poste.apicfa("rupture", "rupture.json", "--journal", str(poste.journal))
    with Journal(poste.journal) as journal:
        (envoi,) = journal.envois(nature="rupture")
    if relu.etat == "ENGAGE":
        assert sortie.returncode == 0 and envoi.statut == "accepte", sortie.stdout
    else:
        assert sortie.returncode == 1 and "refusés par l'OPCO" in sortie.stdout
        assert envoi.statut == "refuse" and envoi.erreurs


def journal_echeances(poste: PosteCfa, opco: str, numero: str) -> list[object]:
    with Journal(poste.journal) as journal:
        return list(journal.echeances(opco, numero))


def test_facturer_rend_le_pdf_envoie_et_journalise(poste: PosteCfa) -> None:
    lot = poste.dossier / "lot"
    _ecrire_dossiers(lot, 1, 34)
    assert poste.apicfa("envoyer", str(lot), "--journal", str(poste.journal)).returncode == 0
    _attendre_instruction(poste)
    assert poste.apicfa("synchroniser", "--journal", str(poste.journal)).returncode == 0
    with Journal(poste.journal) as journal:
        (dossier,) = journal.dossiers()
        engage_par_le_serveur = bool(list(echeances_a_facturer(journal, date.today())))
        if not engage_par_le_serveur:
            # Serveur sans instruction automatique : échéancier tel qu'un OPCO l'engagerait.
            journal.enregistrer_dossier(
                dossier["opco"],
                DossierLu.lire(
                    {
                        "cerfa": {"numeroInterne": dossier["numero_interne"],
                                  "numeroExterne": dossier["numero_externe"], "etat": "ENGAGE"},
                        "echeances": [
                            {"numero": 1, "codification": "E1", "montantTotal": 2450,
                             "dateOuverture": "2025-09-01"},
                            {"numero": 2, "codification": "E2", "montantTotal": 800,
                             "dateOuverture": "2099-09-01"},
                        ],
                    }
                ),
            )  # fmt: skip
        (candidat,) = echeances_a_facturer(journal, date.today())
    total = f"{candidat.total:.2f}"
    essai = poste.apicfa(
        "facturer", "--echeances-ouvertes", "--dry-run", "--journal", str(poste.journal)
    )
    assert essai.returncode == 0 and "(brouillon)" in essai.stdout and total in essai.stdout
    pdfs = poste.dossier / "pdf"
    facture = poste.apicfa(
        "facturer", "--echeances-ouvertes", "--sortie-pdf", str(pdfs),
        "--journal", str(poste.journal),
    )  # fmt: skip
    assert "FAC-" in facture.stdout
    (pdf,) = pdfs.glob("FAC-*-000001.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    with Journal(poste.journal) as journal:
        (envoi,) = journal.envois(nature="facture")
    assert f"{envoi.charge['montantTotal']:.2f}" == total
    if engage_par_le_serveur:
        # Facture des échéances que le serveur a lui-même ouvertes : acceptée.
        assert envoi.statut == "accepte" and facture.returncode == 0, facture.stdout
    else:
        # Le serveur a répondu (acceptée, ou refusée avec ses motifs) : rien n'est en suspens.
        assert envoi.statut in ("accepte", "refuse")
        assert envoi.statut == "accepte" or (envoi.erreurs and facture.returncode == 1)
    # Une seconde passe ne refacture pas la même échéance tant que la première tient.
    seconde = poste.apicfa("facturer", "--echeances-ouvertes", "--journal", str(poste.journal))
    if envoi.statut == "accepte":
        assert "FAC-" not in seconde.stdout


def test_sigkill_au_milieu_du_lot_puis_relance_chaque_dossier_une_fois(poste: PosteCfa) -> None:
    lot = poste.dossier / "lot"
    nombre = 240
    _ecrire_dossiers(lot, nombre, 77)
    processus = poste.lancer(
        "envoyer", str(lot), "--journal", str(poste.journal), "--concurrence", "8"
    )
    limite = time.monotonic() + 90
    acceptes = 0
    while time.monotonic() < limite and processus.poll() is None:
        if poste.journal.exists():
            with sqlite3.connect(f"file:{poste.journal}?mode=ro", uri=True) as lecture:
                try:
                    (acceptes,) = lecture.execute(
                        "SELECT COUNT(*) FROM envois WHERE statut = 'accepte'"
                    ).fetchone()
                except sqlite3.OperationalError:
                    acceptes = 0
        if acceptes >= nombre // 4:
            break
        time.sleep(0.02)
    assert processus.poll() is None, "le lot s'est terminé avant l'interruption"
    os.kill(processus.pid, signal.SIGKILL)
    processus.wait(timeout=10)
    with Journal(poste.journal) as journal:
        comptes = journal.compter()
    assert comptes.get("accepte", 0) < nombre  # interrompu pour de bon

    relance = poste.apicfa("envoyer", str(lot), "--journal", str(poste.journal))
    assert relance.returncode == 0, relance.stdout + relance.stderr
    numeros = poste.dossiers_serveur()
    assert len(numeros) == nombre and len(set(numeros)) == nombre
    with Journal(poste.journal) as journal:
        assert journal.compter() == {"accepte": nombre}
