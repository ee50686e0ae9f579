"""Communes, pays de naissance et voies : de quoi écrire des adresses et des lieux de naissance.

Codes officiels géographiques (INSEE) publics ; les adresses sont inventées.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from apicfa.demo.tirage import choisir, entier


@dataclass(frozen=True, slots=True)
class Commune:
    nom: str
    code_postal: str
    departement: str
    code_insee: str


@dataclass(frozen=True, slots=True)
class PaysNaissance:
    nom: str
    code_insee: str  # 99 + code pays sur 3 chiffres
    union_europeenne: bool


COMMUNES: tuple[Commune, ...] = (
    Commune("Paris", "75011", "75", "75056"),
    Commune("Paris", "75018", "75", "75056"),
    Commune("Marseille", "13005", "13", "13055"),
    Commune("Lyon", "69003", "69", "69123"),
    Commune("Toulouse", "31000", "31", "31555"),
    Commune("Nice", "06000", "06", "06088"),
    Commune("Nantes", "44000", "44", "44109"),
    Commune("Montpellier", "34000", "34", "34172"),
    Commune("Strasbourg", "67000", "67", "67482"),
    Commune("Bordeaux", "33000", "33", "33063"),
    Commune("Lille", "59000", "59", "59350"),
    Commune("Rennes", "35000", "35", "35238"),
    Commune("Reims", "51100", "51", "51454"),
    Commune("Saint-Étienne", "42000", "42", "42218"),
    Commune("Le Havre", "76600", "76", "76351"),
    Commune("Grenoble", "38000", "38", "38185"),
    Commune("Dijon", "21000", "21", "21231"),
    Commune("Angers", "49000", "49", "49007"),
    Commune("Nîmes", "30000", "30", "30189"),
    Commune("Clermont-Ferrand", "63000", "63", "63113"),
    Commune("Le Mans", "72000", "72", "72181"),
    Commune("Aix-en-Provence", "13100", "13", "13001"),
    Commune("Brest", "29200", "29", "29019"),
    Commune("Tours", "37000", "37", "37261"),
    Commune("Amiens", "80000", "80", "80021"),
    Commune("Limoges", "87000", "87", "87085"),
    Commune("Annecy", "74000", "74", "74010"),
    Commune("Perpignan", "66000", "66", "66136"),
    Commune("Metz", "57000", "57", "57463"),
    Commune("Besançon", "25000", "25", "25056"),
    Commune("Orléans", "45000", "45", "45234"),
    Commune("Rouen", "76000", "76", "76540"),
    Commune("Caen", "14000", "14", "14118"),
    Commune("Mulhouse", "68100", "68", "68224"),
    Commune("Nancy", "54000", "54", "54395"),
    Commune("Argenteuil", "95100", "95", "95018"),
    Commune("Montreuil", "93100", "93", "93048"),
    Commune("Saint-Denis", "93200", "93", "93066"),
    Commune("Versailles", "78000", "78", "78646"),
    Commune("Créteil", "94000", "94", "94028"),
    Commune("Nanterre", "92000", "92", "92050"),
    Commune("Poitiers", "86000", "86", "86194"),
    Commune("Pau", "64000", "64", "64445"),
    Commune("La Rochelle", "17000", "17", "17300"),
    Commune("Ajaccio", "20000", "2A", "2A004"),
    Commune("Bastia", "20200", "2B", "2B033"),
    Commune("Pointe-à-Pitre", "97110", "971", "97120"),
    Commune("Fort-de-France", "97200", "972", "97209"),
    Commune("Cayenne", "97300", "973", "97302"),
    Commune("Saint-Denis", "97400", "974", "97411"),
    Commune("Mamoudzou", "97600", "976", "97611"),
)

PAYS_NAISSANCE: tuple[PaysNaissance, ...] = (
    PaysNaissance("Maroc", "99350", False),
    PaysNaissance("Algérie", "99352", False),
    PaysNaissance("Tunisie", "99351", False),
    PaysNaissance("Sénégal", "99341", False),
    PaysNaissance("Portugal", "99139", True),
    PaysNaissance("Espagne", "99134", True),
    PaysNaissance("Italie", "99127", True),
    PaysNaissance("Allemagne", "99109", True),
    PaysNaissance("Roumanie", "99114", True),
    PaysNaissance("Belgique", "99131", True),
)

VOIES: tuple[str, ...] = (
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue des Lilas",
    "allée des Tilleuls",
    "rue du Moulin",
    "place de la Mairie",
    "rue Pasteur",
    "chemin des Vignes",
    "rue de la Gare",
    "impasse des Acacias",
    "avenue de la Libération",
    "rue Jules Ferry",
    "quai des Chartrons",
    "rue Nationale",
)

COMPLEMENTS: tuple[str, ...] = ("Bâtiment B", "Appartement 12", "Résidence Les Pins", "2e étage")


def commune(rng: random.Random) -> Commune:
    return choisir(rng, COMMUNES)


def adresse(rng: random.Random, lieu: Commune) -> dict[str, str]:
    """Une adresse postale `{adresse1, [adresse2], codePostal, commune}` dans `lieu`."""
    resultat = {
        "adresse1": f"{entier(rng, 1, 180)} {choisir(rng, VOIES)}",
        "codePostal": lieu.code_postal,
        "commune": lieu.nom,
    }
    if rng.random() < 0.15:
        resultat["adresse2"] = choisir(rng, COMPLEMENTS)
    return resultat
