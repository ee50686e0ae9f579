"""La norme d'échange API CFA comme données : modèles, listes de codes, identifiants, règles.

Paquet pur : aucune entrée/sortie, aucune horloge (« aujourd'hui » est toujours un paramètre).
"""
