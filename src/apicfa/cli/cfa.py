"""`apicfa cfa …` : le client du CFA (configuration, envois, synchronisation, facturation)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from apicfa.client.configuration import Configuration
    from apicfa.client.journal import Envoi, Journal
    from apicfa.client.opco import ClientOpco
    from apicfa.client.resultats import Bilan, Resultat

cfa = typer.Typer(
    name="cfa",
    help="Côté CFA : envoyer dossiers et factures aux OPCO, suivre leurs états.",
    no_args_is_help=True,
)

OptionJournal = Annotated[
    Path | None,
    typer.Option("--journal", help="Fichier SQLite du journal (défaut : dossier de données)."),
]


def register(app: typer.Typer) -> None:
    app.add_typer(cfa, name="cfa")


def _journal(chemin: Path | None) -> Journal:
    from apicfa.client.journal import Journal

    return Journal(chemin)


def _arreter(message: str, code: int = 2) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@cfa.command("configurer")
def configurer(
    opco: Annotated[str | None, typer.Option(help="Code OPCO (atlas, akto, …).")] = None,
    url: Annotated[str | None, typer.Option(help="URL de base de l'API de cet OPCO.")] = None,
    cle: Annotated[str | None, typer.Option(help="Clé d'API du CFA pour cet OPCO.")] = None,
    oauth_url: Annotated[str | None, typer.Option(help="URL du serveur de jetons OAuth.")] = None,
    client_id: Annotated[str | None, typer.Option(help="client_id OAuth du logiciel.")] = None,
    client_secret: Annotated[str | None, typer.Option(help="client_secret OAuth.")] = None,
    scope: Annotated[
        str | None, typer.Option(help="scope OAuth (ex. « api.read api.write »).")
    ] = None,
    version_dossiers: Annotated[
        int | None, typer.Option(help="Version de la route des dossiers (1 ou 2).")
    ] = None,
    siret_cfa: Annotated[str | None, typer.Option(help="SIRET du CFA (factures).")] = None,
    iban: Annotated[str | None, typer.Option(help="IBAN du CFA (factures).")] = None,
    nom_cfa: Annotated[str | None, typer.Option(help="Dénomination du CFA (factures).")] = None,
    prefixe_factures: Annotated[
        str | None, typer.Option(help="Préfixe de la série de factures (défaut FAC).")
    ] = None,
    editeur: Annotated[str | None, typer.Option(help="En-tête EDITEUR envoyé.")] = None,
    logiciel: Annotated[str | None, typer.Option(help="En-tête LOGICIEL envoyé.")] = None,
    table_idcc: Annotated[
        Path | None, typer.Option(help="Table IDCC → OPCO (CSV idcc;opco;libelle_idcc).")
    ] = None,
) -> None:
    """Enregistre les réglages d'un OPCO et du CFA (fichier lisible par vous seul)."""
    from apicfa.client import configuration as conf
    from apicfa.client.opco import verifier_entete
    from apicfa.norme.codes import OPCOS

    reglages = conf.charger()
    if opco is not None:
        opco = opco.strip().lower()
        if opco not in OPCOS:
            raise _arreter(f"--opco « {opco} » inconnu ; attendus : {', '.join(OPCOS)}")
        actuel = reglages.opcos.get(opco)
        url = url or (actuel.url if actuel else None)
        cle = cle or (actuel.cle if actuel else None)
        if not url or not cle:
            raise _arreter(f"--url et --cle sont obligatoires pour configurer l'OPCO {opco}")
        if version_dossiers not in (None, 1, 2):
            raise _arreter("--version-dossiers vaut 1 ou 2")
        reglage = conf.ReglageOpco(
            opco=opco,
            url=url,
            cle=cle,
            oauth_url=oauth_url or (actuel.oauth_url if actuel else None),
            client_id=client_id or (actuel.client_id if actuel else None),
            client_secret=client_secret or (actuel.client_secret if actuel else None),
            scope=scope or (actuel.scope if actuel else None),
            version_dossiers=version_dossiers or (actuel.version_dossiers if actuel else 2),
        )
        try:
            reglage.oauth()
        except conf.ErreurConfiguration as exc:
            raise _arreter(str(exc)) from None
        reglages.opcos[opco] = reglage
    for attribut, valeur in (
        ("siret", siret_cfa),
        ("iban", iban),
        ("denomination", nom_cfa),
        ("prefixe_factures", prefixe_factures),
    ):
        if valeur is not None:
            setattr(reglages.cfa, attribut, valeur.strip())
    for attribut, entete, valeur in (
        ("editeur", "EDITEUR", editeur),
        ("logiciel", "LOGICIEL", logiciel),
    ):
        if valeur is not None:
            try:
                verifier_entete(entete, valeur)  # refuse aussi une valeur vide
            except ValueError as exc:
                raise _arreter(str(exc)) from None
            setattr(reglages, attribut, valeur)
    if table_idcc:
        reglages.table_idcc = str(table_idcc.resolve())
    chemin = conf.enregistrer(reglages)
    typer.echo(f"Configuration enregistrée dans {chemin} (lisible par vous seul).")
    _afficher_configuration(reglages)


def _afficher_configuration(reglages: Configuration) -> None:
    from rich.console import Console
    from rich.table import Table

    from apicfa.client.configuration import masquer

    table = Table(title="OPCO configurés")
    for colonne in ("OPCO", "URL", "Clé", "OAuth", "Dossiers"):
        table.add_column(colonne)
    for code, r in sorted(reglages.opcos.items()):
        oauth = f"{r.client_id} / {masquer(r.client_secret)}" if r.oauth_url else "non"
        table.add_row(code, r.url, masquer(r.cle), oauth, f"v{r.version_dossiers}")
    Console().print(table)
    identite = reglages.cfa
    typer.echo(
        f"CFA : {identite.denomination or '—'}, SIRET {identite.siret or '—'}, "
        f"IBAN {masquer(identite.iban)}, factures {identite.prefixe_factures}-AAAA-NNNNNN"
    )


@cfa.command("envoyer")
def envoyer(
    entrees: Annotated[
        list[Path] | None,
        typer.Argument(help="Fichiers JSON ou dossiers (aucun : reprend les envois en suspens)."),
    ] = None,
    opco: Annotated[
        str | None, typer.Option(help="Impose l'OPCO (sinon : IDCC de l'employeur).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Contrôle et routage seulement, rien n'est envoyé.")
    ] = False,
    concurrence: Annotated[int, typer.Option(help="Envois simultanés.")] = 16,
    table_idcc: Annotated[Path | None, typer.Option(help="Table IDCC → OPCO (CSV).")] = None,
    journal: OptionJournal = None,
) -> None:
    """Contrôle, route et envoie des dossiers CERFA ; reprend les envois interrompus."""
    from datetime import date
    from itertools import chain

    from rich.console import Console

    from apicfa.client import configuration as conf
    from apicfa.client.affichage import barre_progression
    from apicfa.client.expedition import Expediteur
    from apicfa.client.preparation import fichiers_json, preparer_dossiers
    from apicfa.client.resultats import Bilan
    from apicfa.client.routage import Routeur

    reglages = conf.charger()
    if opco is not None:
        opco = opco.strip().lower()
        if not dry_run:
            try:
                reglages.reglage(opco)
            except conf.ErreurConfiguration as exc:
                raise _arreter(str(exc)) from None
    elif not dry_run and not reglages.opcos:
        raise _arreter("Aucun OPCO configuré : lancez `apicfa cfa configurer` d'abord.")
    entrees = entrees or []
    manquants = [str(e) for e in entrees if not e.exists()]
    if manquants:
        raise _arreter(f"Introuvable : {', '.join(manquants)}")
    try:
        routeur = Routeur.depuis(table_idcc or reglages.table_idcc, opco)
    except Exception as exc:
        raise _arreter(f"Table IDCC → OPCO illisible : {exc}") from None
    chemins = list(fichiers_json(entrees))
    console = Console(stderr=True)
    bilan = Bilan()
    clients: dict[str, ClientOpco] = {}

    def client_de(code: str) -> ClientOpco:
        if code not in clients:
            clients[code] = reglages.client(code, connexions=concurrence)
        return clients[code]

    version_par_opco = {c: r.version_dossiers for c, r in reglages.opcos.items()}
    jour = date.today()
    base = None if dry_run else _journal(journal)
    try:
        comptes = {} if base is None else base.compter()
        en_suspens = comptes.get("a_envoyer", 0) + comptes.get("echec", 0)
        with barre_progression(console) as barre:
            tache = barre.add_task("Envoi", total=len(chemins) + en_suspens)
            if base is None:
                resultats = iter(
                    preparer_dossiers(chemins, routeur=routeur, journal=None, aujourd_hui=jour)
                )
            else:
                flux = chain(
                    base.en_suspens(),
                    preparer_dossiers(
                        chemins,
                        routeur=routeur,
                        journal=base,
                        aujourd_hui=jour,
                        versions=version_par_opco,
                    ),
                )
                resultats = Expediteur(base, client_de, concurrence=concurrence).expedier(flux)
            for resultat in resultats:
                bilan.ajouter(resultat)
                barre.advance(tache)
            # Un envoi en suspens retrouvé parmi les fichiers n'est compté qu'une fois.
            barre.update(tache, total=bilan.total, completed=bilan.total)
    finally:
        for client in clients.values():
            client.close()
        if base is not None:
            base.close()
    _imprimer_bilan(bilan)
    if bilan.problemes:
        raise typer.Exit(1)


@cfa.command("synchroniser")
def synchroniser(
    opco: Annotated[str | None, typer.Option(help="Un seul OPCO (défaut : tous).")] = None,
    complet: Annotated[
        bool, typer.Option("--complet", help="Redemande tous les états, pas seulement les récents.")
    ] = False,
    journal: OptionJournal = None,
) -> None:
    """Rapatrie états des dossiers, échéanciers et états des factures dans le journal."""
    from datetime import date

    from apicfa.client import configuration as conf
    from apicfa.client.erreurs import ErreurOpco
    from apicfa.client.synchronisation import synchroniser_opco

    reglages = conf.charger()
    codes = [opco] if opco else sorted(reglages.opcos)
    if not codes:
        raise _arreter("Aucun OPCO configuré : lancez `apicfa cfa configurer` d'abord.")
    erreur = False
    with _journal(journal) as base:
        for code in codes:
            try:
                with reglages.client(code) as client:
                    b = synchroniser_opco(
                        client, code, base, aujourd_hui=date.today(), complet=complet
                    )
            except (ErreurOpco, conf.ErreurConfiguration) as exc:
                typer.secho(f"{code} : {exc}", fg=typer.colors.RED, err=True)
                erreur = True
                continue
            typer.echo(
                f"{code} : {b.etats} état(s) de dossier, {b.echeanciers} échéancier(s), "
                f"{b.factures} état(s) de facture"
            )
            for remarque in b.remarques:
                typer.echo(f"  {remarque}")
    if erreur:
        raise typer.Exit(1)


@cfa.command("etats")
def etats(
    opco: Annotated[str | None, typer.Option(help="Un seul OPCO.")] = None,
    journal: OptionJournal = None,
) -> None:
    """Affiche l'état des dossiers connu du journal (après `synchroniser`)."""
    from rich.console import Console

    from apicfa.client.affichage import table_etats

    with _journal(journal) as base:
        Console().print(table_etats(base.dossiers(opco)))


@cfa.command("echeancier")
def echeancier(
    numero_interne: Annotated[str, typer.Argument(help="numeroInterne du dossier.")],
    journal: OptionJournal = None,
) -> None:
    """Affiche l'échéancier d'un dossier tel que synchronisé."""
    from rich.console import Console

    from apicfa.client.affichage import table_echeancier

    with _journal(journal) as base:
        dossier = base.dossier(numero_interne)
        if dossier is None:
            raise _arreter(
                f"Dossier {numero_interne} inconnu du journal : lancez `apicfa cfa synchroniser`."
            )
        echeances = base.echeances(dossier["opco"], numero_interne)
    Console().print(table_echeancier(dossier, echeances))


def _imprimer_bilan(bilan: Bilan) -> None:
    from rich.console import Console

    from apicfa.client.affichage import table_bilan, table_problemes

    sortie = Console()
    sortie.print(table_bilan(bilan))
    detail = table_problemes(bilan)
    if detail is not None:
        sortie.print(detail)


def _expedier(base: Journal, flux: Iterable[Envoi | Resultat], reglages: Configuration) -> Bilan:
    """Expédie le flux (précédé des envois en suspens du journal) et rend le bilan."""
    from itertools import chain

    from apicfa.client.expedition import Expediteur
    from apicfa.client.resultats import Bilan

    clients: dict[str, ClientOpco] = {}

    def client_de(code: str) -> ClientOpco:
        if code not in clients:
            clients[code] = reglages.client(code)
        return clients[code]

    bilan = Bilan()
    try:
        for resultat in Expediteur(base, client_de, concurrence=4).expedier(
            chain(base.en_suspens(), flux)
        ):
            bilan.ajouter(resultat)
    finally:
        for client in clients.values():
            client.close()
    return bilan


@cfa.command("facturer")
def facturer(
    echeances_ouvertes: Annotated[
        bool,
        typer.Option("--echeances-ouvertes", help="Facture chaque échéance ouverte non facturée."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Montre les factures sans rien numéroter ni envoyer.")
    ] = False,
    avec_solde: Annotated[
        bool,
        typer.Option(
            "--avec-solde",
            help="Facture aussi le solde (la facture porte alors le certificat de réalisation).",
        ),
    ] = False,
    sortie_pdf: Annotated[
        Path | None, typer.Option(help="Dossier où copier les PDF des factures.")
    ] = None,
    journal: OptionJournal = None,
) -> None:
    """Construit, rend en PDF, envoie et enregistre les factures des échéances ouvertes."""
    from datetime import date

    from rich.console import Console
    from rich.table import Table

    from apicfa.client import configuration as conf
    from apicfa.client.facturation import echeances_a_facturer, emettre, journaliser

    if not echeances_ouvertes:
        raise _arreter("Précisez --echeances-ouvertes (seul mode de facturation proposé).")
    reglages = conf.charger()
    identite = reglages.cfa
    if not dry_run and (not identite.siret or not identite.iban):
        raise _arreter(
            "SIRET et IBAN du CFA requis : `apicfa cfa configurer --siret-cfa … --iban …`"
        )
    jour = date.today()
    table = Table(title=f"Factures {'à émettre (essai à blanc)' if dry_run else 'émises'}")
    for colonne in ("Facture", "OPCO", "Dossier", "Échéances", "Total"):
        table.add_column(colonne)
    with _journal(journal) as base:
        candidats = list(echeances_a_facturer(base, jour, avec_solde=avec_solde))

        def factures() -> Iterator[Envoi | Resultat]:
            for emise in emettre(base, identite, jour, candidats, brouillon=dry_run):
                candidat = emise.a_facturer
                table.add_row(
                    emise.numero,
                    candidat.opco,
                    candidat.numero_externe or candidat.numero_interne,
                    ", ".join(e.codification or str(e.numero) for e in candidat.echeances),
                    f"{candidat.total:.2f}",
                )
                if emise.pdf is None:
                    continue
                if sortie_pdf is not None:
                    sortie_pdf.mkdir(parents=True, exist_ok=True)
                    (sortie_pdf / f"{emise.numero}.pdf").write_bytes(emise.pdf)
                yield journaliser(base, emise, jour)

        if dry_run:
            list(factures())
            Console().print(table)
            return
        bilan = _expedier(base, factures(), reglages)
    Console().print(table)
    _imprimer_bilan(bilan)
    if bilan.problemes:
        raise typer.Exit(1)


def _envoyer_objet(
    nature: str, fichier_json: Path, piece: Path | None, opco: str | None, journal: Path | None
) -> None:
    from datetime import date

    from apicfa.client import configuration as conf
    from apicfa.client.objets import lire_objet, numero_dossier, opco_du_dossier, preparer_objet

    try:
        charge = lire_objet(fichier_json, nature)
    except ValueError as exc:
        raise _arreter(str(exc)) from None
    contenu = None
    if piece is not None:
        if not piece.is_file():
            raise _arreter(f"Pièce jointe introuvable : {piece}")
        contenu = piece.read_bytes()
    reglages = conf.charger()
    with _journal(journal) as base:
        numero = numero_dossier(charge)
        code = opco or opco_du_dossier(base, numero)
        if code is None:
            raise _arreter(
                f"OPCO inconnu pour le dossier {numero or '(sans numéro)'} : précisez --opco"
            )
        element = preparer_objet(
            base,
            code,
            nature,
            charge,
            source=str(fichier_json),
            aujourd_hui=date.today(),
            nom_fichier=piece.name if piece else None,
            fichier=contenu,
        )
        bilan = _expedier(base, [element], reglages)
    _imprimer_bilan(bilan)
    if bilan.problemes:
        raise typer.Exit(1)


OptionPiece = Annotated[
    Path | None, typer.Option("--fichier", help="Pièce jointe (PDF, PNG ou JPG).")
]
OptionOpco = Annotated[
    str | None, typer.Option(help="OPCO destinataire (sinon : celui du dossier au journal).")
]


@cfa.command("convention")
def convention(
    fichier_json: Annotated[Path, typer.Argument(help="Convention JSON (SPEC §5.3).")],
    fichier: OptionPiece = None,
    opco: OptionOpco = None,
    journal: OptionJournal = None,
) -> None:
    """Envoie une convention de formation et sa pièce signée."""
    _envoyer_objet("convention", fichier_json, fichier, opco, journal)


@cfa.command("certificat")
def certificat(
    fichier_json: Annotated[Path, typer.Argument(help="Certificat JSON (SPEC §5.4).")],
    fichier: OptionPiece = None,
    opco: OptionOpco = None,
    journal: OptionJournal = None,
) -> None:
    """Envoie un certificat de réalisation (intermédiaire ou final)."""
    _envoyer_objet("certificat", fichier_json, fichier, opco, journal)


@cfa.command("document")
def document(
    fichier_json: Annotated[Path, typer.Argument(help="Document JSON (SPEC §5.5).")],
    fichier: OptionPiece = None,
    opco: OptionOpco = None,
    journal: OptionJournal = None,
) -> None:
    """Envoie un document rattaché à un dossier ou une facture."""
    _envoyer_objet("document", fichier_json, fichier, opco, journal)


@cfa.command("rupture")
def rupture(
    fichier_json: Annotated[Path, typer.Argument(help="Rupture JSON (SPEC §5.6).")],
    opco: OptionOpco = None,
    journal: OptionJournal = None,
) -> None:
    """Déclare la rupture d'un contrat (dernier jour d'exécution)."""
    _envoyer_objet("rupture", fichier_json, None, opco, journal)


@cfa.command("importer")
def importer(
    fichier: Annotated[Path, typer.Argument(help="Export du CFA : .csv ou .xlsx.")],
    sortie: Annotated[Path, typer.Option(help="Dossier où écrire un JSON par contrat.")],
) -> None:
    """Transforme un export CSV/XLSX (une ligne par contrat) en dossiers CERFA prêts à envoyer."""
    from datetime import date

    import orjson

    from apicfa.client.importation import ErreurImport
    from apicfa.client.importation import importer as lire_export
    from apicfa.client.preparation import motifs_bloquants

    if not fichier.is_file():
        raise _arreter(f"Fichier introuvable : {fichier}")
    try:
        ignorees, lignes = lire_export(fichier)
        sortie.mkdir(parents=True, exist_ok=True)
        ecrits, invalides = 0, 0
        for ligne in lignes:
            motifs = list(ligne.problemes) + motifs_bloquants(ligne.cerfa, date.today())
            if motifs:
                invalides += 1
                typer.secho(f"ligne {ligne.numero} : non importée", fg=typer.colors.RED)
                for motif in motifs:
                    typer.echo(f"  {motif}")
                continue
            cible = sortie / f"{fichier.stem}-ligne-{ligne.numero:05d}.json"
            cible.write_bytes(orjson.dumps({"cerfa": ligne.cerfa}, option=orjson.OPT_INDENT_2))
            ecrits += 1
    except ErreurImport as exc:
        raise _arreter(str(exc)) from None
    if ignorees:
        typer.echo(f"Colonnes ignorées (inconnues) : {', '.join(ignorees)}")
    typer.echo(f"{ecrits} dossier(s) écrit(s) dans {sortie}, {invalides} ligne(s) invalide(s).")
    if invalides:
        raise typer.Exit(1)
