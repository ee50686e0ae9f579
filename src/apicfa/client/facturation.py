"""Facturation des échéances ouvertes : choix des échéances, construction des factures.

Une facture par dossier (ses échéances ouvertes non encore facturées), numérotée dans
la série `PREFIXE-AAAA-NNNNNN` tenue par le journal. Le solde (dernière échéance) n'est
facturé qu'avec `avec_solde`, la facture portant alors `estCertificatRealisation`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from apicfa.client.configuration import IdentiteCfa
from apicfa.client.journal import Envoi, Journal
from apicfa.client.reponses import Echeance
from apicfa.client.resultats import Resultat

ETATS_FACTURABLES = frozenset({"ENGAGE", "RUPTURE"})


@dataclass(frozen=True)
class AFacturer:
    """Les échéances d'un dossier à facturer maintenant."""

    opco: str
    numero_interne: str
    numero_externe: str | None
    numero_deca: str | None
    echeances: tuple[Echeance, ...]
    solde: bool

    @property
    def total(self) -> Decimal:
        return sum((e.reste_du for e in self.echeances), Decimal("0.00"))


def echeances_a_facturer(
    journal: Journal, aujourd_hui: date, *, avec_solde: bool = False
) -> Iterator[AFacturer]:
    """Les échéances ouvertes au jour dit, avec un reste dû, jamais encore facturées."""
    for dossier in journal.dossiers():
        if dossier["etat"] not in ETATS_FACTURABLES:
            continue
        opco, numero = dossier["opco"], dossier["numero_interne"]
        echeances = journal.echeances(opco, numero)
        if not echeances:
            continue
        dernier = max(e.numero for e in echeances)
        retenues = tuple(
            e
            for e in echeances
            if e.date_ouverture is not None
            and e.date_ouverture <= aujourd_hui
            and e.reste_du > 0
            and (avec_solde or e.numero != dernier)
            and not journal.deja_facture(opco, numero, e.numero)
        )
        if retenues:
            yield AFacturer(
                opco,
                numero,
                dossier["numero_externe"],
                dossier["numero_deca"],
                retenues,
                solde=any(e.numero == dernier for e in retenues),
            )


def numero_facture(identite: IdentiteCfa, annee: int, rang: int) -> str:
    return f"{identite.prefixe_factures}-{annee}-{rang:06d}"


def nom_serie(identite: IdentiteCfa, annee: int) -> str:
    return f"{identite.prefixe_factures}-{annee}"


def construire_facture(
    numero: str, date_emission: date, identite: IdentiteCfa, a_facturer: AFacturer
) -> dict[str, Any]:
    """La charge `facture` (SPEC §5.1) ; montants en euros à deux décimales."""
    lignes = [
        {
            "montant": float(e.reste_du),
            "natureLigne": "PEDAGOGIE",
            "quantite": 1,
            "numeroEcheance": e.numero,
            "codificationEcheance": e.codification or f"E{e.numero}",
            "numeroDeca": a_facturer.numero_deca,
            "numeroDossier": a_facturer.numero_externe,
        }
        for e in a_facturer.echeances
    ]
    return {
        "numero": numero,
        "dateEmission": date_emission.isoformat(),
        "montantTotal": float(a_facturer.total),
        "ibanEmetteur": identite.iban,
        "siretEmetteur": identite.siret,
        "estCertificatRealisation": a_facturer.solde,
        "lignes": lignes,
    }


@dataclass(frozen=True)
class FactureEmise:
    """Une facture construite : numéro, charge `facture`, PDF (None en brouillon)."""

    numero: str
    a_facturer: AFacturer
    facture: dict[str, Any]
    pdf: bytes | None


def emettre(
    journal: Journal,
    identite: IdentiteCfa,
    jour: date,
    candidats: list[AFacturer],
    *,
    brouillon: bool,
) -> Iterator[FactureEmise]:
    """Numérote (sauf en brouillon), construit et rend en PDF une facture par candidat."""
    from apicfa.client.pdf_facture import rendre_pdf

    for candidat in candidats:
        numero = "(brouillon)"
        if not brouillon:
            rang = journal.prochain_numero(nom_serie(identite, jour.year))
            numero = numero_facture(identite, jour.year, rang)
        facture = construire_facture(numero, jour, identite, candidat)
        pdf = None if brouillon else rendre_pdf(facture, identite, candidat.opco)
        yield FactureEmise(numero, candidat, facture, pdf)


def journaliser(journal: Journal, emise: FactureEmise, jour: date) -> Envoi | Resultat:
    """Inscrit les lignes facturées puis la facture au journal, avant tout envoi."""
    from apicfa.client.objets import preparer_objet

    candidat = emise.a_facturer
    journal.enregistrer_lignes_facture(
        candidat.opco,
        emise.numero,
        [(candidat.numero_interne, e.numero, e.reste_du) for e in candidat.echeances],
    )
    return preparer_objet(
        journal,
        candidat.opco,
        "facture",
        emise.facture,
        source=emise.numero,
        aujourd_hui=jour,
        nom_fichier=f"{emise.numero}.pdf",
        fichier=emise.pdf,
    )
