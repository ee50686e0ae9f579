"""Données de référence : classeurs NPEC de France compétences, table IDCC → OPCO, et
échantillons synthétiques livrés avec le projet (`referentiels.exemples`)."""
