"""Point d'entrée unique de la commande `apicfa`.

Chaque domaine apporte ses commandes dans un module de ce paquet qui expose
`register(app: typer.Typer) -> None`. Les modules sont découverts ici : ajouter
un domaine ne demande pas de toucher ce fichier. Les imports lourds (serveur,
base de données) se font dans le corps des commandes, pour que `apicfa --help`
reste instantané.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from apicfa.cli._francais import installer as _installer_francais

_installer_francais()

app = typer.Typer(
    name="apicfa",
    help="apicfa : la norme d'échange API CFA, côté OPCO et côté CFA.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


@app.callback()
def principal() -> None:
    """apicfa : la norme d'échange API CFA, côté OPCO et côté CFA."""


@app.command("version")
def version() -> None:
    """Affiche la version d'apicfa."""
    from apicfa import __version__

    typer.echo(f"apicfa {__version__}")


def _register_all() -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    app()
