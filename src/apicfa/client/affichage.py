"""Tableaux et barre de progression (rich) des commandes `apicfa cfa`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from apicfa.client.reponses import Echeance
from apicfa.client.resultats import LIBELLES, Bilan

MOTIFS_AFFICHES = 50


def barre_progression(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def table_bilan(bilan: Bilan) -> Table:
    table = Table(title=f"Bilan : {bilan.total} objet(s)")
    table.add_column("Issue")
    table.add_column("Nombre", justify="right")
    for issue, libelle in LIBELLES.items():
        if bilan.comptes.get(issue):
            table.add_row(libelle, str(bilan.comptes[issue]))
    return table


def table_problemes(bilan: Bilan) -> Table | None:
    """Le détail des objets non envoyés, motifs compris (les premiers seulement)."""
    if not bilan.problemes:
        return None
    table = Table(title="Objets non envoyés")
    for colonne in ("Fichier", "OPCO", "Issue", "Motifs"):
        table.add_column(colonne, overflow="fold")
    for probleme in bilan.problemes[:MOTIFS_AFFICHES]:
        table.add_row(
            probleme.source,
            probleme.opco or "—",
            LIBELLES[probleme.issue],
            "\n".join(probleme.motifs) or "—",
        )
    if len(bilan.problemes) > MOTIFS_AFFICHES:
        table.add_row(f"… et {len(bilan.problemes) - MOTIFS_AFFICHES} autre(s)", "", "", "")
    return table


def table_etats(dossiers: Iterable[dict[str, Any]]) -> Table:
    table = Table(title="États des dossiers (journal)")
    for colonne in ("OPCO", "N° externe", "N° interne", "N° DECA", "État", "Commentaire"):
        table.add_column(colonne)
    for d in dossiers:
        table.add_row(
            d["opco"],
            d["numero_externe"] or "",
            d["numero_interne"],
            d["numero_deca"] or "",
            d["etat"] or "",
            d["commentaire_etat"] or "",
        )
    return table


def table_echeancier(dossier: dict[str, Any], echeances: list[Echeance]) -> Table:
    titre = (
        f"Échéancier {dossier['numero_externe'] or dossier['numero_interne']} "
        f"({dossier['opco']}, {dossier['etat'] or 'état inconnu'}) — engagement "
        f"{dossier['engagement'] or '—'} €"
    )
    table = Table(title=titre)
    for colonne in ("N°", "Code", "Ouverture", "Période", "Total", "Réglé", "En instruction"):
        table.add_column(colonne, justify="right" if colonne in ("Total", "Réglé") else "left")
    total = Decimal("0.00")
    for e in echeances:
        total += e.montant_total
        periode = f"{e.date_debut or '?'} → {e.date_fin or '?'}"
        table.add_row(
            str(e.numero),
            e.codification or "",
            str(e.date_ouverture or ""),
            periode,
            f"{e.montant_total:.2f}",
            f"{e.montant_regle:.2f}",
            f"{e.montant_en_cours_instruction:.2f}",
        )
    table.add_row("", "", "", "Total", f"{total:.2f}", "", "")
    return table
