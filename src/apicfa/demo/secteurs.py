"""Ce qui change d'un OPCO à l'autre dans un dossier réaliste : activités (NAF), types
d'employeur, métiers des maîtres d'apprentissage, raisons sociales, caisses de retraite."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Secteur:
    naf: tuple[str, ...]
    types_employeur: tuple[int, ...]  # tirage uniforme : répéter un code le rend plus fréquent
    emplois: tuple[str, ...]
    enseignes: tuple[str, ...]
    caisses: tuple[str, ...]


_CAISSES_GENERALES = ("AG2R La Mondiale", "Malakoff Humanis", "Humanis", "Klesia", "Apicil")

SECTEURS: dict[str, Secteur] = {
    "afdas": Secteur(
        ("59.11A", "90.01Z", "73.11Z", "60.20A"),
        (12, 12, 15),
        ("Monteur vidéo", "Régisseur général", "Chargé de production", "Directeur artistique"),
        ("Studio", "Productions", "Compagnie", "Agence"),
        ("Audiens",),
    ),
    "akto": Secteur(
        ("56.10A", "55.10Z", "81.21Z", "85.59A"),
        (12, 12, 16),
        ("Chef de cuisine", "Responsable de salle", "Chef d'équipe propreté", "Formateur"),
        ("Restaurant", "Hôtel", "Brasserie", "Services"),
        _CAISSES_GENERALES,
    ),
    "atlas": Secteur(
        ("62.01Z", "62.02A", "69.20Z", "64.19Z", "71.12B"),
        (12, 12, 12, 14),
        (
            "Développeur senior",
            "Chef de projet informatique",
            "Expert-comptable",
            "Ingénieur d'études",
        ),
        ("Conseil", "Cabinet", "Solutions", "Ingénierie"),
        _CAISSES_GENERALES,
    ),
    "constructys": Secteur(
        ("43.99C", "41.20A", "43.21A", "42.11Z"),
        (11, 11, 12),
        ("Chef de chantier", "Maçon qualifié", "Électricien", "Conducteur de travaux"),
        ("Bâtiment", "Construction", "Travaux", "Rénovation"),
        ("Pro BTP",),
    ),
    "opcommerce": Secteur(
        ("47.11D", "47.71Z", "46.39B", "47.19B"),
        (12, 12, 16),
        ("Responsable de rayon", "Directeur de magasin", "Manager de caisse", "Chef de secteur"),
        ("Supermarché", "Boutique", "Distribution", "Commerce"),
        _CAISSES_GENERALES,
    ),
    "ocapiat": Secteur(
        ("10.13A", "10.71A", "01.11Z", "64.19Z"),
        (13, 13, 12),
        ("Chef de culture", "Responsable de production", "Charcutier", "Conseiller bancaire"),
        ("Coopérative", "Salaisons", "Exploitation", "Moulins"),
        ("MSA", "AGRICA"),
    ),
    "opco2i": Secteur(
        ("25.62A", "20.14Z", "13.20Z", "28.29B"),
        (12, 12),
        ("Technicien de maintenance", "Ingénieur méthodes", "Chef d'atelier", "Automaticien"),
        ("Industries", "Mécanique", "Chimie", "Textiles"),
        _CAISSES_GENERALES,
    ),
    "opcoep": Secteur(
        ("96.02A", "10.71C", "68.31Z", "86.23Z"),
        (11, 11, 14, 12),
        ("Coiffeur", "Boulanger", "Négociateur immobilier", "Prothésiste dentaire"),
        ("Salon", "Boulangerie", "Immobilier", "Cabinet"),
        ("AG2R La Mondiale", "Klesia"),
    ),
    "mobilites": Secteur(
        ("49.41A", "45.20A", "52.29A", "49.31Z"),
        (12, 12, 11),
        ("Mécanicien automobile", "Responsable logistique", "Chef d'exploitation", "Carrossier"),
        ("Transports", "Garage", "Logistique", "Automobiles"),
        ("Carcept Prév", "AG2R La Mondiale"),
    ),
    "sante": Secteur(
        ("86.10Z", "87.10A", "88.10C", "87.20A"),
        (15, 15, 12),
        ("Infirmier coordinateur", "Cadre de santé", "Éducateur spécialisé", "Aide-soignant"),
        ("Clinique", "Résidence", "Institut", "Foyer"),
        ("Klesia", "Malakoff Humanis"),
    ),
    "uniformation": Secteur(
        ("88.10A", "93.29Z", "88.91A", "94.99Z"),
        (15, 15, 16),
        ("Animateur", "Coordinateur de secteur", "Responsable de structure", "Aide à domicile"),
        ("Association", "Centre social", "Maison des jeunes", "Aide à domicile"),
        ("Humanis", "Malakoff Humanis"),
    ),
}

SECTEUR_PAR_DEFAUT = Secteur(
    ("70.22Z", "82.11Z"),
    (12, 16),
    ("Responsable administratif", "Gérant"),
    ("Entreprise", "Société"),
    _CAISSES_GENERALES,
)


def secteur(opco: str) -> Secteur:
    return SECTEURS.get(opco, SECTEUR_PAR_DEFAUT)
