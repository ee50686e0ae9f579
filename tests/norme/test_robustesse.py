"""Le validateur ne lève jamais : toute valeur JSON, à toute place, donne des constats."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from norme_fabrique import cerfa_complet

from apicfa.norme import validation
from apicfa.norme.regles import CATALOGUE

json_libre = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
    ),
    lambda enfants: st.one_of(
        st.lists(enfants, max_size=3), st.dictionaries(st.text(max_size=5), enfants, max_size=3)
    ),
    max_leaves=8,
)


def _chemins(donnees: Any, prefixe: str = "") -> list[str]:
    chemins = []
    if isinstance(donnees, dict):
        for cle, valeur in donnees.items():
            chemin = f"{prefixe}.{cle}" if prefixe else cle
            chemins.append(chemin)
            chemins.extend(_chemins(valeur, chemin))
    elif isinstance(donnees, list):
        for indice, valeur in enumerate(donnees):
            chemin = f"{prefixe}[{indice}]"
            chemins.append(chemin)
            chemins.extend(_chemins(valeur, chemin))
    return chemins


CHEMINS = _chemins(cerfa_complet())


def _poser(donnees: dict[str, Any], chemin: str, valeur: Any) -> None:
    parties = chemin.replace("[", ".[").split(".")
    courant: Any = donnees
    for partie in parties[:-1]:
        courant = courant[int(partie[1:-1])] if partie.startswith("[") else courant[partie]
    derniere = parties[-1]
    courant[int(derniere[1:-1]) if derniere.startswith("[") else derniere] = valeur


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CHEMINS), json_libre), min_size=1, max_size=4))
def test_valeurs_quelconques_jamais_d_exception(remplacements: list[tuple[str, Any]]) -> None:
    donnees = cerfa_complet()
    for chemin, valeur in remplacements:
        try:
            _poser(donnees, chemin, valeur)
        except (KeyError, IndexError, TypeError):
            continue  # un remplacement précédent a changé la forme : chemin disparu
    for constat in validation.valider_cerfa({"cerfa": donnees}):
        assert constat.code in CATALOGUE
        assert constat.champ.startswith("cerfa")


@settings(max_examples=100, deadline=None)
@given(json_libre)
def test_objets_quelconques(donnees: Any) -> None:
    for nom in ("cerfa", "facture", "convention", "certificat", "document", "rupture"):
        valider = getattr(validation, f"valider_{nom}")
        for constat in valider(donnees):
            assert constat.code in CATALOGUE
        for constat in valider({nom: donnees}):
            assert constat.champ.startswith(nom)
