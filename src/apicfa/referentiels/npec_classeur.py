"""Lecture en flux des classeurs NPEC de France compétences (mises en page 2019 et 2024).

- 2024 : onglet « Onglet 3 - référentiel NPEC » (`RNCP` ou `Code RNCP`, `Code CPNE`, `CPNE`,
  `NPEC final`, `Statut`, `Date d'applicabilité des NPEC…`) et « Onglet 4 - CPNE-IDCC »
  (`Code CPNE`, `CPNE`, `IDCC`) ;
- 2019 : « Onglet 3 - par formation-CPNE » (`Code la formation`, `Code CPNE`, `Libellé CPNE`,
  `Valeur finale`, `Statut`) et « Onglet 5 - IDCC-CPNE » (`IDCC`, `Code CPNE`, `Intitulé CPNE`).

La ligne d'en-tête est cherchée dans les premières lignes de l'onglet (ligne 4 en 2024, 2 en
2019) ; les colonnes sont reconnues par leur nom, sans tenir compte des accents, de la casse ni
des renvois. Les lignes sont rendues une à une (python-calamine), la lecture s'arrête quand les
données finissent, même si l'onglet annonce un million de lignes de mise en forme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from python_calamine import CalamineSheet, CalamineWorkbook

from apicfa.referentiels import cellules
from apicfa.referentiels.erreurs import FichierReferentielInvalide

MISE_EN_PAGE_2024 = "2024"
MISE_EN_PAGE_2019 = "2019"

#: Lignes d'en-tête cherchées en haut de chaque onglet.
LIGNES_ENTETE_MAX = 20
#: Autant de lignes vides à la suite marquent la fin des données.
LIGNES_VIDES_FIN = 50
#: Montants distincts gardés en mémoire pendant la lecture (les valeurs se répètent beaucoup).
MEMOIRE_MONTANTS = 100_000

_DATE_NOM = re.compile(r"(20\d{2})[-_.]?(0[1-9]|1[0-2])(?:[-_.]?(0[1-9]|[12]\d|3[01]))?")


@dataclass(frozen=True, slots=True)
class Colonne:
    champ: str
    libelle: str
    noms: tuple[str, ...]
    obligatoire: bool = True
    prefixe: bool = False

    def reconnait(self, cle: str) -> bool:
        if self.prefixe:
            return any(cle.startswith(nom) for nom in self.noms)
        return cle in self.noms


@dataclass(frozen=True, slots=True)
class Onglet:
    nom: str
    colonnes: tuple[Colonne, ...]


@dataclass(frozen=True, slots=True)
class MiseEnPage:
    nom: str
    valeurs: Onglet
    rattachements: Onglet


_CPNE = Colonne("code_cpne", "Code CPNE", ("code cpne",))
_STATUT = Colonne("statut", "Statut", ("statut",), obligatoire=False)
_IDCC = Colonne("idcc", "IDCC", ("idcc", "code idcc", "code(s) idcc"))

MISES_EN_PAGE: tuple[MiseEnPage, ...] = (
    MiseEnPage(
        nom=MISE_EN_PAGE_2024,
        valeurs=Onglet(
            "Onglet 3 - référentiel NPEC",
            (
                Colonne("certification", "RNCP", ("rncp", "code rncp")),
                Colonne("libelle", "Libellé de la formation", ("libelle de la formation",), False),
                _CPNE,
                Colonne("libelle_cpne", "CPNE", ("cpne", "libelle cpne"), obligatoire=False),
                Colonne("valeur", "NPEC final", ("npec final",)),
                _STATUT,
                Colonne(
                    "date",
                    "Date d'applicabilité des NPEC",
                    ("date d'applicabilite",),
                    obligatoire=False,
                    prefixe=True,
                ),
            ),
        ),
        rattachements=Onglet(
            "Onglet 4 - CPNE-IDCC",
            (_CPNE, Colonne("libelle_cpne", "CPNE", ("cpne", "intitule cpne"), False), _IDCC),
        ),
    ),
    MiseEnPage(
        nom=MISE_EN_PAGE_2019,
        valeurs=Onglet(
            "Onglet 3 - par formation-CPNE",
            (
                Colonne(
                    "certification",
                    "Code la formation",
                    ("code la formation", "code de la formation", "code formation"),
                ),
                Colonne("libelle", "Libellé de la formation", ("libelle de la formation",), False),
                _CPNE,
                Colonne("libelle_cpne", "Libellé CPNE", ("libelle cpne",), obligatoire=False),
                Colonne("valeur", "Valeur finale", ("valeur finale",)),
                _STATUT,
            ),
        ),
        rattachements=Onglet(
            "Onglet 5 - IDCC-CPNE",
            (_IDCC, _CPNE, Colonne("libelle_cpne", "Intitulé CPNE", ("intitule cpne",), False)),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class LigneNpec:
    """Une ligne de valeurs : une ou plusieurs certifications × une CPNE."""

    numero: int
    codes_certification: tuple[str, ...]
    libelle: str
    code_cpne: str
    libelle_cpne: str
    #: None pour `NC`, `NR` ou une cellule vide.
    valeur: Decimal | None
    #: Le texte de la cellule quand c'en est un (`NC`, `NR`, « 8 000 € ») ; "" pour un nombre.
    valeur_lue: str
    statut: str
    date_applicabilite: date | None


@dataclass(frozen=True, slots=True)
class RattachementCpne:
    idcc: str
    code_cpne: str
    libelle_cpne: str


def date_du_nom(chemin: str | Path) -> date | None:
    """`referentiel-npec-2024-07-15.xlsx` → 2024-07-15 ; `…-2019-10.xlsx` → 2019-10-01."""
    trouve = _DATE_NOM.search(Path(chemin).stem)
    if trouve is None:
        return None
    annee, mois, jour = trouve.groups()
    try:
        return date(int(annee), int(mois), int(jour or 1))
    except ValueError:
        return None


def _ouvrir(chemin: Path) -> CalamineWorkbook:
    if not chemin.is_file():
        raise FichierReferentielInvalide(f"fichier introuvable : {chemin}")
    try:
        return CalamineWorkbook.from_path(str(chemin))
    except Exception as erreur:  # calamine lève des erreurs de zip, de XML ou de format
        raise FichierReferentielInvalide(
            f"{chemin.name} n'est pas un classeur Excel lisible (.xlsx attendu ; détail : {erreur})"
        ) from erreur


class ClasseurNpec:
    """Un classeur NPEC ouvert : `with ClasseurNpec(chemin) as classeur: …`."""

    def __init__(self, chemin: str | Path) -> None:
        self.chemin = Path(chemin)
        self._classeur = _ouvrir(self.chemin)
        self._onglets = {cellules.cle_entete(nom): nom for nom in self._classeur.sheet_names}
        #: Onglets déjà chargés par calamine (un onglet n'est lu qu'une fois), avec leur en-tête.
        self._prepares: dict[str, tuple[CalamineSheet, int, dict[str, int]]] = {}
        self.mise_en_page = self._reconnaitre()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.fermer()

    def fermer(self) -> None:
        try:
            self._classeur.close()
        except Exception:  # déjà fermé
            return

    def _reconnaitre(self) -> MiseEnPage:
        for mise_en_page in MISES_EN_PAGE:
            if cellules.cle_entete(mise_en_page.valeurs.nom) not in self._onglets:
                continue
            if cellules.cle_entete(mise_en_page.rattachements.nom) not in self._onglets:
                self.fermer()
                raise FichierReferentielInvalide(
                    f"{self.chemin.name} : onglet « {mise_en_page.rattachements.nom} » absent "
                    f"(mise en page {mise_en_page.nom}) ; onglets présents : "
                    f"{', '.join(self._classeur_noms())}"
                )
            return mise_en_page
        attendus = " ou ".join(f"« {m.valeurs.nom} » ({m.nom})" for m in MISES_EN_PAGE)
        presents = ", ".join(self._classeur_noms()) or "aucun"
        self.fermer()
        raise FichierReferentielInvalide(
            f"{self.chemin.name} n'est pas un référentiel NPEC de France compétences : "
            f"onglet {attendus} absent ; onglets présents : {presents}"
        )

    def _classeur_noms(self) -> list[str]:
        return list(self._onglets.values())

    @property
    def a_des_dates_par_ligne(self) -> bool:
        """Vrai quand l'onglet des valeurs porte une colonne de date d'applicabilité."""
        _, _, positions = self._preparer(self.mise_en_page.valeurs)
        return "date" in positions

    def hauteur_valeurs(self) -> int:
        """Nombre de lignes annoncé par l'onglet des valeurs (pour une barre de progression :
        la lecture s'arrête plus tôt quand les données finissent)."""
        feuille, _, _ = self._preparer(self.mise_en_page.valeurs)
        return (feuille.start or (0, 0))[0] + feuille.height

    def _feuille(self, onglet: Onglet) -> CalamineSheet:
        return self._classeur.get_sheet_by_name(self._onglets[cellules.cle_entete(onglet.nom)])

    def _preparer(self, onglet: Onglet) -> tuple[CalamineSheet, int, dict[str, int]]:
        """La feuille, l'index de la ligne d'en-tête et la position de chaque colonne.
        calamine rend les lignes depuis la première de l'onglet (index + 1 = numéro Excel) et
        les colonnes depuis la première colonne non vide."""
        deja = self._prepares.get(onglet.nom)
        if deja is None:
            deja = self._prepares[onglet.nom] = self._chercher_entete(onglet)
        return deja

    def _chercher_entete(self, onglet: Onglet) -> tuple[CalamineSheet, int, dict[str, int]]:
        feuille = self._feuille(onglet)
        meilleur: tuple[int, dict[str, int], list[str]] = (-1, {}, [])
        for index, ligne in enumerate(feuille.iter_rows()):
            if index >= LIGNES_ENTETE_MAX:
                break
            positions = _positions(onglet, ligne)
            if all(c.champ in positions for c in onglet.colonnes if c.obligatoire):
                return feuille, index, positions
            if len(positions) > len(meilleur[1]):
                meilleur = (index, positions, [cellules.texte(c) for c in ligne if c != ""])
        manquantes = [
            f"« {c.libelle} »"
            for c in onglet.colonnes
            if c.obligatoire and c.champ not in meilleur[1]
        ]
        lus = f" ; en-têtes lus : {', '.join(meilleur[2])}" if meilleur[2] else ""
        raise FichierReferentielInvalide(
            f"{self.chemin.name}, onglet « {onglet.nom} » : colonne(s) {', '.join(manquantes)} "
            f"introuvable(s) dans les {LIGNES_ENTETE_MAX} premières lignes{lus}"
        )

    def _cellules(
        self, onglet: Onglet, champs: tuple[str, ...]
    ) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(numéro Excel, cellules des `champs` dans cet ordre — "" pour une colonne absente)
        pour chaque ligne non vide après l'en-tête, jusqu'à la fin des données."""
        feuille, entete, positions = self._preparer(onglet)
        extraire = itemgetter(*(positions.get(champ, -1) for champ in champs))
        vides = 0
        for index, ligne in enumerate(feuille.iter_rows()):
            if index <= entete:
                continue
            if not any(ligne):
                vides += 1
                if vides >= LIGNES_VIDES_FIN:
                    break
                continue
            vides = 0
            ligne.append("")  # la colonne absente (-1) lit cette cellule vide
            try:
                yield index + 1, extraire(ligne)
            except IndexError:
                ligne[-1:] = [""] * (max(positions.values()) + 2 - len(ligne))
                yield index + 1, extraire(ligne)
        self._prepares.pop(onglet.nom, None)  # lu en entier : calamine libère l'onglet

    def lignes_npec(self) -> Iterator[LigneNpec]:
        """Les lignes de valeurs, une à une. Une ligne sans CPNE ni valeur (note de bas de
        tableau) est ignorée. Boucle chaude : les codes répétés d'une ligne à l'autre ne sont
        analysés qu'une fois."""
        onglet = self.mise_en_page.valeurs
        champs = (
            "certification",
            "code_cpne",
            "valeur",
            "libelle",
            "libelle_cpne",
            "statut",
            "date",
        )
        derniere_certification: Any = object()
        codes: tuple[str, ...] = ()
        derniere_date: Any = object()
        jour: date | None = None
        cpne_lus: dict[Any, str] = {}
        montants: dict[Any, Decimal | None] = {}
        for numero, cellules_ligne in self._cellules(onglet, champs):
            certification, cpne, brute, libelle, libelle_cpne, statut, cellule_date = cellules_ligne
            if cpne == "" and brute == "":
                continue
            try:
                champ = "certification"
                if certification != derniere_certification:
                    codes = cellules.codes_certification(certification)
                    derniere_certification = certification
                if not codes:
                    raise ValueError("code de certification absent")
                champ = "code_cpne"
                code_cpne = cpne_lus.get(cpne)
                if code_cpne is None:
                    code_cpne = cellules.code_cpne(cpne)
                    if not code_cpne:
                        raise ValueError("code CPNE absent")
                    if len(cpne_lus) < 10_000:
                        cpne_lus[cpne] = code_cpne
                champ = "valeur"
                if brute in montants:
                    valeur = montants[brute]
                else:
                    valeur = cellules.montant(brute)
                    if len(montants) < MEMOIRE_MONTANTS:
                        montants[brute] = valeur
                champ = "date"
                if cellule_date != derniere_date:
                    jour = cellules.jour(cellule_date)
                    derniere_date = cellule_date
            except ValueError as erreur:
                raise FichierReferentielInvalide(
                    f"{self.chemin.name}, onglet « {onglet.nom} », ligne {numero}, colonne "
                    f"« {_libelle(onglet, champ)} » : {erreur}"
                ) from erreur
            yield LigneNpec(
                numero=numero,
                codes_certification=codes,
                libelle=libelle.strip() if type(libelle) is str else cellules.texte(libelle),
                code_cpne=code_cpne,
                libelle_cpne=(
                    libelle_cpne.strip()
                    if type(libelle_cpne) is str
                    else cellules.texte(libelle_cpne)
                ),
                valeur=valeur,
                valeur_lue=brute.strip() if type(brute) is str else "",
                statut=statut.strip() if type(statut) is str else cellules.texte(statut),
                date_applicabilite=jour,
            )

    def rattachements(self) -> Iterator[RattachementCpne]:
        """Les couples IDCC → CPNE (une cellule IDCC peut en lister plusieurs ; `NA` : aucun)."""
        onglet = self.mise_en_page.rattachements
        champs = ("idcc", "code_cpne", "libelle_cpne")
        for numero, (cellule_idcc, cpne, libelle) in self._cellules(onglet, champs):
            code_cpne = cellules.code_cpne(cpne)
            idcc = cellules.codes_idcc(cellule_idcc)
            if idcc and not code_cpne:
                raise FichierReferentielInvalide(
                    f"{self.chemin.name}, onglet « {onglet.nom} », ligne {numero}, "
                    "colonne « Code CPNE » : code CPNE absent"
                )
            for code_idcc in idcc:
                yield RattachementCpne(
                    idcc=code_idcc, code_cpne=code_cpne, libelle_cpne=cellules.texte(libelle)
                )


def _libelle(onglet: Onglet, champ: str) -> str:
    """Le nom de colonne, tel que le classeur l'écrit, d'un champ de l'onglet."""
    return next(c.libelle for c in onglet.colonnes if c.champ == champ)


def _positions(onglet: Onglet, ligne: list[Any]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, valeur in enumerate(ligne):
        cle = cellules.cle_entete(valeur)
        if not cle:
            continue
        for colonne in onglet.colonnes:
            if colonne.champ not in positions and colonne.reconnait(cle):
                positions[colonne.champ] = index
                break
    return positions
