"""Le catalogue des règles de la norme : chaque code stable, son niveau, son champ, son message.

`CATALOGUE` est une donnée : le générateur de données de démonstration en tire, pour chaque code,
un dossier qui n'enfreint que cette règle ; la documentation en tire la liste des contrôles.
`CATALOGUE_PAR_OBJET` range les mêmes règles par objet (`cerfa`, `facture`, …).
"""

from __future__ import annotations

from apicfa.norme import coherence_cerfa, coherence_objets, schema_cerfa, schema_objets
from apicfa.norme.regle import Regle


def _assembler(*groupes: list[Regle]) -> dict[str, Regle]:
    catalogue: dict[str, Regle] = {}
    for groupe in groupes:
        for regle in groupe:
            if regle.code in catalogue:
                raise ValueError(f"Code de règle en double dans le catalogue : {regle.code}")
            catalogue[regle.code] = regle
    return catalogue


CATALOGUE_PAR_OBJET: dict[str, dict[str, Regle]] = {
    "cerfa": _assembler(schema_cerfa.REGLES_CHAMPS, list(coherence_cerfa.REGLES.values())),
    **{
        objet: _assembler(regles, list(coherence_objets.REGLES[objet].values()))
        for objet, regles in schema_objets.REGLES_SCHEMA.items()
    },
}
CATALOGUE: dict[str, Regle] = _assembler(
    *(list(regles.values()) for regles in CATALOGUE_PAR_OBJET.values())
)
