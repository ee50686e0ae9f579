"""`apicfa serveur` : le service OPCO (uvicorn) sur SQLite ou PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

FICHIER_CLES_DEMO = Path("var/demo-cles.json")


def _preparer_base(url: str) -> None:
    """Migre la base ; sur une base vide, crée le CFA de démonstration et charge les
    référentiels d'exemple."""
    from sqlalchemy.orm import Session

    from apicfa.opco.services import maintenant_utc
    from apicfa.portail.demo import preparer_demo
    from apicfa.stockage.moteur import creer_moteur, migrer

    migrer(url)
    moteur = creer_moteur(url)
    with Session(moteur) as session, session.begin():
        demo = preparer_demo(session, FICHIER_CLES_DEMO, maintenant_utc())
    moteur.dispose()
    if demo is not None:
        cfa = demo.contenu["cfa"]
        typer.echo(f"Base neuve : CFA de démonstration « {cfa['nom']} » (SIRET {cfa['siret']}).")
        typer.echo("Ses clés d'API (en-tête X-API-KEY), une par OPCO :")
        for opco, cle in demo.contenu["cles"].items():
            typer.echo(f"  {opco:<13} {cle}")
        typer.echo(f"Clés écrites dans {demo.fichier}.")
        try:
            from apicfa.referentiels.depot import charger_exemples
        except ImportError:
            return
        if charger_exemples(url):
            typer.echo("Référentiels d'exemple chargés (IDCC → OPCO, NPEC).")


def serveur(
    hote: Annotated[str, typer.Option("--hote", help="Adresse d'écoute.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port d'écoute.")] = 8000,
    base: Annotated[
        str | None, typer.Option("--base", help="URL de la base (sinon APICFA_BASE, sinon SQLite).")
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Processus ouvriers.", min=1)] = 1,
    profils: Annotated[
        Path | None,
        typer.Option("--profils", help="Fichier de profils OPCO (sinon APICFA_PROFILS)."),
    ] = None,
    limite_corps: Annotated[
        int, typer.Option("--limite-corps", help="Taille maximale d'un corps, en octets.")
    ] = 20 * 1024 * 1024,
    processus_depot: Annotated[
        bool,
        typer.Option(
            "--processus-depot/--sans-processus-depot",
            help="Valider, écrire et instruire les dépôts dans un processus à part (par défaut).",
        ),
    ] = True,
) -> None:
    """Démarre le serveur OPCO (toutes les routes de la norme pour les 11 OPCO)."""
    import os

    import uvicorn

    from apicfa.opco.asgi import VARIABLE_LIMITE_CORPS, VARIABLE_PROCESSUS_DEPOT
    from apicfa.opco.profils import VARIABLE_PROFILS, ProfilInvalide, charger_profils
    from apicfa.opco.protocole_http import CHEMIN as PROTOCOLE_SANS_NAGLE
    from apicfa.stockage.moteur import VARIABLE_BASE, url_base

    url = url_base(base)
    chemin_profils = str(profils) if profils else os.environ.get(VARIABLE_PROFILS)
    try:
        charger_profils(chemin_profils)
    except ProfilInvalide as probleme:
        typer.echo(f"Erreur : {probleme}", err=True)
        raise typer.Exit(2) from None
    _preparer_base(url)
    os.environ[VARIABLE_BASE] = url
    os.environ[VARIABLE_LIMITE_CORPS] = str(limite_corps)
    os.environ[VARIABLE_PROCESSUS_DEPOT] = "1" if processus_depot else "0"
    if chemin_profils:
        os.environ[VARIABLE_PROFILS] = chemin_profils
    typer.echo(f"Serveur OPCO sur http://{hote}:{port} (documentation : /docs, santé : /health).")
    uvicorn.run(
        "apicfa.opco.asgi:fabriquer",
        factory=True,
        host=hote,
        port=port,
        workers=workers,
        # plusieurs ouvriers : uvicorn ouvre la socket lui-même, sans TCP_NODELAY (voir le module)
        http=PROTOCOLE_SANS_NAGLE if workers > 1 else "auto",
        access_log=False,
        log_level="warning",
        timeout_keep_alive=10,
        timeout_graceful_shutdown=10,
    )


def register(app: typer.Typer) -> None:
    app.command("serveur")(serveur)
