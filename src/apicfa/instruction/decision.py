"""Instruction automatique d'un dossier déposé (SPEC §6.1, §6.3).

`instruire` ne lit rien et ne date rien : le cerfa, les constats du validateur de la norme,
la NPEC déjà résolue et la date de dépôt lui sont donnés. Il rend une `Decision` :

- `REFUSE` quand un constat de niveau `bloquant` ou `instruction` existe (âge, certification,
  grille de salaire…) : tous les motifs, en français, dans un seul `commentaireEtat` ;
- `EN_COURS_INSTRUCTION` quand l'OPCO décide à la main (profil), quand aucune NPEC n'est
  connue, ou quand seule la valeur d'amorçage existe et que le profil ne l'admet pas ;
- `ENGAGE` sinon, avec la NPEC à engager et, si une séquence est fournie, le numéro DECA.

Le dépôt au-delà de 5 jours ouvrés après le début d'exécution est un avertissement, pas un
motif de refus. La date limite de décision (20 jours après le dossier complet) est exposée.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from apicfa.financement.npec import ORIGINE_AMORCAGE, ResolutionNpec
from apicfa.instruction.deca import departement_deca, numero_deca
from apicfa.instruction.delais import date_limite_decision, date_limite_depot
from apicfa.instruction.lecture import contenu_cerfa, departement_employeur, lire_date_champ
from apicfa.instruction.profil import ParametresInstruction
from apicfa.norme.etats import EtatDossier

if TYPE_CHECKING:
    from apicfa.norme.constats import Constat

NIVEAUX_REFUS = frozenset({"bloquant", "instruction"})
SEPARATEUR_MOTIFS = " ; "


@dataclass(frozen=True, slots=True)
class Decision:
    """Issue de l'instruction d'un dossier."""

    etat: EtatDossier
    #: Texte de `commentaireEtat` : motifs du refus, raison de l'attente, ou avertissements.
    commentaire_etat: str | None
    #: Motifs de refus relevés (aussi listés quand l'OPCO instruit à la main, pour l'agent).
    motifs: tuple[str, ...]
    #: Pourquoi le dossier reste en instruction (vide sinon).
    raisons_attente: tuple[str, ...]
    avertissements: tuple[str, ...]
    date_limite_depot: date | None
    depot_tardif: bool
    date_limite_decision: date
    #: NPEC retenue pour l'engagement (None si le dossier n'est pas engagé).
    npec: ResolutionNpec | None
    numero_deca: str | None

    @property
    def engage(self) -> bool:
        return self.etat is EtatDossier.ENGAGE


def _texte_constat(constat: Constat) -> str:
    message = constat.message.strip().rstrip(".")
    return f"{message} ({constat.champ})" if constat.champ else message


def _jjmmaaaa(jour: date) -> str:
    """`jour` écrit JJ/MM/AAAA, comme `f"{jour:%d/%m/%Y}"` (sans passer par strftime)."""
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year}"


def _avertissement_depot(limite: date, depot: date, jours_ouvres: int) -> str:
    return (
        f"Dépôt tardif : contrat déposé le {_jjmmaaaa(depot)}, après la date limite du "
        f"{_jjmmaaaa(limite)} ({jours_ouvres} jours ouvrés après le début d'exécution, "
        "cerfa.contrat.dateDebutContrat)"
    )


def _raisons_npec(
    resolution: ResolutionNpec | None, profil: ParametresInstruction
) -> tuple[str, ...]:
    if resolution is None:
        return (
            "Aucun NPEC connu pour cette certification et cette branche, ni valeur d'amorçage "
            "pour son niveau (cerfa.formation.rncp, cerfa.employeur.codeIdcc) : "
            "décision manuelle de l'OPCO",
        )
    if resolution.origine == ORIGINE_AMORCAGE and not profil.amorcage_autorise:
        return (
            "La certification n'a pas encore de NPEC et l'OPCO n'engage pas sur la valeur "
            f"d'amorçage ({resolution.valeur} € pour le niveau {resolution.niveau}) : "
            "décision manuelle de l'OPCO (cerfa.formation.rncp)",
        )
    return ()


def _commentaire(
    etat: EtatDossier,
    motifs: Sequence[str],
    raisons: Sequence[str],
    avertissements: Sequence[str],
) -> str | None:
    if etat is EtatDossier.REFUSE:
        return "Dossier refusé : " + SEPARATEUR_MOTIFS.join(motifs) + "."
    if etat is EtatDossier.EN_COURS_INSTRUCTION:
        texte = "Dossier en instruction : " + SEPARATEUR_MOTIFS.join(raisons)
        if motifs:
            texte += ". Points à examiner : " + SEPARATEUR_MOTIFS.join(motifs)
        return texte + "."
    if avertissements:
        return "Dossier engagé. " + SEPARATEUR_MOTIFS.join(avertissements) + "."
    return None


def instruire(
    cerfa: Mapping[str, Any],
    *,
    constats: Sequence[Constat],
    resolution_npec: ResolutionNpec | None,
    date_depot: date,
    profil: ParametresInstruction,
    sequence_deca: int | None = None,
) -> Decision:
    """Décide du sort d'un dossier déposé le `date_depot` (voir le module).

    `cerfa` : enveloppe `{"cerfa": …}` ou objet nu, déjà passé au validateur de la norme, dont
    les `constats` sont donnés. `sequence_deca` : numéro de séquence réservé par l'appelant ;
    quand il est fourni et que le dossier est engagé, `numero_deca` est rempli.
    """
    contenu = contenu_cerfa(cerfa)
    departement = departement_employeur(contenu)

    avertissements = [_texte_constat(c) for c in constats if c.niveau not in NIVEAUX_REFUS]
    debut = lire_date_champ(contenu, "contrat", "dateDebutContrat")
    limite_depot = (
        date_limite_depot(debut, profil.delai_depot_jours_ouvres, departement)
        if debut is not None
        else None
    )
    depot_tardif = limite_depot is not None and date_depot > limite_depot
    if depot_tardif and limite_depot is not None:
        avertissements.append(
            _avertissement_depot(limite_depot, date_depot, profil.delai_depot_jours_ouvres)
        )

    motifs = tuple(_texte_constat(c) for c in constats if c.niveau in NIVEAUX_REFUS)
    raisons: tuple[str, ...] = ()
    if profil.instruction_manuelle:
        raisons = ("l'OPCO instruit ce dossier à la main (profil de l'OPCO)",)
        etat = EtatDossier.EN_COURS_INSTRUCTION
    elif motifs:
        etat = EtatDossier.REFUSE
    else:
        raisons = _raisons_npec(resolution_npec, profil)
        etat = EtatDossier.EN_COURS_INSTRUCTION if raisons else EtatDossier.ENGAGE

    engage = etat is EtatDossier.ENGAGE
    numero = None
    if engage and sequence_deca is not None:
        numero = numero_deca(
            departement_deca(departement, profil.departement_deca_defaut),
            date_depot,
            sequence_deca,
        )
    return Decision(
        etat=etat,
        commentaire_etat=_commentaire(etat, motifs, raisons, avertissements),
        motifs=motifs,
        raisons_attente=raisons,
        avertissements=tuple(avertissements),
        date_limite_depot=limite_depot,
        depot_tardif=depot_tardif,
        date_limite_decision=date_limite_decision(date_depot, profil.delai_decision_jours),
        npec=resolution_npec if engage else None,
        numero_deca=numero,
    )
