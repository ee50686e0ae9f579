"""États d'un dossier (SPEC §6.1) et d'une facture (SPEC §5.2), transitions permises."""

from __future__ import annotations

from enum import StrEnum


class EtatDossier(StrEnum):
    TRANSMIS = "TRANSMIS"
    EN_COURS_INSTRUCTION = "EN_COURS_INSTRUCTION"
    ENGAGE = "ENGAGE"
    REFUSE = "REFUSE"
    RUPTURE = "RUPTURE"
    SOLDE = "SOLDE"
    ANNULE = "ANNULE"


class EtatFacture(StrEnum):
    TRANSMIS = "TRANSMIS"
    VALIDE = "VALIDE"
    REJETE = "REJETE"
    REGLE = "REGLE"


# Orthographes d'entrée admises en plus des valeurs canoniques (une OPCO écrit `RUPTU`).
ALIAS_ETATS_DOSSIER: dict[str, EtatDossier] = {"RUPTU": EtatDossier.RUPTURE}

LIBELLES_ETATS_DOSSIER: dict[EtatDossier, str] = {
    EtatDossier.TRANSMIS: "transmis",
    EtatDossier.EN_COURS_INSTRUCTION: "en cours d'instruction",
    EtatDossier.ENGAGE: "engagé",
    EtatDossier.REFUSE: "refusé",
    EtatDossier.RUPTURE: "rompu",
    EtatDossier.SOLDE: "soldé",
    EtatDossier.ANNULE: "annulé",
}

TRANSITIONS_DOSSIER: dict[EtatDossier, frozenset[EtatDossier]] = {
    EtatDossier.TRANSMIS: frozenset({EtatDossier.EN_COURS_INSTRUCTION, EtatDossier.ANNULE}),
    EtatDossier.EN_COURS_INSTRUCTION: frozenset(
        {EtatDossier.ENGAGE, EtatDossier.REFUSE, EtatDossier.ANNULE}
    ),
    EtatDossier.ENGAGE: frozenset({EtatDossier.RUPTURE, EtatDossier.SOLDE, EtatDossier.ANNULE}),
    EtatDossier.REFUSE: frozenset(),
    EtatDossier.RUPTURE: frozenset(),
    EtatDossier.SOLDE: frozenset(),
    EtatDossier.ANNULE: frozenset(),
}

TRANSITIONS_FACTURE: dict[EtatFacture, frozenset[EtatFacture]] = {
    EtatFacture.TRANSMIS: frozenset({EtatFacture.VALIDE, EtatFacture.REJETE}),
    EtatFacture.VALIDE: frozenset({EtatFacture.REGLE, EtatFacture.REJETE}),
    EtatFacture.REJETE: frozenset(),
    EtatFacture.REGLE: frozenset(),
}


def lire_etat_dossier(valeur: str) -> EtatDossier:
    """Lit un état de dossier, alias compris (`RUPTU` → `RUPTURE`).

    Lève `ValueError` (message en français) pour un état inconnu.
    """
    texte = valeur.strip().upper()
    if texte in ALIAS_ETATS_DOSSIER:
        return ALIAS_ETATS_DOSSIER[texte]
    try:
        return EtatDossier(texte)
    except ValueError:
        connus = ", ".join(e.value for e in EtatDossier)
        raise ValueError(
            f"L'état de dossier « {valeur} » est inconnu (attendus : {connus})."
        ) from None


def lire_etat_facture(valeur: str) -> EtatFacture:
    """Lit un état de facture ; lève `ValueError` (message en français) s'il est inconnu."""
    texte = valeur.strip().upper()
    try:
        return EtatFacture(texte)
    except ValueError:
        connus = ", ".join(e.value for e in EtatFacture)
        raise ValueError(
            f"L'état de facture « {valeur} » est inconnu (attendus : {connus})."
        ) from None


def _etat(valeur: str | EtatDossier) -> EtatDossier:
    return valeur if isinstance(valeur, EtatDossier) else lire_etat_dossier(valeur)


def transition_permise(de: str | EtatDossier, vers: str | EtatDossier) -> bool:
    """Vrai quand un dossier peut passer de l'état `de` à l'état `vers` (alias admis)."""
    return _etat(vers) in TRANSITIONS_DOSSIER[_etat(de)]


def transition_facture_permise(de: str | EtatFacture, vers: str | EtatFacture) -> bool:
    """Vrai quand une facture peut passer de l'état `de` à l'état `vers`."""
    source = de if isinstance(de, EtatFacture) else lire_etat_facture(de)
    cible = vers if isinstance(vers, EtatFacture) else lire_etat_facture(vers)
    return cible in TRANSITIONS_FACTURE[source]


def message_transition_refusee(de: str | EtatDossier, vers: str | EtatDossier) -> str:
    """Message français expliquant pourquoi un dossier ne peut pas changer d'état."""
    source, cible = _etat(de), _etat(vers)
    possibles = TRANSITIONS_DOSSIER[source]
    if possibles:
        suite = "il peut seulement devenir " + ", ".join(
            sorted(LIBELLES_ETATS_DOSSIER[e] for e in possibles)
        )
    else:
        suite = "cet état est définitif"
    return (
        f"Le dossier est {LIBELLES_ETATS_DOSSIER[source]} ({source.value}) : il ne peut pas "
        f"passer à l'état {LIBELLES_ETATS_DOSSIER[cible]} ({cible.value}) ; {suite}."
    )
