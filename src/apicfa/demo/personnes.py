"""Prénoms, noms de famille et adresses électroniques inventés.

Les courriels sont tous dans les domaines réservés `example.*` (RFC 2606) : une
démonstration n'écrit jamais à une vraie personne.
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import lru_cache

from apicfa.demo.tirage import choisir, entier

PRENOMS_MASCULINS: tuple[str, ...] = (
    "Lucas", "Hugo", "Louis", "Gabriel", "Arthur", "Jules", "Adam", "Raphaël", "Léo", "Nathan",
    "Mohamed", "Théo", "Noah", "Enzo", "Tom", "Mathis", "Yanis", "Nolan", "Sacha", "Maël",
    "Ethan", "Timéo", "Rayan", "Kylian", "Baptiste", "Antoine", "Thomas", "Quentin", "Maxime",
    "Alexandre", "Nicolas", "Julien", "Sébastien", "François", "Jean-Pierre", "Philippe",
)  # fmt: skip
PRENOMS_FEMININS: tuple[str, ...] = (
    "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Léa", "Rose", "Anna", "Mila",
    "Inès", "Ambre", "Julia", "Manon", "Camille", "Zoé", "Lola", "Sarah", "Clara", "Maëlys",
    "Yasmine", "Océane", "Lucie", "Anaïs", "Élodie", "Margaux", "Pauline", "Amandine",
    "Nathalie", "Sandrine", "Isabelle", "Céline", "Marie-Claire", "Hélène", "Fatima", "Aïcha",
)  # fmt: skip
NOMS: tuple[str, ...] = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
    "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
    "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
    "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas",
    "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc",
    "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy",
    "Le Gall", "N'Diaye", "Ben Ali", "Da Silva", "Nguyen", "Diallo", "Saint-Martin", "D'Almeida",
)  # fmt: skip

DOMAINES_COURRIEL: tuple[str, ...] = ("example.com", "example.org", "example.net")


def prenom(rng: random.Random, sexe: str) -> str:
    return choisir(rng, PRENOMS_MASCULINS if sexe == "M" else PRENOMS_FEMININS)


def nom(rng: random.Random) -> str:
    return choisir(rng, NOMS)


@lru_cache(maxsize=4096)
def sans_accents(texte: str) -> str:
    """`texte` en ASCII minuscule, sans accents, espaces ni apostrophes (pour un courriel)."""
    decompose = unicodedata.normalize("NFKD", texte)
    ascii_seul = decompose.encode("ascii", "ignore").decode("ascii").lower()
    return "".join(c for c in ascii_seul if c.isalnum() or c == "-")


def courriel(rng: random.Random, prenom_personne: str, nom_personne: str) -> str:
    """Un courriel personnel `prenom.nom42@example.org`."""
    numero = entier(rng, 1, 99) if rng.random() < 0.5 else ""
    return (
        f"{sans_accents(prenom_personne)}.{sans_accents(nom_personne)}{numero}"
        f"@{choisir(rng, DOMAINES_COURRIEL)}"
    )


def courriel_organisation(rng: random.Random, denomination: str) -> str:
    """Un courriel de contact pour une entreprise ou un organisme `contact@nom.example.com`."""
    identifiant = re.sub("-+", "-", sans_accents(denomination.replace(" ", "-")))[:40].strip("-")
    service = choisir(rng, ("contact", "rh", "direction", "apprentissage"))
    return f"{service}@{identifiant}.{choisir(rng, DOMAINES_COURRIEL)}"
