"""`apicfa opco …` : le poste de l'OPCO — file des dossiers, décision de l'agent, paiements."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

opco_app = typer.Typer(
    help="Poste de l'OPCO : file des dossiers, instruction à la main, campagne de paiement.",
    no_args_is_help=True,
)

OptionBase = Annotated[
    str | None, typer.Option("--base", help="URL de la base (sinon APICFA_BASE, sinon SQLite).")
]
OptionOpco = Annotated[str, typer.Option("--opco", help="Code de l'OPCO (atlas, akto…).")]
OptionProfils = Annotated[
    Path | None,
    typer.Option("--profils", help="Fichier de profils OPCO (sinon APICFA_PROFILS)."),
]


def _echec(message: str) -> typer.Exit:
    typer.echo(f"Erreur : {message}", err=True)
    return typer.Exit(1)


def _profil(opco: str, profils: Path | None) -> Any:
    from apicfa.opco.profils import ProfilInvalide, charger_profils

    try:
        tous = charger_profils(profils)
    except ProfilInvalide as probleme:
        raise _echec(str(probleme)) from None
    if opco not in tous:
        raise _echec(f"--opco « {opco} » inconnue (attendues : {', '.join(sorted(tous))})")
    return tous[opco]


def _moteur(base: str | None) -> tuple[str, Any]:
    from apicfa.stockage.moteur import creer_moteur, migrer, url_base

    url = url_base(base)
    migrer(url)
    return url, creer_moteur(url)


def _jour(texte: str | None) -> date:
    if texte is None:
        return date.today()
    try:
        return date.fromisoformat(texte)
    except ValueError:
        raise _echec(f"--date « {texte} » : date AAAA-MM-JJ attendue") from None


@opco_app.command("dossiers")
def dossiers(
    opco: OptionOpco,
    etat: Annotated[
        str | None, typer.Option("--etat", help="Seulement cet état (ex. EN_COURS_INSTRUCTION).")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
) -> None:
    """La file des dossiers de l'OPCO (tous CFA), du plus ancien au plus récent."""
    import orjson
    from sqlalchemy.orm import Session

    from apicfa.norme.etats import lire_etat_dossier
    from apicfa.stockage.guichet import file_dossiers

    filtre = None
    if etat is not None:
        try:
            filtre = lire_etat_dossier(etat).value
        except ValueError as probleme:
            raise _echec(f"--etat : {probleme}") from None
    _, moteur = _moteur(base)
    with Session(moteur) as session:
        lignes = [
            {
                "numeroExterne": d.numero_externe,
                "numeroInterne": d.numero_interne,
                "etat": d.etat,
                "numeroDeca": d.numero_deca,
                "dateDepot": d.date_creation.date().isoformat(),
                "commentaireEtat": d.commentaire_etat,
            }
            for d in file_dossiers(session, opco, filtre)
        ]
    moteur.dispose()
    if json_:
        typer.echo(orjson.dumps(lignes).decode())
        return
    if not lignes:
        typer.echo("Aucun dossier.")
        return
    for ligne in lignes:
        typer.echo(
            f"{ligne['numeroExterne']}  {ligne['etat']:<21} déposé le {ligne['dateDepot']}"
            + (f"  — {ligne['commentaireEtat']}" if ligne["commentaireEtat"] else "")
        )


@opco_app.command("instruire")
def instruire(
    opco: OptionOpco,
    numero: Annotated[str, typer.Option("--numero", help="numeroExterne du dossier.")],
    decision: Annotated[str, typer.Option("--decision", help="engager, refuser ou annuler.")],
    motif: Annotated[
        str | None, typer.Option("--motif", help="Motif (obligatoire pour refuser).")
    ] = None,
    npec: Annotated[
        str | None,
        typer.Option("--npec", help="NPEC à engager (euros), si le référentiel n'en a pas."),
    ] = None,
    base: OptionBase = None,
    profils: OptionProfils = None,
) -> None:
    """Décision de l'agent instructeur sur un dossier."""
    from decimal import Decimal, InvalidOperation

    from sqlalchemy.orm import Session

    from apicfa.opco.decision_agent import DecisionImpossible, decider
    from apicfa.opco.services import maintenant_utc
    from apicfa.referentiels.depot import charger_referentiel
    from apicfa.stockage.erreurs import TransitionRefusee

    profil = _profil(opco, profils)
    montant = None
    if npec is not None:
        try:
            montant = Decimal(npec.replace(",", "."))
        except InvalidOperation:
            raise _echec(f"--npec « {npec} » : montant en euros attendu") from None
    url, moteur = _moteur(base)
    maintenant = maintenant_utc()
    try:
        with Session(moteur) as session, session.begin():
            dossier = decider(
                session,
                profil,
                numero,
                decision,
                motif=motif,
                referentiel=charger_referentiel(url),
                npec=montant,
                jour=maintenant.date(),
                maintenant=maintenant,
            )
            etat, deca = dossier.etat, dossier.numero_deca
    except (DecisionImpossible, TransitionRefusee) as probleme:
        raise _echec(str(probleme)) from None
    finally:
        moteur.dispose()
    typer.echo(f"Dossier {numero} : {etat}" + (f" (DECA {deca})" if deca else "") + ".")


@opco_app.command("payer")
def payer(
    opco: OptionOpco,
    date_: Annotated[
        str | None, typer.Option("--date", help="Jour du paiement AAAA-MM-JJ (aujourd'hui).")
    ] = None,
    sepa: Annotated[
        Path | None, typer.Option("--sepa", help="Fichier SEPA pain.001.001.03 à écrire.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Sortie JSON.")] = False,
    base: OptionBase = None,
    profils: OptionProfils = None,
) -> None:
    """Paie chaque facture VALIDE dont la date de paiement (réception + délai) est arrivée."""
    import orjson
    from sqlalchemy.orm import Session

    from apicfa.financement.montants import en_euros, texte_euros
    from apicfa.opco.paiement import payer as payer_factures
    from apicfa.opco.services import maintenant_utc

    profil = _profil(opco, profils)
    jour = _jour(date_)
    _, moteur = _moteur(base)
    try:
        with Session(moteur) as session, session.begin():
            campagne = payer_factures(session, profil, jour, maintenant_utc())
            if sepa is not None and campagne.sepa is not None:
                sepa.parent.mkdir(parents=True, exist_ok=True)
                sepa.write_bytes(campagne.sepa)
    except ValueError as probleme:
        raise _echec(f"paiement impossible : {probleme}") from None
    finally:
        moteur.dispose()
    chemin = str(sepa) if sepa is not None and campagne.sepa is not None else None
    if json_:
        sortie = {
            "factures_reglees": campagne.factures_reglees,
            "montant_total": str(en_euros(campagne.montant_total_centimes)),
            "sepa": chemin,
            "virements": campagne.virements,
            "dossiers_soldes": campagne.dossiers_soldes,
            "ecartees": list(campagne.ecartees),
        }
        typer.echo(orjson.dumps(sortie).decode())
        return
    typer.echo(
        f"{campagne.factures_reglees} facture(s) réglée(s) le {jour:%d/%m/%Y} pour "
        f"{texte_euros(campagne.montant_total_centimes)} en {campagne.virements} virement(s) ; "
        f"{campagne.dossiers_soldes} dossier(s) soldé(s)."
    )
    for ecartee in campagne.ecartees:
        typer.echo(f"Écartée : {ecartee}")
    if chemin:
        typer.echo(f"Fichier SEPA : {chemin}")


def register(app: typer.Typer) -> None:
    app.add_typer(opco_app, name="opco")
