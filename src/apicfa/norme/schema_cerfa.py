"""Les champs du `cerfa` (SPEC §4) : nature, caractère obligatoire, libellé français."""

from __future__ import annotations

from decimal import Decimal

from apicfa.norme import codes
from apicfa.norme import natures as n
from apicfa.norme.schema import Bloc, Champ


def _adresse(prefixe: str, de_qui: str, *, requis: bool) -> Bloc:
    return Bloc(
        "adresse",
        f"{prefixe}_ADRESSE",
        f"L'adresse {de_qui}",
        [
            Champ("adresse1", f"La ligne d'adresse {de_qui}", n.texte(200)),
            Champ("adresse2", f"Le complément d'adresse {de_qui}", n.texte(200)),
            Champ("codePostal", f"Le code postal {de_qui}", n.CODE_POSTAL, requis=requis),
            Champ("commune", f"La commune {de_qui}", n.texte(100), requis=requis),
        ],
        requis=requis,
    )


EMPLOYEUR = Bloc(
    "employeur",
    "EMPLOYEUR",
    "Le bloc employeur",
    [
        Champ("denomination", "La dénomination de l'employeur", n.texte(200), requis=True),
        Champ("siret", "Le SIRET de l'employeur", n.SIRET, requis=True),
        Champ("naf", "Le code NAF de l'employeur", n.NAF, requis=True),
        Champ("nombreDeSalaries", "Le nombre de salariés de l'employeur", n.entier(0), requis=True),
        Champ("codeIdcc", "Le code IDCC de l'employeur", n.IDCC, requis=True),
        Champ("libelleIdcc", "Le libellé de la convention collective", n.texte(500)),
        Champ("telephone", "Le téléphone de l'employeur", n.TELEPHONE),
        Champ("courriel", "Le courriel de l'employeur", n.COURRIEL),
        Champ(
            "typeEmployeur",
            "Le type d'employeur",
            n.code_entier(codes.TYPES_EMPLOYEUR),
            requis=True,
        ),
        Champ(
            "employeurSpecifique",
            "Le code d'employeur spécifique",
            n.code_entier(codes.EMPLOYEURS_SPECIFIQUES),
        ),
        Champ("caisseComplementaire", "La caisse de retraite complémentaire", n.texte(200)),
        Champ("regimeSpecifique", "Le régime spécifique de l'employeur", n.BOOLEEN),
        Champ("attestationEligibilite", "L'attestation d'éligibilité", n.BOOLEEN),
        Champ("attestationPieces", "L'attestation de détention des pièces", n.BOOLEEN),
        Champ("nom", "Le nom du représentant de l'employeur", n.NOM),
        Champ("prenom", "Le prénom du représentant de l'employeur", n.NOM),
    ],
    requis=True,
    sous_blocs=[_adresse("EMPLOYEUR", "de l'employeur", requis=True)],
)

RESPONSABLE_LEGAL = Bloc(
    "responsableLegal",
    "RESPONSABLE_LEGAL",
    "Le bloc du représentant légal de l'apprenti",
    [
        Champ("nom", "Le nom du représentant légal", n.NOM, requis=True),
        Champ("prenom", "Le prénom du représentant légal", n.NOM, requis=True),
        Champ("courriel", "Le courriel du représentant légal", n.COURRIEL),
    ],
    sous_blocs=[_adresse("RESPONSABLE_LEGAL", "du représentant légal", requis=False)],
)

APPRENTI = Bloc(
    "apprenti",
    "APPRENTI",
    "Le bloc apprenti",
    [
        Champ("nom", "Le nom de naissance de l'apprenti", n.NOM, requis=True),
        Champ("nomUsage", "Le nom d'usage de l'apprenti", n.NOM),
        Champ("prenom", "Le prénom de l'apprenti", n.NOM, requis=True),
        Champ("sexe", "Le sexe de l'apprenti", n.code_texte(codes.SEXES), requis=True),
        Champ("dateNaissance", "La date de naissance de l'apprenti", n.DATE, requis=True),
        Champ("departementNaissance", "Le département de naissance de l'apprenti", n.DEPARTEMENT),
        Champ("communeNaissance", "La commune de naissance de l'apprenti", n.texte(100)),
        Champ("nir", "Le NIR (numéro de sécurité sociale) de l'apprenti", n.NIR),
        Champ(
            "nationalite",
            "La nationalité de l'apprenti",
            n.code_entier(codes.NATIONALITES),
            requis=True,
        ),
        Champ(
            "regimeSocial",
            "Le régime social de l'apprenti",
            n.code_entier(codes.REGIMES_SOCIAUX),
            requis=True,
        ),
        Champ("handicap", "La reconnaissance de handicap (RQTH) de l'apprenti", n.BOOLEEN),
        Champ(
            "inscriptionSportifDeHautNiveau",
            "L'inscription comme sportif de haut niveau",
            n.BOOLEEN,
        ),
        Champ(
            "projetCreationRepriseEntreprise",
            "Le projet de création ou de reprise d'entreprise",
            n.BOOLEEN,
        ),
        Champ(
            "situationAvantContrat",
            "La situation de l'apprenti avant le contrat",
            n.code_entier(codes.SITUATIONS_AVANT_CONTRAT),
        ),
        Champ(
            "diplome",
            "Le diplôme le plus élevé obtenu par l'apprenti",
            n.code_entier(codes.DIPLOMES),
        ),
        Champ("diplomePrepare", "Le diplôme préparé par l'apprenti", n.code_entier(codes.DIPLOMES)),
        Champ(
            "derniereClasse",
            "La dernière classe suivie par l'apprenti",
            n.code_texte(codes.DERNIERES_CLASSES, largeur=2),
        ),
        Champ("intituleDiplomePrepare", "L'intitulé du diplôme préparé", n.texte(500)),
        Champ("telephone", "Le téléphone de l'apprenti", n.TELEPHONE),
        Champ("courriel", "Le courriel de l'apprenti", n.COURRIEL),
    ],
    requis=True,
    sous_blocs=[_adresse("APPRENTI", "de l'apprenti", requis=False), RESPONSABLE_LEGAL],
)


def _maitre(numero: int, *, requis: bool) -> Bloc:
    du = "du premier maître d'apprentissage" if numero == 1 else "du second maître d'apprentissage"
    return Bloc(
        f"maitre{numero}",
        f"MAITRE{numero}",
        f"Le bloc {du}",
        [
            Champ("nom", f"Le nom {du}", n.NOM, requis=True),
            Champ("prenom", f"Le prénom {du}", n.NOM, requis=True),
            Champ("dateNaissance", f"La date de naissance {du}", n.DATE, requis=True),
            Champ("courriel", f"Le courriel {du}", n.COURRIEL),
            Champ("emploiOccupe", f"L'emploi occupé {du}", n.texte(200)),
            Champ("intituleDiplomeObtenu", f"L'intitulé du diplôme {du}", n.texte(500)),
            Champ(
                "niveauDiplomeObtenu",
                f"Le niveau de diplôme {du}",
                n.code_entier(codes.NIVEAUX_DIPLOME_MAITRE),
            ),
            Champ("nir", f"Le NIR {du}", n.NIR),
        ],
        requis=requis,
    )


MAITRE1 = _maitre(1, requis=True)
MAITRE2 = _maitre(2, requis=False)

REMUNERATIONS = Bloc(
    "remunerationsAnnuelles",
    "REMUNERATION",
    "La liste des rémunérations annuelles du contrat",
    [
        Champ(
            "ordre",
            "Le numéro de période de rémunération",
            n.code_texte(frozenset(codes.ORDRES_REMUNERATION)),
            requis=True,
        ),
        Champ("dateDebut", "La date de début de la période de rémunération", n.DATE, requis=True),
        Champ("dateFin", "La date de fin de la période de rémunération", n.DATE, requis=True),
        Champ("taux", "Le taux de rémunération (% du SMIC)", n.nombre(Decimal(0), 2), requis=True),
        Champ(
            "typeSalaire",
            "Le type de salaire de référence",
            n.code_texte(codes.TYPES_SALAIRE),
            requis=True,
        ),
    ],
    requis=True,
    liste=True,
)

CONTRAT = Bloc(
    "contrat",
    "CONTRAT",
    "Le bloc contrat",
    [
        Champ(
            "modeContractuel",
            "Le mode contractuel",
            n.code_entier(codes.MODES_CONTRACTUELS),
            requis=True,
        ),
        Champ(
            "typeContratApp",
            "Le type de contrat ou d'avenant",
            n.code_entier(codes.TYPES_CONTRAT),
            requis=True,
        ),
        Champ("numeroContratPrecedent", "Le numéro DECA du contrat précédent", n.DECA),
        Champ("noContrat", "Le numéro DECA du contrat", n.DECA),
        Champ("noAvenant", "Le numéro DECA de l'avenant", n.DECA),
        Champ("dateConclusion", "La date de conclusion du contrat", n.DATE, requis=True),
        Champ("dateDebutContrat", "La date de début d'exécution du contrat", n.DATE, requis=True),
        Champ(
            "dateFormationPratiqueEmployeur",
            "La date de début de la formation pratique chez l'employeur",
            n.DATE,
        ),
        Champ("dateFinContrat", "La date de fin du contrat", n.DATE, requis=True),
        Champ("dateEffetAvenant", "La date d'effet de l'avenant", n.DATE),
        Champ("dateRupture", "La date de rupture du contrat", n.DATE),
        Champ("lieuSignatureContrat", "Le lieu de signature du contrat", n.texte(200)),
        Champ("typeDerogation", "Le type de dérogation", n.code_entier(codes.TYPES_DEROGATION)),
        Champ(
            "dureeTravailHebdoHeures",
            "La durée hebdomadaire de travail (heures)",
            n.entier(0, 99),
            requis=True,
        ),
        Champ(
            "dureeTravailHebdoMinutes",
            "Le nombre de minutes de la durée hebdomadaire de travail",
            n.entier(0, 59),
        ),
        Champ("travailRisque", "L'indication de travail sur machines dangereuses", n.BOOLEEN),
        Champ(
            "salaireEmbauche",
            "Le salaire brut mensuel à l'embauche",
            n.nombre(Decimal(0), 2),
            requis=True,
        ),
        Champ("avantageNourriture", "L'avantage en nature nourriture", n.nombre(Decimal(0), 2)),
        Champ("avantageLogement", "L'avantage en nature logement", n.nombre(Decimal(0), 2)),
        Champ("autreAvantageEnNature", "L'indication d'un autre avantage en nature", n.BOOLEEN),
    ],
    requis=True,
    sous_blocs=[REMUNERATIONS],
)

FORMATION = Bloc(
    "formation",
    "FORMATION",
    "Le bloc formation",
    [
        Champ("rncp", "Le code RNCP de la certification", n.RNCP, requis=True),
        Champ("codeDiplome", "Le code diplôme (CFD) de la formation", n.CFD),
        Champ("typeDiplome", "Le type de diplôme préparé", n.code_entier(codes.DIPLOMES)),
        Champ("intituleQualification", "L'intitulé de la qualification", n.texte(500)),
        Champ("dateDebutFormation", "La date de début de la formation", n.DATE, requis=True),
        Champ("dateFinFormation", "La date de fin de la formation", n.DATE, requis=True),
        Champ(
            "dureeFormation", "La durée de la formation (heures)", n.entier(1, 9999), requis=True
        ),
        Champ(
            "nombreHeuresEnDistanciel", "Le nombre d'heures de formation à distance", n.entier(0)
        ),
    ],
    requis=True,
)


def _organisme(cle: str, prefixe: str, libelle: str, *, requis: bool) -> Bloc:
    return Bloc(
        cle,
        prefixe,
        f"Le bloc {libelle}",
        [
            Champ("denomination", f"La dénomination {libelle}", n.texte(200), requis=requis),
            Champ("formationInterne", "L'indication de CFA d'entreprise", n.BOOLEEN),
            Champ("siret", f"Le SIRET {libelle}", n.SIRET, requis=requis),
            Champ("uaiCfa", f"Le numéro UAI {libelle}", n.UAI, requis=requis),
            Champ("visaCfa", "Le visa du CFA", n.BOOLEEN),
            Champ(
                "lieuFormationIdentique",
                "L'indication d'un lieu de formation identique au CFA",
                n.BOOLEEN,
            ),
        ],
        requis=requis,
        sous_blocs=[_adresse(prefixe, libelle, requis=False)],
    )


ORGANISME = _organisme(
    "organismeFormation", "ORGANISME_FORMATION", "de l'organisme de formation (CFA)", requis=True
)
LIEU_PRINCIPAL = _organisme(
    "organismeFormationLieuFormationPrincipal",
    "LIEU_FORMATION",
    "du lieu principal de formation",
    requis=False,
)

CERFA = Bloc(
    "",
    "CERFA",
    "Le cerfa",
    [
        Champ(
            "versionCERFA",
            "La version du CERFA",
            n.code_texte(codes.VERSIONS_CERFA),
        ),
        Champ(
            "CERFASignatureProbante",
            "L'indication de signature probante",
            n.BOOLEEN,
            alias="CERFAsignatureProbante",
            code="SIGNATURE_PROBANTE",
        ),
        Champ("etat", "L'état du dossier", n.texte(40)),
        Champ("commentaireEtat", "Le commentaire d'état", n.texte(2000)),
    ],
    requis=True,
    sous_blocs=[
        EMPLOYEUR,
        APPRENTI,
        MAITRE1,
        MAITRE2,
        CONTRAT,
        FORMATION,
        ORGANISME,
        LIEU_PRINCIPAL,
    ],
)

REGLES_CHAMPS = CERFA.compiler("cerfa", "")
