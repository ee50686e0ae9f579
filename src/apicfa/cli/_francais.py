"""Libellés de la ligne de commande en français.

Typer écrit en anglais l'aide de l'option `--help`, les titres de ses panneaux, la ligne
« Usage: » et ses messages d'erreur d'usage (option manquante, option inconnue, valeur
invalide…), ces derniers écrits en dur dans sa copie de Click et dans les messages de pydantic.
apicfa les remplace ici, une fois, au chargement de la commande : les libellés par attribut, les
messages d'erreur par la table `TRADUCTIONS` appliquée au moment de l'affichage.
"""

from __future__ import annotations

import re
from typing import Any

AIDE_OPTION_AIDE = "Affiche cette aide et quitte."
PREFIXE_USAGE = "Utilisation : "

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

_NATURES = {"file": "Fichier", "dir": "Dossier", "path": "Chemin"}

# Messages d'usage de Typer/Click et de pydantic (validation des types des options), dans l'ordre
# où ils sont essayés ; chaque motif remplace un morceau, le reste du message est gardé. Les
# chemins (« file 'x' does not exist. ») passent d'abord par `_CHEMIN`.
TRADUCTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(motif), remplacement)
    for motif, remplacement in (
        (r"^Missing option (.+)\.", r"Option obligatoire manquante : \1."),
        (r"^Missing argument (.+)\.", r"Argument obligatoire manquant : \1."),
        (r"^Missing parameter (.+)\.", r"Paramètre obligatoire manquant : \1."),
        (r"^Missing parameter: (.+)$", r"Paramètre obligatoire manquant : \1"),
        (r"^Missing command\.", "Commande manquante."),
        (r"^No such option: (\S+)", r"Option inconnue : \1"),
        (r"\(Possible options: (.+)\)$", r"(options possibles : \1)"),
        (r"^No such command (.+)\.", r"Commande inconnue : \1."),
        (r"^Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"Argument(s) en trop : \1"),
        (r"^Option (.+) does not take a value\.", r"L'option \1 ne prend pas de valeur."),
        (r"^Option (.+) requires an argument\.", r"L'option \1 attend une valeur."),
        (r"^Option (.+) requires (\d+) arguments\.", r"L'option \1 attend \2 valeurs."),
        (r"^Argument (.+) takes (\d+) values\.", r"L'argument \1 attend \2 valeurs."),
        (r"^Invalid value for (.+?): ", r"Valeur invalide pour \1 : "),
        (r"^Invalid value: ", "Valeur invalide : "),
        (
            r"Input should be a valid integer, unable to parse string as an integer",
            "un nombre entier est attendu",
        ),
        (r"Input should be a valid integer.*$", "un nombre entier est attendu"),
        (r"Input should be a valid number.*$", "un nombre est attendu"),
        (r"Input should be a valid date.*$", "une date AAAA-MM-JJ est attendue"),
        (r"Input should be a valid datetime.*$", "une date et heure ISO 8601 est attendue"),
        (r"Input should be a valid boolean.*$", "oui/non (true/false) est attendu"),
        (r"Input should be greater than or equal to (\S+)$", r"une valeur ≥ \1 est attendue"),
        (r"Input should be greater than (\S+)$", r"une valeur > \1 est attendue"),
        (r"Input should be less than or equal to (\S+)$", r"une valeur ≤ \1 est attendue"),
        (r"Input should be less than (\S+)$", r"une valeur < \1 est attendue"),
        (r"Input should be (.+)$", lambda m: "valeur attendue : " + m[1].replace(" or ", " ou ")),
    )
)

_FINS_CHEMIN = {
    "does not exist.": "introuvable.",
    "is a file.": "est un fichier.",
    "is a directory.": "est un dossier.",
    "is not readable.": "n'est pas lisible.",
    "is not writable.": "n'est pas modifiable.",
}
_CHEMIN = re.compile(
    r"\b(file|dir|path) ('.*') (does not exist\.|is a file\.|is a directory\.|"
    r"is not readable\.|is not writable\.)"
)


def traduire(message: str) -> str:
    """Le message d'usage de Typer/Click en français (inchangé s'il n'est pas reconnu)."""
    message = _CHEMIN.sub(lambda m: f"{_NATURES[m[1]]} {m[2]} {_FINS_CHEMIN[m[3]]}", message)
    for motif, remplacement in TRADUCTIONS:
        message = motif.sub(remplacement, message)
    return message


def installer() -> None:
    """Installe les libellés français (idempotent)."""
    from typer import rich_utils
    from typer._click import core, formatting

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

    ecrire_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        ecrire_usage(self, prog, args, PREFIXE_USAGE if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    rich_utils.OptionHighlighter.highlights = [
        *rich_utils.OptionHighlighter.highlights,
        rf"(?P<usage>{PREFIXE_USAGE})",
    ]

    afficher_erreur = rich_utils.rich_format_error

    def rich_format_error(erreur: Any) -> None:
        message = erreur.format_message()
        erreur.format_message = lambda: traduire(message)
        afficher_erreur(erreur)

    rich_utils.rich_format_error = rich_format_error
