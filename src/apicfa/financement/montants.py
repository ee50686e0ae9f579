"""Montants au centime : entiers de centimes dans les calculs, `Decimal` à la frontière.

Arrondi commercial (au demi-centime supérieur, « half-up »). Les calculs internes se font en
entiers pour la vitesse et l'exactitude ; les modèles exposent des `Decimal` à deux décimales.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENTIME = Decimal("0.01")


def diviser_arrondi(numerateur: int, denominateur: int) -> int:
    """`numerateur / denominateur` arrondi au plus proche, demi vers le haut (entiers ≥ 0)."""
    return (2 * numerateur + denominateur) // (2 * denominateur)


def en_centimes(montant: Decimal | int | str) -> int:
    """Un montant en euros (`Decimal`, entier ou texte « 8000.50 ») en centimes, arrondi half-up."""
    try:
        valeur = Decimal(montant) if not isinstance(montant, Decimal) else montant
        return int((valeur * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError, TypeError) as erreur:
        raise ValueError(f"montant illisible : {montant!r}") from erreur


def en_euros(centimes: int) -> Decimal:
    """Des centimes en `Decimal` à deux décimales (245000 → Decimal('2450.00'))."""
    return Decimal(centimes).scaleb(-2)


def texte_euros(centimes: int) -> str:
    """Écriture française d'un montant : 245000 → « 2 450,00 € »."""
    signe = "-" if centimes < 0 else ""
    entiers, reste = divmod(abs(centimes), 100)
    groupes = f"{entiers:,}".replace(",", "\u202f")
    return f"{signe}{groupes},{reste:02d} €"


EUROS_CONNUS: dict[int, Decimal] = {}
_TAILLE_MAX_CACHE = 200_000


def euros(centimes: int) -> Decimal:
    """Comme `en_euros`, avec un cache : les mêmes montants reviennent sans cesse dans un
    portefeuille (les `Decimal` sont immuables, les partager ne risque rien)."""
    valeur = EUROS_CONNUS.get(centimes)
    if valeur is None:
        if len(EUROS_CONNUS) >= _TAILLE_MAX_CACHE:
            EUROS_CONNUS.clear()
        valeur = EUROS_CONNUS[centimes] = Decimal(centimes).scaleb(-2)
    return valeur


NPEC_CONNUS: dict[Decimal, int] = {}


def centimes_npec(npec: Decimal) -> int:
    """Le NPEC en centimes (arrondi half-up), avec un cache : un référentiel n'a que quelques
    milliers de valeurs distinctes."""
    centimes = NPEC_CONNUS.get(npec)
    if centimes is None:
        if len(NPEC_CONNUS) >= _TAILLE_MAX_CACHE:
            NPEC_CONNUS.clear()
        centimes = NPEC_CONNUS[npec] = en_centimes(npec)
    return centimes
