"""Commande `apicfa valider` : contrôle de fichiers CERFA (et autres objets de la norme).

La lecture des fichiers (la seule E/S) est ici : elle ne lève jamais et rend un message
français par fichier illisible ; le validateur d'`apicfa.norme` reste pur.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

TAILLE_MAX_OCTETS = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Lecture:
    fichier: str
    donnees: Any = None
    erreur: str | None = None


def fichiers_a_lire(chemins: list[Path]) -> list[Path | str]:
    """Les fichiers désignés : un dossier vaut tous ses `*.json` (triés) ; un chemin
    introuvable est rendu tel quel (texte) pour être signalé."""
    resultat: list[Path | str] = []
    for chemin in chemins:
        if chemin.is_dir():
            resultat.extend(sorted(p for p in chemin.glob("*.json") if p.is_file()))
        elif chemin.is_file():
            resultat.append(chemin)
        else:
            resultat.append(str(chemin))
    return resultat


def lire_json(chemin: Path | str, taille_max: int = TAILLE_MAX_OCTETS) -> Lecture:
    nom = str(chemin)
    if isinstance(chemin, str):
        return Lecture(nom, erreur=f"Le fichier {nom} est introuvable.")
    try:
        taille = chemin.stat().st_size
        if taille > taille_max:
            return Lecture(
                nom,
                erreur=(
                    f"Le fichier {nom} est trop volumineux ({taille / 1_048_576:.1f} Mo) : "
                    f"un dossier de la norme tient en moins de {taille_max // 1_048_576} Mo."
                ),
            )
        contenu = chemin.read_bytes()
    except OSError as erreur:
        return Lecture(nom, erreur=f"Le fichier {nom} ne peut pas être lu ({erreur.strerror}).")
    if b"\x00" in contenu[:8192]:
        return Lecture(nom, erreur=f"Le fichier {nom} est un fichier binaire, pas du JSON.")
    try:
        return Lecture(nom, donnees=orjson.loads(contenu))
    except orjson.JSONDecodeError as erreur:
        if "utf-8" in str(erreur).lower():
            return Lecture(
                nom, erreur=f"Le fichier {nom} n'est pas du texte UTF-8 : ce n'est pas du JSON."
            )
        return Lecture(
            nom,
            erreur=(
                f"Le fichier {nom} n'est pas du JSON valide "
                f"(ligne {erreur.lineno}, colonne {erreur.colno})."
            ),
        )


OBJETS = ("cerfa", "facture", "convention", "certificat", "document", "rupture")


def _objet(donnees: Any) -> str:
    if isinstance(donnees, dict):
        for nom in OBJETS:
            if nom in donnees:
                return nom
    return "cerfa"


def valider(
    chemins: Annotated[
        list[Path], typer.Argument(help="Fichiers JSON, ou dossiers (tous leurs *.json).")
    ],
    json_: Annotated[
        bool, typer.Option("--json", help="Sortie JSON : [{fichier, constats}].")
    ] = False,
    aujourd_hui: Annotated[
        str | None,
        typer.Option("--aujourd-hui", help="Jour du dépôt AAAA-MM-JJ (par défaut : aujourd'hui)."),
    ] = None,
) -> None:
    """Contrôle des dossiers `{"cerfa": …}` (ou cerfa nu) : chaque constat sur une ligne
    `code · champ · message`. Sortie 0 sans constat bloquant, 1 sinon, 2 si un fichier est illisible.
    """
    from apicfa.norme import validation

    if aujourd_hui is None:
        jour = date.today()
    else:
        try:
            jour = date.fromisoformat(aujourd_hui)
        except ValueError:
            typer.echo(f"--aujourd-hui « {aujourd_hui} » n'est pas une date AAAA-MM-JJ.", err=True)
            raise typer.Exit(2) from None
    valideurs = {nom: getattr(validation, f"valider_{nom}") for nom in OBJETS}
    illisible = bloquant = False
    rapport: list[dict[str, Any]] = []
    for fichier in fichiers_a_lire(chemins):
        lecture = lire_json(fichier)
        if lecture.erreur is not None:
            illisible = True
            rapport.append({"fichier": lecture.fichier, "erreur": lecture.erreur, "constats": []})
            if not json_:
                typer.echo(f"== {lecture.fichier}\n{lecture.erreur}")
            continue
        constats = valideurs[_objet(lecture.donnees)](lecture.donnees, aujourd_hui=jour)
        bloquant = bloquant or any(c.niveau == "bloquant" for c in constats)
        rapport.append({"fichier": lecture.fichier, "constats": [c.en_dict() for c in constats]})
        if not json_:
            typer.echo(f"== {lecture.fichier}")
            if not constats:
                typer.echo("aucun constat")
            for c in constats:
                typer.echo(f"{c.code} · {c.champ} · {c.message}")
    if not rapport:
        typer.echo("Aucun fichier JSON à valider.", err=True)
        raise typer.Exit(2)
    if json_:
        typer.echo(orjson.dumps(rapport, option=orjson.OPT_INDENT_2).decode())
    raise typer.Exit(2 if illisible else 1 if bloquant else 0)


def regles(
    objet: Annotated[
        str | None,
        typer.Option("--objet", help="cerfa, facture, convention, certificat, document, rupture."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Liste les règles du catalogue : `code · niveau · champ · message`."""
    from apicfa.norme.regles import CATALOGUE, CATALOGUE_PAR_OBJET

    if objet is not None and objet not in CATALOGUE_PAR_OBJET:
        typer.echo(f"Objet « {objet} » inconnu (attendus : {', '.join(OBJETS)}).", err=True)
        raise typer.Exit(2)
    choisies = CATALOGUE_PAR_OBJET[objet] if objet is not None else CATALOGUE
    if json_:
        liste = [
            {"code": r.code, "niveau": r.niveau, "champ": r.champ, "message": r.message}
            for r in choisies.values()
        ]
        typer.echo(orjson.dumps(liste, option=orjson.OPT_INDENT_2).decode())
        return
    for r in choisies.values():
        typer.echo(f"{r.code} · {r.niveau} · {r.champ} · {r.message}")


def register(app: typer.Typer) -> None:
    app.command("valider")(valider)
    app.command("regles")(regles)
