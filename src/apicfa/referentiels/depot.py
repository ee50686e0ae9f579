"""Import et lecture des référentiels en base : versions NPEC, IDCC → CPNE, IDCC → OPCO.

L'import d'un classeur se fait en flux, par lots, dans une seule transaction : la mémoire
reste plate quelle que soit la taille du classeur, et un fichier faux ne laisse rien en base.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from apicfa.financement.npec import (
    ReferentielNpec,
    ResolutionNpec,
    ValeurNpec,
    VersionNpec,
    normaliser_idcc,
    normaliser_rncp,
    resoudre_npec,
)
from apicfa.referentiels import exemples
from apicfa.referentiels.erreurs import FichierReferentielInvalide, VersionIntrouvable
from apicfa.referentiels.idcc_opco import lignes_idcc_opco
from apicfa.referentiels.npec_classeur import ClasseurNpec, date_du_nom
from apicfa.stockage.moteur import creer_moteur
from apicfa.stockage.referentiels import (
    CpneTable,
    IdccCpneTable,
    IdccOpcoTable,
    ValeurNpecTable,
    VersionNpecTable,
)

TAILLE_LOT = 5_000
#: Fréquence (en lignes lues) des appels à `progression`.
PAS_PROGRESSION = 2_000

Progression = Callable[[int, int], None]
"""`progression(lignes_lues, lignes_annoncees)` ; le total est celui qu'annonce l'onglet."""

_VERSIONS = VersionNpecTable.__table__
_VALEURS = ValeurNpecTable.__table__
_CPNE = CpneTable.__table__
_IDCC_CPNE = IdccCpneTable.__table__
_IDCC_OPCO = IdccOpcoTable.__table__


@dataclass(frozen=True, slots=True)
class RapportImport:
    fichier: str
    empreinte: str
    version_id: int
    date_applicabilite: date
    mise_en_page: str
    deja_importe: bool
    lignes_lues: int
    valeurs: int
    lignes_sans_valeur: int
    rattachements: int
    cpne: int
    duree_secondes: float

    @property
    def lignes_par_seconde(self) -> float:
        return self.lignes_lues / self.duree_secondes if self.duree_secondes > 0 else 0.0


@dataclass(frozen=True, slots=True)
class VersionImportee:
    version_id: int
    date_applicabilite: date
    fichier: str
    mise_en_page: str
    valeurs: int
    date_import: datetime


@dataclass(frozen=True, slots=True)
class RapportIdccOpco:
    fichier: str
    lignes: int
    ajoutees: int
    modifiees: int
    inchangees: int


@lru_cache(maxsize=16)
def _moteur(url: str) -> Engine:
    return creer_moteur(url)


def empreinte_fichier(chemin: Path) -> str:
    condensat = hashlib.sha256()
    with chemin.open("rb") as flux:
        for bloc in iter(lambda: flux.read(1 << 20), b""):
            condensat.update(bloc)
    return condensat.hexdigest()


def _maintenant() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _rapport_existant(connexion: Connection, chemin: Path, empreinte: str) -> RapportImport | None:
    ligne = connexion.execute(select(_VERSIONS).where(_VERSIONS.c.empreinte == empreinte)).first()
    if ligne is None:
        return None
    return RapportImport(
        fichier=chemin.name,
        empreinte=empreinte,
        version_id=ligne.id,
        date_applicabilite=ligne.date_applicabilite,
        mise_en_page=ligne.mise_en_page,
        deja_importe=True,
        lignes_lues=0,
        valeurs=ligne.nombre_valeurs,
        lignes_sans_valeur=0,
        rattachements=0,
        cpne=0,
        duree_secondes=0.0,
    )


class _Lots:
    """Insertions groupées par lots de `TAILLE_LOT` lignes."""

    def __init__(self, connexion: Connection, table: Any) -> None:
        self.connexion = connexion
        self.table = table
        self.lot: list[dict[str, Any]] = []
        self.total = 0

    def ajouter(self, ligne: dict[str, Any]) -> None:
        self.lot.append(ligne)
        if len(self.lot) >= TAILLE_LOT:
            self.vider()

    def vider(self) -> None:
        if self.lot:
            self.connexion.execute(insert(self.table), self.lot)
            self.total += len(self.lot)
            self.lot = []


_COLONNES_VALEURS = (
    "version_id",
    "numero_ligne",
    "code_certification",
    "code_cpne",
    "valeur",
    "statut",
    "date_applicabilite",
    "partage",
)


def _meme(valeur: Any) -> Any:
    return valeur


def _iso(jour: date | None) -> str | None:
    return None if jour is None else jour.isoformat()


class _LotsValeurs:
    """Insertion rapide des valeurs : requête du pilote (`executemany`) sur des tuples, sans
    le traitement ligne à ligne de SQLAlchemy. Sur SQLite, montants en texte décimal exact et
    dates ISO (ce que le type `Date` de SQLAlchemy relit)."""

    def __init__(self, connexion: Connection) -> None:
        self.connexion = connexion
        marque = "?" if connexion.dialect.paramstyle == "qmark" else "%s"
        self.sql = (
            f"INSERT INTO {_VALEURS.name} ({', '.join(_COLONNES_VALEURS)}) "
            f"VALUES ({', '.join([marque] * len(_COLONNES_VALEURS))})"
        )
        sqlite = connexion.dialect.name == "sqlite"
        self.montant: Callable[[Decimal], Any] = str if sqlite else _meme
        self.jour: Callable[[date | None], Any] = _iso if sqlite else _meme
        self.lot: list[tuple[Any, ...]] = []
        self.total = 0

    def vider(self) -> None:
        if self.lot:
            self.connexion.exec_driver_sql(self.sql, self.lot)
            self.total += len(self.lot)
            self.lot = []


def importer_npec(
    url: str,
    chemin: str | Path,
    *,
    date_applicabilite: date | None = None,
    progression: Progression | None = None,
) -> RapportImport:
    """Importe un classeur NPEC comme nouvelle version du référentiel.

    Date d'applicabilité de la version : `date_applicabilite` si elle est donnée, sinon la plus
    ancienne date de la colonne « Date d'applicabilité » de l'onglet, sinon la date du nom du
    fichier ; sans aucune des trois, `FichierReferentielInvalide`. Le même fichier (même
    SHA-256) importé deux fois rend la version existante (`deja_importe`).
    """
    debut = time.perf_counter()
    chemin = Path(chemin)
    if not chemin.is_file():
        raise FichierReferentielInvalide(f"fichier introuvable : {chemin}")
    empreinte = empreinte_fichier(chemin)
    moteur = _moteur(url)
    with moteur.connect() as connexion:
        existant = _rapport_existant(connexion, chemin, empreinte)
    if existant is not None:
        return existant
    with ClasseurNpec(chemin) as classeur:
        date_fichier = date_du_nom(chemin)
        if (
            date_applicabilite is None
            and date_fichier is None
            and not classeur.a_des_dates_par_ligne
        ):
            raise FichierReferentielInvalide(
                f"{chemin.name} : date d'applicabilité introuvable (ni colonne de date dans "
                "l'onglet, ni date AAAA-MM-JJ dans le nom du fichier) ; "
                "indiquez-la avec --date-applicabilite AAAA-MM-JJ"
            )
        annoncees = classeur.hauteur_valeurs()
        with moteur.begin() as connexion:
            version_id = connexion.execute(
                insert(_VERSIONS).returning(_VERSIONS.c.id),
                {
                    "date_applicabilite": date_applicabilite or date_fichier or date.min,
                    "fichier": chemin.name[:255],
                    "empreinte": empreinte,
                    "mise_en_page": classeur.mise_en_page.nom,
                    "nombre_valeurs": 0,
                    "date_import": _maintenant(),
                },
            ).scalar_one()
            libelles: dict[str, str] = {}
            valeurs = _LotsValeurs(connexion)
            lot = valeurs.lot
            lues = sans_valeur = 0
            plus_ancienne: date | None = None
            jour: date | None = None
            jour_base: Any = None
            for ligne in classeur.lignes_npec():
                lues += 1
                if lues % PAS_PROGRESSION == 0 and progression is not None:
                    progression(lues, annoncees)
                if ligne.code_cpne not in libelles and ligne.libelle_cpne:
                    libelles[ligne.code_cpne] = ligne.libelle_cpne
                if ligne.valeur is None:
                    sans_valeur += 1
                    continue
                if ligne.date_applicabilite != jour:
                    jour = ligne.date_applicabilite
                    jour_base = valeurs.jour(jour)
                    if jour is not None and (plus_ancienne is None or jour < plus_ancienne):
                        plus_ancienne = jour
                partage = len(ligne.codes_certification)
                montant = valeurs.montant(ligne.valeur)
                statut = ligne.statut[:12]
                for code in ligne.codes_certification:
                    lot.append(
                        (
                            version_id,
                            ligne.numero,
                            code,
                            ligne.code_cpne,
                            montant,
                            statut,
                            jour_base,
                            partage,
                        )
                    )
                if len(lot) >= TAILLE_LOT:
                    valeurs.vider()
                    lot = valeurs.lot
            valeurs.vider()
            rattachements = _importer_rattachements(connexion, version_id, classeur, libelles)
            _inserer_cpne(connexion, version_id, libelles)
            date_version = date_applicabilite or plus_ancienne or date_fichier
            if date_version is None:
                raise FichierReferentielInvalide(
                    f"{chemin.name} : la colonne de date d'applicabilité est vide et le nom du "
                    "fichier ne porte pas de date ; indiquez-la avec --date-applicabilite"
                )
            connexion.execute(
                update(_VERSIONS)
                .where(_VERSIONS.c.id == version_id)
                .values(date_applicabilite=date_version, nombre_valeurs=valeurs.total)
            )
        if progression is not None:
            progression(lues, lues)
        return RapportImport(
            fichier=chemin.name,
            empreinte=empreinte,
            version_id=version_id,
            date_applicabilite=date_version,
            mise_en_page=classeur.mise_en_page.nom,
            deja_importe=False,
            lignes_lues=lues,
            valeurs=valeurs.total,
            lignes_sans_valeur=sans_valeur,
            rattachements=rattachements,
            cpne=len(libelles),
            duree_secondes=time.perf_counter() - debut,
        )


def _importer_rattachements(
    connexion: Connection, version_id: int, classeur: ClasseurNpec, libelles: dict[str, str]
) -> int:
    rangs: dict[tuple[str, str], int] = {}
    for rattachement in classeur.rattachements():
        if rattachement.libelle_cpne and rattachement.code_cpne not in libelles:
            libelles[rattachement.code_cpne] = rattachement.libelle_cpne
        rangs.setdefault((rattachement.idcc, rattachement.code_cpne), len(rangs))
    _inserer_rattachements(connexion, version_id, rangs)
    return len(rangs)


def _inserer_rattachements(
    connexion: Connection, version_id: int, rangs: dict[tuple[str, str], int]
) -> None:
    lots = _Lots(connexion, _IDCC_CPNE)
    for (idcc, code_cpne), rang in rangs.items():
        lots.ajouter({"version_id": version_id, "idcc": idcc, "code_cpne": code_cpne, "rang": rang})
    lots.vider()


def _inserer_cpne(connexion: Connection, version_id: int, libelles: dict[str, str]) -> None:
    lots = _Lots(connexion, _CPNE)
    for code_cpne, libelle in libelles.items():
        lots.ajouter({"version_id": version_id, "code_cpne": code_cpne, "libelle": libelle[:300]})
    lots.vider()


def importer_idcc_opco(url: str, chemin: str | Path) -> RapportIdccOpco:
    """Charge (ajoute ou met à jour) la table IDCC → OPCO depuis un CSV `idcc;opco;libelle_idcc`."""
    chemin = Path(chemin)
    lignes = {ligne.idcc: ligne for ligne in lignes_idcc_opco(chemin)}
    ajoutees = modifiees = 0
    with _moteur(url).begin() as connexion:
        existantes = {
            ligne.idcc: (ligne.opco, ligne.libelle_idcc)
            for ligne in connexion.execute(select(_IDCC_OPCO))
        }
        nouvelles = []
        for idcc, ligne in lignes.items():
            avant = existantes.get(idcc)
            if avant is None:
                nouvelles.append(
                    {"idcc": idcc, "opco": ligne.opco, "libelle_idcc": ligne.libelle_idcc[:300]}
                )
            elif avant != (ligne.opco, ligne.libelle_idcc[:300]):
                connexion.execute(
                    update(_IDCC_OPCO)
                    .where(_IDCC_OPCO.c.idcc == idcc)
                    .values(opco=ligne.opco, libelle_idcc=ligne.libelle_idcc[:300])
                )
                modifiees += 1
        if nouvelles:
            connexion.execute(insert(_IDCC_OPCO), nouvelles)
            ajoutees = len(nouvelles)
    return RapportIdccOpco(
        fichier=chemin.name,
        lignes=len(lignes),
        ajoutees=ajoutees,
        modifiees=modifiees,
        inchangees=len(lignes) - ajoutees - modifiees,
    )


def lister_versions(url: str) -> list[VersionImportee]:
    """Les versions du référentiel NPEC en base, de la plus ancienne à la plus récente."""
    with _moteur(url).connect() as connexion:
        lignes = connexion.execute(
            select(_VERSIONS).order_by(_VERSIONS.c.date_applicabilite, _VERSIONS.c.id)
        ).all()
    return [_version_importee(ligne) for ligne in lignes]


def _version_importee(ligne: Any) -> VersionImportee:
    return VersionImportee(
        version_id=ligne.id,
        date_applicabilite=ligne.date_applicabilite,
        fichier=ligne.fichier,
        mise_en_page=ligne.mise_en_page,
        valeurs=ligne.nombre_valeurs,
        date_import=ligne.date_import,
    )


def retirer_version(url: str, version_id: int) -> VersionImportee:
    """Retire une version du référentiel NPEC (importée par erreur) et tout ce qui en dépend
    (valeurs, rattachements IDCC → CPNE, libellés CPNE), dans une transaction ; rend ce qui a
    été retiré. Les tables filles sont vidées explicitement : SQLite n'applique `ON DELETE
    CASCADE` que si les clés étrangères sont activées. Les dossiers déjà instruits gardent les
    montants de leur décision ; seules les instructions suivantes ne voient plus la version."""
    with _moteur(url).begin() as connexion:
        ligne = connexion.execute(
            select(_VERSIONS).where(_VERSIONS.c.id == version_id)
        ).one_or_none()
        if ligne is None:
            existantes = connexion.execute(select(_VERSIONS.c.id).order_by(_VERSIONS.c.id))
            numeros = ", ".join(str(n) for n in existantes.scalars()) or "aucune"
            raise VersionIntrouvable(
                f"aucune version n° {version_id} du référentiel NPEC en base "
                f"(versions présentes : {numeros})."
            )
        for table in (_VALEURS, _IDCC_CPNE, _CPNE):
            connexion.execute(delete(table).where(table.c.version_id == version_id))
        connexion.execute(delete(_VERSIONS).where(_VERSIONS.c.id == version_id))
    return _version_importee(ligne)


def opco_de_idcc(url: str, idcc: str | int) -> str | None:
    """Le code OPCO de l'IDCC, ou None s'il n'est pas dans la table."""
    with _moteur(url).connect() as connexion:
        return connexion.execute(
            select(_IDCC_OPCO.c.opco).where(_IDCC_OPCO.c.idcc == normaliser_idcc(idcc))
        ).scalar_one_or_none()


def _decimal(valeur: Decimal) -> Decimal:
    """La valeur relue (échelle 4 en base) sans zéros inutiles : 8000.0000 → 8000."""
    valeur = Decimal(valeur)
    return valeur.quantize(Decimal(1)) if valeur == valeur.to_integral() else valeur.normalize()


def _versions(
    valeurs: Iterable[Any],
    rattachements: Iterable[Any],
    libelles: Iterable[Any],
    entetes: Iterable[Any],
) -> ReferentielNpec:
    """Assemble les versions ; pour un même couple (certification, CPNE) d'une version, la
    ligne qui nomme la certification seule l'emporte, puis la dernière ligne du classeur."""
    par_version: dict[int, dict[tuple[str, str], tuple[int, int, ValeurNpec]]] = defaultdict(dict)
    for ligne in valeurs:
        cle = (ligne.code_certification, ligne.code_cpne)
        rang = (-ligne.partage, ligne.numero_ligne)
        deja = par_version[ligne.version_id].get(cle)
        if deja is None or rang > deja[:2]:
            par_version[ligne.version_id][cle] = (
                *rang,
                ValeurNpec(
                    valeur=_decimal(ligne.valeur),
                    statut=ligne.statut,
                    date_applicabilite=ligne.date_applicabilite,
                ),
            )
    cpne_par_idcc: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for ligne in rattachements:
        cpne_par_idcc[ligne.version_id][ligne.idcc].append((ligne.rang, ligne.code_cpne))
    noms: dict[int, dict[str, str]] = defaultdict(dict)
    for ligne in libelles:
        noms[ligne.version_id][ligne.code_cpne] = ligne.libelle
    return ReferentielNpec(
        versions=tuple(
            VersionNpec(
                date_applicabilite=entete.date_applicabilite,
                valeurs={cle: v[2] for cle, v in par_version[entete.id].items()},
                cpne_par_idcc={
                    idcc: tuple(code for _, code in sorted(codes))
                    for idcc, codes in cpne_par_idcc[entete.id].items()
                },
                libelles_cpne=noms[entete.id],
                source=entete.fichier,
            )
            for entete in entetes
        )
    )


def charger_referentiel(url: str) -> ReferentielNpec:
    """Tout le référentiel NPEC de la base, en mémoire (pour le serveur ou le simulateur)."""
    with _moteur(url).connect() as connexion:
        entetes = connexion.execute(
            select(_VERSIONS).order_by(_VERSIONS.c.date_applicabilite, _VERSIONS.c.id)
        ).all()
        rattachements = connexion.execute(select(_IDCC_CPNE)).all()
        libelles = connexion.execute(select(_CPNE)).all()
        return _versions(connexion.execute(select(_VALEURS)), rattachements, libelles, entetes)


def npec_applicable(
    url: str,
    rncp: str | None,
    idcc: str | int | None,
    date_conclusion: date,
    niveau: int | None = None,
    *,
    code_diplome: str | None = None,
) -> ResolutionNpec | None:
    """La NPEC d'un contrat, lue en base par requêtes ciblées (sans charger tout le référentiel),
    avec exactement les règles de `financement.npec.resoudre_npec`."""
    codes = [normaliser_rncp(c) for c in (rncp, code_diplome) if c is not None and c.strip()]
    idcc_norme = normaliser_idcc(idcc) if idcc is not None and str(idcc).strip() else None
    if not codes or idcc_norme is None:
        return resoudre_npec(ReferentielNpec(), rncp, idcc, date_conclusion, niveau)
    with _moteur(url).connect() as connexion:
        entetes = connexion.execute(
            select(_VERSIONS)
            .where(_VERSIONS.c.date_applicabilite <= date_conclusion)
            .order_by(_VERSIONS.c.date_applicabilite, _VERSIONS.c.id)
        ).all()
        ids = [entete.id for entete in entetes]
        rattachements = connexion.execute(
            select(_IDCC_CPNE).where(
                _IDCC_CPNE.c.version_id.in_(ids), _IDCC_CPNE.c.idcc == idcc_norme
            )
        ).all()
        cpnes = sorted({r.code_cpne for r in rattachements})
        valeurs = connexion.execute(
            select(_VALEURS).where(
                _VALEURS.c.code_certification.in_(codes),
                _VALEURS.c.code_cpne.in_(cpnes),
                _VALEURS.c.version_id.in_(ids),
            )
        ).all()
        libelles = connexion.execute(
            select(_CPNE).where(_CPNE.c.version_id.in_(ids), _CPNE.c.code_cpne.in_(cpnes))
        ).all()
        referentiel = _versions(valeurs, rattachements, libelles, entetes)
    return resoudre_npec(
        referentiel, rncp, idcc_norme, date_conclusion, niveau, code_diplome=code_diplome
    )


def charger_exemples(url: str) -> bool:
    """Charge les échantillons synthétiques livrés (IDCC → OPCO et référentiel NPEC) dans une
    base qui n'a encore aucun référentiel. Rend False (sans rien changer) sinon."""
    moteur = _moteur(url)
    with moteur.begin() as connexion:
        if connexion.execute(select(_VERSIONS.c.id).limit(1)).first() is not None:
            return False
        if connexion.execute(select(_IDCC_OPCO.c.idcc).limit(1)).first() is None:
            connexion.execute(
                insert(_IDCC_OPCO),
                [
                    {"idcc": idcc, "opco": opco, "libelle_idcc": exemples.libelles_idcc()[idcc]}
                    for idcc, opco in exemples.idcc_opco().items()
                ],
            )
        for version in exemples.referentiel_exemple().versions:
            _inserer_version_exemple(connexion, version)
    return True


def _inserer_version_exemple(connexion: Connection, version: VersionNpec) -> None:
    empreinte = hashlib.sha256(version.source.encode()).hexdigest()
    version_id = connexion.execute(
        insert(_VERSIONS).returning(_VERSIONS.c.id),
        {
            "date_applicabilite": version.date_applicabilite,
            "fichier": version.source,
            "empreinte": empreinte,
            "mise_en_page": "exemple",
            "nombre_valeurs": len(version.valeurs),
            "date_import": _maintenant(),
        },
    ).scalar_one()
    lots = _Lots(connexion, _VALEURS)
    for numero, ((code, code_cpne), valeur) in enumerate(version.valeurs.items(), start=1):
        lots.ajouter(
            {
                "version_id": version_id,
                "numero_ligne": numero,
                "code_certification": code,
                "code_cpne": code_cpne,
                "valeur": valeur.valeur,
                "statut": valeur.statut,
                "date_applicabilite": valeur.date_applicabilite,
                "partage": 1,
            }
        )
    lots.vider()
    _inserer_rattachements(
        connexion,
        version_id,
        {
            (idcc, code_cpne): rang
            for idcc, codes in version.cpne_par_idcc.items()
            for rang, code_cpne in enumerate(codes)
        },
    )
    _inserer_cpne(connexion, version_id, dict(version.libelles_cpne))
