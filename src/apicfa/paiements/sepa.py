"""Fichier de virements SEPA (ISO 20022 pain.001.001.03) pour la banque de l'OPCO.

Construit avec `sepaxml` : l'OPCO est le donneur d'ordre (nom, IBAN, BIC de son profil), un
virement par IBAN de CFA, l'identifiant de bout en bout (`EndToEndId`) est la
`referenceVirement`, le motif liste les numéros de facture du CFA.

Le fichier est déterministe : l'identifiant du message, celui du lot (`PmtInfId`) et la date
de création sont des paramètres (sepaxml les tirerait du hasard et de l'horloge ; on les
remplace). Le fichier rendu est validé contre le schéma XSD livré avec sepaxml.

BIC : celui du profil pour l'OPCO, à défaut celui que le registre de schwifty déduit de son
IBAN (sinon erreur : une banque le demande pour le donneur d'ordre). Pour un CFA, le BIC déduit
de l'IBAN quand schwifty le connaît ; sinon l'agent du créancier est omis (virement « IBAN
seul », admis par le schéma et par les règles SEPA).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sepaxml import SepaTransfer
from sepaxml.validation import try_valid_xml

from apicfa.paiements.virements import Virement, bic_de, lire_iban

SCHEMA = "pain.001.001.03"
_IDENTIFIANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,34}$")


@dataclass(frozen=True, slots=True)
class DonneurOrdre:
    """L'OPCO qui paie : nom, IBAN et (facultatif) BIC de son compte."""

    nom: str
    iban: str
    bic: str | None = None


def _centimes(virement: Virement) -> int:
    centimes = virement.montant * 100
    if centimes != centimes.to_integral_value() or centimes <= 0:
        raise ValueError(
            f"virement {virement.reference_virement} : montant {virement.montant} € invalide "
            "(positif, au centime)"
        )
    return int(centimes)


def _configuration(donneur: DonneurOrdre) -> dict[str, object]:
    iban = lire_iban(donneur.iban)
    bic = donneur.bic or bic_de(iban)
    if bic is None:
        raise ValueError(
            f"BIC du compte de l'OPCO inconnu pour l'IBAN {iban.compact} : renseignez-le "
            "dans le profil de l'OPCO"
        )
    return {"name": donneur.nom, "IBAN": iban.compact, "BIC": bic, "batch": True, "currency": "EUR"}


def _fixer_identifiants(xml: bytes, identifiant_message: str, cree_le: datetime) -> bytes:
    """Remplace l'identifiant du message, sa date de création et ceux des lots de sepaxml."""
    valeurs = {
        b"MsgId": identifiant_message.encode(),
        b"CreDtTm": f"{cree_le:%Y-%m-%dT%H:%M:%S}".encode(),
    }
    for balise, valeur in valeurs.items():
        xml, remplacees = re.subn(
            rb"<%s>[^<]*</%s>" % (balise, balise), b"<%s>%s</%s>" % (balise, valeur, balise), xml
        )
        if remplacees != 1:
            raise ValueError(f"fichier SEPA inattendu : {remplacees} balise(s) {balise.decode()}")
    rangs = iter(range(1, 10_000))
    return re.sub(
        rb"<PmtInfId>[^<]*</PmtInfId>",
        lambda _: f"<PmtInfId>{identifiant_message[:30]}-{next(rangs)}</PmtInfId>".encode(),
        xml,
    )


def fichier_sepa(
    virements: Sequence[Virement],
    *,
    donneur_ordre: DonneurOrdre,
    date_execution: date,
    identifiant_message: str,
    cree_le: datetime,
) -> bytes:
    """Le fichier pain.001.001.03 des `virements`, exécutables le `date_execution`, en octets.

    `identifiant_message` : 1 à 35 lettres, chiffres ou tirets, unique pour la banque.
    """
    if not virements:
        raise ValueError("aucun virement : pas de fichier SEPA à produire")
    if not _IDENTIFIANT.match(identifiant_message):
        raise ValueError(
            f"identifiant de message « {identifiant_message} » invalide : 1 à 35 lettres, "
            "chiffres ou tirets"
        )
    transfert = SepaTransfer(_configuration(donneur_ordre), schema=SCHEMA, clean=True)
    for virement in virements:
        paiement: dict[str, object] = {
            "name": virement.beneficiaire,
            "IBAN": lire_iban(virement.iban).compact,
            "amount": _centimes(virement),
            "execution_date": date_execution,
            "description": virement.libelle,
            "endtoend_id": virement.reference_virement,
        }
        if virement.bic:
            paiement["BIC"] = virement.bic
        transfert.add_payment(paiement)
    brut = transfert.export(validate=False)
    xml = _fixer_identifiants(brut, identifiant_message, cree_le)
    try_valid_xml(xml, SCHEMA)
    return xml
