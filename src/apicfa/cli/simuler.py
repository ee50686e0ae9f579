"""`apicfa simuler` : l'échéancier qu'un OPCO rendrait pour un fichier CERFA."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer

AIDE_NPEC = (
    "NPEC annuel en euros (ex. 8000 ou 8000,50). Sans lui, il est lu dans le référentiel NPEC "
    "importé (apicfa referentiel importer-npec)."
)


def _echouer(message: str) -> typer.Exit:
    typer.echo(f"Erreur : {message}", err=True)
    return typer.Exit(code=1)


def _lire_json(chemin: Path, nom: str) -> dict[str, Any]:
    try:
        donnees = json.loads(chemin.read_text(encoding="utf-8"))
    except FileNotFoundError as erreur:
        raise _echouer(f"{nom} introuvable : {chemin}") from erreur
    except (json.JSONDecodeError, UnicodeDecodeError) as erreur:
        raise _echouer(f"{nom} {chemin} n'est pas un JSON lisible ({erreur})") from erreur
    if not isinstance(donnees, dict):
        raise _echouer(f"{nom} {chemin} : un objet JSON est attendu")
    return donnees


def _montant(texte: str, option: str) -> Decimal:
    try:
        valeur = Decimal(texte.replace("\u202f", "").replace(" ", "").replace(",", "."))
    except InvalidOperation as erreur:
        raise _echouer(f"{option} : montant illisible « {texte} »") from erreur
    if not valeur.is_finite() or valeur < 0:
        raise _echouer(f"{option} : montant positif attendu, reçu « {texte} »")
    return valeur


def _date(texte: str, option: str) -> date:
    try:
        return date.fromisoformat(texte)
    except ValueError as erreur:
        raise _echouer(f"{option} : date AAAA-MM-JJ attendue, reçu « {texte} »") from erreur


def _montants_regles(valeurs: list[str]) -> dict[int, Decimal]:
    regles: dict[int, Decimal] = {}
    for valeur in valeurs:
        numero, _, montant = valeur.partition("=")
        numero = numero.strip().upper().removeprefix("E")
        if not numero.isdigit() or not montant:
            raise _echouer(f"--regle : NUMERO=MONTANT attendu (ex. 1=3600), reçu « {valeur} »")
        regles[int(numero)] = _montant(montant, "--regle")
    return regles


def _conclusion(objet: Any) -> date:
    from apicfa.financement.lecture_cerfa import conclusion_financement

    try:
        return conclusion_financement(objet)
    except ValueError as erreur:
        raise _echouer(str(erreur)) from erreur


def _npec_du_referentiel(cerfa: dict[str, Any], base: str | None) -> tuple[Decimal, str]:
    """Le NPEC du référentiel importé (ou la valeur d'amorçage) et la phrase qui dit d'où il vient."""
    from sqlalchemy.exc import SQLAlchemyError

    from apicfa.financement.lecture_cerfa import donnees_cerfa
    from apicfa.financement.niveau import niveau_certification
    from apicfa.referentiels.depot import npec_applicable
    from apicfa.stockage.moteur import url_base

    objet = donnees_cerfa(cerfa)
    formation = objet.get("formation") or {}
    employeur = objet.get("employeur") or {}
    contrat = objet.get("contrat") or {}
    rncp, idcc = formation.get("rncp"), employeur.get("codeIdcc")
    if not contrat.get("dateConclusion"):
        raise _echouer(
            "sans --npec, cerfa.contrat.dateConclusion est nécessaire pour lire le NPEC applicable"
        )
    niveau = niveau_certification(formation.get("typeDiplome")) or None
    url = url_base(base)
    try:
        resolution = npec_applicable(
            url,
            str(rncp) if rncp else None,
            str(idcc) if idcc else None,
            _conclusion(objet),
            niveau,
            code_diplome=formation.get("codeDiplome"),
        )
    except SQLAlchemyError as erreur:
        raise _echouer(
            f"le référentiel NPEC n'est pas lisible dans la base {url} ({type(erreur).__name__}) : "
            "importez-le (apicfa referentiel importer-npec FICHIER.xlsx) ou donnez --npec"
        ) from erreur
    if resolution is None:
        raise _echouer(
            f"aucun NPEC pour cerfa.formation.rncp {rncp or '(absent)'} et "
            f"cerfa.employeur.codeIdcc {idcc or '(absent)'} dans le référentiel, et pas de "
            "niveau pour une valeur d'amorçage : utilisez --npec"
        )
    return Decimal(resolution.valeur), resolution.explication()


def _afficher(echeancier: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from apicfa.financement.calendrier import texte_date

    console = Console()
    console.print(
        f"Régime {echeancier.regime} — NPEC appliqué {echeancier.npec} € — "
        f"engagement [bold]{echeancier.engagement} €[/bold]"
        + (f" — trop-perçu {echeancier.trop_percu} €" if echeancier.trop_percu else "")
    )
    table = Table(title="Échéancier")
    avec_regle = any(e.montant_regle for e in echeancier.echeances)
    colonnes = ["Échéance", "Année", "Montant (€)"]
    colonnes += ["Réglé (€)"] if avec_regle else []
    colonnes += ["Ouverture", "Période payée", "Solde final"]
    for colonne in colonnes:
        table.add_column(colonne)
    for e in echeancier.echeances:
        cellules = [e.codification, str(e.annee), str(e.montant_total)]
        cellules += [str(e.montant_regle)] if avec_regle else []
        cellules += [
            texte_date(e.date_ouverture),
            f"{texte_date(e.date_debut)} – {texte_date(e.date_fin)}",
            "oui" if e.solde else "",
        ]
        table.add_row(*cellules)
    console.print(table)
    if echeancier.engagements_frais_annexe:
        frais = Table(title="Frais annexes")
        for colonne in ("Nature", "Quantité", "Prix unitaire (€)", "Montant (€)"):
            frais.add_column(colonne)
        for ligne in echeancier.engagements_frais_annexe:
            frais.add_row(
                ligne.nature_frais,
                str(ligne.quantite),
                str(ligne.prix_unitaire),
                str(ligne.montant_total),
            )
        console.print(frais)
    console.print("Détail :")
    for phrase in echeancier.detail:
        console.print(f"  • {phrase}", markup=False)


def simuler(
    fichier: Annotated[
        Path, typer.Argument(help="Fichier JSON du CERFA (objet cerfa ou enveloppe).")
    ],
    npec: Annotated[str | None, typer.Option("--npec", help=AIDE_NPEC, metavar="MONTANT")] = None,
    rupture: Annotated[
        str | None,
        typer.Option("--rupture", help="Dernier jour d'exécution.", metavar="AAAA-MM-JJ"),
    ] = None,
    dans_periode_essai: Annotated[
        bool, typer.Option("--dans-periode-essai", help="La rupture a lieu en période d'essai.")
    ] = False,
    regle: Annotated[
        list[str] | None,
        typer.Option("--regle", help="Montant déjà réglé (répétable).", metavar="NUMERO=MONTANT"),
    ] = None,
    convention: Annotated[
        Path | None,
        typer.Option("--convention", help="Convention JSON (frais annexes).", metavar="FICHIER"),
    ] = None,
    forfait_mobilite: Annotated[
        str | None,
        typer.Option(
            "--forfait-mobilite",
            help="Forfait de mobilité internationale (profil OPCO).",
            metavar="MONTANT",
        ),
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="URL de la base (référentiel NPEC).", metavar="URL")
    ] = None,
    en_json: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
) -> None:
    """Calcule l'engagement et l'échéancier d'un CERFA (et sa rupture éventuelle)."""
    from apicfa.financement.echeancier import calculer_echeancier
    from apicfa.financement.frais_annexes import lire_couts
    from apicfa.financement.lecture_cerfa import depuis_cerfa
    from apicfa.financement.rupture import appliquer_rupture
    from apicfa.financement.serialisation import echeancier_en_json

    cerfa = _lire_json(fichier, "Fichier CERFA")
    origine_npec = None
    if npec is not None:
        valeur_npec = _montant(npec, "--npec")
    else:
        valeur_npec, origine_npec = _npec_du_referentiel(cerfa, base)
    try:
        couts = lire_couts(_lire_json(convention, "Convention")) if convention else None
        contrat = depuis_cerfa(
            cerfa,
            valeur_npec,
            couts=couts,
            forfait_mobilite=_montant(forfait_mobilite, "--forfait-mobilite")
            if forfait_mobilite
            else None,
        )
        echeancier = calculer_echeancier(contrat)
        if rupture is not None:
            echeancier = appliquer_rupture(
                echeancier,
                contrat,
                _date(rupture, "--rupture"),
                dans_periode_essai=dans_periode_essai,
                montants_regles=_montants_regles(regle or []),
            )
        elif dans_periode_essai or regle:
            raise ValueError("--dans-periode-essai et --regle n'ont de sens qu'avec --rupture")
    except ValueError as erreur:
        raise _echouer(str(erreur)) from erreur
    if origine_npec:
        echeancier = echeancier.avec_phrases_en_tete(origine_npec)
    if en_json:
        typer.echo(json.dumps(echeancier_en_json(echeancier), ensure_ascii=False, indent=2))
    else:
        _afficher(echeancier)


def register(app: typer.Typer) -> None:
    app.command("simuler")(simuler)
