"""Régime 2020 (contrats conclus avant le 2025-07-01).

Année complète = NPEC ; année incomplète = NPEC × mois commencés / 12. Chaque année : 40 % au
début, 30 % au 7e mois, le reste (30 %) au 10e mois ; une part dont l'ouverture tombe après la fin
d'une année incomplète rejoint le reste, qui s'ouvre alors le lendemain de la fin. Contrat de moins
d'un an : 50 % au début, le reste le lendemain de la fin. Ni participation ni minoration.
"""

from __future__ import annotations

from apicfa.financement.annees import AnneeExecution
from apicfa.financement.calendrier import UN_JOUR, ajouter_mois, mois_commences
from apicfa.financement.montants import diviser_arrondi
from apicfa.financement.tranches import Tranche


def montant_annee(npec_centimes: int, annee: AnneeExecution) -> int:
    """Le montant d'une année : le NPEC si elle est complète, sinon mois commencés / 12."""
    if annee.complete:
        return npec_centimes
    return diviser_arrondi(npec_centimes * mois_commences(annee.debut, annee.fin), 12)


def tranches_contrat_court(annee: AnneeExecution, montant: int) -> list[Tranche]:
    """Contrat de moins d'un an : 50 % au début, le reste le lendemain de la fin."""
    moitie = diviser_arrondi(montant, 2)
    return [
        Tranche(annee.debut, annee.numero, 0, annee.debut, annee.fin, moitie, "50 %"),
        Tranche(
            annee.fin + UN_JOUR,
            annee.numero,
            3,
            annee.debut,
            annee.fin,
            montant - moitie,
            "reste 50 %",
        ),
    ]


def tranches_annee(annee: AnneeExecution, montant: int) -> list[Tranche]:
    """Les parts 40/30/30 d'une année, fusionnées dans le reste quand l'année est courte."""
    debut, fin, numero = annee.debut, annee.fin, annee.numero
    premiere = diviser_arrondi(montant * 40, 100)
    septieme_mois = ajouter_mois(debut, 6)
    dixieme_mois = ajouter_mois(debut, 9)
    if septieme_mois > fin:
        return [
            Tranche(debut, numero, 0, debut, fin, premiere, "40 %"),
            Tranche(fin + UN_JOUR, numero, 3, debut, fin, montant - premiere, "reste 30 % + 30 %"),
        ]
    seconde = diviser_arrondi(montant * 30, 100)
    reste = montant - premiere - seconde
    tranches = [
        Tranche(debut, numero, 0, debut, septieme_mois - UN_JOUR, premiere, "40 %"),
    ]
    if dixieme_mois > fin:
        tranches.append(Tranche(septieme_mois, numero, 1, septieme_mois, fin, seconde, "30 %"))
        tranches.append(Tranche(fin + UN_JOUR, numero, 3, debut, fin, reste, "reste 30 %"))
    else:
        tranches.append(
            Tranche(
                septieme_mois, numero, 1, septieme_mois, dixieme_mois - UN_JOUR, seconde, "30 %"
            )
        )
        tranches.append(Tranche(dixieme_mois, numero, 2, dixieme_mois, fin, reste, "reste 30 %"))
    return tranches
