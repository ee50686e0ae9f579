"""Frais annexes d'une convention (SPEC §5.3 `couts`, §6.4) : lignes séparées, chacune plafonnée.

Hébergement 6 € la nuit, restauration 3 € le repas, premier équipement jusqu'à 500 € une fois,
mobilité internationale au forfait du profil OPCO, majoration RQTH jusqu'à 4 000 € par année
d'exécution. Ces lignes ne gonflent jamais les échéances de pédagogie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from apicfa.financement.modeles import EngagementFraisAnnexe
from apicfa.financement.montants import en_centimes, en_euros, texte_euros

PRIX_NUITEE_CENTIMES = 600
PRIX_REPAS_CENTIMES = 300
PLAFOND_PREMIER_EQUIPEMENT_CENTIMES = 50000
PLAFOND_RQTH_ANNUEL_CENTIMES = 400000
ANNEES_RQTH = 4

HEBERGEMENT = "HEBERGEMENT"
RESTAURATION = "RESTAURATION"
PREMIER_EQUIPEMENT = "PREMIEREQUIPEMENT"
MOBILITE = "MOBILITE"
MAJORATION_RQTH = "MAJORATION_RQTH"

_VRAI = {"true", "oui", "o", "1", "vrai", "yes"}
_FAUX = {"false", "non", "n", "0", "faux", "no", ""}


@dataclass(frozen=True, slots=True)
class CoutsConvention:
    """Les `couts` d'une convention, lus et vérifiés (montants en centimes)."""

    nombre_hebergements: int = 0
    nombre_repas: int = 0
    premier_equipement_centimes: int = 0
    mobilite_internationale: bool = False
    rqth_centimes: tuple[int, int, int, int] = (0, 0, 0, 0)


def _entier(couts: Mapping[str, Any], champ: str) -> int:
    valeur = couts.get(champ)
    if valeur is None or valeur == "":
        return 0
    if isinstance(valeur, bool):
        raise ValueError(f"couts.{champ} : nombre entier attendu, reçu {valeur!r}")
    try:
        nombre = Decimal(str(valeur))
    except ArithmeticError as erreur:
        raise ValueError(f"couts.{champ} : nombre entier attendu, reçu {valeur!r}") from erreur
    if not nombre.is_finite() or nombre != nombre.to_integral_value() or nombre < 0:
        raise ValueError(f"couts.{champ} : nombre entier positif attendu, reçu {valeur!r}")
    return int(nombre)


def _montant(couts: Mapping[str, Any], champ: str) -> int:
    valeur = couts.get(champ)
    if valeur is None or valeur == "":
        return 0
    if isinstance(valeur, bool):
        raise ValueError(f"couts.{champ} : montant attendu, reçu {valeur!r}")
    try:
        centimes = en_centimes(str(valeur))
    except ValueError as erreur:
        raise ValueError(f"couts.{champ} : montant attendu, reçu {valeur!r}") from erreur
    if centimes < 0:
        raise ValueError(f"couts.{champ} : montant positif attendu, reçu {valeur!r}")
    return centimes


def _booleen(couts: Mapping[str, Any], champ: str) -> bool:
    valeur = couts.get(champ)
    if valeur is None or isinstance(valeur, bool):
        return bool(valeur)
    texte = str(valeur).strip().lower()
    if texte in _VRAI:
        return True
    if texte in _FAUX:
        return False
    raise ValueError(f"couts.{champ} : vrai ou faux attendu, reçu {valeur!r}")


def lire_couts(donnees: Mapping[str, Any]) -> CoutsConvention:
    """Lit les `couts` d'une convention : l'objet `couts` seul, la convention, ou son enveloppe."""
    couts: Any = donnees
    if isinstance(couts.get("convention"), Mapping):
        couts = couts["convention"]
    if isinstance(couts.get("couts"), Mapping):
        couts = couts["couts"]
    rqth = tuple(_montant(couts, f"montantRQTHAnnee{k}") for k in range(1, ANNEES_RQTH + 1))
    return CoutsConvention(
        nombre_hebergements=_entier(couts, "nombreHebergementTotaux"),
        nombre_repas=_entier(couts, "nombreRepasTotaux"),
        premier_equipement_centimes=_montant(couts, "montantPremierEquipement"),
        mobilite_internationale=_booleen(couts, "mentionMobiliteInternationale"),
        rqth_centimes=(rqth[0], rqth[1], rqth[2], rqth[3]),
    )


def _ligne(
    nature: str, quantite: int, prix_centimes: int, annee: int | None = None
) -> EngagementFraisAnnexe:
    return EngagementFraisAnnexe(
        nature, quantite, en_euros(prix_centimes), en_euros(quantite * prix_centimes), annee
    )


def calculer_frais_annexes(
    couts: CoutsConvention, *, nombre_annees: int, forfait_mobilite: Decimal | None = None
) -> tuple[tuple[EngagementFraisAnnexe, ...], tuple[str, ...]]:
    """Les lignes `engagementsFraisAnnexe` d'une convention et les phrases qui les expliquent.

    `nombre_annees` : années d'exécution du contrat (la majoration RQTH d'une année au-delà n'est
    pas engagée). `forfait_mobilite` : montant forfaitaire du profil OPCO (sans lui, la mobilité
    mentionnée n'est pas engagée et le détail le dit).
    """
    lignes: list[EngagementFraisAnnexe] = []
    detail: list[str] = []
    if couts.nombre_hebergements:
        ligne = _ligne(HEBERGEMENT, couts.nombre_hebergements, PRIX_NUITEE_CENTIMES)
        lignes.append(ligne)
        detail.append(
            f"Hébergement : {couts.nombre_hebergements} nuitée(s) × "
            f"{texte_euros(PRIX_NUITEE_CENTIMES)} = "
            f"{texte_euros(couts.nombre_hebergements * PRIX_NUITEE_CENTIMES)}."
        )
    if couts.nombre_repas:
        lignes.append(_ligne(RESTAURATION, couts.nombre_repas, PRIX_REPAS_CENTIMES))
        detail.append(
            f"Restauration : {couts.nombre_repas} repas × {texte_euros(PRIX_REPAS_CENTIMES)} = "
            f"{texte_euros(couts.nombre_repas * PRIX_REPAS_CENTIMES)}."
        )
    if couts.premier_equipement_centimes:
        demande = couts.premier_equipement_centimes
        retenu = min(demande, PLAFOND_PREMIER_EQUIPEMENT_CENTIMES)
        lignes.append(_ligne(PREMIER_EQUIPEMENT, 1, retenu))
        if retenu < demande:
            detail.append(
                f"Premier équipement (couts.montantPremierEquipement) : {texte_euros(demande)} "
                f"demandés, plafonnés à {texte_euros(retenu)} (une seule fois)."
            )
        else:
            detail.append(f"Premier équipement : {texte_euros(retenu)} (une seule fois).")
    if couts.mobilite_internationale:
        if forfait_mobilite is None:
            detail.append(
                "Mobilité internationale mentionnée (couts.mentionMobiliteInternationale) mais le "
                "profil OPCO ne fixe aucun forfait : rien n'est engagé."
            )
        else:
            forfait = en_centimes(forfait_mobilite)
            lignes.append(_ligne(MOBILITE, 1, forfait))
            detail.append(
                f"Mobilité internationale : forfait du profil OPCO, {texte_euros(forfait)}."
            )
    for numero, demande in enumerate(couts.rqth_centimes, start=1):
        if not demande:
            continue
        champ = f"couts.montantRQTHAnnee{numero}"
        if numero > nombre_annees:
            detail.append(
                f"Majoration RQTH ({champ}) : {texte_euros(demande)} non engagés, le contrat "
                f"n'a que {nombre_annees} année(s) d'exécution."
            )
            continue
        retenu = min(demande, PLAFOND_RQTH_ANNUEL_CENTIMES)
        lignes.append(_ligne(MAJORATION_RQTH, 1, retenu, numero))
        if retenu < demande:
            detail.append(
                f"Majoration RQTH année {numero} ({champ}) : {texte_euros(demande)} demandés, "
                f"plafonnés à {texte_euros(retenu)} par année d'exécution."
            )
        else:
            detail.append(f"Majoration RQTH année {numero} : {texte_euros(retenu)}.")
    return tuple(lignes), tuple(detail)
