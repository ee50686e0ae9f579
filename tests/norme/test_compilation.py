"""Les chemins rapides du validateur compilé donnent exactement le résultat des natures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from apicfa.norme import natures as n
from apicfa.norme.codes import DERNIERES_CLASSES, TYPES_EMPLOYEUR
from apicfa.norme.coherence_cerfa import nombre_annees_execution
from apicfa.norme.constats import Constat
from apicfa.norme.schema import Bloc, Champ

NATURES: dict[str, n.Nature] = {
    "texte": n.texte(10),
    "nom": n.NOM,
    "entier": n.entier(0, 40),
    "booleen": n.BOOLEEN,
    "code": n.code_entier(TYPES_EMPLOYEUR),
    "classe": n.code_texte(DERNIERES_CLASSES, largeur=2),
    "date": n.DATE,
    "courriel": n.COURRIEL,
    "telephone": n.TELEPHONE,
    "siret": n.SIRET,
    "postal": n.CODE_POSTAL,
    "nir": n.NIR,
    "taux": n.nombre(Decimal(0), 2),
}
BLOC = Bloc("", "ESSAI", "L'essai", [Champ(cle, cle, nature) for cle, nature in NATURES.items()])
BLOC.compiler("essai", "")

valeurs_libres = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=60),
    st.floats(allow_nan=False),
    st.text(max_size=14),
    st.sampled_from(
        ["Le Goff", "Le Goff ", " Léa", "a@b.fr", "a b@c.fr", "01 23 45 67 89", "0123456789 ",
         "2025-09-01", "2025-02-30", "2025-09-01T00:00:00+02:00", "73282932000074", "44000",
         "01", "12", "1", "   ", "x" * 11, "x" * 10, "110039935190745", "110039935190746",
         "1100399351907", "210039935190745", "11003993519074５", "1 10039935190745", 27, 27.5,
         "27.50", "27,5", 27.125, -3, "0279980200", "0079980200", "+33 6 12 34 56 78"]
    ),
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.fixed_dictionaries({cle: valeurs_libres for cle in NATURES}))
def test_compile_egal_natures(donnees: dict[str, Any]) -> None:
    constats: list[Constat] = []
    valeurs: dict[str, Any] = {}
    BLOC.verifier(donnees, "essai", constats, valeurs)
    fautifs = {c.champ.removeprefix("essai.") for c in constats}
    for cle, nature in NATURES.items():
        valeur = donnees[cle]
        if valeur is None or valeur == "":
            assert cle not in valeurs and cle not in fautifs
            continue
        lue, motif = nature.verifier(valeur)
        if motif is None:
            assert valeurs[cle] == lue and type(valeurs[cle]) is type(lue), cle
        else:
            assert cle in fautifs and cle not in valeurs, cle


def test_nombre_annees_execution() -> None:
    from datetime import date

    assert nombre_annees_execution(date(2025, 9, 1), date(2027, 8, 31)) == 2
    assert nombre_annees_execution(date(2025, 9, 1), date(2027, 9, 1)) == 3
    assert nombre_annees_execution(date(2025, 9, 1), date(2025, 9, 1)) == 1
    assert nombre_annees_execution(date(2024, 2, 29), date(2025, 2, 27)) == 1
    assert nombre_annees_execution(date(2024, 2, 29), date(2025, 2, 28)) == 2


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13),
    st.sampled_from(["", "cle", "00", "97", "98", " ", "A"]),
)
def test_nir_rapide_n_admet_que_ce_que_la_nature_admet(treize: str, suite: str) -> None:
    from apicfa.norme.identifiants import cle_nir, nir_complet_valide, verifier_nir

    texte = treize + (cle_nir(treize) if suite == "cle" else suite)
    lu, motif = verifier_nir(texte)
    if nir_complet_valide(texte):
        assert (lu, motif) == (texte, None)
    else:
        # refusé par le chemin rapide : un NIR de 15 chiffres ASCII admis tel quel n'en est pas
        assert motif is not None or lu != texte or len(texte) != 15


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789 +.-", min_size=8, max_size=14))
def test_telephone_rapide_n_admet_que_ce_que_la_nature_admet(texte: str) -> None:
    from apicfa.norme.identifiants import telephone_rapide, verifier_telephone

    if telephone_rapide(texte):
        assert verifier_telephone(texte) == (texte, None)
