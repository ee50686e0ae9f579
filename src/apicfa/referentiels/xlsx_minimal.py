"""Écriture en flux d'un classeur .xlsx minimal, avec table de chaînes partagées.

Pour les classeurs synthétiques volumineux (mesures) : openpyxl en mode `write_only` écrit
chaque texte en ligne (fichier quatre fois plus gros que ceux d'Excel, lecture plus lente) et
en mode normal garde toutes les cellules en mémoire. Ici les lignes vont droit dans l'archive ;
seuls les textes distincts restent en mémoire, comme dans les vrais classeurs. Types écrits :
texte, nombre, booléen, date (format de date intégré 14).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

_EPOQUE_EXCEL = date(1899, 12, 30)
_ESPACE_NOMS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PAQUET = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

Onglet = tuple[str, Iterable[Sequence[object]]]


def _colonne(index: int) -> str:
    lettres = ""
    index += 1
    while index:
        index, reste = divmod(index - 1, 26)
        lettres = chr(65 + reste) + lettres
    return lettres


class _Chaines:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.references = 0

    def numero(self, texte: str) -> int:
        self.references += 1
        numero = self.index.get(texte)
        if numero is None:
            numero = self.index[texte] = len(self.index)
        return numero


def _cellule(reference: str, valeur: object, chaines: _Chaines) -> str:
    if isinstance(valeur, bool):
        return f'<c r="{reference}" t="b"><v>{int(valeur)}</v></c>'
    if isinstance(valeur, int | float | Decimal):
        return f'<c r="{reference}"><v>{valeur}</v></c>'
    if isinstance(valeur, date):
        jour = valeur.date() if isinstance(valeur, datetime) else valeur
        return f'<c r="{reference}" s="1"><v>{(jour - _EPOQUE_EXCEL).days}</v></c>'
    return f'<c r="{reference}" t="s"><v>{chaines.numero(str(valeur))}</v></c>'


def _ecrire_onglet(
    archive: zipfile.ZipFile, numero: int, lignes: Iterable[Sequence[object]], chaines: _Chaines
) -> None:
    with archive.open(f"xl/worksheets/sheet{numero}.xml", "w", force_zip64=True) as flux:
        flux.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_ESPACE_NOMS}"><sheetData>'.encode()
        )
        tampon: list[str] = []
        for rang, ligne in enumerate(lignes, start=1):
            cellules = "".join(
                _cellule(f"{_colonne(col)}{rang}", valeur, chaines)
                for col, valeur in enumerate(ligne)
                if valeur is not None and valeur != ""
            )
            tampon.append(f'<row r="{rang}">{cellules}</row>')
            if len(tampon) >= 2_000:
                flux.write("".join(tampon).encode())
                tampon.clear()
        tampon.append("</sheetData></worksheet>")
        flux.write("".join(tampon).encode())


def ecrire_xlsx(chemin: str | Path, onglets: Sequence[Onglet]) -> Path:
    """Écrit les onglets (nom, lignes) dans un classeur .xlsx, dans l'ordre donné."""
    chemin = Path(chemin)
    chaines = _Chaines()
    with zipfile.ZipFile(chemin, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for numero, (_, lignes) in enumerate(onglets, start=1):
            _ecrire_onglet(archive, numero, lignes, chaines)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as flux:
            flux.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_ESPACE_NOMS}" '
                f'count="{chaines.references}" uniqueCount="{len(chaines.index)}">'.encode()
            )
            for texte in chaines.index:
                flux.write(f'<si><t xml:space="preserve">{escape(texte)}</t></si>'.encode())
            flux.write(b"</sst>")
        feuilles = "".join(
            f'<sheet name="{escape(nom, {chr(34): "&quot;"})}" sheetId="{numero}" r:id="rId{numero}"/>'
            for numero, (nom, _) in enumerate(onglets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_ESPACE_NOMS}" '
            f'xmlns:r="{_REL}"><sheets>{feuilles}</sheets></workbook>',
        )
        relations = "".join(
            f'<Relationship Id="rId{numero}" Type="{_REL}/worksheet" Target="worksheets/sheet{numero}.xml"/>'
            for numero in range(1, len(onglets) + 1)
        )
        suivant = len(onglets) + 1
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PAQUET}/relationships">'
            f"{relations}"
            f'<Relationship Id="rId{suivant}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{suivant + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/styles.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_ESPACE_NOMS}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PAQUET}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        surcharges = "".join(
            f'<Override PartName="/xl/worksheets/sheet{numero}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
            for numero in range(1, len(onglets) + 1)
        )
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="{_PAQUET}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f"{surcharges}</Types>",
        )
    return chemin
