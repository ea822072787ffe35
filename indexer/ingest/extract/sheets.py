"""Spreadsheets (.xlsx with openpyxl, .ods with odfpy): one page per sheet, each row a line of
its cells' text, so an annex, a budget or an indicator table is found by the words and numbers
in its cells and opened at its sheet.

Cells are read as their values (the last computed result of a formula, not the formula). Empty
rows and sheets are left out; a sheet's name heads its page, as an editor knows it by its tab.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from odf import teletype
from odf.namespaces import TABLENS
from odf.opendocument import load
from odf.table import Table, TableRow
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ...errors import EmptyDocument, ExtractionError
from ...models import Extracted, ExtractOptions
from .odt import properties

#: Cells read from one sheet at most; the rest of a huge sheet is left out, with a warning.
MAX_CELLS = 200_000
#: A cell separator that reads as one in the text and in snippets.
SEPARATOR = " | "


def cell_text(value: Any) -> str:
    """A cell's value as a reader would write it: whole numbers without ".0", dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def sheet_page(name: str, rows: Iterable[Iterable[Any]], warnings: list[str]) -> str:
    """One sheet's text: its name, then one line per row that has a value."""
    lines = [name]
    cells = 0
    for row in rows:
        texts = [cell_text(v) for v in row]
        cells += len(texts)
        if cells > MAX_CELLS:
            warnings.append(f"sheet {name}: only the first {MAX_CELLS} cells were read")
            break
        while texts and not texts[-1]:
            texts.pop()
        if any(texts):
            lines.append(SEPARATOR.join(texts))
    return "\n".join(lines) if len(lines) > 1 else ""


def _pages(
    named: list[tuple[str, str]],
    max_pages: int,
    fmt: str,
    meta: dict[str, str],
    warnings: list[str],
) -> Extracted:
    pages = [text for _, text in named if text]
    if not pages:
        raise EmptyDocument("the spreadsheet has no cells with values")
    if len(pages) > max_pages:
        warnings.append(f"only the first {max_pages} of {len(pages)} sheets were read")
        pages = pages[:max_pages]
    return Extracted(format=fmt, pages=pages, meta=meta, warnings=warnings)


def extract_xlsx(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise ExtractionError(f"damaged or not an Excel workbook (.xlsx): {err}") from err
    warnings: list[str] = []
    try:
        named = [
            (sheet.title, sheet_page(sheet.title, sheet.iter_rows(values_only=True), warnings))
            for sheet in book.worksheets
        ]
        props = book.properties
        meta = {
            key: str(value).strip()
            for key, value in (
                ("title", props.title),
                ("author", props.creator),
                ("subject", props.subject),
                ("description", props.description),
                ("keywords", props.keywords),
                ("category", props.category),
                ("created", props.created.isoformat() if props.created else None),
            )
            if value and str(value).strip()
        }
    finally:
        book.close()
    return _pages(named, max_pages, "xlsx", meta, warnings)


def extract_ods(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    try:
        doc = load(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as err:
        raise ExtractionError(f"damaged or not an OpenDocument spreadsheet: {err}") from err
    warnings: list[str] = []
    named = []
    for table in doc.spreadsheet.getElementsByType(Table):
        name = table.getAttrNS(TABLENS, "name") or ""
        named.append((name, sheet_page(name, _ods_rows(table), warnings)))
    meta = properties(doc)
    meta.pop("language", None)
    return _pages(named, max_pages, "ods", meta, warnings)


def _ods_rows(table: Any) -> Iterable[list[str]]:
    """The rows of an OpenDocument table, repeated rows and cells written out once each time
    they hold a value (a run of empty repeated cells, as files pad a sheet with, stays empty)."""
    ns = TABLENS
    for row in table.getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.childNodes:
            if cell.qname not in ((ns, "table-cell"), (ns, "covered-table-cell")):
                continue
            text = teletype.extractText(cell).strip()
            repeat = int(cell.getAttrNS(ns, "number-columns-repeated") or 1)
            cells.extend([text] * (repeat if text else min(repeat, 1)))
        repeat = int(row.getAttrNS(ns, "number-rows-repeated") or 1)
        for _ in range(repeat if any(cells) else 1):
            yield cells
