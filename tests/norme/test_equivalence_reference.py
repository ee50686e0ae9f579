"""Le validateur rapide du cerfa rend exactement les constats de l'ancien chemin.

Des milliers de dossiers générés (`apicfa.demo`), valides, abîmés au hasard (valeurs mal formées,
mal typées, à espaces, dates et nombres déplacés, blocs retirés ou remplacés), poussés au bord
des seuils des règles de cohérence et un dossier
invalide par règle du catalogue (`apicfa.demo.invalides`) passent par `valider_cerfa` et par la
référence (`validation_reference`, lecture déclarative champ par champ et règles de cohérence
d'avant l'optimisation) : mêmes constats (code, niveau, champ, message), dans le même ordre.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from test_objets import VALIDES
from validation_reference import lire_reference, valider_cerfa_reference

from apicfa.demo.generateur import generer_dossiers
from apicfa.demo.invalides import DossierInvalide, dossiers_invalides
from apicfa.norme.constats import Constat
from apicfa.norme.dates import ajouter_annees, ajouter_mois
from apicfa.norme.identifiants import cle_nir
from apicfa.norme.regles import CATALOGUE
from apicfa.norme.schema_cerfa import CERFA
from apicfa.norme.schema_objets import OBJETS
from apicfa.norme.validation import _valider, valider_cerfa

DEPOT = date(2026, 11, 28)
JOURS: tuple[date | None, ...] = (DEPOT, None, date(2024, 3, 1))

# Empreinte du catalogue (code, niveau, champ, message de chaque règle) : une règle ajoutée,
# retirée ou dont le texte change la modifie ; la mettre à jour est un choix, pas un accident.
NOMBRE_REGLES = 396
EMPREINTE_CATALOGUE = "d2897d40f78bce970ecd16571605e78ec118f010cb9a89a6420097b29c41b6e5"


def _feuilles(noeud: Any, chemin: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Chemins (clés et indices) de toutes les valeurs, blocs compris."""
    if isinstance(noeud, dict):
        for cle, valeur in noeud.items():
            yield (*chemin, cle)
            yield from _feuilles(valeur, (*chemin, cle))
    elif isinstance(noeud, list):
        for indice, valeur in enumerate(noeud):
            yield (*chemin, indice)
            yield from _feuilles(valeur, (*chemin, indice))


def _date_deplacee(rng: random.Random, valeur: str) -> str:
    try:
        jour = date.fromisoformat(valeur[:10])
    except ValueError:
        jour = date(2025, 9, 1)
    ecart = rng.choice((1, 2, 30, 90, 200, 365, 400, 1100, 1500, 4000, 9000))
    return (jour + timedelta(days=rng.choice((-1, 1)) * ecart)).isoformat()


def _valeur_abimee(rng: random.Random, valeur: Any) -> Any:
    """Une autre valeur pour ce champ : souvent plausible, parfois absurde."""
    date_ecrite = isinstance(valeur, str) and len(valeur) >= 10 and valeur[4:5] == "-"
    if date_ecrite and rng.random() < 0.6:
        return _date_deplacee(rng, valeur)
    if isinstance(valeur, bool):
        return rng.choice((not valeur, "oui", "non", "true", 1, 0, 2, "peut-être", None))
    if isinstance(valeur, (int, float)):
        return rng.choice(
            (
                valeur + rng.choice((-40, -10, -1, 1, 5, 30)),
                -valeur,
                str(valeur),
                f" {valeur} ",
                float(valeur) + 0.005,
                valeur * 100,
                10**13,
                0,
                True,
                "douze",
                rng.randint(0, 120),
                rng.uniform(0, 120),
            )
        )
    if isinstance(valeur, str):
        return rng.choice(
            (
                "",
                " ",
                valeur + " ",
                " " + valeur,
                valeur.lower(),
                valeur.upper(),
                valeur[:-1],
                valeur + "9",
                valeur.replace(" ", ""),
                valeur.replace("0", "O"),
                valeur + "@",
                "x" * rng.choice((41, 101, 201, 501, 2001)),
                "2025-02-30",
                "2025-09-01T00:00:00+02:00",
                int(valeur) if valeur.isdigit() and len(valeur) < 12 else 12,
                [valeur],
                {"valeur": valeur},
                None,
            )
        )
    if isinstance(valeur, list):
        return rng.choice(([], valeur[:1], valeur + valeur[:1], "liste", [None], [3]))
    return rng.choice((None, "bloc", 7, [], {}, [valeur]))


def _abimer(rng: random.Random, dossier: dict[str, Any]) -> dict[str, Any]:
    abime = copy.deepcopy(dossier)
    chemins = list(_feuilles(abime))
    for chemin in rng.sample(chemins, k=min(len(chemins), rng.choice((1, 1, 2, 3, 6)))):
        parent: Any = abime
        try:
            for pas in chemin[:-1]:
                parent = parent[pas]
            if rng.random() < 0.15 and isinstance(parent, dict):
                del parent[chemin[-1]]
            else:
                parent[chemin[-1]] = _valeur_abimee(rng, parent[chemin[-1]])
        except (KeyError, IndexError, TypeError):
            continue  # un chemin déjà défait par une mutation précédente
    return abime


def _jour_de(texte: Any) -> date | None:
    try:
        return date.fromisoformat(texte[:10]) if isinstance(texte, str) else None
    except ValueError:
        return None


def _frontiere(rng: random.Random, dossier: dict[str, Any]) -> dict[str, Any]:
    """Le dossier poussé au bord d'une règle de cohérence (un jour, une heure ou un centième
    de part et d'autre des seuils de durée, d'âge, de fenêtre, de taux et de NIR)."""
    abime = copy.deepcopy(dossier)
    cerfa = abime["cerfa"]
    contrat, apprenti, formation = cerfa["contrat"], cerfa["apprenti"], cerfa["formation"]
    debut = _jour_de(contrat["dateDebutContrat"])
    assert debut is not None
    ecart = timedelta(days=rng.choice((-1, 0, 1)))
    choix = rng.randrange(8)
    if choix == 0:
        contrat["dureeTravailHebdoHeures"] = rng.choice((39, 40, 41))
        contrat["dureeTravailHebdoMinutes"] = rng.choice((None, 0, 1, 59))
    elif choix == 1:
        fin = rng.choice(
            (
                ajouter_mois(debut, 6) - timedelta(days=1),
                ajouter_annees(debut, 1),
                ajouter_annees(debut, 2),
                ajouter_annees(debut, 3) - timedelta(days=1),
                ajouter_annees(debut, 3),
                ajouter_annees(debut, 4) - timedelta(days=1),
                debut,
            )
        )
        contrat["dateFinContrat"] = (fin + ecart).isoformat()
    elif choix == 2:
        age = rng.choice((15, 16, 18, 21, 26, 29, 30))
        naissance = ajouter_annees(debut, -age) + ecart
        apprenti["dateNaissance"] = naissance.isoformat()
        if rng.random() < 0.5:
            cerfa["maitre1"]["dateNaissance"] = (ajouter_annees(debut, -18) + ecart).isoformat()
    elif choix == 3:
        for periode in contrat["remunerationsAnnuelles"]:
            if rng.random() < 0.5:
                taux = Decimal(str(periode["taux"])) + rng.choice((-1, 0, 1)) * Decimal("0.01")
                periode["taux"] = float(taux) if taux != taux.to_integral() else int(taux)
            if rng.random() < 0.3:
                fin_periode = _jour_de(periode["dateFin"])
                if fin_periode is not None:
                    periode["dateFin"] = (fin_periode + timedelta(days=400)).isoformat()
        if rng.random() < 0.3:
            contrat["remunerationsAnnuelles"].pop()
    elif choix == 4 and isinstance(apprenti.get("nir"), str):
        nir = apprenti["nir"][:13]
        position = rng.choice((0, 1, 3, 5))
        remplacement = rng.choice(("1", "2", "7", "00", "13", "20", "42", "43", "99", "2A"))
        nir = (nir[:position] + remplacement + nir[position + len(remplacement) :])[:13]
        try:
            cle = cle_nir(nir)
        except ValueError:  # « 2A » ailleurs qu'au département : NIR mal formé
            cle = "00"
        apprenti["nir"] = nir if rng.random() < 0.5 else nir + cle
    elif choix == 5:
        fenetre = rng.choice((ajouter_mois(debut, -3), ajouter_mois(debut, 3)))
        formation["dateDebutFormation"] = (fenetre + ecart).isoformat()
        fin = _jour_de(contrat["dateFinContrat"])
        if fin is not None and rng.random() < 0.5:
            formation["dateFinFormation"] = (fin + ecart).isoformat()
        formation["dureeFormation"] = rng.choice((1, 100, 400, 800, 9999))
    elif choix == 6:
        contrat["dateConclusion"] = (rng.choice((debut, DEPOT)) + ecart).isoformat()
        contrat["dateFormationPratiqueEmployeur"] = (ajouter_mois(debut, 3) + ecart).isoformat()
    else:
        contrat["typeContratApp"] = rng.choice((11, 21, 31, 37, 38))
        contrat["typeDerogation"] = rng.choice((None, 11, 12, 22, 50, "x"))
        apprenti["handicap"] = rng.choice((None, True, False, "peut-être"))
    return abime


def _types(valeurs: Any) -> Any:
    """Les valeurs lues avec leur type (`Decimal("27")` et `27` ne se confondent pas)."""
    if isinstance(valeurs, dict):
        return {cle: _types(valeur) for cle, valeur in valeurs.items()}
    if isinstance(valeurs, list):
        return [_types(valeur) for valeur in valeurs]
    return (type(valeurs).__name__, valeurs)


def _comparer(dossier: Any, jour: date | None) -> list[Constat]:
    # le schéma seul : mêmes constats et mêmes valeurs lues (de même type)
    constats, valeurs = _valider(CERFA, "cerfa", dossier)
    constats_attendus, valeurs_attendues = lire_reference(CERFA, "cerfa", dossier)
    assert constats == constats_attendus
    assert _types(valeurs) == _types(valeurs_attendues)
    attendus = valider_cerfa_reference(dossier, aujourd_hui=jour)
    obtenus = valider_cerfa(dossier, aujourd_hui=jour)
    assert [(c.code, c.niveau, c.champ, c.message) for c in obtenus] == [
        (c.code, c.niveau, c.champ, c.message) for c in attendus
    ]
    return obtenus


@pytest.mark.parametrize("graine", [2026, 11])
def test_dossiers_generes_valides_et_abimes(graine: int) -> None:
    rng = random.Random(graine)
    codes_vus: set[str] = set()
    for numero, dossier in enumerate(generer_dossiers(1500, graine, reference=DEPOT)):
        jour = JOURS[numero % len(JOURS)]
        assert not [c for c in _comparer(dossier, jour) if c.niveau == "bloquant"] or jour != DEPOT
        for _ in range(2):
            codes_vus.update(c.code for c in _comparer(_abimer(rng, dossier), jour))
        codes_vus.update(c.code for c in _comparer(_frontiere(rng, dossier), jour))
    # les dossiers abîmés parcourent les chemins lents et une bonne part des règles
    assert len(codes_vus) > 120, len(codes_vus)


@pytest.mark.parametrize("graine", [1, 77])
def test_un_dossier_invalide_par_regle(graine: int) -> None:
    cas = [c for c in dossiers_invalides(graine, reference=DEPOT) if isinstance(c, DossierInvalide)]
    assert len(cas) > 150
    for invalide in cas:
        for jour in JOURS:
            _comparer(invalide.dossier, jour)
        assert invalide.code in {c.code for c in valider_cerfa(invalide.dossier, aujourd_hui=DEPOT)}


@pytest.mark.parametrize("nom", sorted(OBJETS))
def test_autres_objets_schema(nom: str) -> None:
    """Facture, convention, certificat, document, rupture : le schéma compilé lit comme la
    référence (constats et valeurs), sur l'objet valide des tests et ses versions abîmées."""
    rng = random.Random(nom)
    valide = {nom: VALIDES[nom]}
    for numero in range(600):
        donnees = valide if numero == 0 else _abimer(rng, valide)
        constats, valeurs = _valider(OBJETS[nom], nom, donnees)
        attendus, valeurs_attendues = lire_reference(OBJETS[nom], nom, donnees)
        assert constats == attendus
        assert _types(valeurs) == _types(valeurs_attendues)


def test_formes_extremes() -> None:
    for donnees in (None, {}, {"cerfa": None}, {"cerfa": []}, {"cerfa": {}}, [], "cerfa", 3):
        for jour in JOURS:
            _comparer(donnees, jour)


def test_catalogue_inchange() -> None:
    assert len(CATALOGUE) == NOMBRE_REGLES
    empreinte = hashlib.sha256()
    for code in sorted(CATALOGUE):
        regle = CATALOGUE[code]
        ligne = "\x1f".join((regle.code, regle.niveau, regle.champ, regle.message))
        empreinte.update(ligne.encode() + b"\x1e")
    assert empreinte.hexdigest() == EMPREINTE_CATALOGUE
