"""The run that has nothing to do, seen before any plan is built.

Planning a folder reads and checks every manifest row, describes every file's key, and looks
each file up in the catalog; a run that finds nothing changed spent most of its time there to
conclude that every step is "unchanged". This module reaches the same conclusion from less:

- the folder's *inputs* besides its files — the manifest's bytes, whether the folder is the
  uploads folder (its manifest has a fixed format), the editors' corrections and the audit
  log (`store.folder_inputs.outside_runs`), the taxonomy's file and the describing rules'
  version
  — hash to the fingerprint the latest complete run over the folder recorded;
- the walk finds exactly the folder's live rows, each with the size and modification time the
  catalog has (the rule the planner trusts too: a file whose size and time did not change is
  not read), no entry that must be refused, and no failed file of a kind now read.

Then the manifest's problems are those the latest run recorded, every file's step is
"unchanged", and no other folder of the catalog has vanished; anything else and the run plans
as usual. The fingerprint is worth only what the rule in `store.folder_inputs` makes it: a run
that may change rows forgets it first and records it after.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from ...store import folder_inputs
from ...store.catalog import Catalog
from ..describe.version import DESCRIBE_VERSION
from ..folder_files import MANIFEST_NAME
from .discover import scan

#: Bump when what planning makes of a folder's inputs changes without either version above
#: changing (a new manifest problem, another reading of its rows).
INPUTS_VERSION = 1


@dataclass(frozen=True)
class UnchangedFolder:
    """A folder whose run has nothing to do: its files in walk order, its manifest's problems
    as ``(path, line, code, message)`` in the order the latest run found them."""

    root: str
    paths: list[str]
    problems: list[tuple[str, int | None, str, str]]


def fingerprint(root: Path, *, uploads: bool, taxonomy: str, outside_runs: str) -> str:
    """The fingerprint of what a run over ``root`` reads besides its files: ``uploads`` when
    it is the uploads folder, ``taxonomy`` a digest of the taxonomy's file, ``outside_runs``
    the digest of the catalog's corrections and audit log."""
    try:
        manifest = hashlib.sha256((root / MANIFEST_NAME).read_bytes()).hexdigest()
    except FileNotFoundError:
        manifest = None
    except OSError as err:  # a manifest that cannot be read is the planner's to report
        manifest = f"unreadable {err.errno}"
    rules = [INPUTS_VERSION, DESCRIBE_VERSION, taxonomy, uploads, outside_runs, manifest]
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()


def nothing_to_do(
    catalog: Catalog, roots: list[Path], fingerprints: dict[str, str]
) -> list[UnchangedFolder] | None:
    """Each folder of a run, when the run over ``roots`` (not a full one, not retrying failed
    files) has nothing to do; None as soon as something may have changed."""
    names = {str(r) for r in roots}
    if any(not os.path.isdir(r) for r in catalog.roots() if r not in names):
        return None  # a folder outside the run has vanished: its rows leave the index
    for name in names:
        if folder_inputs.recorded(catalog, name) != fingerprints[name]:
            return None
    folders = []
    for root in roots:
        paths = _unchanged_files(catalog, root)
        if paths is None:
            return None
        folders.append(UnchangedFolder(str(root), paths, catalog.recorded_problems(str(root))))
    return folders


def _unchanged_files(catalog: Catalog, root: Path) -> list[str] | None:
    """The folder's files in walk order, if each is a live row of the same size and time and
    every live row is found; else None."""
    live = folder_inputs.live_files(catalog, str(root))
    paths = []
    for entry in scan(root):
        row = live.pop(entry.path, None)
        if entry.problem is not None or row is None:
            return None
        if (row.size, row.mtime_ns) != (entry.size, entry.mtime_ns):
            return None
        if row.reason_code == "unsupported" and _read_now(entry.path):
            return None
        paths.append(entry.path)
    return None if live else paths


def _read_now(path: str) -> bool:
    """Whether a file that failed as of a kind not read is of a kind read now (the planner
    reads it again without being asked). The formats' registry is loaded only for such a
    file."""
    from ..extract import SUPPORTED_SUFFIXES

    return Path(path).suffix.lower() in SUPPORTED_SUFFIXES
