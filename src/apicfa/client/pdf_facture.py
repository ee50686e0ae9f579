"""PDF d'une facture (fpdf2, polices de base : texte en Latin-1, montants en EUR)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from apicfa.client.configuration import IdentiteCfa


def _latin1(texte: object) -> str:
    return str(texte).encode("latin-1", "replace").decode("latin-1")


def _euros(montant: object) -> str:
    valeur = Decimal(str(montant)).quantize(Decimal("0.01"))
    entier, decimales = f"{valeur:.2f}".split(".")
    groupes = f"{int(entier):,}".replace(",", " ")
    return f"{groupes},{decimales} EUR"


def rendre_pdf(facture: dict[str, Any], identite: IdentiteCfa, opco: str) -> bytes:
    """Le PDF de la facture ; même facture ⇒ mêmes octets (date de création fixée)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    emission = datetime.fromisoformat(facture["dateEmission"]).replace(tzinfo=UTC)
    pdf.set_creation_date(emission)
    pdf.set_title(_latin1(f"Facture {facture['numero']}"))
    pdf.set_author(_latin1(identite.denomination or "CFA"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(f"Facture {facture['numero']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for ligne in (
        f"Émetteur : {identite.denomination or 'CFA'} - SIRET {facture['siretEmetteur']}",
        f"IBAN : {facture['ibanEmetteur']}",
        f"Destinataire : OPCO {opco}",
        f"Date d'émission : {facture['dateEmission']}",
        "Certificat de réalisation joint : "
        + ("oui" if facture["estCertificatRealisation"] else "non"),
    ):
        pdf.cell(0, 6, _latin1(ligne), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 10)
    largeurs = (40, 40, 30, 35, 35)
    for titre, largeur in zip(
        ("Dossier", "N° DECA", "Échéance", "Nature", "Montant"), largeurs, strict=True
    ):
        pdf.cell(largeur, 7, _latin1(titre), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=10)
    for ligne in facture["lignes"]:
        valeurs = (
            ligne.get("numeroDossier") or "",
            ligne.get("numeroDeca") or "",
            ligne.get("codificationEcheance") or "",
            ligne.get("natureLigne") or "",
            _euros(ligne["montant"]),
        )
        for valeur, largeur in zip(valeurs, largeurs, strict=True):
            pdf.cell(largeur, 7, _latin1(valeur), border=1)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(sum(largeurs[:-1]), 8, "Total", border=1)
    pdf.cell(largeurs[-1], 8, _latin1(_euros(facture["montantTotal"])), border=1)
    return bytes(pdf.output())
