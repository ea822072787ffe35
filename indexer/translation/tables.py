"""A dictionary's lookup tables, made once per machine and read in microseconds afterwards.

Looking a word up needs two tables: headword → where its entries are (from the ``.index`` file),
and, to read the dictionary backwards, translation → the headwords that give it (from every
entry). Made in memory, they cost every process that searches a fraction of a second per
dictionary — the backward table of the English–Bulgarian dictionary half a second — paid by the
first query, inside its time budget. So, as with the lemma table, they are written once into a
small SQLite file in the user's cache folder, named after the dictionary's file size and time,
so an updated package is read anew; without a writable cache folder they are kept in memory.
Only offsets and headwords are kept: the entries themselves are always read from the
dictionary's own files.
"""

from __future__ import annotations

import sqlite3
import threading
from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path

from ..sqlite_file import write_whole
from .dictd import DictdFile, Entry

_VERSION = 3
#: (headword, offset, length) of each entry, by key.
Places = list[tuple[str, int, int]]
#: (headword, sense, senses, share) of the entries giving a translation, by the translation's
#: key: the number of the first sense giving it, among how many, and its ``shares``.
Givers = list[tuple[str, int, int, float]]
Key = Callable[[str], str]
Keep = Callable[[str], bool]


class Tables:
    """Forward and backward lookups of one dictionary."""

    def places(self, key: str) -> Places:
        raise NotImplementedError

    def givers(self, key: str) -> Givers:
        raise NotImplementedError

    def keys_from(self, prefix: str, limit: int, backward: bool = False) -> list[str]:
        """Up to ``limit`` keys that begin with ``prefix``, in key order: headwords, or (with
        ``backward``) translations."""
        raise NotImplementedError


class InMemory(Tables):
    def __init__(self, forward: dict[str, Places], backward: dict[str, Givers]) -> None:
        self.forward = forward
        self.backward = backward
        self._sorted: dict[bool, list[str]] = {}

    def places(self, key: str) -> Places:
        return self.forward.get(key, [])

    def givers(self, key: str) -> Givers:
        return self.backward.get(key, [])

    def keys_from(self, prefix: str, limit: int, backward: bool = False) -> list[str]:
        keys = self._sorted.get(backward)
        if keys is None:
            keys = self._sorted[backward] = sorted(self.backward if backward else self.forward)
        at = bisect_left(keys, prefix)
        return [k for k in keys[at : at + limit] if k.startswith(prefix)]


class OnDisk(Tables):
    """The tables in a read-only SQLite file, shared by threads."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def places(self, key: str) -> Places:
        with self._lock:
            rows = self._db.execute(
                "SELECT headword, offset, length FROM forward WHERE key = ? ORDER BY rowid", (key,)
            ).fetchall()
        return [(str(h), int(o), int(n)) for h, o, n in rows]

    def givers(self, key: str) -> Givers:
        with self._lock:
            rows = self._db.execute(
                "SELECT headword, sense, senses, share FROM backward WHERE key = ? ORDER BY rowid",
                (key,),
            ).fetchall()
        return [(str(h), int(s), int(n), float(f)) for h, s, n, f in rows]

    def keys_from(self, prefix: str, limit: int, backward: bool = False) -> list[str]:
        # A range on the indexed key column: the index is read from the prefix on, no scan.
        table = "backward" if backward else "forward"
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT key FROM {table} WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
                (prefix, prefix + "\U0010ffff", limit),
            ).fetchall()
        return [str(k) for (k,) in rows]


def contents(file: DictdFile, key: Key, keep: Keep) -> tuple[dict[str, Places], dict[str, Givers]]:
    """Both tables of a dictionary; ``keep`` says which headwords count (those in the
    dictionary's source alphabet: a few list words of other languages)."""
    forward: dict[str, Places] = {}
    for headword, places in file.offsets().items():
        for offset, length in places:
            forward.setdefault(key(headword), []).append((headword, offset, length))
    # A headword's entries together (a noun and a verb are two), in the dictionary's order.
    entries: dict[str, list[Entry]] = {}
    for entry in file.entries():
        if keep(entry.headword):
            entries.setdefault(key(entry.headword), []).append(entry)
    backward: dict[str, Givers] = {}
    for same in entries.values():
        share = shares(same, key)
        for entry in same:
            for n, sense in enumerate(entry.senses):
                for text in sense:
                    found = backward.setdefault(key(text), [])
                    if all(h != entry.headword for h, _, _, _ in found):
                        found.append((entry.headword, n, len(entry.senses), share[key(text)]))
    return forward, backward


def shares(entries: list[Entry], key: Key) -> dict[str, float]:
    """How much of a headword's entries each translation is (by key; the shares add up to 1).

    A dictionary's order is a weak guide: an entry may open with a rare sense ("school" with a
    school of fish) or be a rare part of speech (the noun "young", offspring). But the sense a
    word mostly has is given in sense after sense ("училище" in five of the eight of "school"),
    while a rare one is given once. So each sense weighs by its place (the first 1, the second
    1/2, …) and by its entry's (the first entry whole, the second half, …), and a translation
    has the summed weight of the senses that give it.
    """
    weights: dict[str, float] = {}
    for e, entry in enumerate(entries):
        for n, sense in enumerate(entry.senses):
            for k in {key(text) for text in sense}:
                weights[k] = weights.get(k, 0.0) + 1.0 / ((1 + e) * (1 + n))
    total = sum(weights.values()) or 1.0
    return {k: w / total for k, w in weights.items()}


def load(file: DictdFile, cache: Path | None, key: Key, keep: Keep) -> Tables:
    """The dictionary's tables from the cache folder, written there first if needed."""
    if cache is not None:
        try:
            return OnDisk(_built(file, cache, key, keep))
        except (OSError, sqlite3.Error):
            pass  # a cache folder that cannot be written: the tables live in memory
    return InMemory(*contents(file, key, keep))


def _built(file: DictdFile, cache: Path, key: Key, keep: Keep) -> Path:
    stat = file.data_path.stat()
    name = file.index_path.name.removesuffix(".index")
    path = cache / f"dictd-v{_VERSION}-{name}-{stat.st_size}-{int(stat.st_mtime)}.sqlite3"
    if path.is_file():
        return path
    forward, backward = contents(file, key, keep)

    def fill(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE forward (key TEXT, headword TEXT, offset INTEGER, length INTEGER)")
        db.execute(
            "CREATE TABLE backward (key TEXT, headword TEXT, sense INTEGER, senses INTEGER, "
            "share REAL)"
        )
        db.executemany(
            "INSERT INTO forward VALUES (?,?,?,?)",
            ((k, h, o, n) for k, rows in forward.items() for h, o, n in rows),
        )
        db.executemany(
            "INSERT INTO backward VALUES (?,?,?,?,?)",
            ((k, h, s, n, f) for k, rows in backward.items() for h, s, n, f in rows),
        )
        db.execute("CREATE INDEX forward_key ON forward (key)")
        db.execute("CREATE INDEX backward_key ON backward (key)")

    write_whole(path, fill)
    for old in cache.glob(f"dictd-v*-{name}-*.sqlite3"):
        if old != path:
            old.unlink(missing_ok=True)  # an earlier edition of the package
    return path
