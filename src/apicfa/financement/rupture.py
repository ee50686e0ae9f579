"""Rupture d'un contrat : l'échéancier recoupé à la date de rupture (SPEC §6.4, 5 étapes).

Avec R le dernier jour d'exécution :
1. le nouvel engagement E' est calculé comme si le contrat finissait le R (jours en régime 2025,
   mois commencés en régime 2020 ; participation de 750 €, ou pendant la période d'essai 50 % du
   montant des jours exécutés, au plus 750 €) ; une rupture n'augmente jamais l'engagement ;
2. les échéances qui s'ouvrent après R sont annulées (sauf ce qui y est déjà réglé ou en cours
   d'instruction : elles sont ramenées à ce montant) ; celles ouvertes au plus tard le R restent ;
3. si elles totalisent moins que E', un solde de la différence s'ouvre le lendemain de R ;
4. si elles totalisent plus, elles sont réduites, la plus tardive d'abord, jamais sous ce qui est
   réglé ou en cours d'instruction ;
5. ce qui dépasse encore E' est le `trop_percu` : Σ échéances = E' + trop_percu.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apicfa.financement.calendrier import UN_JOUR, texte_date
from apicfa.financement.contrat import ContratFinance
from apicfa.financement.engagement import calculer_engagement
from apicfa.financement.explication import phrases_engagement
from apicfa.financement.frais_annexes import calculer_frais_annexes
from apicfa.financement.modeles import Echeance, Echeancier, Explication
from apicfa.financement.montants import en_centimes, en_euros, texte_euros


@dataclass(slots=True)
class _Gardee:
    """Une échéance gardée et ses montants en centimes pendant le recoupage."""

    echeance: Echeance
    total: int
    regle: int
    en_cours: int


def _verifier_date(contrat: ContratFinance, date_rupture: date) -> None:
    if date_rupture < contrat.date_debut:
        raise ValueError(
            f"dateRupture ({date_rupture.isoformat()}) est antérieure à "
            f"contrat.dateDebutContrat ({contrat.date_debut.isoformat()})"
        )
    if date_rupture > contrat.date_fin:
        raise ValueError(
            f"dateRupture ({date_rupture.isoformat()}) est postérieure à "
            f"contrat.dateFinContrat ({contrat.date_fin.isoformat()})"
        )


def _montant_lu(
    montants: Mapping[int, Decimal] | None, echeance: Echeance, defaut: Decimal, nom: str
) -> int:
    valeur = defaut if montants is None else montants.get(echeance.numero, defaut)
    centimes = en_centimes(valeur)
    if centimes < 0:
        raise ValueError(f"{nom} de {echeance.codification} : montant positif attendu")
    return centimes


def appliquer_rupture(
    echeancier: Echeancier,
    contrat: ContratFinance,
    date_rupture: date,
    *,
    dans_periode_essai: bool = False,
    montants_regles: Mapping[int, Decimal] | None = None,
    montants_en_cours: Mapping[int, Decimal] | None = None,
) -> Echeancier:
    """L'échéancier recoupé au `date_rupture` (dernier jour d'exécution, inclus).

    `montants_regles` / `montants_en_cours` : par numéro d'échéance, ce qui est déjà réglé ou en
    cours d'instruction (par défaut, ce que portent les échéances elles-mêmes).
    """
    _verifier_date(contrat, date_rupture)
    calcul = calculer_engagement(contrat, date_rupture, dans_periode_essai=dans_periode_essai)
    detail = [
        f"Rupture : dernier jour d'exécution le {texte_date(date_rupture)}.",
        *phrases_engagement(calcul, contrat),
    ]
    nouvel_engagement = calcul.engagement
    engagement_initial = en_centimes(echeancier.engagement)
    if nouvel_engagement > engagement_initial:
        detail.append(
            f"Le calcul à la rupture ({texte_euros(nouvel_engagement)}) dépasse l'engagement "
            f"initial : l'engagement reste {texte_euros(engagement_initial)} (une rupture ne "
            "l'augmente jamais)."
        )
        nouvel_engagement = engagement_initial

    # Étape 2 : on garde ce qui s'ouvre au plus tard le R (et ce qui est déjà payé au-delà).
    gardees: list[_Gardee] = []
    annulees: list[str] = []
    for echeance in echeancier.echeances:
        regle = _montant_lu(montants_regles, echeance, echeance.montant_regle, "montant réglé")
        en_cours = _montant_lu(
            montants_en_cours, echeance, echeance.montant_en_cours_instruction, "montant en cours"
        )
        total = en_centimes(echeance.montant_total)
        plancher = regle + en_cours
        if plancher > total:
            raise ValueError(
                f"{echeance.codification} : réglé + en cours d'instruction "
                f"({texte_euros(plancher)}) dépasse son montant ({texte_euros(total)})"
            )
        if echeance.date_ouverture > date_rupture:
            if not plancher:
                annulees.append(echeance.codification)
                continue
            detail.append(
                f"{echeance.codification} s'ouvrait après la rupture mais porte déjà "
                f"{texte_euros(plancher)} réglés ou en instruction : ramenée à ce montant."
            )
            total = plancher
        gardees.append(_Gardee(echeance, total, regle, en_cours))

    if annulees:
        detail.append(f"Annulées (ouverture après la rupture) : {', '.join(annulees)}.")
    somme = sum(ligne.total for ligne in gardees)
    nouvelles: list[Echeance] = []
    if somme > nouvel_engagement:
        # Étape 4 : réduire, la plus tardive d'abord, sans passer sous le réglé / en cours.
        exces = somme - nouvel_engagement
        ordre = sorted(
            gardees,
            key=lambda ligne: (
                ligne.echeance.date_ouverture,
                ligne.echeance.annee,
                ligne.echeance.numero,
            ),
        )
        for ligne in reversed(ordre):
            if not exces:
                break
            reduction = min(exces, ligne.total - ligne.regle - ligne.en_cours)
            if reduction:
                ligne.total -= reduction
                exces -= reduction
                detail.append(
                    f"{ligne.echeance.codification} réduite de {texte_euros(reduction)} à "
                    f"{texte_euros(ligne.total)}."
                )
    elif somme < nouvel_engagement:
        # Étape 3 : un solde de la différence, le lendemain de R.
        annee_rupture = calcul.annees[-1]
        numero = max((e.numero for e in echeancier.echeances), default=0) + 1
        difference = nouvel_engagement - somme
        nouvelles.append(
            Echeance(
                numero,
                f"E{numero}",
                en_euros(difference),
                en_euros(0),
                en_euros(0),
                date_rupture + UN_JOUR,
                annee_rupture.debut,
                date_rupture,
                annee_rupture.numero,
                True,
            )
        )
        detail.append(
            f"E{numero} : solde de rupture de {texte_euros(difference)}, ouvert le "
            f"{texte_date(date_rupture + UN_JOUR)} (payable sur un certificat de réalisation final)."
        )

    echeances = [
        ligne.echeance._replace(
            montant_total=en_euros(ligne.total),
            montant_regle=en_euros(ligne.regle),
            montant_en_cours_instruction=en_euros(ligne.en_cours),
            date_fin=min(ligne.echeance.date_fin, date_rupture)
            if ligne.echeance.date_debut <= date_rupture
            else ligne.echeance.date_fin,
            solde=ligne.echeance.date_ouverture > date_rupture,
        )
        for ligne in gardees
    ]
    echeances.extend(nouvelles)
    trop_percu = sum(en_centimes(e.montant_total) for e in echeances) - nouvel_engagement
    detail.append(f"Engagement après rupture : {texte_euros(nouvel_engagement)}.")
    if trop_percu:
        detail.append(f"Trop-perçu à récupérer : {texte_euros(trop_percu)}.")
    frais = echeancier.engagements_frais_annexe
    if contrat.couts is not None:
        frais, detail_frais = calculer_frais_annexes(
            contrat.couts,
            nombre_annees=len(calcul.plan.annees),
            forfait_mobilite=contrat.forfait_mobilite,
        )
        detail.extend(detail_frais)
    return Echeancier(
        regime=calcul.regime,
        npec=en_euros(calcul.npec),
        engagement=en_euros(nouvel_engagement),
        echeances=tuple(echeances),
        participation_employeur=en_euros(calcul.participation),
        engagements_frais_annexe=frais,
        trop_percu=en_euros(trop_percu),
        explication=Explication.fixe(detail),
    )
