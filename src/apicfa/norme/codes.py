"""Listes de codes de la norme (SPEC §1, §4, §5)."""

from __future__ import annotations

# SPEC §1 : les 11 OPCO et leurs codes apicfa, avec le nom affiché.
OPCOS: dict[str, str] = {
    "afdas": "AFDAS",
    "akto": "AKTO",
    "atlas": "ATLAS",
    "constructys": "Constructys",
    "opcommerce": "L'Opcommerce",
    "ocapiat": "OCAPIAT",
    "opco2i": "OPCO 2i",
    "opcoep": "OPCO EP",
    "mobilites": "OPCO Mobilités",
    "sante": "OPCO Santé",
    "uniformation": "Uniformation",
}

VERSIONS_CERFA: frozenset[str] = frozenset({"10103*14", "10103*10"})

# §4.1
TYPES_EMPLOYEUR: frozenset[int] = frozenset({11, 12, 13, 14, 15, 16, *range(21, 30)})
TYPES_EMPLOYEUR_PUBLIC: frozenset[int] = frozenset(range(21, 30))
EMPLOYEURS_SPECIFIQUES: frozenset[int] = frozenset({0, 1, 2, 3, 4})
IDCC_SANS_CONVENTION = "9999"
IDCC_EN_NEGOCIATION = "9998"

# §4.2
SEXES: frozenset[str] = frozenset({"M", "F"})
NATIONALITES: frozenset[int] = frozenset({1, 2, 3})
REGIMES_SOCIAUX: frozenset[int] = frozenset({1, 2})
SITUATIONS_AVANT_CONTRAT: frozenset[int] = frozenset(range(1, 13))
DIPLOMES: frozenset[int] = frozenset(
    {13, 25, 26, 33, 34, 35, 38, 41, 42, 43, 49, 54, 55, 58, 61, 62, 63, 69, 71, 72, 73, 74, 79, 80}
)
DERNIERES_CLASSES: frozenset[str] = frozenset(
    {"01", "11", "12", "21", "22", "31", "32", "40", "41", "42"}
)

# §4.3
NIVEAUX_DIPLOME_MAITRE: frozenset[int] = frozenset({0, 3, 4, 5, 6, 7, 8})

# §4.4
MODES_CONTRACTUELS: frozenset[int] = frozenset({1, 2, 3, 4})
TYPE_CONTRAT_INITIAL = 11
TYPES_CONTRAT_SUCCESSION: frozenset[int] = frozenset({21, 22, 23})
TYPES_CONTRAT_AVENANT: frozenset[int] = frozenset(range(31, 39))
TYPES_AVENANT_AVEC_DATE_EFFET: frozenset[int] = frozenset(range(31, 38))
TYPES_CONTRAT: frozenset[int] = frozenset(
    {TYPE_CONTRAT_INITIAL} | TYPES_CONTRAT_SUCCESSION | TYPES_CONTRAT_AVENANT
)
TYPES_CONTRAT_AVEC_PRECEDENT: frozenset[int] = TYPES_CONTRAT_SUCCESSION | TYPES_CONTRAT_AVENANT
DEROGATION_MOINS_DE_16 = 11
DEROGATION_PLUS_DE_29 = 12
DEROGATION_DUREE_REDUITE = 21
DEROGATION_DUREE_ALLONGEE = 22
DEROGATION_PLUSIEURS = 50
DEROGATION_AUTRE = 60
TYPES_DEROGATION: frozenset[int] = frozenset({11, 12, 21, 22, 50, 60})
TYPES_SALAIRE: frozenset[str] = frozenset({"SMIC", "SMC"})
ORDRES_REMUNERATION: tuple[str, ...] = (
    "1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2",
)  # fmt: skip

# Taux minimaux de rémunération (% du SMIC) : année d'exécution → tranches d'âge
# (moins de 18, 18–20, 21–25, 26 et plus). Au-delà de la 3e année, la 3e s'applique.
TAUX_MINIMAUX: dict[int, tuple[int, int, int, int]] = {
    1: (27, 43, 53, 100),
    2: (39, 51, 61, 100),
    3: (55, 67, 78, 100),
}

# §5.1
NATURES_LIGNE_FACTURE: frozenset[str] = frozenset(
    {"PEDAGOGIE", "PREMIEREQUIPEMENT", "RESTAURATION", "HEBERGEMENT", "MOBILITE", "MAJORATION_RQTH"}
)
# §5.4
TYPES_CERTIFICAT: frozenset[str] = frozenset({"Intermediaire", "Final"})
# §5.5
TYPES_FICHIER: frozenset[str] = frozenset({"cerfa", "convention", "facture", "certificat", "autre"})
TYPES_OBJET: frozenset[str] = frozenset({"dossier", "facture"})
# §5.6
INITIATIVES_RUPTURE: frozenset[str] = frozenset({"EMPLOYEUR", "APPRENTI", "COMMUN", "JUDICIAIRE"})
