"""Réponses enregistrées dans les variantes qu'envoient les OPCO réels.

Formes rencontrées : objet nu ou enveloppé dans un tableau à un élément, dates simples
ou avec décalage (`+02:00`, `+0000`, `Z`), état rompu écrit `RUPTU`.
"""

from __future__ import annotations

from typing import Any

DEPOT_OBJET: dict[str, Any] = {
    "numeroInterne": "9f2c1e",
    "numeroExterne": "ATL-2025-000123",
    "etat": "TRANSMIS",
}
DEPOT_ENVELOPPE: list[dict[str, Any]] = [dict(DEPOT_OBJET)]

ERREUR_400: dict[str, Any] = {
    "errors": [
        {
            "code": "EMPLOYEUR_SIRET_CLE",
            "description": "Le SIRET de l'employeur est invalide : la clé ne correspond pas.",
            "champ": "cerfa.employeur.siret",
        },
        {
            "code": "APPRENTI_NIR_SEXE",
            "description": "Le NIR ne correspond pas au sexe de l'apprenti.",
            "champ": "cerfa.apprenti.nir",
        },
    ]
}

DOSSIER_DATES_DECALEES: dict[str, Any] = {
    "cerfa": {
        "numeroInterne": "9f2c1e",
        "numeroExterne": "ATL-2025-000123",
        "numeroDeca": "075202509000123",
        "etat": "ENGAGE",
        "commentaireEtat": None,
    },
    "engagement": 15250.0,
    "echeances": [
        {
            "numero": 2,
            "codification": "E2",
            "montantTotal": 2400,
            "montantRegle": 0,
            "montantEnCoursInstruction": 0,
            "dateOuverture": "2026-03-01T00:00:00+02:00",
            "dateDebut": "2026-03-01T00:00:00+0000",
            "dateFin": "2026-05-31T00:00:00Z",
        },
        {
            "numero": 1,
            "codification": "E1",
            "montantTotal": 2450.1,
            "montantRegle": 1000.05,
            "montantEnCoursInstruction": 0.05,
            "dateOuverture": "2025-09-01T00:00:00+02:00",
            "dateDebut": "2025-09-01",
            "dateFin": "2026-02-28",
        },
    ],
    "engagementsFraisAnnexe": [],
    "detailsFacturation": {},
}

DOSSIER_RUPTU_ENVELOPPE: list[dict[str, Any]] = [
    {
        "cerfa": {"numeroInterne": "ab12", "numeroExterne": "OPC-2025-7", "etat": "RUPTU"},
        "engagement": 3501.37,
        "echeances": [],
        "tropPercu": 98.63,
    }
]


def page_etats(page: int, total: int, numeros: list[str], *, enveloppe: bool = False) -> Any:
    corps = {
        "total": total,
        "count": len(numeros),
        "page": page,
        "EtatDossierResult": [
            {
                "numeroInterne": n,
                "numeroExterne": f"EXT-{n}",
                "numeroDeca": None,
                "etat": "RUPTU" if n.endswith("7") else "TRANSMIS",
                "commentaireEtat": None,
                "dateModification": "2025-09-01T23:30:00+02:00",
            }
            for n in numeros
        ],
    }
    return [corps] if enveloppe else corps


PAGE_FACTURES: dict[str, Any] = {
    "total": 1,
    "count": 1,
    "page": 1,
    "factures": [
        {
            "numeroInterneFacture": "F1",
            "referenceFactureCFA": "CFA-2025-0001",
            "montantFacture": 2450.0,
            "etatFacture": "REGLE",
            "referenceVirement": "VIR-1",
            "dateReglement": "2025-10-01T00:00:00+02:00",
            "commentaire": None,
            "organismeFormation": {"siret": "13002526500013", "IBAN": "FR76..."},
            "dossiers": [{"numeroInterneDossier": "9f2c1e", "montant": 2450.0}],
        }
    ],
}
