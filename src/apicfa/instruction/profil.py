"""Réglages d'instruction propres à une OPCO (une partie de son profil)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ParametresInstruction:
    """Ce qu'une OPCO règle de l'instruction automatique.

    - `instruction_manuelle` : l'OPCO veut décider à la main ; aucun dossier n'est engagé
      ni refusé automatiquement (il reste `EN_COURS_INSTRUCTION`, avec les points relevés) ;
    - `amorcage_autorise` : engager sur la valeur d'amorçage quand la certification n'a pas
      encore de NPEC ; sinon le dossier attend une décision manuelle ;
    - `delai_depot_jours_ouvres` : délai de dépôt après le début d'exécution (5 jours ouvrés) ;
    - `delai_decision_jours` : délai de décision après le dossier complet (20 jours) ;
    - `departement_deca_defaut` : département (3 caractères) des numéros DECA quand celui de
      l'employeur n'entre pas dans la forme DECA (siège de l'OPCO par défaut : Paris).
    """

    instruction_manuelle: bool = False
    amorcage_autorise: bool = True
    delai_depot_jours_ouvres: int = 5
    delai_decision_jours: int = 20
    departement_deca_defaut: str = "075"
