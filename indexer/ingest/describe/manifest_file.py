"""Writing manifests: rows the web app adds for uploads, rows taken out and put back with the
trash, and a manifest of the current metadata of a whole folder (`kb export-manifest`).

The uploads folder's manifest is written in its one fixed dialect (`metadata.UploadsDialect`);
rewrites go through a temporary file renamed over the old one, so a reader never sees half a
manifest.
"""

from __future__ import annotations

import csv
import io
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...store.catalog import Catalog
from .metadata import MANIFEST_COLUMNS, MANIFEST_NAME, UploadsDialect, iter_manifest
from .metadata import ManifestRow as _Row

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
            if not isinstance(item, _Row):
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
