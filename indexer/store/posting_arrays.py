"""A segment's posting lists as flat arrays in a file beside it, mapped by every reading process.

Whoosh keeps a term's postings as blocks, each a compressed pickle of its documents, weights and
word positions. Reading a term therefore costs an inflation and an unpickling per block, and a
server's processes each paid it again for every word they met first (a word's first use in a
process cost about three times a later one). A segment never changes once written, so its lists
are decoded here once, for every process and every later generation that keeps the segment, into
one file of plain arrays: each term's documents and weights, and each posting's positions. A
reader maps the file and takes a term's postings as slices of it, with no copy; the pages are
shared by every process through the operating system's page cache.

The file (``MAIN_<segment>.kbarrays``) is named like the segment's own files, so the commit that
drops the segment removes it too. It is written under another name and renamed when complete,
so a reader sees a whole file or none; one process writes it at a time (an advisory lock on the
unfinished file, released by the system if the process dies). Without the file — not made yet,
a folder that cannot be written — the postings are read from Whoosh's blocks as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import os
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.fields import Schema

from .blocks import MAGIC as BLOCKS_MAGIC
from .blocks import decode
from .packed_positions import PackedPositions, unpacked
from .segment_files import SegmentTerms

SUFFIX = ".kbarrays"
_MAGIC = b"KBARRAY1"
#: Bytes before the header: the magic and the header's length.
_PREFIX = len(_MAGIC) + 8
#: How long a process waits before looking again for a file that was not there.
RECHECK_SECONDS = 2.0


def file_for(folder: Path, segment: str) -> Path:
    """The arrays file of a segment (``segment``: its id, ``MAIN_…``) in an index folder."""
    return folder / f"{segment}{SUFFIX}"


def term_key(fieldname: str, btext: bytes) -> bytes:
    """A term as the file names it: its field and its bytes."""
    return fieldname.encode("utf-8") + b"\x00" + btext


def term_hash(key: bytes) -> int:
    """The 64-bit number a term is looked up by (its bytes are then compared)."""
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "little")


def _packed(schema: Schema, fieldname: str) -> bool:
    """Whether a field's posting values are word positions as ``packed_positions`` writes
    them (the body fields): those are kept in the file. Other fields keep none (a title's
    positions, pickled by Whoosh, are few and read from the blocks as before)."""
    return isinstance(schema[fieldname].format, PackedPositions)


def write(segment_path: Path, out: Path, schema: Schema, fields: Iterable[str]) -> None:
    """Decode every list of ``fields`` in the compound segment file ``segment_path`` into the
    arrays file ``out`` (written as is: the caller renames it into place).

    The terms are kept in the order of their hashes, and each one's documents, weights and
    positions in that order too: a term is then one binary search and a few slices."""
    wanted = {name for name in fields if name in schema}
    entries: list[tuple[int, bytes, Any, Any, np.ndarray, np.ndarray]] = []
    terms = SegmentTerms(segment_path)
    try:
        for (name, text), _, body, _ in terms.entries():
            if name not in wanted:
                continue
            fixed = schema[name].format.fixed_value_size()
            ids, weights, values = decode(BLOCKS_MAGIC + bytes(body), 0, fixed)
            numbers, at = _positions(_packed(schema, name), values)
            key = term_key(name, bytes(text))
            entries.append((term_hash(key), key, ids, weights, numbers, at))
    finally:
        terms.close()
    entries.sort(key=lambda entry: entry[0])
    arrays = _arrays(entries)
    layout: dict[str, Any] = {}
    offset = 0
    for name, array in arrays.items():
        layout[name] = [offset, array.dtype.str, len(array)]
        offset += -(-array.nbytes // 8) * 8
    positional = sorted(name for name in wanted if _packed(schema, name))
    header = {"fields": sorted(wanted), "positional": positional, "arrays": layout}
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-(_PREFIX + len(raw)) % 8)
    with out.open("wb") as fh:
        fh.write(_MAGIC + len(raw).to_bytes(8, "little") + raw)
        for array in arrays.values():
            data = array.tobytes()
            fh.write(data + bytes(-len(data) % 8))
        fh.flush()
        os.fsync(fh.fileno())


def _positions(packed: bool, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each posting's number of positions and all of them, from the postings' values (none
    for a field whose values are not packed positions)."""
    if not packed:
        return np.zeros(len(values), np.int64), np.zeros(0, np.uint32)
    numbers, at = unpacked(values)
    return numbers, at.astype(np.uint32)


def _arrays(entries: list[tuple[int, bytes, Any, Any, np.ndarray, np.ndarray]]) -> dict[str, Any]:
    """The file's arrays from its terms, in the order given."""

    def joined(parts: list[Any], dtype: Any) -> np.ndarray:
        if not parts:
            return np.zeros(0, dtype)
        return np.concatenate([np.asarray(p, dtype) for p in parts])

    posting_counts = [len(e[2]) for e in entries]
    return {
        "hashes": np.asarray([e[0] for e in entries], np.uint64),
        "key_ends": np.cumsum([len(e[1]) for e in entries], dtype=np.int64),
        "keys": np.frombuffer(b"".join(e[1] for e in entries), np.uint8),
        "posting_ends": np.cumsum(posting_counts, dtype=np.int64),
        "ids": joined([e[2] for e in entries], np.int32),
        "weights": _weights(joined([e[3] for e in entries], np.float64)),
        "position_ends": _narrow(np.cumsum(joined([e[4] for e in entries], np.int64))),
        "positions": joined([e[5] for e in entries], np.uint32),
    }


def _narrow(ends: np.ndarray) -> np.ndarray:
    """Running totals in four bytes each when the last one fits (any index but a huge one)."""
    return ends.astype(np.uint32) if not len(ends) or ends[-1] < 2**32 else ends


def _weights(weights: np.ndarray) -> np.ndarray:
    """The weights in single precision, as the blocks keep them; in double precision should
    one of them not be a single-precision number (a list written by other code)."""
    single = weights.astype(np.float32)
    return single if np.array_equal(single.astype(np.float64), weights) else weights


def build(folder: Path, segment: str, schema: Schema, fields: Iterable[str]) -> bool:
    """Write the arrays file of a segment of the index in ``folder``, unless it is there or
    another process is writing it; whether the file is there now (False also when the folder
    cannot be written or the segment is gone: its postings are then read from the blocks)."""
    final = file_for(folder, segment)
    if final.exists():
        return True
    source = folder / f"{segment}.seg"
    _remove_abandoned(folder)
    unfinished = _unfinished(folder, segment)
    try:
        fd = os.open(unfinished, os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # another process is writing it
        if final.exists() or not source.exists():
            os.unlink(unfinished)
            return final.exists()
        try:
            write(source, unfinished, schema, fields)
            os.replace(unfinished, final)
        except Exception:
            with contextlib.suppress(OSError):
                os.unlink(unfinished)
            return False
        return True
    finally:
        os.close(fd)


def _unfinished(folder: Path, segment: str) -> Path:
    """Where a segment's file is written: a name the index's own clean-up leaves alone (it
    skips names starting with a dot)."""
    return folder / f".{segment}{SUFFIX}.part"


def _remove_abandoned(folder: Path) -> None:
    """Unfinished files of segments gone since, their writers gone too (a writer killed with
    its server): a file being written is locked by its writer."""
    for path in folder.glob(f".*{SUFFIX}.part"):
        segment = path.name[1 : -len(f"{SUFFIX}.part")]
        if (folder / f"{segment}.seg").exists():
            continue  # the next writer of this segment writes over it
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_WRONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(path)
            finally:
                os.close(fd)


class PostingArrays:
    """One segment's arrays file, mapped read-only; shared by the threads of a process."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        buf = memoryview(self._map)
        if bytes(buf[: len(_MAGIC)]) != _MAGIC:
            raise ValueError(f"{path.name} is not an arrays file")
        size = int.from_bytes(buf[len(_MAGIC) : _PREFIX], "little")
        header = json.loads(bytes(buf[_PREFIX : _PREFIX + size]))
        base = _PREFIX + size
        self.fields = frozenset(header["fields"])
        self.positional = frozenset(header["positional"])
        arrays: dict[str, np.ndarray] = {}
        for name, (offset, dtype, length) in header["arrays"].items():
            arrays[name] = np.frombuffer(buf, dtype, length, base + offset)
        self._hashes = arrays["hashes"]
        self._key_ends = arrays["key_ends"]
        self._keys = arrays["keys"]
        self._posting_ends = arrays["posting_ends"]
        self.ids = arrays["ids"]
        self.weights = arrays["weights"]
        self._position_ends = arrays["position_ends"]
        self._positions = arrays["positions"]

    def covers(self, fieldname: str) -> bool:
        """Whether every term of the field is in the file (one missing is not in the segment)."""
        return fieldname in self.fields

    def has_positions(self, fieldname: str) -> bool:
        """Whether the file holds the word positions of every term of the field."""
        return fieldname in self.positional

    def find(self, fieldname: str, btext: bytes) -> tuple[int, int] | None:
        """Where a term's postings stand in ``ids`` and ``weights`` (a start and an end), or
        None when the segment has no such term (in a field the file ``covers``)."""
        key = term_key(fieldname, btext)
        wanted = term_hash(key)
        hashes = self._hashes
        i = int(hashes.searchsorted(np.uint64(wanted)))  # (the method: a tenth of the function)
        while i < len(hashes) and int(hashes[i]) == wanted:
            start = int(self._key_ends[i - 1]) if i else 0
            if self._keys[start : int(self._key_ends[i])].tobytes() == key:
                first = int(self._posting_ends[i - 1]) if i else 0
                return first, int(self._posting_ends[i])
            i += 1
        return None

    def postings(self, where: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """A term's documents (ascending, numbered within the segment) and weights."""
        start, end = where
        return self.ids[start:end], self.weights[start:end]

    def positions(self, where: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """A term's positions: where each posting's end in the second array (the k-th
        posting's are ``run[ends[k - 1]:ends[k]]``, from 0 for the first), and the run of all
        of them, posting after posting."""
        start, end = where
        first = int(self._position_ends[start - 1]) if start else 0
        ends = self._position_ends[start:end] - first
        last = first + int(ends[-1]) if len(ends) else first
        return ends, self._positions[first:last]


class Opened:
    """The arrays files a process has mapped, by (folder, segment); a file not there is
    looked for again after ``RECHECK_SECONDS`` (another process may be writing it)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], PostingArrays] = {}
        self._missing: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def get(self, folder: str, segment: str) -> PostingArrays | None:
        key = (folder, segment)
        found = self._found.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                return found
            if time.monotonic() < self._missing.get(key, 0.0):
                return None
            path = file_for(Path(folder), segment)
            try:
                found = PostingArrays(path)
            except (OSError, ValueError, KeyError):
                self._missing[key] = time.monotonic() + RECHECK_SECONDS
                return None
            # Files of segments gone since are let go (their maps close with their last
            # array), so their disk space is given back.
            for gone in [k for k in self._found if not file_for(Path(k[0]), k[1]).exists()]:
                del self._found[gone]
            self._found[key] = found
            self._missing.pop(key, None)
            return found

    def forget(self) -> None:
        """Look for every file again (after one was written here)."""
        with self._lock:
            self._missing.clear()


#: The process's mapped files.
OPENED = Opened()


def main(argv: list[str] | None = None) -> None:
    """``python -m indexer.store.posting_arrays FOLDER SEGMENT FIELD…``: write one segment's
    arrays file, in a process of its own (a server's worker starts it, so the work holds
    neither the worker's interpreter lock nor its memory)."""
    import sys

    from .storage import open_shared

    folder, segment, *fields = sys.argv[1:] if argv is None else argv
    schema = open_shared(folder).schema
    build(Path(folder), segment, schema, fields)


if __name__ == "__main__":
    main()
