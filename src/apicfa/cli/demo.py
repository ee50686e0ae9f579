"""`apicfa demo-donnees` : des dossiers de démonstration réalistes, valides et déterministes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

SEUIL_BARRE_DE_PROGRESSION = 1000
DOSSIER_INVALIDES = "invalides"


def _reference(texte: str | None) -> date | None:
    if texte is None:
        return None
    try:
        return date.fromisoformat(texte)
    except ValueError as erreur:
        typer.echo(f"Erreur : --reference : date AAAA-MM-JJ attendue, reçu « {texte} ».", err=True)
        raise typer.Exit(code=2) from erreur


def demo_donnees(
    sortie: Annotated[
        Path, typer.Option("--sortie", help="Dossier où écrire les fichiers (créé au besoin).")
    ],
    nombre: Annotated[
        int, typer.Option("--nombre", min=0, help="Nombre de dossiers valides à écrire.")
    ] = 100,
    graine: Annotated[
        int, typer.Option("--graine", help="Graine du tirage : même graine, mêmes dossiers.")
    ] = 1,
    invalides: Annotated[
        bool,
        typer.Option(
            "--invalides",
            help="Écrit aussi, dans SORTIE/invalides/, un fichier par règle du catalogue "
            "qui n'enfreint que cette règle (CODE_DE_LA_REGLE.json).",
        ),
    ] = False,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            help="Jour de référence AAAA-MM-JJ : aucun contrat n'est conclu après lui "
            "(par défaut 2026-10-01, fixe pour que la graine suffise à tout reproduire).",
        ),
    ] = None,
) -> None:
    """Écrit NOMBRE dossiers {"cerfa": …} valides et variés, un fichier chacun
    (dossier-00001.json …) : les deux régimes de financement, des mineurs avec représentant
    légal, des apprentis RQTH, de la formation à distance, des avenants, les 11 OPCO."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from apicfa.demo.ecriture import ecrire_dossiers
    from apicfa.demo.generateur import generer_dossiers

    jour = _reference(reference)
    console = Console(stderr=True)
    try:
        dossiers = generer_dossiers(nombre, graine, reference=jour)
    except ValueError as erreur:
        typer.echo(f"Erreur : {erreur}", err=True)
        raise typer.Exit(code=2) from erreur
    if nombre >= SEUIL_BARRE_DE_PROGRESSION:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as progression:
            tache = progression.add_task("Dossiers", total=nombre)
            ecrits = ecrire_dossiers(
                dossiers, nombre, sortie, avancer=lambda: progression.advance(tache)
            )
    else:
        ecrits = ecrire_dossiers(dossiers, nombre, sortie)
    typer.echo(f"{ecrits} dossiers valides écrits dans {sortie} (graine {graine}).")
    if invalides:
        _ecrire_invalides(sortie / DOSSIER_INVALIDES, graine, jour)


def _ecrire_invalides(dossier: Path, graine: int, jour: date | None) -> None:
    from apicfa.demo.ecriture import en_json
    from apicfa.demo.invalides import DossierInvalide, dossiers_invalides

    dossier.mkdir(parents=True, exist_ok=True)
    ecrits = 0
    impossibles = []
    for resultat in dossiers_invalides(graine, reference=jour):
        if isinstance(resultat, DossierInvalide):
            (dossier / f"{resultat.code}.json").write_bytes(en_json(resultat.dossier))
            ecrits += 1
        else:
            impossibles.append(resultat)
    typer.echo(
        f"{ecrits} dossiers invalides écrits dans {dossier} (un par règle, nommé d'après son code)."
    )
    if impossibles:
        typer.echo(f"{len(impossibles)} règles ne peuvent pas être enfreintes seules :")
        for impossible in impossibles:
            typer.echo(f"  {impossible.code} : {impossible.raison}")


def register(app: typer.Typer) -> None:
    app.command("demo-donnees")(demo_donnees)
