"""Règles d'argent de la norme API CFA : NPEC, engagement, échéancier, rupture (aucune E/S)."""
