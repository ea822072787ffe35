"""Exports of a search: every hit the filters select (not one page), written row by row as CSV
or JSON so that a large export streams instead of being built in memory.

CSV cells that a spreadsheet would run as a formula are defused (CSV injection), and the file
starts with a byte order mark so that spreadsheets read its UTF-8 correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from indexer import EXPORT_FIELDS, Hit

#: A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> Any:
    """A value as an export cell; text that a spreadsheet would run as a formula gets a
    leading apostrophe, which spreadsheets show as text and do not display."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(hits: Iterable[Hit]) -> Iterator[str]:
    """The header and one line per hit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheets then read UTF-8 correctly
    for hit in hits:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(hit.get(c)) for c in EXPORT_FIELDS])
        yield buffer.getvalue()


def json_rows(q: str, hits: Iterable[Hit]) -> Iterator[str]:
    """``{"query": …, "hits": [...]}``, one hit per line."""
    yield '{"query": ' + json.dumps(q, ensure_ascii=False) + ', "hits": ['
    for i, hit in enumerate(hits):
        yield (
            ("," if i else "")
            + "\n"
            + json.dumps({c: hit.get(c) for c in EXPORT_FIELDS}, ensure_ascii=False)
        )
    yield "\n]}\n"
