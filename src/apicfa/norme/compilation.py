"""Compilation d'un bloc du schéma en une fonction Python déroulée (chemin chaud du validateur).

Le validateur doit coûter peu devant la simple lecture JSON : plutôt qu'une boucle générique sur
les champs, chaque bloc reçoit une fonction écrite pour lui (un `if` par champ, textes simples
vérifiés sans appel). Le comportement est exactement celui de la description déclarative : les
tests de chaque règle passent par ce code, et un test le confronte à une lecture champ par champ
des natures sur des milliers de dossiers.

Choix mesurés sous CPython 3.11 :
- les constantes (champs, natures, listes de codes) sont des globales de la fonction engendrée,
  et non des paramètres par défaut : chaque paramètre nommé par défaut coûte une recherche à
  chaque appel (≈ 12 ns, soit ≈ 5 µs par dossier pour les ≈ 430 constantes des blocs d'un
  cerfa type), alors qu'une globale est lue en place, sans préparation ;
- les sous-blocs sont déroulés dans la fonction de leur parent, objets comme éléments de listes
  (un seul appel pour tout le cerfa) ; leur chemin concret n'est calculé que pour écrire un
  constat ;
- une nature mémorisée garde, à côté de ses résultats (`memo`), les seules valeurs admises et
  leur forme canonique (`memo_admis`) : une valeur déjà vue et admise coûte une recherche.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apicfa.norme.constats import Constat
from apicfa.norme.natures import MEMO_MAX
from apicfa.norme.regle import montrer

VerificateurObjet = Callable[[dict[str, Any], str, list[Constat], dict[str, Any]], None]


def _echec(
    champ: Any,
    motif: str,
    valeur: Any,
    chemin: str,
    concret: bool,
    constats: list[Constat],
    valeurs: dict[str, Any],
    mal_formes: str,
) -> None:
    valeurs.setdefault(mal_formes, set()).add(champ.cle_plate)
    constats.append(
        champ.constat_invalide(motif, valeur, f"{chemin}.{champ.cle}" if concret else None)
    )


def _element(bloc: Any, element: Any, chemin: str, constats: list[Constat]) -> Any:
    """Les valeurs lues d'un élément de liste qui n'est pas un `dict` exact (ou `None`, avec
    un constat de forme, s'il n'est pas un objet) : la branche de `Bloc.verifier`."""
    if not isinstance(element, dict):
        constats.append(bloc.regle_format.constat(chemin, valeur=montrer(element)))
        return None
    lues: dict[str, Any] = {}
    bloc.verifier_objet(element, chemin, constats, lues)
    return lues


class _Ecrivain:
    """Écrit le texte de la fonction d'un bloc ; `espace` reçoit ses constantes (globales)."""

    def __init__(self, mal_formes: str) -> None:
        self.espace: dict[str, Any] = {
            "_echec": _echec,
            "MEMO_MAX": MEMO_MAX,
            "_element": _element,
            "MAL": mal_formes,
        }
        self.lignes: list[str] = []
        self.numero = 0

    def constante(self, prefixe: str, valeur: Any) -> str:
        self.numero += 1
        nom = f"{prefixe}{self.numero}"
        self.espace[nom] = valeur
        return nom

    def ecrire(self, retrait: str, *lignes: str) -> None:
        self.lignes.extend(retrait + ligne for ligne in lignes)

    def bloc(
        self,
        bloc: Any,
        objet: str,
        chemin: str,
        retrait: str,
        profondeur: int,
        cible: tuple[str, str] = ("valeurs", "concret"),
    ) -> None:
        """Vérifie l'objet (variable `objet`) du bloc ; `chemin` est l'expression de son chemin
        concret, évaluée seulement pour écrire un constat ; `cible` nomme le dictionnaire des
        valeurs lues et l'expression qui dit si le chemin est concret."""
        lire = f"lire{profondeur}"
        self.ecrire(retrait, f"{lire} = {objet}.get")
        for champ in bloc.champs:
            self.champ(champ, bloc.liste, lire, chemin, retrait, cible)
        for sous_bloc in bloc.sous_blocs:
            self.sous_bloc(sous_bloc, lire, chemin, retrait, profondeur, cible)

    def champ(
        self,
        champ: Any,
        dans_liste: bool,
        lire: str,
        chemin: str,
        retrait: str,
        cible: tuple[str, str],
    ) -> None:
        valeurs, concret = cible
        nature = champ.nature
        c = self.constante("C", champ)
        verifier = self.constante("V", nature.verifier)
        destination = repr(champ.cle if dans_liste else champ.cle_plate)
        range_ = f"{valeurs}[{destination}] ="
        self.ecrire(retrait, f"v = {lire}({champ.cle!r})")
        if champ.alias is not None:
            self.ecrire(retrait, f"if v is None: v = {lire}({champ.alias!r})")
        condition = "if"
        if nature.memo is not None:
            admis = self.constante("OK", nature.memo_admis)
            if len(nature.memo_types) == 1:
                types = self.constante("T", nature.memo_types[0])
                test_type = f"v.__class__ is {types}"
            else:
                types = self.constante("T", nature.memo_types)
                test_type = f"v.__class__ in {types}"
            self.ecrire(
                retrait,
                f"if {test_type} and (w := {admis}.get(v)) is not None: {range_} w",
            )
            condition = "elif"
        if nature.rapide is not None:
            type_rapide, admises = nature.rapide
            if type_rapide is bool and admises >= {True, False}:
                self.ecrire(retrait, f"{condition} v is True or v is False: {range_} v")
            else:
                t = self.constante("T", type_rapide)
                a = self.constante("A", admises)
                self.ecrire(retrait, f"{condition} v.__class__ is {t} and v in {a}: {range_} v")
            condition = "elif"
        if nature.bornes is not None:
            minimum, maximum = nature.bornes
            self.ecrire(
                retrait,
                f"{condition} v.__class__ is int and {minimum} <= v <= {maximum}: {range_} v",
            )
            condition = "elif"
        if nature.motif_rapide is not None:
            motif = self.constante("R", nature.motif_rapide)
            self.ecrire(retrait, f"{condition} v.__class__ is str and {motif}(v): {range_} v")
            condition = "elif"
        if nature.texte_max is not None:
            # `strip` rend le texte lui-même quand il n'y a rien à ôter ; sinon, le chemin lent
            # (la nature) tranche : le résultat ne dépend pas de ce détail de CPython.
            self.ecrire(
                retrait,
                f"{condition} v.__class__ is str and 0 < len(v) <= {nature.texte_max}"
                f" and v.strip() is v: {range_} v",
            )
            condition = "elif"
        self.ecrire(retrait, f'{condition} v is None or v == "":')
        if champ.requis:
            self.ecrire(
                retrait,
                f"    ajout({c}.regle_absent.constat({chemin} + {'.' + champ.cle!r})"
                f" if {concret} else {c}.absent)",
            )
        else:
            self.ecrire(retrait, "    pass")
        self.ecrire(retrait, "else:")
        if nature.memo is not None:
            memo = self.constante("M", nature.memo)
            # `admis[v]` vaut toujours `memo[v][0]` : les deux sont remplis ensemble
            self.ecrire(
                retrait,
                f"    if v.__class__ in {self.constante('MT', nature.memo_types)}:",
                f"        r = {memo}.get(v)",
                "        if r is None:",
                f"            r = {verifier}(v)",
                f"            if len({memo}) < MEMO_MAX:",
                f"                {memo}[v] = r",
                f"                if r[1] is None: {admis}[v] = r[0]",
                "    else:",
                f"        r = {verifier}(v)",
            )
        else:
            self.ecrire(retrait, f"    r = {verifier}(v)")
        self.ecrire(
            retrait,
            f"    if r[1] is None: {range_} r[0]",
            f"    else: _echec({c}, r[1], v, {chemin}, {concret}, constats, {valeurs}, MAL)",
        )

    def sous_bloc(
        self,
        bloc: Any,
        lire: str,
        chemin: str,
        retrait: str,
        profondeur: int,
        cible: tuple[str, str],
    ) -> None:
        valeurs, concret = cible
        b = self.constante("B", bloc)
        sous_chemin = f"{chemin} + {'.' + bloc.cle!r}"
        n = profondeur + 1
        objet = f"s{n}"
        self.ecrire(retrait, f"{objet} = {lire}({bloc.cle!r})")
        if not bloc.liste:
            # objet attendu : ses champs sont vérifiés ici même (le chemin concret d'un
            # sous-bloc est concret exactement quand celui de son parent l'est)
            self.ecrire(
                retrait,
                f"if {objet}.__class__ is dict:",
                f"    {valeurs}[{bloc.cle_plate!r}] = True",
            )
            self.bloc(bloc, objet, sous_chemin, retrait + "    ", n, cible)
        else:
            # liste d'objets : chaque élément objet est vérifié ici même, dans son propre
            # dictionnaire de valeurs, sur un chemin toujours concret (« …[2] ») ; un élément
            # d'une autre sorte passe par `_element`, comme dans `Bloc.verifier`
            chemin_element = f'{sous_chemin} + "[" + str(indice{n}) + "]"'
            self.ecrire(
                retrait,
                f"if {objet}.__class__ is list:",
                f"    elements{n} = []",
                f"    for indice{n}, element{n} in enumerate({objet}):",
                f"        if element{n}.__class__ is dict:",
                f"            lues{n} = {{}}",
            )
            self.bloc(
                bloc, f"element{n}", chemin_element, retrait + " " * 12, n, (f"lues{n}", "True")
            )
            self.ecrire(
                retrait,
                f"            elements{n}.append(lues{n})",
                "        else:",
                f"            elements{n}.append(_element({b}, element{n}, {chemin_element},"
                " constats))",
                f"    {valeurs}[{bloc.cle_plate!r}] = elements{n}",
            )
        self.ecrire(
            retrait,
            f"elif {objet} is not None:",
            f"    {b}.verifier({objet}, {sous_chemin}, constats, {valeurs})",
        )
        if bloc.requis:
            self.ecrire(
                retrait,
                "else:",
                f"    ajout({b}.regle_absent.constat({sous_chemin}) if {concret} else {b}.absent)",
            )


def engendrer(bloc: Any, mal_formes: str) -> VerificateurObjet:
    """La fonction `(donnees, chemin, constats, valeurs)` qui vérifie un objet de ce bloc."""
    ecrivain = _Ecrivain(mal_formes)
    ecrivain.ecrire(
        "",
        "def verifier_objet(donnees, chemin, constats, valeurs):",
        f"    concret = chemin != {bloc.chemin!r}",
        "    ajout = constats.append",
    )
    ecrivain.bloc(bloc, "donnees", "chemin", "    ", 0)
    texte = "\n".join(ecrivain.lignes)
    exec(compile(texte, f"<verificateur {bloc.chemin}>", "exec"), ecrivain.espace)
    return ecrivain.espace["verifier_objet"]  # type: ignore[no-any-return]
