"""Comptes CFA et clés d'API par OPCO : création, liste, révocation, authentification."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from apicfa.norme.codes import OPCOS
from apicfa.portail.secrets import empreinte, generer_secret
from apicfa.stockage.tables import Cfa, CleApi


class CompteInvalide(ValueError):
    """Demande de compte impossible (OPCO inconnue, SIRET déjà inscrit…) ; message en français."""


@dataclass(frozen=True)
class CompteCree:
    cfa: Cfa
    cles: dict[str, str]


@dataclass(frozen=True)
class CleValide:
    cfa_id: int
    opco: str
    siret: str
    date_fin_validite: date | None


def lire_opcos(codes: Iterable[str] | None) -> list[str]:
    """Valide une liste de codes OPCO (toutes les OPCO si vide)."""
    liste = [c.strip().lower() for c in (codes or []) if c.strip()]
    if not liste:
        return list(OPCOS)
    inconnues = [c for c in liste if c not in OPCOS]
    if inconnues:
        raise CompteInvalide(
            f"OPCO inconnue : {', '.join(inconnues)} (codes admis : {', '.join(OPCOS)})."
        )
    return list(dict.fromkeys(liste))


def creer_cfa(
    session: Session,
    *,
    siret: str,
    uai: str,
    nom: str,
    opcos: Iterable[str] | None,
    expire_le: date | None,
    maintenant: datetime,
) -> CompteCree:
    codes = lire_opcos(opcos)
    if not (siret.isdigit() and len(siret) == 14):
        raise CompteInvalide(f"Le SIRET « {siret} » doit compter 14 chiffres.")
    if not uai or len(uai) > 16 or not nom or len(nom) > 200:
        raise CompteInvalide("L'UAI (16 caractères au plus) et le nom (200 au plus) sont requis.")
    if session.scalar(select(Cfa).where(Cfa.siret == siret)) is not None:
        raise CompteInvalide(f"Un CFA de SIRET {siret} existe déjà.")
    cfa = Cfa(siret=siret, uai=uai, nom=nom, date_creation=maintenant)
    session.add(cfa)
    session.flush()
    cles = {code: ajouter_cle(session, cfa, code, expire_le, maintenant) for code in codes}
    return CompteCree(cfa, cles)


def ajouter_cle(
    session: Session, cfa: Cfa, opco: str, expire_le: date | None, maintenant: datetime
) -> str:
    cle = generer_secret(f"cfa_{opco}")
    session.add(
        CleApi(
            cfa_id=cfa.id,
            opco=opco,
            empreinte=empreinte(cle),
            prefixe=cle[: len(opco) + 9],
            date_fin_validite=expire_le,
            date_creation=maintenant,
        )
    )
    session.flush()
    return cle


def lister_cfa(session: Session) -> list[tuple[Cfa, list[CleApi]]]:
    cfas = session.scalars(select(Cfa).order_by(Cfa.id)).all()
    cles = session.scalars(select(CleApi).order_by(CleApi.cfa_id, CleApi.opco, CleApi.id)).all()
    par_cfa: dict[int, list[CleApi]] = {}
    for cle in cles:
        par_cfa.setdefault(cle.cfa_id, []).append(cle)
    return [(cfa, par_cfa.get(cfa.id, [])) for cfa in cfas]


def revoquer(session: Session, siret: str, opco: str, maintenant: datetime) -> int:
    """Révoque les clés actives du CFA pour cette OPCO ; rend leur nombre."""
    cfa = session.scalar(select(Cfa).where(Cfa.siret == siret))
    if cfa is None:
        raise CompteInvalide(f"Aucun CFA de SIRET {siret}.")
    (code,) = lire_opcos([opco])
    resultat = session.execute(
        update(CleApi)
        .where(CleApi.cfa_id == cfa.id, CleApi.opco == code, CleApi.revoquee_le.is_(None))
        .values(revoquee_le=maintenant)
    )
    return int(resultat.rowcount or 0)  # type: ignore[attr-defined]


def cle_valide(session: Session, cle: str, aujourd_hui: date) -> CleValide | None:
    """La clé si elle existe, n'est pas révoquée et n'a pas expiré ; sinon None."""
    ligne = session.execute(
        select(CleApi, Cfa.siret)
        .join(Cfa, Cfa.id == CleApi.cfa_id)
        .where(CleApi.empreinte == empreinte(cle))
    ).first()
    if ligne is None:
        return None
    trouvee, siret = ligne
    if trouvee.revoquee_le is not None:
        return None
    if trouvee.date_fin_validite is not None and trouvee.date_fin_validite < aujourd_hui:
        return None
    return CleValide(trouvee.cfa_id, trouvee.opco, siret, trouvee.date_fin_validite)


def base_vide(session: Session) -> bool:
    return session.scalar(select(Cfa.id).limit(1)) is None
