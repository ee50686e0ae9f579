"""L'erreur levée par les lecteurs de fichiers de référence : un message français clair."""

from __future__ import annotations


class FichierReferentielInvalide(ValueError):
    """Le fichier ne peut pas être lu comme le référentiel attendu (message en français, qui
    nomme le fichier, l'onglet, la colonne ou la ligne en cause)."""


class VersionIntrouvable(LookupError):
    """La version du référentiel demandée n'est pas en base (message en français qui donne les
    numéros présents)."""
