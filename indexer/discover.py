"""Walk the document folders and tell which files are new, changed or gone.

Hashing every file on every run would make a run with nothing changed take as long as reading
the whole corpus, so a file whose size and modification time match the catalog is trusted
unchanged; only the others are hashed (SHA-256 of the content decides "changed").
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .metadata import MANIFEST_NAME
from .models import SourceFile

IGNORE_FILE = ".kbignore"
_TEMP_PATTERNS = ("~$*", ".~lock*", "*.tmp", "*.part", "*.crdownload", "Thumbs.db", "desktop.ini")


def read_ignore(root: Path) -> list[str]:
    """Patterns from ``<root>/.kbignore`` (one per line, # comments, ``dir/`` for folders)."""
    path = root / IGNORE_FILE
    if not path.is_file():
        return []
    lines = path.read_text("utf-8", errors="replace").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _ignored(rel: str, is_dir: bool, patterns: list[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        if pattern.endswith("/"):
            if is_dir and (
                fnmatch.fnmatch(rel, pattern[:-1]) or fnmatch.fnmatch(name, pattern[:-1])
            ):
                return True
            continue
        if fnmatch.fnmatch(rel, pattern) or ("/" not in pattern and fnmatch.fnmatch(name, pattern)):
            return True
    return False


def walk(root: Path) -> Iterator[tuple[str, os.stat_result]]:
    """Relative POSIX paths and stat results of candidate files, in a stable order."""
    patterns = read_ignore(root)
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and not _ignored(prefix + d, True, patterns)
        )
        for name in sorted(filenames):
            rel = prefix + name
            if name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in _TEMP_PATTERNS):
                continue
            if rel == MANIFEST_NAME or _ignored(rel, False, patterns):
                continue
            full = Path(dirpath) / name
            try:
                st = full.stat()
            except OSError:
                continue
            if os.path.isfile(full):
                yield rel, st


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class Discovery:
    """What one root looks like now, compared with the catalog."""

    root: Path
    changed: list[SourceFile] = field(default_factory=list)  # new or possibly modified
    unchanged: list[str] = field(default_factory=list)  # relative paths trusted unchanged
    seen: set[str] = field(default_factory=set)


def discover(root: Path, known: dict[str, tuple[int, int]], rehash: bool = False) -> Discovery:
    """``known`` maps relative path → (size, mtime_ns) from the catalog."""
    result = Discovery(root)
    for rel, st in walk(root):
        result.seen.add(rel)
        if not rehash and known.get(rel) == (st.st_size, st.st_mtime_ns):
            result.unchanged.append(rel)
            continue
        try:
            digest = sha256_file(root / rel)
        except OSError:
            continue
        result.changed.append(SourceFile(root, rel, st.st_size, st.st_mtime_ns, digest))
    return result
