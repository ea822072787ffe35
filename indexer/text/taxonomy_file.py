"""The taxonomy's file as bytes, apart from what the taxonomy makes of them (`taxonomy`).

A run that finds nothing changed only asks whether the taxonomy is the one the latest run used:
a digest of the file answers that without loading the taxonomy's matchers and the word
handling under them.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


def taxonomy_bytes(path: str | None = None) -> bytes:
    """The taxonomy file's bytes: the one shipped with the package, or ``path``."""
    if path:
        return Path(path).read_bytes()
    return resources.files("indexer.data").joinpath("taxonomy.json").read_bytes()


def taxonomy_digest(path: str | None = None) -> str:
    """A digest of the file: the same bytes are the same taxonomy (the converse may not hold,
    which only costs a run that plans when it need not)."""
    return hashlib.sha256(taxonomy_bytes(path)).hexdigest()
