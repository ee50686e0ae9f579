"""`apicfa cfa-comptes …` et `apicfa logiciels …` : comptes CFA, clés d'API, logiciels."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

comptes = typer.Typer(help="Comptes CFA et clés d'API par OPCO.", no_args_is_help=True)
logiciels = typer.Typer(help="Identifiants OAuth2 des logiciels de CFA.", no_args_is_help=True)

OptionBase = Annotated[
    str | None, typer.Option("--base", help="URL de la base (sinon APICFA_BASE, sinon SQLite).")
]
OptionOpcos = Annotated[
    str | None,
    typer.Option("--opco", help="Codes OPCO séparés par des virgules (toutes si absent)."),
]


def _session(base: str | None):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import Session

    from apicfa.stockage.moteur import creer_moteur, migrer, url_base

    url = url_base(base)
    migrer(url)
    return Session(creer_moteur(url))


def _echec(message: str) -> typer.Exit:
    typer.echo(f"Erreur : {message}", err=True)
    return typer.Exit(1)


def _opcos(valeur: str | None) -> list[str] | None:
    return [c for c in valeur.split(",") if c.strip()] if valeur else None


@comptes.command("creer")
def creer(
    siret: Annotated[str, typer.Option("--siret", help="SIRET du CFA (14 chiffres).")],
    uai: Annotated[str, typer.Option("--uai", help="UAI du CFA.")],
    nom: Annotated[str, typer.Option("--nom", help="Nom du CFA.")],
    opco: OptionOpcos = None,
    expire_le: Annotated[
        str | None, typer.Option("--expire-le", help="Fin de validité des clés (AAAA-MM-JJ).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
) -> None:
    """Crée un CFA et une clé d'API par OPCO (affichées UNE fois : seules leurs empreintes sont
    gardées)."""
    import orjson

    from apicfa.opco.services import maintenant_utc
    from apicfa.portail.comptes import CompteInvalide, creer_cfa

    siret = siret.replace(" ", "")
    if not (siret.isdigit() and len(siret) == 14):
        raise _echec(f"le SIRET « {siret} » doit compter 14 chiffres.")
    fin: date | None = None
    if expire_le:
        try:
            fin = date.fromisoformat(expire_le)
        except ValueError:
            raise _echec(f"--expire-le « {expire_le} » n'est pas une date AAAA-MM-JJ.") from None
    with _session(base) as session, session.begin():
        try:
            compte = creer_cfa(
                session,
                siret=siret,
                uai=uai.strip().upper(),
                nom=nom.strip(),
                opcos=_opcos(opco),
                expire_le=fin,
                maintenant=maintenant_utc(),
            )
        except CompteInvalide as probleme:
            raise _echec(str(probleme)) from None
        contenu = {
            "cfa": {
                "id": compte.cfa.id,
                "siret": compte.cfa.siret,
                "uai": compte.cfa.uai,
                "nom": compte.cfa.nom,
            },
            "cles": compte.cles,
        }
    if json_:
        typer.echo(orjson.dumps(contenu).decode())
        return
    typer.echo(f"CFA « {contenu['cfa']['nom']} » créé (SIRET {siret}). Clés d'API :")
    for code, cle in compte.cles.items():
        typer.echo(f"  {code:<13} {cle}")
    typer.echo("Notez-les : elles ne seront plus jamais affichées.")


@comptes.command("lister")
def lister(
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
) -> None:
    """Liste les CFA et l'état de leurs clés (jamais les clés elles-mêmes)."""
    import orjson

    from apicfa.portail.comptes import lister_cfa

    with _session(base) as session:
        contenu = [
            {
                "cfa": {"id": cfa.id, "siret": cfa.siret, "uai": cfa.uai, "nom": cfa.nom},
                "cles": [
                    {
                        "opco": cle.opco,
                        "prefixe": cle.prefixe,
                        "dateFinValidite": cle.date_fin_validite.isoformat()
                        if cle.date_fin_validite
                        else None,
                        "revoquee": cle.revoquee_le is not None,
                    }
                    for cle in cles
                ],
            }
            for cfa, cles in lister_cfa(session)
        ]
    if json_:
        typer.echo(orjson.dumps(contenu).decode())
        return
    if not contenu:
        typer.echo("Aucun CFA.")
    for element in contenu:
        cfa = element["cfa"]
        typer.echo(f"{cfa['siret']}  {cfa['uai']}  {cfa['nom']}")
        for cle in element["cles"]:
            etat = "révoquée" if cle["revoquee"] else "active"
            fin = f", fin {cle['dateFinValidite']}" if cle["dateFinValidite"] else ""
            typer.echo(f"    {cle['opco']:<13} {cle['prefixe']}…  {etat}{fin}")


@comptes.command("revoquer")
def revoquer(
    siret: Annotated[str, typer.Option("--siret", help="SIRET du CFA.")],
    opco: Annotated[str, typer.Option("--opco", help="Code de l'OPCO.")],
    base: OptionBase = None,
) -> None:
    """Révoque les clés d'un CFA pour une OPCO (effet immédiat sur un nouveau processus, en
    quelques secondes sur un serveur lancé)."""
    from apicfa.opco.services import maintenant_utc
    from apicfa.portail.comptes import CompteInvalide
    from apicfa.portail.comptes import revoquer as revoquer_cles

    with _session(base) as session, session.begin():
        try:
            nombre = revoquer_cles(session, siret.replace(" ", ""), opco, maintenant_utc())
        except CompteInvalide as probleme:
            raise _echec(str(probleme)) from None
    typer.echo(f"{nombre} clé(s) révoquée(s) pour {opco}.")


@logiciels.command("creer")
def creer_logiciel(
    editeur: Annotated[str, typer.Option("--editeur", help="Éditeur du logiciel.")],
    logiciel: Annotated[str, typer.Option("--logiciel", help="Nom du logiciel.")],
    opco: OptionOpcos = None,
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
) -> None:
    """Crée les identifiants OAuth2 d'un logiciel (le secret n'est affiché qu'une fois)."""
    import orjson

    from apicfa.opco.services import maintenant_utc
    from apicfa.portail.comptes import CompteInvalide
    from apicfa.portail.logiciels import creer_logiciel as creer_identifiants

    with _session(base) as session, session.begin():
        try:
            cree = creer_identifiants(
                session,
                editeur=editeur,
                logiciel=logiciel,
                opcos=_opcos(opco),
                maintenant=maintenant_utc(),
            )
        except CompteInvalide as probleme:
            raise _echec(str(probleme)) from None
    contenu = {
        "client_id": cree.client_id,
        "client_secret": cree.client_secret,
        "editeur": cree.editeur,
        "logiciel": cree.logiciel,
        "opcos": cree.opcos,
    }
    if json_:
        typer.echo(orjson.dumps(contenu).decode())
        return
    typer.echo(f"Logiciel « {logiciel} » ({editeur}) : client_id {cree.client_id}")
    typer.echo(f"client_secret {cree.client_secret} (affiché une seule fois)")


def register(app: typer.Typer) -> None:
    app.add_typer(comptes, name="cfa-comptes")
    app.add_typer(logiciels, name="logiciels")
