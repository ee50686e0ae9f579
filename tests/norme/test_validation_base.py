from __future__ import annotations

from norme_fabrique import AUJOURD_HUI, cerfa_valide, enveloppe

from apicfa.norme.validation import valider_cerfa


def test_cerfa_valide_sans_constat() -> None:
    assert valider_cerfa(enveloppe(), aujourd_hui=AUJOURD_HUI) == []


def test_cerfa_nu_accepte() -> None:
    assert valider_cerfa(cerfa_valide(), aujourd_hui=AUJOURD_HUI) == []


def test_types_faux_partout_jamais_d_exception() -> None:
    donnees = {"cerfa": {"employeur": 3, "apprenti": {"nom": 5}, "contrat": [], "formation": "x"}}
    constats = valider_cerfa(donnees)
    codes = {c.code for c in constats}
    assert {
        "EMPLOYEUR_FORMAT",
        "APPRENTI_NOM_FORMAT",
        "CONTRAT_FORMAT",
        "FORMATION_FORMAT",
    } <= codes
    assert all(c.champ.startswith("cerfa") for c in constats)


def test_racine_non_objet() -> None:
    assert [c.code for c in valider_cerfa([1, 2])] == ["CERFA_FORMAT"]
    assert [c.code for c in valider_cerfa({"cerfa": None})] == ["CERFA_ABSENT"]
