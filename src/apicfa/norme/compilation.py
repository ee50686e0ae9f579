"""Compilation d'un bloc du schéma en une fonction Python déroulée (chemin chaud du validateur).

Le validateur doit coûter peu devant la simple lecture JSON : plutôt qu'une boucle générique sur
les champs, chaque bloc reçoit une fonction écrite pour lui (un `if` par champ, constantes en
variables locales, textes simples vérifiés sans appel). Le comportement est exactement celui de
la description déclarative : les tests de chaque règle passent par ce code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apicfa.norme.constats import Constat
from apicfa.norme.natures import MEMO_MAX

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


def engendrer(bloc: Any, mal_formes: str) -> VerificateurObjet:
    """La fonction `(donnees, chemin, constats, valeurs)` qui vérifie un objet de ce bloc."""
    espace: dict[str, Any] = {"_echec": _echec, "MEMO_MAX": MEMO_MAX, "MAL": mal_formes}
    lignes = [
        "def verifier_objet(donnees, chemin, constats, valeurs):",
        f"    concret = chemin != {bloc.chemin!r}",
        "    lire = donnees.get",
        "    ajout = constats.append",
    ]
    for i, champ in enumerate(bloc.champs):
        nature = champ.nature
        espace[f"C{i}"] = champ
        espace[f"V{i}"] = nature.verifier
        cle = champ.cle
        destination = repr(cle if bloc.liste else champ.cle_plate)
        lignes.append(f"    v = lire({cle!r})")
        if champ.alias is not None:
            lignes.append(f"    if v is None: v = lire({champ.alias!r})")
        condition = "if"
        if nature.rapide is not None:
            espace[f"T{i}"], espace[f"A{i}"] = nature.rapide
            lignes.append(f"    if v.__class__ is T{i} and v in A{i}: valeurs[{destination}] = v")
            condition = "elif"
        if nature.bornes is not None:
            minimum, maximum = nature.bornes
            lignes.append(
                f"    {condition} v.__class__ is int and {minimum} <= v <= {maximum}:"
                f" valeurs[{destination}] = v"
            )
            condition = "elif"
        if nature.motif_rapide is not None:
            espace[f"R{i}"] = nature.motif_rapide
            lignes.append(
                f"    {condition} v.__class__ is str and R{i}(v): valeurs[{destination}] = v"
            )
            condition = "elif"
        if nature.texte_max is not None:
            lignes.append(
                f"    {condition} v.__class__ is str and 0 < len(v) <= {nature.texte_max}"
                f" and v.strip() == v: valeurs[{destination}] = v"
            )
            condition = "elif"
        lignes.append(f'    {condition} v is None or v == "":')
        if champ.requis:
            lignes.append(
                f"        ajout(C{i}.regle_absent.constat(chemin + {'.' + cle!r})"
                f" if concret else C{i}.absent)"
            )
        else:
            lignes.append("        pass")
        lignes.append("    else:")
        if nature.memo is not None:
            espace[f"M{i}"] = nature.memo
            espace[f"MT{i}"] = nature.memo_types
            lignes += [
                f"        if v.__class__ in MT{i}:",
                f"            r = M{i}.get(v)",
                "            if r is None:",
                f"                r = V{i}(v)",
                f"                if len(M{i}) < MEMO_MAX: M{i}[v] = r",
                "        else:",
                f"            r = V{i}(v)",
            ]
        else:
            lignes.append(f"        r = V{i}(v)")
        lignes += [
            f"        if r[1] is None: valeurs[{destination}] = r[0]",
            f"        else: _echec(C{i}, r[1], v, chemin, concret, constats, valeurs, MAL)",
        ]
    for j, sous_bloc in enumerate(bloc.sous_blocs):
        espace[f"B{j}"] = sous_bloc
        sous_chemin = "." + sous_bloc.cle
        lignes.append(f"    s = lire({sous_bloc.cle!r})")
        if not sous_bloc.liste:
            # objet attendu : appel direct de sa fonction compilée, sans passer par Bloc.verifier
            lignes += [
                "    if s.__class__ is dict:",
                f"        valeurs[{sous_bloc.cle_plate!r}] = True",
                f"        B{j}.verifier_objet(s, chemin + {sous_chemin!r}, constats, valeurs)",
                "    elif s is not None:",
            ]
        else:
            lignes.append("    if s is not None:")
        lignes.append(f"        B{j}.verifier(s, chemin + {sous_chemin!r}, constats, valeurs)")
        if sous_bloc.requis:
            lignes.append("    else:")
            lignes.append(
                f"        ajout(B{j}.regle_absent.constat(chemin + {'.' + sous_bloc.cle!r})"
                f" if concret else B{j}.absent)"
            )
    # constantes passées en paramètres par défaut : variables locales, plus rapides que globales
    constantes = ", ".join(f"{nom}={nom}" for nom in espace)
    lignes[0] = f"def verifier_objet(donnees, chemin, constats, valeurs, *, {constantes}):"
    exec(compile("\n".join(lignes), f"<verificateur {bloc.chemin}>", "exec"), espace)
    return espace["verifier_objet"]  # type: ignore[no-any-return]
