"""Règles de cohérence des objets du §5 : sommes de facture, ordres de dates, plafonds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from apicfa.norme.constats import AVERTISSEMENT, BLOQUANT, INSTRUCTION, Constat
from apicfa.norme.regle import Regle

PLAFOND_PREMIER_EQUIPEMENT = Decimal(500)
PLAFOND_RQTH_ANNUEL = Decimal(4000)


def _j(jour: date) -> str:
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year}"


def _euros(montant: Decimal) -> str:
    return f"{montant:,.2f}".replace(",", " ").replace(".", ",") + " €"


REGLES: dict[str, dict[str, Regle]] = {
    "facture": {
        r.code: r
        for r in (
            Regle(
                "FACTURE_MONTANT_TOTAL_SOMME",
                BLOQUANT,
                "facture.montantTotal",
                "Le montant total de la facture ({total}) n'est pas la somme de ses lignes "
                "({somme}).",
                ("total", "somme"),
            ),
            Regle(
                "FACTURE_LIGNES_VIDE",
                BLOQUANT,
                "facture.lignes",
                "La facture n'a aucune ligne : il en faut au moins une.",
            ),
            Regle(
                "FACTURE_DATE_EMISSION_FUTURE",
                BLOQUANT,
                "facture.dateEmission",
                "La date d'émission de la facture ({date}) est postérieure au jour de l'envoi "
                "({jour}).",
                ("date", "jour"),
            ),
        )
    },
    "convention": {
        r.code: r
        for r in (
            Regle(
                "CONVENTION_CONTRAT_DATES_ORDRE",
                BLOQUANT,
                "convention.contrat.dateFinContrat",
                "La date de fin du contrat ({fin}) doit être postérieure à sa date de début "
                "({debut}).",
                ("fin", "debut"),
            ),
            Regle(
                "CONVENTION_FORMATION_DATES_ORDRE",
                BLOQUANT,
                "convention.formation.dateFinFormation",
                "La date de fin de la formation ({fin}) précède sa date de début ({debut}).",
                ("fin", "debut"),
            ),
            Regle(
                "CONVENTION_PREMIER_EQUIPEMENT_PLAFOND",
                INSTRUCTION,
                "convention.couts.montantPremierEquipement",
                "Le premier équipement ({montant}) dépasse le plafond de 500,00 €.",
                ("montant",),
            ),
            Regle(
                "CONVENTION_RQTH_PLAFOND",
                INSTRUCTION,
                "convention.couts.montantRQTHAnnee1",
                "La majoration RQTH de l'année {annee} ({montant}) dépasse le plafond annuel "
                "de 4 000,00 €.",
                ("annee", "montant"),
            ),
            Regle(
                "CONVENTION_ATTESTATION_MANQUANTE",
                AVERTISSEMENT,
                "convention.attestationConventionSigneeEntreprise",
                "L'attestation {attestation} vaut false : l'OPCO attend une convention signée et "
                "conforme au JSON envoyé.",
                ("attestation",),
            ),
            Regle(
                "CONVENTION_DATE_SIGNATURE_FUTURE",
                BLOQUANT,
                "convention.dateSignature",
                "La date de signature de la convention ({date}) est postérieure au jour de "
                "l'envoi ({jour}).",
                ("date", "jour"),
            ),
        )
    },
    "certificat": {
        r.code: r
        for r in (
            Regle(
                "CERTIFICAT_ECHEANCE_DATES_ORDRE",
                BLOQUANT,
                "certificat.echeance.dateFin",
                "L'échéance certifiée finit ({fin}) avant de commencer ({debut}).",
                ("fin", "debut"),
            ),
            Regle(
                "CERTIFICAT_DATE_SIGNATURE_FUTURE",
                BLOQUANT,
                "certificat.dateSignature",
                "La date de signature du certificat ({date}) est postérieure au jour de l'envoi "
                "({jour}).",
                ("date", "jour"),
            ),
        )
    },
    "document": {
        r.code: r
        for r in (
            Regle(
                "DOCUMENT_OBJETS_VIDE",
                BLOQUANT,
                "document.objets",
                "Le document n'est rattaché à aucun objet : indiquez au moins un dossier ou une "
                "facture.",
            ),
        )
    },
    "rupture": {},
}

_ATTESTATIONS_CONVENTION = (
    "attestationConventionSigneeEntreprise",
    "attestationConventionSigneeCFA",
    "attestationConventionSignatureProbante",
    "attestationConventionConformeJSON",
)


def _facture(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    regles = REGLES["facture"]
    lignes: list[dict[str, Any] | None] | None = v.get("lignes")
    if lignes is not None:
        if not lignes:
            constats.append(regles["FACTURE_LIGNES_VIDE"].constat())
        else:
            total: Decimal | None = v.get("montantTotal")
            montants = [None if ligne is None else ligne.get("montant") for ligne in lignes]
            if total is not None and None not in montants:
                somme = sum(montants, Decimal(0))  # type: ignore[arg-type]
                if somme != total:
                    constats.append(
                        regles["FACTURE_MONTANT_TOTAL_SOMME"].constat(
                            total=_euros(total), somme=_euros(somme)
                        )
                    )
    emission: date | None = v.get("dateEmission")
    if emission is not None and aujourd_hui is not None and emission > aujourd_hui:
        constats.append(
            regles["FACTURE_DATE_EMISSION_FUTURE"].constat(date=_j(emission), jour=_j(aujourd_hui))
        )


def _convention(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    regles = REGLES["convention"]
    for prefixe, code in (
        ("contrat.dateDebutContrat", "CONVENTION_CONTRAT_DATES_ORDRE"),
        ("formation.dateDebutFormation", "CONVENTION_FORMATION_DATES_ORDRE"),
    ):
        debut: date | None = v.get(prefixe)
        fin: date | None = v.get(prefixe.replace("Debut", "Fin"))
        strict = code == "CONVENTION_CONTRAT_DATES_ORDRE"
        if debut is not None and fin is not None and (fin <= debut if strict else fin < debut):
            constats.append(regles[code].constat(fin=_j(fin), debut=_j(debut)))
    equipement: Decimal | None = v.get("couts.montantPremierEquipement")
    if equipement is not None and equipement > PLAFOND_PREMIER_EQUIPEMENT:
        constats.append(
            regles["CONVENTION_PREMIER_EQUIPEMENT_PLAFOND"].constat(montant=_euros(equipement))
        )
    for annee in range(1, 5):
        rqth: Decimal | None = v.get(f"couts.montantRQTHAnnee{annee}")
        if rqth is not None and rqth > PLAFOND_RQTH_ANNUEL:
            regle = regles["CONVENTION_RQTH_PLAFOND"]
            constats.append(
                regle.constat(
                    f"convention.couts.montantRQTHAnnee{annee}", annee=annee, montant=_euros(rqth)
                )
            )
    for attestation in _ATTESTATIONS_CONVENTION:
        if v.get(attestation) is False:
            constats.append(
                regles["CONVENTION_ATTESTATION_MANQUANTE"].constat(
                    f"convention.{attestation}", attestation=attestation
                )
            )
    signature: date | None = v.get("dateSignature")
    if signature is not None and aujourd_hui is not None and signature > aujourd_hui:
        constats.append(
            regles["CONVENTION_DATE_SIGNATURE_FUTURE"].constat(
                date=_j(signature), jour=_j(aujourd_hui)
            )
        )


def _certificat(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    regles = REGLES["certificat"]
    debut: date | None = v.get("echeance.dateDebut")
    fin: date | None = v.get("echeance.dateFin")
    if debut is not None and fin is not None and fin < debut:
        constats.append(
            regles["CERTIFICAT_ECHEANCE_DATES_ORDRE"].constat(fin=_j(fin), debut=_j(debut))
        )
    signature: date | None = v.get("dateSignature")
    if signature is not None and aujourd_hui is not None and signature > aujourd_hui:
        constats.append(
            regles["CERTIFICAT_DATE_SIGNATURE_FUTURE"].constat(
                date=_j(signature), jour=_j(aujourd_hui)
            )
        )


def _document(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    objets = v.get("objets")
    if objets is not None and not objets:
        constats.append(REGLES["document"]["DOCUMENT_OBJETS_VIDE"].constat())


def _rupture(v: dict[str, Any], constats: list[Constat], aujourd_hui: date | None) -> None:
    """Aucune règle de cohérence propre : la date est confrontée au contrat par le service."""


VERIFICATEURS: dict[str, Callable[[dict[str, Any], list[Constat], date | None], None]] = {
    "facture": _facture,
    "convention": _convention,
    "certificat": _certificat,
    "document": _document,
    "rupture": _rupture,
}
