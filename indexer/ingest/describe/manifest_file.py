"""The editors' manifest (``manifest.csv``): its columns, reading it as editors save it or as
the web app writes it, and writing it — rows the web app adds for uploads, rows taken out and
put back with the trash, and a manifest of the current metadata of a whole folder
(`kb export-manifest`).

Reading tells the problems of the file itself (unreadable, no ``path`` column, a path listed
twice); what its values mean is for `metadata` to check against the taxonomy. The uploads
folder's manifest is written in its one fixed dialect (`UploadsDialect`); rewrites go through a
temporary file renamed over the old one, so a reader never sees half a manifest.
"""

from __future__ import annotations

import csv
import io
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...store.catalog import Catalog
from ...text.controls import one_line
from ..extract.text import decode_bytes
from ..folder_files import MANIFEST_NAME

MANIFEST_COLUMNS = (
    "path",
    "title",
    "country",
    "topic",
    "type",
    "year",
    "organisation",
    "language",
    "work",
    "place",
)
LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")
LIST_JOIN = "; "
#: In a row given to `describe`, the columns whose values are editors' corrections (laid over
#: the manifest's row by `metadata.with_edits`), so they are shown as corrections. Not a
#: column: it is never written to a manifest.
CORRECTED = "#corrected"


class UploadsDialect(csv.excel):
    """The one dialect of the manifest the web app keeps for uploads, written and read back:
    commas, every field in double quotes, a double quote inside a field doubled."""

    quoting = csv.QUOTE_ALL


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ManifestRow:
    line: int
    key: str  # the relative path it describes, normalised
    values: dict[str, str]


@dataclass(frozen=True)
class ManifestProblem:
    """Something in ``manifest.csv`` that editors must fix, with the row it is on."""

    code: str  # unreadable | no-path-column | listed-twice | unknown-value | not-a-year | no-file
    message: str
    path: str = MANIFEST_NAME
    line: int | None = None

    def __str__(self) -> str:
        where = f"{MANIFEST_NAME} line {self.line}" if self.line else MANIFEST_NAME
        return f"{where}: {self.message}"


@dataclass
class Manifest:
    """Rows of ``manifest.csv`` keyed by relative path, plus problems found while reading it."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def row_for(self, path: str) -> dict[str, str] | None:
        row = self.rows.get(path)
        if row is None:
            row = self.rows.get(path.casefold())
        return row


def _manifest_key(path: str) -> str:
    p = path.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p.lstrip("/")


def _editors_dialect(header: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab: whichever splits the header row into the most known columns.

    Only the header decides. Guessing from the whole file (``csv.Sniffer``) takes a title such
    as ``x';'y';'z`` for a sign that fields are quoted with apostrophes, and then reads every
    row wrongly.
    """

    def known(delimiter: str) -> int:
        names = {n.strip().strip('"').strip().lower() for n in header.split(delimiter)}
        return len(names & set(MANIFEST_COLUMNS))

    delimiter = max((",", ";", "\t"), key=known)
    return type("EditorsDialect", (csv.excel,), {"delimiter": delimiter})


def _value(column: str, value: str | None) -> str:
    """A cell as the knowledge base keeps it: a path as written, every other value on one
    line without control characters."""
    if column.strip().lower() == "path":
        return (value or "").strip()
    return one_line(value or "")


def iter_manifest(
    root: Path, dialect: type[csv.Dialect] | None = None
) -> Iterator[ManifestRow | ManifestProblem]:
    """The rows of ``<root>/manifest.csv`` one by one, and the problems of the file as a whole.

    Editors' files may be UTF-8 (with or without BOM) or any encoding Excel saves, separated by
    commas, semicolons or tabs (``dialect`` fixes the format instead, as for uploads). Whether
    a path is listed twice is for the reader of the rows to tell.
    """
    path = root / MANIFEST_NAME
    if not path.is_file():
        return
    try:
        text, _ = decode_bytes(path.read_bytes())
    except Exception as err:
        yield ManifestProblem("unreadable", f"cannot be read ({err})")
        return
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect or _editors_dialect(header))
    try:
        fieldnames = reader.fieldnames
        if not fieldnames or "path" not in [f.strip().lower() for f in fieldnames]:
            yield ManifestProblem(
                "no-path-column", "the first row must name the columns, with 'path'", line=1
            )
            return
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): _value(k, v) for k, v in raw.items() if k}
            key = _manifest_key(row.get("path", ""))
            if key:
                yield ManifestRow(line, key, row)
    except csv.Error as err:
        yield ManifestProblem("unreadable", f"cannot be read ({err})", line=reader.line_num)


def read_manifest(root: Path, dialect: type[csv.Dialect] | None = None) -> Manifest:
    """The whole manifest in memory (see `iter_manifest`)."""
    manifest = Manifest()
    for item in iter_manifest(root, dialect):
        if isinstance(item, ManifestProblem):
            manifest.problems.append(str(item))
            continue
        if item.key in manifest.rows:
            manifest.problems.append(
                str(
                    ManifestProblem(
                        "listed-twice", f"{item.key} is listed twice", item.key, item.line
                    )
                )
            )
        manifest.rows[item.key] = item.values
        manifest.rows.setdefault(item.key.casefold(), item.values)
    return manifest


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
_lock = threading.Lock()


def _writer(fh: Any) -> csv.DictWriter[str]:
    return csv.DictWriter(
        fh, fieldnames=list(MANIFEST_COLUMNS), dialect=UploadsDialect, extrasaction="ignore"
    )


def append_rows(root: Path, rows: Iterable[dict[str, str]]) -> None:
    """Add rows to ``root``'s uploads manifest (made with its header when missing)."""
    path = root / MANIFEST_NAME
    with _lock:
        new = not path.exists()
        root.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8", newline="") as fh:
            writer = _writer(fh)
            if new:
                writer.writeheader()
            for row in rows:
                writer.writerow({k: row.get(k, "") for k in MANIFEST_COLUMNS})


def take_row(root: Path, path: str) -> dict[str, str] | None:
    """Remove the row of ``path`` from ``root``'s uploads manifest; return it (None if absent)."""
    with _lock:
        kept: list[dict[str, str]] = []
        taken = None
        for item in iter_manifest(root, UploadsDialect):
            if not isinstance(item, ManifestRow):
                continue
            if item.key == path:
                taken = item.values
            else:
                kept.append(item.values)
        if taken is not None:
            write_rows(root / MANIFEST_NAME, kept)
        return taken


def write_csv(fh: Any, rows: Iterable[dict[str, Any]]) -> None:
    """A manifest with its header, lists joined with "; "."""
    writer = _writer(fh)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: cell(row.get(k)) for k in MANIFEST_COLUMNS})


def write_rows(target: Path, rows: Iterable[dict[str, Any]]) -> None:
    """A whole manifest at ``target``, replaced in one step."""
    buffer = io.StringIO()
    write_csv(buffer, rows)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    os.replace(temporary, target)


def cell(value: Any) -> str:
    """A metadata value as a manifest writes it (lists joined by "; ")."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def export_rows(catalog: Catalog, root: Path) -> list[dict[str, Any]]:
    """The current metadata of every indexed document of ``root``, as manifest rows: what the
    manifest, the files, inference and the editors' corrections add up to now."""
    return [
        {"path": f.path} | {k: f.value(k) for k in MANIFEST_COLUMNS[1:]}
        for f in catalog.files(status="indexed", root=str(root))
    ]
