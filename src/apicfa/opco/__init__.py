"""Le service OPCO : application HTTP des routes de la norme pour les 11 OPCO."""
