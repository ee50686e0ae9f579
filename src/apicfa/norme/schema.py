"""Schémas déclaratifs : blocs et champs d'un objet de la norme, vérifiés en une passe.

Chaque champ déclaré engendre ses règles (`…_ABSENT`, `…_FORMAT`, `…_CLE`, `…_CODE`, toutes
bloquantes) ; chaque bloc, `…_ABSENT` et `…_FORMAT`. Les valeurs lues (forme canonique) sont
rangées dans un dictionnaire plat (`"contrat.dateDebutContrat"`) pour les règles de cohérence.
"""

from __future__ import annotations

import re
from typing import Any

from apicfa.norme.compilation import engendrer
from apicfa.norme.constats import BLOQUANT, Constat
from apicfa.norme.identifiants import CLE
from apicfa.norme.natures import Nature
from apicfa.norme.regle import Regle, montrer

# Clé du dictionnaire des valeurs lues qui recense les champs présents mais mal formés.
MAL_FORMES = "__mal_formes__"

_MAJUSCULE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def en_code(cle: str) -> str:
    """`dateDebutContrat` → `DATE_DEBUT_CONTRAT`."""
    return _MAJUSCULE.sub("_", cle).upper()


class Champ:
    __slots__ = (
        "absent",
        "alias",
        "cle",
        "cle_plate",
        "code",
        "libelle",
        "nature",
        "regle_absent",
        "regle_cle",
        "regle_invalide",
        "requis",
    )

    def __init__(
        self,
        cle: str,
        libelle: str,
        nature: Nature,
        requis: bool = False,
        *,
        alias: str | None = None,
        code: str | None = None,
    ) -> None:
        """`alias` : autre orthographe admise de la clé ; `code` : radical du code de règle
        quand celui tiré de la clé serait peu lisible."""
        self.cle = cle
        self.alias = alias
        self.code = code
        self.libelle = libelle
        self.nature = nature
        self.requis = requis

    def compiler(self, prefixe: str, chemin: str, cle_bloc: str) -> list[Regle]:
        code = f"{prefixe}_{self.code or en_code(self.cle)}"
        champ = f"{chemin}.{self.cle}"
        self.cle_plate = f"{cle_bloc}.{self.cle}" if cle_bloc else self.cle
        libelle, nature = self.libelle, self.nature
        montre = "" if nature.sensible else " « {valeur} »"
        regles: list[Regle] = []
        self.regle_absent = Regle(
            f"{code}_ABSENT", BLOQUANT, champ, f"{libelle} manque : ce champ est obligatoire."
        )
        self.absent = self.regle_absent.constat()
        if self.requis:
            regles.append(self.regle_absent)
        if nature.liste_codes:
            self.regle_invalide = Regle(
                f"{code}_CODE",
                BLOQUANT,
                champ,
                f"{libelle}{montre} n'est pas un code admis ({nature.attendu}).",
                ("valeur",),
            )
        else:
            self.regle_invalide = Regle(
                f"{code}_FORMAT",
                BLOQUANT,
                champ,
                f"{libelle}{montre} n'a pas le format attendu : {nature.attendu}.",
                ("valeur",),
            )
        regles.append(self.regle_invalide)
        self.regle_cle = None
        if nature.avec_cle:
            montre_cle = "" if nature.sensible else " {valeur}"
            self.regle_cle = Regle(
                f"{code}_CLE",
                BLOQUANT,
                champ,
                f"{libelle}{montre_cle} est invalide : la clé de contrôle ne correspond pas.",
                ("valeur",),
            )
            regles.append(self.regle_cle)
        return regles

    def constat_invalide(self, motif: str, valeur: Any, champ: str | None) -> Constat:
        nature = self.nature
        if nature.sensible:
            montree = ""
        elif nature.affichage is not None:
            montree = nature.affichage(valeur)
        else:
            montree = montrer(valeur)
        regle = (
            self.regle_cle if motif == CLE and self.regle_cle is not None else self.regle_invalide
        )
        if regle.code.endswith("_FORMAT") and not isinstance(valeur, (str, int, float, bool)):
            montree = montrer(valeur)
        return regle.constat(champ, valeur=montree)


class Bloc:
    """Un objet JSON de la norme : ses champs et ses sous-blocs (objets ou listes d'objets)."""

    __slots__ = (
        "absent",
        "champs",
        "chemin",
        "cle",
        "cle_plate",
        "libelle",
        "liste",
        "prefixe",
        "regle_absent",
        "regle_format",
        "requis",
        "sous_blocs",
        "verifier_objet",
    )

    def __init__(
        self,
        cle: str,
        prefixe: str,
        libelle: str,
        champs: list[Champ],
        *,
        requis: bool = False,
        liste: bool = False,
        sous_blocs: list[Bloc] | None = None,
    ) -> None:
        self.cle = cle
        self.prefixe = prefixe
        self.libelle = libelle
        self.champs = champs
        self.requis = requis
        self.liste = liste
        self.sous_blocs = sous_blocs or []

    def compiler(self, chemin_parent: str, cle_parent: str) -> list[Regle]:
        """Fixe chemins et codes ; rend les règles engendrées (ordre stable)."""
        self.chemin = f"{chemin_parent}.{self.cle}" if self.cle else chemin_parent
        if self.cle:
            self.cle_plate = f"{cle_parent}.{self.cle}" if cle_parent else self.cle
        else:
            self.cle_plate = cle_parent
        forme = "une liste JSON d'objets" if self.liste else "un objet JSON"
        self.regle_absent = Regle(
            f"{self.prefixe}_ABSENT",
            BLOQUANT,
            self.chemin,
            f"{self.libelle} manque : ce bloc est obligatoire.",
        )
        self.absent = self.regle_absent.constat()
        self.regle_format = Regle(
            f"{self.prefixe}_FORMAT",
            BLOQUANT,
            self.chemin,
            f"{self.libelle} doit être {forme}, et non « {{valeur}} ».",
            ("valeur",),
        )
        regles = [self.regle_absent] if self.requis else []
        regles.append(self.regle_format)
        chemin_champs = f"{self.chemin}[]" if self.liste else self.chemin
        for champ in self.champs:
            regles.extend(champ.compiler(self.prefixe, chemin_champs, self.cle_plate))
        for bloc in self.sous_blocs:
            regles.extend(bloc.compiler(chemin_champs, self.cle_plate))
        self.verifier_objet = engendrer(self, MAL_FORMES)
        return regles

    def verifier(
        self, donnees: Any, chemin: str, constats: list[Constat], valeurs: dict[str, Any]
    ) -> None:
        """Vérifie `donnees` (la valeur de ce bloc) ; `chemin` est son chemin concret."""
        if self.liste:
            if not isinstance(donnees, list):
                constats.append(self.regle_format.constat(chemin, valeur=montrer(donnees)))
                valeurs.setdefault(MAL_FORMES, set()).add(self.cle_plate)
                return
            elements: list[dict[str, Any] | None] = []
            for indice, element in enumerate(donnees):
                chemin_element = f"{chemin}[{indice}]"
                if not isinstance(element, dict):
                    constats.append(
                        self.regle_format.constat(chemin_element, valeur=montrer(element))
                    )
                    elements.append(None)
                    continue
                lues: dict[str, Any] = {}
                self.verifier_objet(element, chemin_element, constats, lues)
                elements.append(lues)
            valeurs[self.cle_plate] = elements
            return
        if not isinstance(donnees, dict):
            constats.append(self.regle_format.constat(chemin, valeur=montrer(donnees)))
            valeurs.setdefault(MAL_FORMES, set()).add(self.cle_plate)
            return
        valeurs[self.cle_plate] = True
        self.verifier_objet(donnees, chemin, constats, valeurs)
