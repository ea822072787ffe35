"""Walk a documents folder: the files to index, and the entries that must not be, with why.

Hashing every file on every run would make a run with nothing changed take as long as reading
the whole collection, so the planner trusts a file whose size and modification time match the
catalog and hashes only the others (SHA-256 of the content decides "changed").

Links: a link to a file inside the documents folder is indexed like a copy of that file. A link
(to a file or a folder) that leads outside the folder is not followed — its target is not part
of the collection, and its text would otherwise appear in snippets and on document pages — and
is reported, like a link whose target is missing. Links to folders inside are not followed
either: their files are indexed where they really are.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..folder_files import IGNORE_FILE, MANIFEST_NAME

_TEMP_PATTERNS = ("~$*", ".~lock*", "*.tmp", "*.part", "*.crdownload", "Thumbs.db", "desktop.ini")
#: The same, as one pattern: every file of every run is checked against them.
_TEMPORARY = re.compile("|".join(fnmatch.translate(p) for p in _TEMP_PATTERNS))


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


@dataclass(frozen=True)
class Entry:
    """A file found in a documents folder, or an entry refused with a reason."""

    path: str  # POSIX, relative to the folder
    size: int = 0
    mtime_ns: int = 0
    problem: tuple[str, str] | None = None  # (code, reason): not to be indexed


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _link_problem(full: str, real_root: str, is_dir: bool) -> tuple[str, str] | None:
    """Why a link may not be followed, or None for a link to a file inside the folder."""
    target = os.path.realpath(full)
    if not os.path.exists(target):
        return "broken-link", "a link whose target does not exist"
    if not _inside(target, real_root):
        what = "folder" if is_dir else "file"
        return "outside", f"a link to a {what} outside the documents folder; not indexed"
    return None


def scan(root: Path) -> Iterator[Entry]:
    """Every candidate entry under ``root``, in a stable order (folders sorted, then files)."""
    patterns = read_ignore(root)
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or _ignored(prefix + d, True, patterns):
                continue
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                problem = _link_problem(full, real_root, is_dir=True)
                if problem is not None:
                    yield Entry(prefix + d + "/", problem=problem)
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = prefix + name
            if name.startswith(".") or _TEMPORARY.match(name):
                continue
            if rel == MANIFEST_NAME or _ignored(rel, False, patterns):
                continue
            full = os.path.join(dirpath, name)
            try:
                # One look at an ordinary file (the entry itself); a link's target is
                # looked at once the link is known to stay inside the folder.
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    problem = _link_problem(full, real_root, is_dir=False)
                    if problem is not None:
                        yield Entry(rel, problem=problem)
                        continue
                    st = os.stat(full)
            except OSError as err:
                yield Entry(rel, problem=("unreadable", f"cannot be read: {err.strerror}"))
                continue
            if stat.S_ISREG(st.st_mode):
                yield Entry(rel, st.st_size, st.st_mtime_ns)


def walk(root: Path) -> Iterator[tuple[str, int, int]]:
    """Relative paths, sizes and modification times of the files to index."""
    for entry in scan(root):
        if entry.problem is None:
            yield entry.path, entry.size, entry.mtime_ns


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
