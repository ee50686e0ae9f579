"""Générateur de dossiers de démonstration réalistes et déterministes (`apicfa demo-donnees`).

- `generateur` : dossiers valides et variés (`{"cerfa": {…}}`) à partir d'une graine ;
- `invalides` : pour chaque règle du catalogue, comment casser un dossier valide sur elle seule ;
- `ecriture` : écriture d'un dossier par fichier.
"""
