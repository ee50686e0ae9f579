from __future__ import annotations

import pytest

from apicfa.norme.etats import (
    EtatDossier,
    lire_etat_dossier,
    lire_etat_facture,
    message_transition_refusee,
    transition_facture_permise,
    transition_permise,
)


@pytest.mark.parametrize(
    ("de", "vers"),
    [
        ("TRANSMIS", "EN_COURS_INSTRUCTION"),
        ("EN_COURS_INSTRUCTION", "ENGAGE"),
        ("EN_COURS_INSTRUCTION", "REFUSE"),
        ("ENGAGE", "RUPTURE"),
        ("ENGAGE", "RUPTU"),
        ("ENGAGE", "SOLDE"),
        ("TRANSMIS", "ANNULE"),
        ("EN_COURS_INSTRUCTION", "ANNULE"),
        ("ENGAGE", "ANNULE"),
    ],
)
def test_transitions_permises(de: str, vers: str) -> None:
    assert transition_permise(de, vers)


@pytest.mark.parametrize(
    ("de", "vers"),
    [
        ("TRANSMIS", "ENGAGE"),
        ("REFUSE", "ENGAGE"),
        ("RUPTURE", "SOLDE"),
        ("SOLDE", "ANNULE"),
        ("ANNULE", "TRANSMIS"),
        ("ENGAGE", "EN_COURS_INSTRUCTION"),
    ],
)
def test_transitions_refusees(de: str, vers: str) -> None:
    assert not transition_permise(de, vers)
    message = message_transition_refusee(de, vers)
    assert de in message and vers in message


def test_alias_ruptu() -> None:
    assert lire_etat_dossier("ruptu") is EtatDossier.RUPTURE


def test_etat_inconnu_message_francais() -> None:
    with pytest.raises(ValueError, match="inconnu"):
        lire_etat_dossier("PERDU")
    with pytest.raises(ValueError, match="inconnu"):
        lire_etat_facture("PAYE")


def test_message_etat_definitif() -> None:
    assert "définitif" in message_transition_refusee("SOLDE", "ENGAGE")


def test_transitions_facture() -> None:
    assert transition_facture_permise("TRANSMIS", "VALIDE")
    assert transition_facture_permise("VALIDE", "REGLE")
    assert not transition_facture_permise("REGLE", "TRANSMIS")
    assert not transition_facture_permise("REJETE", "VALIDE")
