"""The taxonomy's file as bytes, apart from what the taxonomy makes of them (`taxonomy`).

A run that finds nothing changed only asks whether the taxonomy is the one the latest run used:
a digest of the file answers that without loading the taxonomy's matchers and the word
handling under them.
"""

from __future__ import annotations

import hashlib
import pkgutil
from pathlib import Path


def taxonomy_bytes(path: str | None = None) -> bytes:
    """The taxonomy file's bytes: the one shipped with the package, or ``path``. The package's
    loader reads it directly (`importlib.resources` would first import its readers, a good
    part of a run that finds nothing changed)."""
    if path:
        return Path(path).read_bytes()
    data = pkgutil.get_data("indexer.data", "taxonomy.json")
    if data is None:  # a loader that cannot read its package's files
        from importlib import resources

        data = resources.files("indexer.data").joinpath("taxonomy.json").read_bytes()
    return data


def taxonomy_digest(path: str | None = None) -> str:
    """A digest of the file: the same bytes are the same taxonomy (the converse may not hold,
    which only costs a run that plans when it need not)."""
    return hashlib.sha256(taxonomy_bytes(path)).hexdigest()
