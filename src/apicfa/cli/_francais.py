"""Libellés de la ligne de commande en français.

Typer écrit en anglais l'aide de l'option `--help` et les titres de ses panneaux ; apicfa les
remplace ici, une fois, au chargement de la commande. (Les messages d'erreur d'usage de Typer,
écrits en dur dans sa copie de Click, restent en anglais.)
"""

from __future__ import annotations

from typing import Any

AIDE_OPTION_AIDE = "Affiche cette aide et quitte."

# Libellés que Typer calcule une fois à l'import de `typer.rich_utils`.
LIBELLES_TYPER = {
    "DEFAULT_STRING": "[par défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Essayez [blue]« {command_path} {help_option} »[/] pour l'aide.",
}


def installer() -> None:
    """Installe les libellés français (idempotent)."""
    from typer import rich_utils
    from typer._click import core

    for nom, valeur in LIBELLES_TYPER.items():
        if hasattr(rich_utils, nom):
            setattr(rich_utils, nom, valeur)

    origine = core.Command.get_help_option
    if getattr(origine, "_apicfa_francais", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = origine(self, ctx)
        if option is not None:
            option.help = AIDE_OPTION_AIDE
        return option

    get_help_option._apicfa_francais = True  # type: ignore[attr-defined]
    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
