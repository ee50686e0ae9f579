"""Les dossiers générés s'engagent : modèle de la norme, NPEC de l'échantillon et échéancier."""

from __future__ import annotations

from collections import Counter
from datetime import date

from apicfa.demo.generateur import generer_dossiers
from apicfa.financement.echeancier import calculer_echeancier
from apicfa.financement.lecture_cerfa import depuis_cerfa
from apicfa.financement.npec import resoudre_npec
from apicfa.norme.cerfa import emettre_cerfa, lire_cerfa
from apicfa.referentiels.exemples import NIVEAU_PAR_TYPE_DIPLOME, referentiel_exemple


def test_dossiers_lus_par_le_modele_et_engages() -> None:
    referentiel = referentiel_exemple()
    origines: Counter[str] = Counter()
    for dossier in generer_dossiers(150, 31):
        modele = lire_cerfa(dossier)
        assert lire_cerfa(emettre_cerfa(modele)) == modele
        cerfa = dossier["cerfa"]
        formation, employeur = cerfa["formation"], cerfa["employeur"]
        resolution = resoudre_npec(
            referentiel,
            formation["rncp"],
            employeur["codeIdcc"],
            date.fromisoformat(cerfa["contrat"]["dateConclusion"]),
            NIVEAU_PAR_TYPE_DIPLOME[str(formation["typeDiplome"])],
        )
        assert resolution is not None
        origines[resolution.origine] += 1
        echeancier = calculer_echeancier(depuis_cerfa(cerfa, resolution.valeur))
        assert echeancier.echeances
    # Presque tous par le référentiel ; l'amorçage pour les certifications sans NPEC.
    assert origines["referentiel"] > 100
    assert origines["amorcage"] > 0
