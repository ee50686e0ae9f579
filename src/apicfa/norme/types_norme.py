"""Types pydantic de la norme : variantes admises en entrée, une seule forme en sortie.

Les lectures réutilisent les natures du validateur (mêmes formes admises, même canonique) ;
une valeur refusée lève une `ValueError` au message français.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, model_serializer

from apicfa.norme import identifiants as ident
from apicfa.norme import natures
from apicfa.norme.dates import lire_date

CENTIME = Decimal("0.01")


def _lecteur(nature: natures.Nature, quoi: str) -> BeforeValidator:
    def lire(valeur: Any) -> Any:
        if valeur is None:
            return None
        lue, motif = nature.verifier(valeur)
        if motif is not None:
            attendu = "clé de contrôle fausse" if motif == ident.CLE else nature.attendu
            raise ValueError(f"{quoi} invalide ({attendu})")
        return lue

    return BeforeValidator(lire)


def _lire_date(valeur: Any) -> Any:
    if valeur is None or isinstance(valeur, date):
        return valeur
    jour = lire_date(valeur)
    if jour is None:
        raise ValueError("date invalide (attendu AAAA-MM-JJ ou date-heure avec décalage)")
    return jour


def _lire_montant(valeur: Any) -> Any:
    if valeur is None or isinstance(valeur, Decimal):
        return valeur
    montant = natures.lire_decimal(valeur)
    if montant is None:
        raise ValueError("montant invalide (nombre en euros attendu)")
    return montant


def montant_json(montant: Decimal) -> float:
    """Un montant au centime, émis comme nombre JSON (jamais calculé en float)."""
    return float(montant.quantize(CENTIME, rounding=ROUND_HALF_UP))


def _emettre_nir(nir: str) -> str:
    return nir if len(nir) == 15 else nir + ident.cle_nir(nir)


DateNorme = Annotated[
    date,
    BeforeValidator(_lire_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
]
Montant = Annotated[
    Decimal,
    BeforeValidator(_lire_montant),
    PlainSerializer(montant_json, return_type=float, when_used="json"),
]
Siret = Annotated[str, _lecteur(natures.SIRET, "SIRET")]
Uai = Annotated[str, _lecteur(natures.UAI, "UAI")]
Nir = Annotated[str, _lecteur(natures.NIR, "NIR"), PlainSerializer(_emettre_nir, return_type=str)]
Iban = Annotated[str, _lecteur(natures.IBAN, "IBAN")]
Naf = Annotated[str, _lecteur(natures.NAF, "code NAF")]
Idcc = Annotated[str, _lecteur(natures.IDCC, "IDCC")]
Rncp = Annotated[str, _lecteur(natures.RNCP, "RNCP")]
Departement = Annotated[str, _lecteur(natures.DEPARTEMENT, "département")]
Booleen = Annotated[bool, _lecteur(natures.BOOLEEN, "booléen")]
Entier = Annotated[int, _lecteur(natures.entier(), "nombre entier")]
Identifiant = Annotated[str, _lecteur(natures.IDENTIFIANT, "identifiant")]
CodeClasse = Annotated[
    str,
    BeforeValidator(lambda v: f"{v:02d}" if isinstance(v, int) and not isinstance(v, bool) else v),
]


class ModeleNorme(BaseModel):
    """Base des modèles : champs inconnus conservés, `None` jamais émis."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_by_alias=True)

    @model_serializer(mode="wrap")
    def _sans_vides(self, suivant: Any) -> Any:
        donnees = suivant(self)
        if isinstance(donnees, dict):
            return {cle: valeur for cle, valeur in donnees.items() if valeur is not None}
        return donnees
