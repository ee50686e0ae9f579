"""Import d'un export de CFA (CSV ou XLSX, une ligne par contrat) en dossiers CERFA.

Chaque colonne est soit un intitulé de la table `COLONNES` (insensible à la casse, aux
accents, aux espaces et tirets bas), soit directement un chemin du cerfa en notation
pointée (`employeur.siret`, `contrat.remunerationsAnnuelles.0.taux`). Les colonnes
inconnues sont signalées et ignorées. Les valeurs sont converties selon le champ :
dates `JJ/MM/AAAA` ou `AAAA-MM-JJ`, booléens oui/non, codes numériques, montants à
virgule, codes à zéros de tête (IDCC, code postal, SIRET…).
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from apicfa.client.dates import lire_date

CHAMPS_RACINE = frozenset({"versionCERFA", "CERFASignatureProbante", "etat", "commentaireEtat"})

COLONNES: dict[str, str] = {
    "version cerfa": "versionCERFA",
    "signature probante": "CERFASignatureProbante",
    "employeur siret": "employeur.siret",
    "employeur denomination": "employeur.denomination",
    "employeur naf": "employeur.naf",
    "employeur effectif": "employeur.nombreDeSalaries",
    "employeur idcc": "employeur.codeIdcc",
    "employeur libelle idcc": "employeur.libelleIdcc",
    "employeur type": "employeur.typeEmployeur",
    "employeur specifique": "employeur.employeurSpecifique",
    "employeur caisse complementaire": "employeur.caisseComplementaire",
    "employeur regime specifique": "employeur.regimeSpecifique",
    "employeur telephone": "employeur.telephone",
    "employeur courriel": "employeur.courriel",
    "employeur adresse": "employeur.adresse.adresse1",
    "employeur complement adresse": "employeur.adresse.adresse2",
    "employeur code postal": "employeur.adresse.codePostal",
    "employeur commune": "employeur.adresse.commune",
    "employeur attestation eligibilite": "employeur.attestationEligibilite",
    "employeur attestation pieces": "employeur.attestationPieces",
    "representant nom": "employeur.nom",
    "representant prenom": "employeur.prenom",
    "apprenti nom": "apprenti.nom",
    "apprenti nom usage": "apprenti.nomUsage",
    "apprenti prenom": "apprenti.prenom",
    "apprenti sexe": "apprenti.sexe",
    "apprenti date naissance": "apprenti.dateNaissance",
    "apprenti departement naissance": "apprenti.departementNaissance",
    "apprenti commune naissance": "apprenti.communeNaissance",
    "apprenti nir": "apprenti.nir",
    "apprenti nationalite": "apprenti.nationalite",
    "apprenti regime social": "apprenti.regimeSocial",
    "apprenti rqth": "apprenti.handicap",
    "apprenti sportif haut niveau": "apprenti.inscriptionSportifDeHautNiveau",
    "apprenti projet entreprise": "apprenti.projetCreationRepriseEntreprise",
    "apprenti situation avant contrat": "apprenti.situationAvantContrat",
    "apprenti diplome": "apprenti.diplome",
    "apprenti diplome prepare": "apprenti.diplomePrepare",
    "apprenti derniere classe": "apprenti.derniereClasse",
    "apprenti intitule diplome prepare": "apprenti.intituleDiplomePrepare",
    "apprenti telephone": "apprenti.telephone",
    "apprenti courriel": "apprenti.courriel",
    "apprenti adresse": "apprenti.adresse.adresse1",
    "apprenti code postal": "apprenti.adresse.codePostal",
    "apprenti commune": "apprenti.adresse.commune",
    "responsable legal nom": "apprenti.responsableLegal.nom",
    "responsable legal prenom": "apprenti.responsableLegal.prenom",
    "responsable legal courriel": "apprenti.responsableLegal.courriel",
    "maitre nom": "maitre1.nom",
    "maitre prenom": "maitre1.prenom",
    "maitre date naissance": "maitre1.dateNaissance",
    "maitre courriel": "maitre1.courriel",
    "maitre emploi": "maitre1.emploiOccupe",
    "maitre diplome": "maitre1.intituleDiplomeObtenu",
    "maitre niveau diplome": "maitre1.niveauDiplomeObtenu",
    "contrat mode": "contrat.modeContractuel",
    "contrat type": "contrat.typeContratApp",
    "contrat numero precedent": "contrat.numeroContratPrecedent",
    "contrat date conclusion": "contrat.dateConclusion",
    "contrat date debut": "contrat.dateDebutContrat",
    "contrat date debut pratique": "contrat.dateFormationPratiqueEmployeur",
    "contrat date fin": "contrat.dateFinContrat",
    "contrat lieu signature": "contrat.lieuSignatureContrat",
    "contrat derogation": "contrat.typeDerogation",
    "contrat heures hebdo": "contrat.dureeTravailHebdoHeures",
    "contrat minutes hebdo": "contrat.dureeTravailHebdoMinutes",
    "contrat travail risque": "contrat.travailRisque",
    "contrat salaire embauche": "contrat.salaireEmbauche",
    "contrat avantage nourriture": "contrat.avantageNourriture",
    "contrat avantage logement": "contrat.avantageLogement",
    "contrat autre avantage": "contrat.autreAvantageEnNature",
    "formation rncp": "formation.rncp",
    "formation code diplome": "formation.codeDiplome",
    "formation type diplome": "formation.typeDiplome",
    "formation intitule": "formation.intituleQualification",
    "formation date debut": "formation.dateDebutFormation",
    "formation date fin": "formation.dateFinFormation",
    "formation duree": "formation.dureeFormation",
    "formation heures distance": "formation.nombreHeuresEnDistanciel",
    "cfa denomination": "organismeFormation.denomination",
    "cfa formation interne": "organismeFormation.formationInterne",
    "cfa siret": "organismeFormation.siret",
    "cfa uai": "organismeFormation.uaiCfa",
    "cfa visa": "organismeFormation.visaCfa",
    "cfa adresse": "organismeFormation.adresse.adresse1",
    "cfa code postal": "organismeFormation.adresse.codePostal",
    "cfa commune": "organismeFormation.adresse.commune",
    "cfa lieu formation identique": "organismeFormation.lieuFormationIdentique",
}
for _n in range(1, 9):
    for _suffixe, _champ in (
        ("ordre", "ordre"),
        ("debut", "dateDebut"),
        ("fin", "dateFin"),
        ("taux", "taux"),
        ("type", "typeSalaire"),
    ):
        COLONNES[f"remuneration {_n} {_suffixe}"] = (
            f"contrat.remunerationsAnnuelles.{_n - 1}.{_champ}"
        )

ENTIERS = frozenset(
    {
        "nombreDeSalaries", "typeEmployeur", "employeurSpecifique", "nationalite",
        "regimeSocial", "situationAvantContrat", "diplome", "diplomePrepare",
        "niveauDiplomeObtenu", "modeContractuel", "typeContratApp", "typeDerogation",
        "dureeTravailHebdoHeures", "dureeTravailHebdoMinutes", "typeDiplome",
        "dureeFormation", "nombreHeuresEnDistanciel", "taux",
    }
)  # fmt: skip
MONTANTS = frozenset({"salaireEmbauche", "avantageNourriture", "avantageLogement"})
BOOLEENS = frozenset(
    {
        "regimeSpecifique", "attestationEligibilite", "attestationPieces", "handicap",
        "inscriptionSportifDeHautNiveau", "projetCreationRepriseEntreprise", "travailRisque",
        "autreAvantageEnNature", "formationInterne", "visaCfa", "lieuFormationIdentique",
        "CERFASignatureProbante",
    }
)  # fmt: skip
ZEROS_DE_TETE: dict[str, int] = {
    "codeIdcc": 4,
    "codePostal": 5,
    "siret": 14,
    "departementNaissance": 2,
    "derniereClasse": 2,
}
VRAI = frozenset({"oui", "o", "vrai", "true", "1", "x", "yes"})
FAUX = frozenset({"non", "n", "faux", "false", "0", "no"})


class _PointVirgule(csv.excel):
    delimiter = ";"


class ErreurImport(Exception):
    """Fichier d'import illisible (message en français)."""


@dataclass(frozen=True)
class LigneImportee:
    numero: int
    cerfa: dict[str, Any]
    problemes: tuple[str, ...]


def normaliser_entete(texte: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().replace("_", " ").replace("-", " ").split())


def chemin_colonne(entete: str) -> str | None:
    """Le chemin cerfa d'une colonne, ou None si elle est inconnue."""
    brut = entete.strip()
    if brut in CHAMPS_RACINE:
        return brut
    if "." in brut and " " not in brut:
        return brut.removeprefix("cerfa.")
    return COLONNES.get(normaliser_entete(brut))


def _texte_cellule(valeur: Any) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    if isinstance(valeur, datetime):
        return valeur.date().isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    return str(valeur).strip()


def convertir(chemin: str, valeur: Any) -> Any:
    """La valeur typée pour le champ `chemin` ; ValueError (français) si impossible."""
    champ = chemin.rsplit(".", 1)[-1]
    texte = _texte_cellule(valeur)
    if champ in BOOLEENS:
        if texte.lower() in VRAI:
            return True
        if texte.lower() in FAUX:
            return False
        raise ValueError(f"{chemin} : « {texte} » n'est pas oui/non")
    if champ in ENTIERS:
        try:
            return int(Decimal(texte.replace(",", ".").replace(" ", "")))
        except InvalidOperation:
            raise ValueError(f"{chemin} : « {texte} » n'est pas un nombre entier") from None
    if champ in MONTANTS:
        try:
            return float(Decimal(texte.replace(",", ".").replace(" ", "").replace("€", "")))
        except InvalidOperation:
            raise ValueError(f"{chemin} : « {texte} » n'est pas un montant") from None
    if champ.startswith("date"):
        jour = lire_date(texte)
        return None if jour is None else jour.isoformat()
    if champ in ZEROS_DE_TETE and texte.isdigit():
        return texte.zfill(ZEROS_DE_TETE[champ])
    return texte


def placer(cible: dict[str, Any], chemin: str, valeur: Any) -> None:
    """Écrit `valeur` au chemin pointé ; un segment numérique désigne un rang de liste."""
    parties = chemin.split(".")
    courant: Any = cible
    for rang, partie in enumerate(parties):
        dernier = rang == len(parties) - 1
        suivant_liste = not dernier and parties[rang + 1].isdigit()
        if isinstance(courant, list):
            index = int(partie)
            while len(courant) <= index:
                courant.append({} if not suivant_liste else [])
            if dernier:
                courant[index] = valeur
            else:
                courant = courant[index]
        else:
            if dernier:
                courant[partie] = valeur
            else:
                courant = courant.setdefault(partie, [] if suivant_liste else {})


def lignes_brutes(chemin: Path) -> Iterator[list[Any]]:
    """Les lignes du fichier (en-tête compris), en flux."""
    suffixe = chemin.suffix.lower()
    if suffixe in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            classeur = CalamineWorkbook.from_path(str(chemin))
            yield from classeur.get_sheet_by_index(0).iter_rows()
        except Exception as exc:
            raise ErreurImport(f"{chemin.name} : classeur illisible ({exc})") from exc
        return
    if suffixe not in (".csv", ".txt"):
        raise ErreurImport(f"{chemin.name} : format non pris en charge (CSV ou XLSX attendu)")
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            with chemin.open(encoding=encodage, newline="") as fichier:
                debut = fichier.read(8192)
                fichier.seek(0)
                try:
                    dialecte: Any = csv.Sniffer().sniff(debut, delimiters=";,\t")
                except csv.Error:
                    dialecte = _PointVirgule
                yield from csv.reader(fichier, dialecte)
            return
        except UnicodeDecodeError:
            continue
    raise ErreurImport(f"{chemin.name} : encodage illisible (UTF-8 ou Windows-1252 attendu)")


def importer(chemin: Path) -> tuple[list[str], Iterator[LigneImportee]]:
    """(colonnes ignorées, lignes converties en cerfa) d'un export CSV/XLSX."""
    lignes = lignes_brutes(chemin)
    try:
        entetes = [_texte_cellule(c) for c in next(lignes)]
    except StopIteration:
        raise ErreurImport(f"{chemin.name} : fichier vide") from None
    chemins = [chemin_colonne(e) if e else None for e in entetes]
    ignorees = [e for e, c in zip(entetes, chemins, strict=True) if e and c is None]
    if not any(chemins):
        raise ErreurImport(
            f"{chemin.name} : aucune colonne reconnue (voir la table des colonnes, docs/client.md)"
        )

    def produire() -> Iterator[LigneImportee]:
        for numero, ligne in enumerate(lignes, start=2):
            if not any(_texte_cellule(c) for c in ligne):
                continue
            cerfa: dict[str, Any] = {"versionCERFA": "10103*14", "etat": "TRANSMIS"}
            problemes: list[str] = []
            for cible, valeur in zip(chemins, ligne, strict=False):
                if cible is None or _texte_cellule(valeur) == "":
                    continue
                try:
                    placer(cerfa, cible, convertir(cible, valeur))
                except ValueError as exc:
                    problemes.append(str(exc))
            yield LigneImportee(numero, cerfa, tuple(problemes))

    return ignorees, produire()
