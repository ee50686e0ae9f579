"""Choix des échéances à facturer, construction de la facture, PDF."""

from __future__ import annotations

import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from apicfa.client.configuration import IdentiteCfa
from apicfa.client.facturation import (
    construire_facture,
    echeances_a_facturer,
    nom_serie,
    numero_facture,
)
from apicfa.client.journal import Journal
from apicfa.client.pdf_facture import rendre_pdf
from apicfa.client.reponses import DossierLu, EtatDossier
from apicfa.norme.validation import valider_facture

IDENTITE = IdentiteCfa(
    siret="36624039800219",
    iban="FR7630006000011234567890189",
    denomination="CFA des métiers",
    prefixe_factures="CFA",
)


def _echeance(numero: int, ouverture: str, total: str, regle: str = "0") -> dict[str, object]:
    return {
        "numero": numero,
        "codification": f"E{numero}",
        "montantTotal": float(total),
        "montantRegle": float(regle),
        "montantEnCoursInstruction": 0,
        "dateOuverture": ouverture,
    }


def _journal(tmp_path: Path, etat: str = "ENGAGE") -> Journal:
    journal = Journal(tmp_path / "j.sqlite")
    journal.enregistrer_etats(
        "atlas", [EtatDossier("n1", "ATL-2025-000001", "075202509000001", etat, None, None)]
    )
    journal.enregistrer_dossier(
        "atlas",
        DossierLu.lire(
            {
                "cerfa": {
                    "numeroInterne": "n1",
                    "numeroExterne": "ATL-2025-000001",
                    "numeroDeca": "075202509000001",
                    "etat": etat,
                },
                "engagement": 8000,
                "echeances": [
                    _echeance(1, "2025-09-01", "2450", regle="2450"),
                    _echeance(2, "2026-03-01", "2400", regle="400"),
                    _echeance(3, "2026-06-01", "1600"),
                    _echeance(4, "2026-09-01", "800"),
                ],
            }
        ),
    )
    return journal


def test_echeances_ouvertes_non_reglees_hors_solde(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        (candidat,) = list(echeances_a_facturer(journal, date(2026, 6, 1)))
        assert [e.numero for e in candidat.echeances] == [2, 3]
        assert candidat.total == Decimal("3600.00") and not candidat.solde
        assert list(echeances_a_facturer(journal, date(2026, 2, 28))) == []
        (avec_solde,) = list(echeances_a_facturer(journal, date(2026, 9, 1), avec_solde=True))
        assert [e.numero for e in avec_solde.echeances] == [2, 3, 4] and avec_solde.solde


def test_echeance_deja_facturee_n_est_pas_refacturee(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        journal.enregistrer_lignes_facture("atlas", "CFA-2026-000001", [("n1", 2, Decimal(2000))])
        # Lignes sans facture au journal (plantage entre les deux écritures) : rien n'est bloqué.
        (candidat,) = list(echeances_a_facturer(journal, date(2026, 6, 1)))
        assert [e.numero for e in candidat.echeances] == [2, 3]
        journal.preparer("atlas", "facture", {"numero": "CFA-2026-000001"}, fichier=b"%PDF")
        (candidat,) = list(echeances_a_facturer(journal, date(2026, 6, 1)))
        assert [e.numero for e in candidat.echeances] == [3]


def test_dossier_non_engage_non_facture(tmp_path: Path) -> None:
    with _journal(tmp_path, etat="EN_COURS_INSTRUCTION") as journal:
        assert list(echeances_a_facturer(journal, date(2026, 6, 1))) == []


def test_facture_construite_valide_pour_la_norme_et_pdf_stable(tmp_path: Path) -> None:
    with _journal(tmp_path) as journal:
        (candidat,) = list(echeances_a_facturer(journal, date(2026, 6, 1)))
        rang = journal.prochain_numero(nom_serie(IDENTITE, 2026))
    numero = numero_facture(IDENTITE, 2026, rang)
    assert numero == "CFA-2026-000001"
    facture = construire_facture(numero, date(2026, 6, 2), IDENTITE, candidat)
    assert facture["montantTotal"] == 3600.0
    assert sum(ligne["montant"] for ligne in facture["lignes"]) == facture["montantTotal"]
    assert facture["lignes"][0]["numeroDossier"] == "ATL-2025-000001"
    assert facture["lignes"][1]["codificationEcheance"] == "E3"
    bloquants = [
        c for c in valider_facture({"facture": facture}, aujourd_hui=date(2026, 6, 2))
        if c.niveau == "bloquant"
    ]  # fmt: skip
    assert bloquants == []
    pdf = rendre_pdf(facture, IDENTITE, "atlas")
    assert pdf.startswith(b"%PDF") and pdf == rendre_pdf(facture, IDENTITE, "atlas")
    texte = _texte_pdf(pdf)
    assert b"CFA-2026-000001" in texte and b"3 600,00 EUR" in texte and b"ATL-2025-000001" in texte


def _texte_pdf(pdf: bytes) -> bytes:
    """Les flux de contenu du PDF, décompressés."""
    morceaux = []
    for bloc in pdf.split(b"stream")[1::2]:
        brut = bloc.strip(b"\r\n").removesuffix(b"end")
        try:
            morceaux.append(zlib.decompress(brut.rstrip(b"\r\n")))
        except zlib.error:
            morceaux.append(brut)
    return b"".join(morceaux)


def test_emettre_numerote_sauf_en_brouillon_et_journalise(tmp_path: Path) -> None:
    from apicfa.client.facturation import emettre, journaliser
    from apicfa.client.journal import Envoi

    jour = date(2026, 6, 2)
    with _journal(tmp_path) as journal:
        candidats = list(echeances_a_facturer(journal, jour))
        (brouillon,) = emettre(journal, IDENTITE, jour, candidats, brouillon=True)
        assert brouillon.numero == "(brouillon)" and brouillon.pdf is None
        (emise,) = emettre(journal, IDENTITE, jour, candidats, brouillon=False)
        assert emise.numero == "CFA-2026-000001" and emise.pdf is not None
        envoi = journaliser(journal, emise, jour)
        assert isinstance(envoi, Envoi) and envoi.nom_fichier == "CFA-2026-000001.pdf"
        assert list(echeances_a_facturer(journal, jour)) == []
