"""Portail inter-OPCO : comptes CFA, clés d'API, identifiants des logiciels."""
