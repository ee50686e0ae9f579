"""Les champs des autres objets de la norme (SPEC §5) : facture, convention, certificat,
document, rupture. Chaque objet a son préfixe de code (`FACTURE_…`, `CONVENTION_…`)."""

from __future__ import annotations

from decimal import Decimal

from apicfa.norme import codes
from apicfa.norme import natures as n
from apicfa.norme.regle import Regle
from apicfa.norme.schema import Bloc, Champ

_MONTANT = n.nombre(Decimal(0), 2)

FACTURE = Bloc(
    "",
    "FACTURE",
    "La facture",
    [
        Champ("numero", "Le numéro de facture du CFA", n.IDENTIFIANT, requis=True),
        Champ("dateEmission", "La date d'émission de la facture", n.DATE, requis=True),
        Champ("montantTotal", "Le montant total de la facture", _MONTANT, requis=True),
        Champ("ibanEmetteur", "L'IBAN du CFA émetteur", n.IBAN, requis=True),
        Champ("siretEmetteur", "Le SIRET du CFA émetteur", n.SIRET, requis=True),
        Champ(
            "estCertificatRealisation",
            "L'indication d'un certificat de réalisation joint",
            n.BOOLEEN,
        ),
    ],
    requis=True,
    sous_blocs=[
        Bloc(
            "lignes",
            "FACTURE_LIGNE",
            "La liste des lignes de la facture",
            [
                Champ("montant", "Le montant de la ligne", _MONTANT, requis=True),
                Champ(
                    "natureLigne",
                    "La nature de la ligne",
                    n.code_texte(codes.NATURES_LIGNE_FACTURE),
                    requis=True,
                ),
                Champ("quantite", "La quantité de la ligne", n.nombre(Decimal(0), 2)),
                Champ("numeroEcheance", "Le numéro d'échéance facturée", n.entier(1)),
                Champ("codificationEcheance", "La codification de l'échéance", n.texte(20)),
                Champ("numeroDeca", "Le numéro DECA du contrat facturé", n.DECA),
                Champ(
                    "numeroDossier",
                    "Le numéro de dossier de l'OPCO (numeroExterne)",
                    n.IDENTIFIANT,
                    requis=True,
                ),
            ],
            requis=True,
            liste=True,
        )
    ],
)


def _siret_seul(cle: str, prefixe: str, de_qui: str) -> Bloc:
    return Bloc(
        cle,
        prefixe,
        f"Le bloc {de_qui}",
        [Champ("siret", f"Le SIRET {de_qui}", n.SIRET, requis=True)],
        requis=True,
    )


def _apprenti(prefixe: str) -> Bloc:
    return Bloc(
        "apprenti",
        f"{prefixe}_APPRENTI",
        "Le bloc apprenti",
        [
            Champ("nom", "Le nom de l'apprenti", n.NOM, requis=True),
            Champ("prenom", "Le prénom de l'apprenti", n.NOM, requis=True),
            Champ("nomUsage", "Le nom d'usage de l'apprenti", n.NOM),
        ],
        requis=True,
    )


CONVENTION = Bloc(
    "",
    "CONVENTION",
    "La convention",
    [
        Champ("numeroInterneDossier", "Le numéro interne du dossier", n.IDENTIFIANT, requis=True),
        Champ("mandatEmployeur", "L'indication du mandat de l'employeur", n.BOOLEEN),
        Champ("dateSignature", "La date de signature de la convention", n.DATE, requis=True),
        Champ(
            "attestationConventionSigneeEntreprise",
            "L'attestation de signature par l'entreprise",
            n.BOOLEEN,
        ),
        Champ("attestationConventionSigneeCFA", "L'attestation de signature par le CFA", n.BOOLEEN),
        Champ(
            "attestationConventionSignatureProbante",
            "L'attestation de signature probante",
            n.BOOLEEN,
        ),
        Champ(
            "attestationConventionConformeJSON",
            "L'attestation de conformité au JSON",
            n.BOOLEEN,
        ),
    ],
    requis=True,
    sous_blocs=[
        _siret_seul("employeur", "CONVENTION_EMPLOYEUR", "de l'employeur"),
        _apprenti("CONVENTION"),
        Bloc(
            "contrat",
            "CONVENTION_CONTRAT",
            "Le bloc contrat",
            [
                Champ("dateDebutContrat", "La date de début du contrat", n.DATE, requis=True),
                Champ("dateFinContrat", "La date de fin du contrat", n.DATE, requis=True),
            ],
            requis=True,
        ),
        Bloc(
            "organismeFormation",
            "CONVENTION_ORGANISME",
            "Le bloc de l'organisme de formation",
            [
                Champ("siret", "Le SIRET de l'organisme de formation", n.SIRET, requis=True),
                Champ("uaiCfa", "Le numéro UAI du CFA", n.UAI, requis=True),
            ],
            requis=True,
        ),
        Bloc(
            "formation",
            "CONVENTION_FORMATION",
            "Le bloc formation",
            [
                Champ(
                    "dateDebutFormation", "La date de début de la formation", n.DATE, requis=True
                ),
                Champ("dateFinFormation", "La date de fin de la formation", n.DATE, requis=True),
                Champ("dureeFormation", "La durée de la formation (heures)", n.entier(1, 9999)),
                Champ("rncp", "Le code RNCP de la certification", n.RNCP, requis=True),
                Champ("intituleQualification", "L'intitulé de la qualification", n.texte(500)),
            ],
            requis=True,
        ),
        Bloc(
            "couts",
            "CONVENTION_COUTS",
            "Le bloc des coûts",
            [
                Champ(
                    "coutTotalPedagogieCFA",
                    "Le coût pédagogique total du CFA",
                    _MONTANT,
                    requis=True,
                ),
                *(
                    Champ(f"montantRQTHAnnee{k}", f"La majoration RQTH de l'année {k}", _MONTANT)
                    for k in range(1, 5)
                ),
                Champ("nombreRepasTotaux", "Le nombre total de repas", n.entier(0)),
                Champ("nombreHebergementTotaux", "Le nombre total de nuitées", n.entier(0)),
                Champ("montantPremierEquipement", "Le montant du premier équipement", _MONTANT),
                Champ(
                    "mentionMobiliteInternationale",
                    "La mention de mobilité internationale",
                    n.BOOLEEN,
                ),
                Champ("accompagnementDROM", "L'accompagnement outre-mer (DROM)", n.BOOLEEN),
            ],
            requis=True,
        ),
    ],
)

CERTIFICAT = Bloc(
    "",
    "CERTIFICAT",
    "Le certificat de réalisation",
    [
        Champ(
            "typeCertificat",
            "Le type de certificat",
            n.code_texte(codes.TYPES_CERTIFICAT),
            requis=True,
        ),
        Champ("numeroInterneDossier", "Le numéro interne du dossier", n.IDENTIFIANT, requis=True),
        Champ("numeroInterneFacture", "Le numéro interne de la facture", n.IDENTIFIANT),
        Champ("dateSignature", "La date de signature du certificat", n.DATE, requis=True),
        Champ("lieuSignatureContrat", "Le lieu de signature", n.texte(200)),
        Champ(
            "attestationConservationPieces",
            "L'attestation de conservation des pièces",
            n.BOOLEEN,
        ),
        Champ("natureAction", "La nature de l'action", n.texte(200)),
    ],
    requis=True,
    sous_blocs=[
        Bloc(
            "representantLegal",
            "CERTIFICAT_REPRESENTANT",
            "Le bloc du représentant légal du CFA",
            [
                Champ("nom", "Le nom du représentant légal du CFA", n.NOM, requis=True),
                Champ("prenom", "Le prénom du représentant légal du CFA", n.NOM, requis=True),
                Champ("qualite", "La qualité du représentant légal du CFA", n.texte(200)),
            ],
        ),
        _siret_seul("employeur", "CERTIFICAT_EMPLOYEUR", "de l'employeur"),
        _apprenti("CERTIFICAT"),
        _siret_seul("organismeFormation", "CERTIFICAT_ORGANISME", "de l'organisme de formation"),
        Bloc(
            "echeance",
            "CERTIFICAT_ECHEANCE",
            "Le bloc de l'échéance certifiée",
            [
                Champ("numero", "Le numéro de l'échéance", n.entier(1), requis=True),
                Champ("codification", "La codification de l'échéance", n.texte(20)),
                Champ("duree", "La durée réalisée (heures)", n.entier(0)),
                Champ("dateDebut", "La date de début de l'échéance", n.DATE, requis=True),
                Champ("dateFin", "La date de fin de l'échéance", n.DATE, requis=True),
                Champ("echeancePartielle", "L'indication d'échéance partielle", n.BOOLEEN),
            ],
            requis=True,
        ),
    ],
)

DOCUMENT = Bloc(
    "",
    "DOCUMENT",
    "Le document",
    [
        Champ(
            "typeFichier",
            "Le type de fichier",
            n.code_texte(codes.TYPES_FICHIER),
            requis=True,
        )
    ],
    requis=True,
    sous_blocs=[
        Bloc(
            "objets",
            "DOCUMENT_OBJET",
            "La liste des objets rattachés au document",
            [
                Champ(
                    "typeObjet",
                    "Le type d'objet rattaché",
                    n.code_texte(codes.TYPES_OBJET),
                    requis=True,
                ),
                Champ("idObjet", "L'identifiant de l'objet rattaché", n.IDENTIFIANT, requis=True),
            ],
            requis=True,
            liste=True,
        )
    ],
)

RUPTURE = Bloc(
    "",
    "RUPTURE",
    "La rupture",
    [
        Champ("numeroInterne", "Le numéro interne du dossier", n.IDENTIFIANT, requis=True),
        Champ("dateRupture", "La date de rupture (dernier jour d'exécution)", n.DATE, requis=True),
        Champ(
            "initiative",
            "L'initiative de la rupture",
            n.code_texte(codes.INITIATIVES_RUPTURE),
            requis=True,
        ),
        Champ("motif", "Le motif de la rupture", n.texte(2000)),
        Champ("dansPeriodeEssai", "L'indication de rupture en période d'essai", n.BOOLEEN),
    ],
    requis=True,
)

OBJETS: dict[str, Bloc] = {
    "facture": FACTURE,
    "convention": CONVENTION,
    "certificat": CERTIFICAT,
    "document": DOCUMENT,
    "rupture": RUPTURE,
}
REGLES_SCHEMA: dict[str, list[Regle]] = {
    nom: bloc.compiler(nom, "") for nom, bloc in OBJETS.items()
}
