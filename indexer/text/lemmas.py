"""Dictionary lemmas (from simplemma's data) behind a small on-disk table.

simplemma keeps its dictionaries compressed and decodes them into memory on first use — about
three seconds and 400 MB for Bulgarian, Greek and Portuguese together, paid by every process
that analyses a query. The knowledge base needs only lookups, so the forms are decoded once per
machine into a SQLite table in the user's cache folder; afterwards a process starts at once and
looks words up in microseconds. Without a writable cache folder the dictionaries are used in
memory as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping
from functools import cache, partial
from pathlib import Path

from ..config import default_cache
from ..store.cache_tables import build_table
from .languages import LANGUAGES as KNOWN

#: Languages whose terms start from a dictionary lemma.
LANGUAGES = tuple(code for code, lang in KNOWN.items() if "lemma" in lang.steps)
#: Languages also looked up by the unaccented form of a word.
BY_FOLDED_FORM = tuple(code for code, lang in KNOWN.items() if lang.lemma_by_folded_form)
_VERSION = 1
Fold = Callable[[str], str]


_cache_dir: Path | None = None


def use_cache(folder: Path) -> None:
    """Where the table is kept (``Settings.cache``); the table is one per machine, so the
    process-wide choice is made once, by the CLI or the web app at start, before first use."""
    global _cache_dir
    _cache_dir = folder


def cache_dir() -> Path:
    return _cache_dir or default_cache()


def _simplemma_dictionary(lang: str) -> Mapping[str, str]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory().get_dictionary(lang)


def _table_path() -> Path:
    import simplemma

    version = getattr(simplemma, "__version__", "0")
    return cache_dir() / f"lemmas-v{_VERSION}-simplemma-{version}.sqlite3"


def _build(path: Path, fold: Fold) -> None:
    build_table(path, partial(_fill, fold=fold))


def _fill(db: sqlite3.Connection, fold: Fold) -> None:
    for name in ("lemma", "folded"):
        db.execute(
            f"CREATE TABLE {name} (lang TEXT, form TEXT, lemma TEXT,"
            " PRIMARY KEY (lang, form)) WITHOUT ROWID"
        )
    for lang in LANGUAGES:
        items = list(_simplemma_dictionary(lang).items())
        db.executemany(
            "INSERT OR IGNORE INTO lemma VALUES (?,?,?)", ((lang, f, lem) for f, lem in items)
        )
        if lang in BY_FOLDED_FORM:
            db.executemany(
                "INSERT OR IGNORE INTO folded VALUES (?,?,?)",
                ((lang, fold(f), lem) for f, lem in items),
            )


class LemmaTable:
    """Read-only lookups, shareable between threads."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def get(self, table: str, lang: str, form: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT lemma FROM {table} WHERE lang = ? AND form = ?", (lang, form)
            ).fetchone()
        return row[0] if row else None


class InMemory:
    """Fallback when no cache folder can be written."""

    def __init__(self, fold: Fold) -> None:
        self._fold = fold
        self._folded: dict[str, dict[str, str]] = {}

    def get(self, table: str, lang: str, form: str) -> str | None:
        if table == "lemma":
            return _simplemma_dictionary(lang).get(form)
        if lang not in self._folded:
            folded: dict[str, str] = {}
            for f, lem in _simplemma_dictionary(lang).items():
                folded.setdefault(self._fold(f), lem)
            self._folded[lang] = folded
        return self._folded[lang].get(form)


_lock = threading.Lock()


@cache
def table(fold: Fold) -> LemmaTable | InMemory:
    """The lemma table, built on first use on this machine."""
    with _lock:
        path = _table_path()
        try:
            if not path.is_file():
                _build(path, fold)
            return LemmaTable(path)
        except (OSError, sqlite3.Error):
            return InMemory(fold)
