"""`apicfa referentiel …` : importer les référentiels (NPEC, IDCC → OPCO) et interroger la NPEC."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from apicfa.financement.npec import ResolutionNpec
    from apicfa.referentiels.depot import RapportImport

referentiel = typer.Typer(
    name="referentiel",
    help="Référentiels : NPEC de France compétences, table IDCC → OPCO.",
    no_args_is_help=True,
)

OptionBase = Annotated[
    str | None,
    typer.Option(
        "--base",
        help="URL de la base (défaut : variable APICFA_BASE, sinon sqlite:///var/apicfa.db).",
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(referentiel, name="referentiel")


def _arreter(message: str, code: int = 2) -> typer.Exit:
    typer.secho(f"Erreur : {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _date(option: str, texte: str | None) -> date | None:
    if texte is None:
        return None
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise _arreter(f"{option} : date AAAA-MM-JJ attendue, reçu « {texte} ».") from None


def _base_migree(base: str | None) -> str:
    from apicfa.stockage.moteur import migrer, url_base

    url = url_base(base)
    migrer(url)
    return url


def _afficher_rapport(rapport: RapportImport) -> None:
    if rapport.deja_importe:
        typer.echo(
            f"{rapport.fichier} est déjà importé (version n° {rapport.version_id}, applicable au "
            f"{rapport.date_applicabilite:%d/%m/%Y}, {rapport.valeurs} valeurs) : rien à faire."
        )
        return
    typer.echo(
        f"{rapport.fichier} importé : version n° {rapport.version_id} (mise en page "
        f"{rapport.mise_en_page}), applicable au {rapport.date_applicabilite:%d/%m/%Y}.\n"
        f"  lignes lues : {_nombre(rapport.lignes_lues)}\n"
        f"  valeurs enregistrées : {_nombre(rapport.valeurs)} "
        "(une par certification nommée dans la cellule)\n"
        f"  lignes sans valeur (NC, NR, vide) : {_nombre(rapport.lignes_sans_valeur)}\n"
        f"  rattachements IDCC → CPNE : {_nombre(rapport.rattachements)} ; "
        f"CPNE : {_nombre(rapport.cpne)}\n"
        f"  durée : {rapport.duree_secondes:.1f} s "
        f"({_nombre(round(rapport.lignes_par_seconde))} lignes/s)"
    )


def _nombre(valeur: int) -> str:
    """12 696 (espace fine insécable entre les milliers, à la française)."""
    return f"{valeur:,}".replace(",", "\u202f")


@referentiel.command("importer-npec")
def importer_npec(
    fichier: Annotated[Path, typer.Argument(help="Classeur NPEC de France compétences (.xlsx).")],
    date_applicabilite: Annotated[
        str | None,
        typer.Option(
            "--date-applicabilite",
            help="Date AAAA-MM-JJ d'application de cette version (obligatoire si ni le "
            "classeur ni le nom du fichier n'en donnent une).",
        ),
    ] = None,
    base: OptionBase = None,
) -> None:
    """Importe un classeur NPEC (mises en page 2019 et 2024) comme nouvelle version."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from apicfa.referentiels.depot import importer_npec as importer
    from apicfa.referentiels.erreurs import FichierReferentielInvalide

    jour = _date("--date-applicabilite", date_applicabilite)
    url = _base_migree(base)
    with Progress(
        TextColumn("[bold]Import[/bold] {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} lignes lues"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as barre:
        tache = barre.add_task(fichier.name, total=None)

        def progression(lues: int, annoncees: int) -> None:
            barre.update(tache, completed=lues, total=max(annoncees, lues))

        try:
            rapport = importer(url, fichier, date_applicabilite=jour, progression=progression)
        except FichierReferentielInvalide as erreur:
            raise _arreter(str(erreur)) from erreur
    _afficher_rapport(rapport)


@referentiel.command("importer-idcc-opco")
def importer_idcc_opco(
    fichier: Annotated[Path, typer.Argument(help="CSV « idcc;opco;libelle_idcc ».")],
    base: OptionBase = None,
) -> None:
    """Charge la table IDCC → OPCO (ajoute ou met à jour les IDCC du fichier)."""
    from apicfa.referentiels.depot import importer_idcc_opco as importer
    from apicfa.referentiels.erreurs import FichierReferentielInvalide

    url = _base_migree(base)
    try:
        rapport = importer(url, fichier)
    except FichierReferentielInvalide as erreur:
        raise _arreter(str(erreur)) from erreur
    typer.echo(
        f"{rapport.fichier} : {rapport.lignes} IDCC lus ; {rapport.ajoutees} ajoutés, "
        f"{rapport.modifiees} modifiés, {rapport.inchangees} inchangés."
    )


@referentiel.command("versions")
def versions(base: OptionBase = None) -> None:
    """Liste les versions du référentiel NPEC importées, par date d'applicabilité."""
    from apicfa.referentiels.depot import lister_versions

    trouvees = lister_versions(_base_migree(base))
    if not trouvees:
        typer.echo(
            "Aucune version du référentiel NPEC en base : "
            "importez-en une avec « apicfa referentiel importer-npec FICHIER.xlsx »."
        )
        return
    for version in trouvees:
        typer.echo(
            f"n° {version.version_id}  applicable au {version.date_applicabilite:%d/%m/%Y}  "
            f"{_nombre(version.valeurs)} valeurs  mise en page {version.mise_en_page}  "
            f"{version.fichier}  (importée le {version.date_import:%d/%m/%Y à %H:%M} UTC)"
        )


@referentiel.command("retirer-npec")
def retirer_npec(
    version: Annotated[
        int, typer.Argument(help="Numéro de la version (voir « apicfa referentiel versions »).")
    ],
    oui: Annotated[bool, typer.Option("--oui", help="Ne pas demander de confirmation.")] = False,
    base: OptionBase = None,
) -> None:
    """Retire une version du référentiel NPEC importée par erreur, avec ses valeurs."""
    from apicfa.referentiels.depot import lister_versions, retirer_version
    from apicfa.referentiels.erreurs import VersionIntrouvable

    url = _base_migree(base)
    if not oui:
        cible = next((v for v in lister_versions(url) if v.version_id == version), None)
        if cible is not None:
            reponse = typer.prompt(
                f"Retirer la version n° {version} ({cible.fichier}, applicable au "
                f"{cible.date_applicabilite:%d/%m/%Y}, {_nombre(cible.valeurs)} valeurs) ? [o/N]",
                default="n",
                show_default=False,
            )
            if reponse.strip().lower() not in {"o", "oui", "y", "yes"}:
                raise _arreter("retrait annulé, rien n'a changé.", code=1)
    try:
        retiree = retirer_version(url, version)
    except VersionIntrouvable as probleme:
        raise _arreter(str(probleme)) from None
    typer.echo(
        f"Version n° {retiree.version_id} retirée : {retiree.fichier}, applicable au "
        f"{retiree.date_applicabilite:%d/%m/%Y}, {_nombre(retiree.valeurs)} valeurs. Les "
        "dossiers déjà instruits gardent leurs montants ; un serveur en marche cesse de "
        "l'appliquer sous 30 s (relecture de son cache de référentiel)."
    )


def _resolution_json(resolution: ResolutionNpec | None, rncp: str, idcc: str, jour: date) -> str:
    contenu: dict[str, object] = {"rncp": rncp, "idcc": idcc, "dateConclusion": jour.isoformat()}
    if resolution is None:
        contenu["npec"] = None
    else:
        contenu.update(
            {
                "npec": f"{resolution.valeur:.2f}",
                "origine": resolution.origine,
                "dateVersion": (
                    resolution.date_version.isoformat() if resolution.date_version else None
                ),
                "codeCertification": resolution.code_certification,
                "codeCpne": resolution.code_cpne,
                "libelleCpne": resolution.libelle_cpne,
                "statut": resolution.statut,
                "niveau": resolution.niveau,
                "explication": resolution.explication(),
            }
        )
    return json.dumps(contenu, ensure_ascii=False, indent=2)


@referentiel.command("npec")
def npec(
    rncp: Annotated[str, typer.Option("--rncp", help="Code RNCP de la certification.")],
    idcc: Annotated[str, typer.Option("--idcc", help="IDCC de l'employeur.")],
    date_conclusion: Annotated[
        str, typer.Option("--date", help="Date de conclusion du contrat (AAAA-MM-JJ).")
    ],
    niveau: Annotated[
        int | None,
        typer.Option(
            "--niveau", min=3, max=8, help="Niveau de la certification (valeur d'amorçage)."
        ),
    ] = None,
    code_diplome: Annotated[
        str | None,
        typer.Option("--code-diplome", help="Code diplôme (référentiels de 2019, par formation)."),
    ] = None,
    en_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
) -> None:
    """Affiche la NPEC applicable et d'où elle vient (version, CPNE, statut), ou la valeur
    d'amorçage du niveau quand la certification n'a pas de valeur."""
    from apicfa.referentiels.depot import npec_applicable

    jour = _date("--date", date_conclusion)
    assert jour is not None
    url = _base_migree(base)
    resolution = npec_applicable(url, rncp, idcc, jour, niveau, code_diplome=code_diplome)
    if en_json:
        typer.echo(_resolution_json(resolution, rncp, idcc, jour))
    elif resolution is not None:
        typer.echo(resolution.explication())
    if resolution is None:
        if not en_json:
            typer.secho(
                f"Aucune NPEC pour {rncp} (IDCC {idcc}) au {jour:%d/%m/%Y} : la certification "
                "n'a pas de valeur dans le référentiel applicable ; indiquez --niveau pour "
                "obtenir la valeur d'amorçage.",
                fg=typer.colors.YELLOW,
                err=True,
            )
        raise typer.Exit(1)
