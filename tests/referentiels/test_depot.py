"""Import en base des référentiels, versions, résolution de la NPEC en base, exemples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from apicfa.financement.npec import ORIGINE_AMORCAGE, ORIGINE_REFERENTIEL, resoudre_npec
from apicfa.referentiels import depot, exemples
from apicfa.referentiels.erreurs import FichierReferentielInvalide
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.referentiels import ValeurNpecTable, VersionNpecTable

from .conftest import EcrireClasseur


def _compter(url: str, table: type) -> int:
    moteur = creer_moteur(url)
    with moteur.connect() as connexion:
        nombre = connexion.execute(select(func.count()).select_from(table)).scalar_one()
    moteur.dispose()
    return int(nombre)


def _ligne(rncp: object, cpne: object, valeur: object, jour: object) -> tuple[object, ...]:
    return (rncp, "Formation", "CERTIFICATEUR", "TITRE", cpne, f"CPNE {cpne}", valeur, "A", jour)


def test_import_des_trois_vrais_classeurs(url_base: str, donnees_partagees: Path) -> None:
    dossier = donnees_partagees / "npec"
    rapports = [
        depot.importer_npec(url_base, dossier / nom)
        for nom in (
            "referentiel-npec-2019-10.xlsx",
            "referentiel-npec-2024-04-09.xlsx",
            "referentiel-npec-2024-07-15.xlsx",
        )
    ]
    assert [r.date_applicabilite for r in rapports] == [
        date(2019, 10, 1),  # nom du fichier (pas de colonne de date en 2019)
        date(2023, 10, 15),  # colonne « Date d'applicabilité » du classeur
        date(2024, 7, 15),
    ]
    assert [(r.lignes_lues, r.valeurs, r.lignes_sans_valeur) for r in rapports] == [
        (3, 3, 0),
        (4, 4, 1),  # la cellule « RNCP31946/RNCP36989 » donne deux valeurs, « NC » aucune
        (1, 1, 0),
    ]
    assert [r.mise_en_page for r in rapports] == ["2019", "2024", "2024"]

    # 2019, par code diplôme ; RNCP36989 : la ligne qui le nomme seul l'emporte (8502, pas 7750).
    par_diplome = depot.npec_applicable(
        url_base, None, "478", date(2020, 3, 1), 4, code_diplome="01022001"
    )
    assert par_diplome is not None and par_diplome.valeur == Decimal("6079.3333")
    seul = depot.npec_applicable(url_base, "RNCP36989", "478", date(2024, 1, 10), 6)
    assert seul is not None and seul.valeur == Decimal("8502")
    partage = depot.npec_applicable(url_base, "RNCP31946", "0478", date(2024, 1, 10), 6)
    assert partage is not None and partage.valeur == Decimal("7750")
    recent = depot.npec_applicable(url_base, "RNCP1002", 478, date(2024, 9, 1), 4)
    assert recent is not None
    assert (recent.valeur, recent.date_version, recent.code_cpne, recent.statut) == (
        Decimal("9497"),
        date(2024, 7, 15),
        "2",
        "A",
    )
    assert recent.libelle_cpne == "CNPE des sociétés financières"
    # Absente de la version du 15/07/2024 : valeur d'amorçage.
    amorcage = depot.npec_applicable(url_base, "RNCP36989", "478", date(2024, 9, 1), 6)
    assert amorcage is not None and amorcage.origine == ORIGINE_AMORCAGE
    assert amorcage.valeur == Decimal("6000")


def test_le_meme_fichier_importe_deux_fois_ne_cree_pas_de_version(
    url_base: str, donnees_partagees: Path
) -> None:
    chemin = donnees_partagees / "npec" / "referentiel-npec-2024-04-09.xlsx"
    premier = depot.importer_npec(url_base, chemin)
    second = depot.importer_npec(url_base, chemin)
    assert not premier.deja_importe and second.deja_importe
    assert second.version_id == premier.version_id
    assert _compter(url_base, VersionNpecTable) == 1
    assert _compter(url_base, ValeurNpecTable) == 4


def test_import_synthetique_versions_et_progression(
    url_base: str, ecrire_classeur: EcrireClasseur
) -> None:
    rattachements = [(901, "CPNE 901", "1486, 1597"), (902, "CPNE 902", 1486)]
    ancien = ecrire_classeur(
        "npec-2019-01-01.xlsx",
        [_ligne(f"RNCP{90000 + i}", 901, 7000 + i, date(2019, 1, 1)) for i in range(2500)],
        rattachements,
    )
    nouveau = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [
            _ligne("RNCP90001", 901, "8 000 €", date(2025, 7, 1)),
            _ligne("RNCP90002/RNCP90003", 901, "NC", date(2025, 7, 1)),
            _ligne("RNCP90004", 902, 6500.5, date(2025, 9, 1)),
        ],
        rattachements,
    )
    appels: list[tuple[int, int]] = []
    rapport = depot.importer_npec(
        url_base, ancien, progression=lambda lues, total: appels.append((lues, total))
    )
    assert rapport.valeurs == 2500 and rapport.lignes_lues == 2500
    assert appels[0][0] == depot.PAS_PROGRESSION and appels[-1] == (2500, 2500)
    depot.importer_npec(url_base, nouveau)

    avant = depot.npec_applicable(url_base, "RNCP90001", "1597", date(2025, 6, 30), 5)
    apres = depot.npec_applicable(url_base, "RNCP90001", "1597", date(2025, 7, 1), 5)
    assert avant is not None and avant.valeur == Decimal("7001")
    assert apres is not None and apres.valeur == Decimal("8000")
    # NC dans la version applicable : pas de valeur, donc l'amorçage.
    nc = depot.npec_applicable(url_base, "RNCP90002", "1597", date(2025, 8, 1), 5)
    assert nc is not None and nc.origine == ORIGINE_AMORCAGE
    # Ligne applicable au 01/09 seulement : avant, la version précédente (absente ici → amorçage).
    tot = depot.npec_applicable(url_base, "RNCP90004", "1486", date(2025, 8, 1), 7)
    tard = depot.npec_applicable(url_base, "RNCP90004", "1486", date(2025, 9, 1), 7)
    assert tot is not None and tot.valeur == Decimal("7004")
    assert tard is not None and tard.valeur == Decimal("6500.5")


def test_date_d_applicabilite_par_option_ou_erreur(
    url_base: str, ecrire_classeur: EcrireClasseur
) -> None:
    sans_date = ecrire_classeur(
        "referentiel.xlsx", [_ligne("RNCP90001", 901, 7000, "")], [(901, "CPNE", 1486)]
    )
    with pytest.raises(FichierReferentielInvalide, match="--date-applicabilite"):
        depot.importer_npec(url_base, sans_date)
    assert _compter(url_base, VersionNpecTable) == 0  # rien ne reste d'un import refusé
    rapport = depot.importer_npec(url_base, sans_date, date_applicabilite=date(2025, 1, 1))
    assert rapport.date_applicabilite == date(2025, 1, 1)


def test_un_fichier_faux_ne_laisse_rien_en_base(
    url_base: str, ecrire_classeur: EcrireClasseur
) -> None:
    chemin = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [_ligne("RNCP1", 1, 7000, date(2025, 7, 1))] * 3
        + [_ligne("RNCP2", 1, "n/c ?", date(2025, 7, 1))],
        [(1, "CPNE", 1486)],
    )
    with pytest.raises(FichierReferentielInvalide, match="ligne 8"):
        depot.importer_npec(url_base, chemin)
    assert _compter(url_base, VersionNpecTable) == 0
    assert _compter(url_base, ValeurNpecTable) == 0


def test_charger_referentiel_et_requetes_ciblees_concordent(
    url_base: str, donnees_partagees: Path
) -> None:
    for nom in ("referentiel-npec-2019-10.xlsx", "referentiel-npec-2024-04-09.xlsx"):
        depot.importer_npec(url_base, donnees_partagees / "npec" / nom)
    referentiel = depot.charger_referentiel(url_base)
    assert [v.date_applicabilite for v in referentiel.versions] == [
        date(2019, 10, 1),
        date(2023, 10, 15),
    ]
    for rncp in ("RNCP1002", "RNCP31946", "RNCP36989", "RNCP99999"):
        for jour in (date(2020, 1, 1), date(2023, 10, 14), date(2023, 10, 15), date(2026, 1, 1)):
            for idcc in ("0478", "1801"):
                assert depot.npec_applicable(url_base, rncp, idcc, jour, 5) == resoudre_npec(
                    referentiel, rncp, idcc, jour, 5
                )


def test_table_idcc_opco(url_base: str, donnees_partagees: Path, tmp_path: Path) -> None:
    rapport = depot.importer_idcc_opco(url_base, donnees_partagees / "idcc-opco.csv")
    assert (rapport.lignes, rapport.ajoutees) == (330, 330)
    assert depot.opco_de_idcc(url_base, "1486") == "atlas"
    assert depot.opco_de_idcc(url_base, 16) == "mobilites"
    assert depot.opco_de_idcc(url_base, "0016") == "mobilites"
    assert depot.opco_de_idcc(url_base, "9999") is None
    mise_a_jour = tmp_path / "idcc.csv"
    mise_a_jour.write_text(
        "idcc;opco;libelle_idcc\n1486;OPCO EP;Syntec\n9998;akto;Nouvelle\n", encoding="utf-8"
    )
    second = depot.importer_idcc_opco(url_base, mise_a_jour)
    assert (second.ajoutees, second.modifiees, second.inchangees) == (1, 1, 0)
    assert depot.opco_de_idcc(url_base, "1486") == "opcoep"
    assert depot.opco_de_idcc(url_base, "9998") == "akto"


def test_csv_idcc_opco_faux(url_base: str, tmp_path: Path) -> None:
    faux = tmp_path / "idcc.csv"
    faux.write_text("idcc;opco\n1486;OPCO Imaginaire\n", encoding="utf-8")
    with pytest.raises(FichierReferentielInvalide, match=r"ligne 2 : OPCO « OPCO Imaginaire »"):
        depot.importer_idcc_opco(url_base, faux)
    sans_colonne = tmp_path / "sans.csv"
    sans_colonne.write_text("code;nom\n1486;atlas\n", encoding="utf-8")
    with pytest.raises(FichierReferentielInvalide, match="colonne"):
        depot.importer_idcc_opco(url_base, sans_colonne)


def test_charger_exemples(url_base: str) -> None:
    assert depot.charger_exemples(url_base) is True
    assert depot.charger_exemples(url_base) is False  # déjà chargés : rien ne change
    assert depot.opco_de_idcc(url_base, "1979") == "akto"
    referentiel = depot.charger_referentiel(url_base)
    attendu = exemples.referentiel_exemple()
    assert [v.date_applicabilite for v in referentiel.versions] == [
        v.date_applicabilite for v in attendu.versions
    ]
    for version, modele in zip(referentiel.versions, attendu.versions, strict=True):
        assert dict(version.valeurs) == dict(modele.valeurs)
        assert dict(version.cpne_par_idcc) == dict(modele.cpne_par_idcc)
        assert dict(version.libelles_cpne) == dict(modele.libelles_cpne)
    resolution = depot.npec_applicable(url_base, "RNCP90010", "1486", date(2025, 9, 1), 5)
    assert resolution is not None and resolution.origine == ORIGINE_REFERENTIEL
    assert resolution.date_version == date(2025, 7, 1)


def test_retirer_une_version_importee_par_erreur(
    url_base: str, ecrire_classeur: EcrireClasseur
) -> None:
    rattachements = [(901, "CPNE 901", "1486, 1597")]
    bonne = ecrire_classeur(
        "npec-2024-07-15.xlsx",
        [_ligne("RNCP90001", 901, 7000, date(2024, 7, 15))],
        rattachements,
    )
    erreur = ecrire_classeur(
        "npec-2025-07-01.xlsx",
        [_ligne("RNCP90001", 901, 99999, date(2025, 7, 1))],
        rattachements,
    )
    gardee = depot.importer_npec(url_base, bonne)
    fautive = depot.importer_npec(url_base, erreur)
    applicable = depot.npec_applicable(url_base, "RNCP90001", "1597", date(2025, 9, 1), 5)
    assert applicable is not None and applicable.valeur == Decimal("99999")

    retiree = depot.retirer_version(url_base, fautive.version_id)
    assert retiree.version_id == fautive.version_id and retiree.valeurs == 1
    assert [v.version_id for v in depot.lister_versions(url_base)] == [gardee.version_id]
    assert _compter(url_base, ValeurNpecTable) == 1  # les valeurs de la version sont parties
    apres = depot.npec_applicable(url_base, "RNCP90001", "1597", date(2025, 9, 1), 5)
    assert apres is not None and apres.valeur == Decimal("7000")
    assert len(depot.charger_referentiel(url_base).versions) == 1

    with pytest.raises(depot.VersionIntrouvable, match=rf"n° {fautive.version_id} .*présentes"):
        depot.retirer_version(url_base, fautive.version_id)
    # Le même fichier peut être réimporté une fois corrigé (son empreinte a été libérée).
    assert not depot.importer_npec(url_base, erreur).deja_importe
