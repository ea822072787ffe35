"""Opening a document for reading: the file read is the one inside the folder, and its hash is
the hash of the bytes read.

A run plans first and reads later, and files change in between: an editor saves a document, a
link inside the folder is re-pointed at a file elsewhere. Trusting the planner's hash would
store the text of whatever was read under the content the planner saw (and give it to every
copy of that content); following the link again would read a file outside the folder. So a
worker opens the file once, checks where the opened file really is, hashes what it reads
from that descriptor, and the extractors read the very same open file (through
``/proc/self/fd``), never the path again. A file that changes while it is read is reported, and
read again by the next run.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ...errors import FileChanged, FileUnreadable, OutsideFolder

_BLOCK = 1 << 20
_FD_FOLDER = "/proc/self/fd"


#: Failures that belong to one file, not to its content: copies of the content are read anyway.
FILE_FAILURES = frozenset({OutsideFolder.code, FileChanged.code, FileUnreadable.code})


@dataclass(frozen=True)
class Opened:
    """A document opened for reading: a path that names the opened file itself, and what was
    read through it."""

    path: Path
    sha256: str
    size: int
    mtime_ns: int


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _where(fd: int, full: str) -> str:
    """The real path of the file open on ``fd``."""
    if os.path.isdir(_FD_FOLDER):
        return os.readlink(f"{_FD_FOLDER}/{fd}")
    # Without /proc: the path's target now, which must be the file that was opened.
    target = os.path.realpath(full)
    opened, now = os.fstat(fd), os.stat(target)
    if (opened.st_dev, opened.st_ino) != (now.st_dev, now.st_ino):
        raise FileChanged("the file was replaced while it was being opened; read by the next run")
    return target


def _written(before: os.stat_result, after: os.stat_result) -> bool:
    """Whether the bytes of an open file may have changed between two looks."""
    if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns):
        return True
    # The change time also moves when a name of the file is removed (an editor saving a new
    # version in its place): that alone leaves its bytes as they were. Otherwise it gives
    # away a write whose modification time was set back.
    return before.st_ctime_ns != after.st_ctime_ns and before.st_nlink == after.st_nlink


def _digest(fd: int) -> str:
    digest = hashlib.sha256()
    offset = 0
    while block := os.pread(fd, _BLOCK, offset):
        digest.update(block)
        offset += len(block)
    return digest.hexdigest()


_private: list[Path] = []


def _private_folder() -> Path:
    """A folder of this process's own, removed when it ends."""
    if not _private:
        _private.append(Path(tempfile.mkdtemp(prefix="kb-reading-")))
        atexit.register(shutil.rmtree, _private[0], True)
    return _private[0]


def _named(fd: int, suffix: str) -> Path:
    """A path with the document's suffix (readers choose by it) that reads the file open on
    ``fd``: a link to ``/proc/self/fd/<fd>`` where there is one, else a private copy."""
    target = _private_folder() / f"document-{fd}{suffix}"
    target.unlink(missing_ok=True)
    if os.path.isdir(_FD_FOLDER):
        target.symlink_to(f"{_FD_FOLDER}/{fd}")
        return target
    with target.open("wb") as out:
        offset = 0
        while block := os.pread(fd, _BLOCK, offset):
            out.write(block)
            offset += len(block)
    return target


@contextmanager
def open_inside(
    root: Path, path: str, *, after_open: Callable[[], None] | None = None
) -> Iterator[Opened]:
    """Open ``root/path`` for reading, only if the file opened lies inside ``root``.

    Raises `OutsideFolder` for a link that now leads out of the folder, `FileUnreadable` when
    the file cannot be opened, and `FileChanged` (on leaving the block) when the file was
    written to while it was read. ``after_open`` runs between opening and the first read (a
    test makes a race happen exactly there).
    """
    real_root = os.path.realpath(root)
    full = os.path.join(root, path)
    try:
        # Non-blocking: a pipe put where a document was must not hang the reader.
        fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise FileUnreadable(f"cannot be read: {err.strerror or err}") from err
    try:
        if after_open is not None:
            after_open()
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise FileUnreadable("cannot be read: not a regular file")
        if not _inside(_where(fd, full), real_root):
            raise OutsideFolder("a link to a file outside the documents folder; not indexed")
        sha256 = _digest(fd)
        named = _named(fd, Path(path).suffix.lower())
        try:
            yield Opened(named, sha256, before.st_size, before.st_mtime_ns)
        finally:
            named.unlink(missing_ok=True)
        if _written(before, os.fstat(fd)):
            raise FileChanged(
                "the file changed while it was being read; it is read again by the next run"
            )
    finally:
        os.close(fd)


__all__ = [
    "FILE_FAILURES",
    "FileChanged",
    "FileUnreadable",
    "Opened",
    "OutsideFolder",
    "open_inside",
]
