"""Parcours des listes paginées par `numeroPage` (SPEC §2).

Arrêt sur `total` atteint ou sur une page vide ; une page déjà reçue (même numéro
annoncé ou même contenu) lève ErreurPagination au lieu de boucler sans fin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from apicfa.client.erreurs import ErreurPagination, ErreurReponse
from apicfa.client.reponses import Page

T = TypeVar("T")


def lire_page(corps: Any, cle_elements: str) -> tuple[int | None, int | None, list[dict[str, Any]]]:
    """(total, page, éléments) d'une réponse de liste, objet ou tableau enveloppant."""
    if (
        isinstance(corps, list)
        and len(corps) == 1
        and isinstance(corps[0], dict)
        and (cle_elements in corps[0] or "total" in corps[0])
    ):
        corps = corps[0]  # page enveloppée dans un tableau à un élément
    if isinstance(corps, list):
        return None, None, [e for e in corps if isinstance(e, dict)]
    if not isinstance(corps, dict):
        raise ErreurReponse("Page de liste illisible : objet ou tableau JSON attendu")
    elements = corps.get(cle_elements)
    if elements is None:
        elements = next((v for v in corps.values() if isinstance(v, list)), [])
    if not isinstance(elements, list):
        raise ErreurReponse(f"Page de liste illisible : « {cle_elements} » n'est pas un tableau")
    return _entier(corps.get("total")), _entier(corps.get("page")), elements


def _entier(valeur: Any) -> int | None:
    try:
        return int(valeur)
    except (TypeError, ValueError):
        return None


def parcourir(
    lire: Callable[[int], Page[T]],
    empreinte: Callable[[T], str],
    *,
    route: str,
) -> Iterator[T]:
    """Tous les éléments, page après page, à partir de la page 1."""
    contenus_vus: set[tuple[str, ...]] = set()
    numeros_vus: set[int] = set()
    recus = 0
    numero = 1
    while True:
        page = lire(numero)
        if not page.elements:
            return
        contenu = tuple(empreinte(e) for e in page.elements)
        annonce = page.page if page.page is not None else numero
        if contenu in contenus_vus or annonce in numeros_vus:
            raise ErreurPagination(
                f"{route} : la page {numero} répète une page déjà reçue (page {annonce}) ; "
                "parcours interrompu"
            )
        contenus_vus.add(contenu)
        numeros_vus.add(annonce)
        yield from page.elements
        recus += len(page.elements)
        if page.total is not None and recus >= page.total:
            return
        numero += 1
