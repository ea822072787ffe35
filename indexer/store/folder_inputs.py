"""What a run over a folder read besides its files, as the catalog remembers it (``folder_inputs``).

A run that finds nothing changed still read every manifest row, checked it against the
taxonomy, and looked every file up in the catalog one statement at a time: most of its cost.
The catalog therefore keeps, per folder, a fingerprint of those other inputs as the latest
complete run read them (`ingest.planning.unchanged` makes it), and answers here the few
questions that let the next run see at once that the files and their rows still agree.

The rule that keeps it safe: a run that may change a folder's rows forgets the folder's
fingerprint before its first change and records a new one only after its last, so an
interrupted run leaves no fingerprint behind and the next run plans in full.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from typing import NamedTuple

from .catalog import Catalog


class LiveFile(NamedTuple):
    """What a folder's walk compares with a live row (indexed or failed)."""

    size: int
    mtime_ns: int
    reason_code: str | None


def recorded(catalog: Catalog, root: str) -> str | None:
    """The fingerprint the latest complete run over ``root`` recorded, if any."""
    row = catalog.db.execute(
        "SELECT fingerprint FROM folder_inputs WHERE root = ?", (root,)
    ).fetchone()
    return row[0] if row else None


def record(catalog: Catalog, fingerprints: dict[str, str]) -> None:
    """Remember each folder's fingerprint: a run over them has just ended."""
    now = time.time()
    with catalog.transaction():
        catalog.db.executemany(
            "INSERT OR REPLACE INTO folder_inputs(root, fingerprint, recorded) VALUES (?,?,?)",
            [(root, fingerprint, now) for root, fingerprint in fingerprints.items()],
        )


def forget(catalog: Catalog, roots: Iterable[str]) -> None:
    """Drop the folders' fingerprints: their rows are about to change."""
    catalog.db.executemany("DELETE FROM folder_inputs WHERE root = ?", [(r,) for r in roots])


def outside_runs(catalog: Catalog) -> str:
    """A digest of what changes between runs without a run and changes what a run plans: the
    editors' corrections (they are part of a document's description) and the audit log (a
    manifest row whose file an editor deleted is a note, not a problem)."""
    digest = hashlib.sha256()
    last = catalog.db.execute("SELECT MAX(id) FROM audit").fetchone()[0]
    digest.update(f"audit {last}\n".encode())
    for sha256, fields in catalog.db.execute("SELECT sha256, fields FROM edits ORDER BY sha256"):
        digest.update(f"{sha256} {fields}\n".encode())
    return digest.hexdigest()


def live_files(catalog: Catalog, root: str) -> dict[str, LiveFile]:
    """The live rows of a folder, by path, in one statement."""
    rows = catalog.db.execute(
        "SELECT path, size, mtime_ns, reason_code FROM files "
        "WHERE root = ? AND status IN ('indexed', 'failed')",
        (root,),
    )
    return {path: LiveFile(size, mtime_ns, code) for path, size, mtime_ns, code in rows}
