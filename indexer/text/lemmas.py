"""Dictionary lemmas (from simplemma's data) behind a small on-disk table.

simplemma keeps its dictionaries compressed and decodes them into memory on first use — about
three seconds and 400 MB for Bulgarian, Greek and Portuguese together, paid by every process
that analyses a query. The knowledge base needs only lookups, so the forms are decoded once per
machine into a SQLite table in the user's cache folder; afterwards a process starts at once and
looks words up in microseconds. Without a writable cache folder the dictionaries are used in
memory as before.

The dictionaries are not used as they come:

- A lemma is followed to a fixed point. simplemma is not idempotent (Greek βαρείες → βαρεία,
  but βαρεία → βαρύς), so a form and its lemma's lemma would otherwise become two terms; a
  cycle of lemmas (A → B → A) stands for its alphabetically first member.
- Junk lemmas are repaired (`clean`): a Bulgarian reflexive verb's marker (``върна-(се)`` →
  ``върна``), an abbreviation's dot, a reflexive particle given as the lemma of a verb
  (``влюбва`` → ``се``), and the wrong lemmas listed in ``indexer/data/lemma_corrections.json``
  (``тяхната`` → ``наш``).
- Forms the dictionary lacks are matched through their surface stem: every form the dictionary
  has votes, by its own stem, for the term of its lemma (the ``stem`` table), so an unknown form
  whose stem is shared by known forms joins their term, as its siblings do.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import metadata, resources
from itertools import islice
from pathlib import Path

from ..config import default_cache
from ..languages import LANGUAGES as KNOWN
from ..sqlite_file import write_whole

#: Languages whose terms start from a dictionary lemma.
LANGUAGES = tuple(code for code, lang in KNOWN.items() if "lemma" in lang.steps)
#: Languages also looked up by the unaccented form of a word.
BY_FOLDED_FORM = tuple(code for code, lang in KNOWN.items() if lang.lemma_by_folded_form)
_VERSION = 2
Fold = Callable[[str], str]
#: A word's term in a language without the dictionary (folding and stemming only).
Surface = Callable[[str, str], str]
#: The tables: forms' lemmas, lemmas by unaccented form, terms by surface stem.
_TABLES = ("lemma", "folded", "stem")
#: Lemmas followed at most this far (chains are short; cycles stop earlier).
MAX_CHAIN = 6
#: Particles a dictionary gives as the lemma of reflexive verbs: never another word's lemma.
_PARTICLES = {"bg": frozenset({"се", "си"})}
#: Words whose terms say how the table's stems were made: another stemmer or folding rule
#: makes another table.
_FINGERPRINT_WORDS = ("социалните", "иновации", "καινοτομίες", "κοινωνικών", "inovações", "sociais")


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


@cache
def corrections(lang: str) -> dict[str, str]:
    """Lemmas the dictionary gets wrong, corrected by hand (``lemma_corrections.json``)."""
    data = resources.files("indexer.data").joinpath("lemma_corrections.json").read_text("utf-8")
    found: dict[str, str] = json.loads(data).get(lang, {})
    return found


def clean(lang: str, form: str, lemma: str | None) -> str | None:
    """A dictionary lemma repaired, or None when it is no lemma of ``form`` at all."""
    if lemma is None:
        return None
    corrected = corrections(lang).get(form.lower())
    if corrected is not None:
        return corrected
    cut = lemma.find("-(")
    if cut > 0:
        lemma = lemma[:cut]
    if len(lemma) > 1 and lemma.endswith(".") and lemma[:-1].isalpha():
        lemma = lemma[:-1]
    if lemma.lower() in _PARTICLES.get(lang, ()) and form.lower() != lemma.lower():
        return None
    return lemma


def resolve(lang: str, lookup: Callable[[str], str | None], form: str) -> str | None:
    """The lemma of ``form`` followed to a fixed point (None when the dictionary has none)."""
    first = clean(lang, form, lookup(form))
    if first is None:
        return None
    chain = [form, first]
    current = first
    for _ in range(MAX_CHAIN):
        found = lookup(current)
        if found is None and current != current.lower():
            found = lookup(current.lower())
        following = clean(lang, current, found)
        if following is None or following == current:
            break
        if following in chain:
            cycle = chain[chain.index(following) :]
            return min(cycle)
        chain.append(following)
        current = following
    return current


def _fingerprint(fold: Fold, surface: Surface) -> str:
    words = [fold(w) for w in _FINGERPRINT_WORDS]
    words += [surface(lang, w) for lang in LANGUAGES for w in _FINGERPRINT_WORDS]
    return hashlib.sha1("\n".join(words).encode("utf-8")).hexdigest()[:10]


def _simplemma_version() -> str:
    """simplemma's version, from its installed package's metadata: importing simplemma to ask
    it takes a tenth of a second of processor time (its rule modules compile hundreds of
    patterns), paid by every process that opens the table, though only building the table
    uses simplemma. Its own ``__version__`` when the metadata is missing."""
    try:
        return metadata.version("simplemma")
    except metadata.PackageNotFoundError:
        import simplemma

        return str(getattr(simplemma, "__version__", "0"))


def _table_path(fold: Fold, surface: Surface) -> Path:
    version = _simplemma_version()
    recipe = _fingerprint(fold, surface)
    return cache_dir() / f"lemmas-v{_VERSION}-simplemma-{version}-{recipe}.sqlite3"


def _rows(
    lang: str, fold: Fold, surface: Surface
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """One language's resolved lemmas, lemmas by unaccented form, and terms by surface stem."""
    dictionary = _simplemma_dictionary(lang)
    lemmas: dict[str, str] = {}
    for form in dictionary:
        found = resolve(lang, dictionary.get, form)
        if found is not None:
            lemmas[form] = found
    folded: dict[str, str] = {}
    if lang in BY_FOLDED_FORM:
        for form, found in lemmas.items():
            folded.setdefault(fold(form), found)
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for form, found in lemmas.items():
        if form.islower() and form.isalpha():
            votes[surface(lang, form)][surface(lang, found.lower())] += 1
    stems = {}
    for key, counted in votes.items():
        best = min(counted.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if best != key:
            stems[key] = best
    return lemmas, folded, stems


def _build(path: Path, fold: Fold, surface: Surface) -> None:
    def fill(db: sqlite3.Connection) -> None:
        for name in _TABLES:
            db.execute(
                f"CREATE TABLE {name} (lang TEXT, form TEXT, lemma TEXT,"
                " PRIMARY KEY (lang, form)) WITHOUT ROWID"
            )
        for lang in LANGUAGES:
            for name, rows in zip(_TABLES, _rows(lang, fold, surface), strict=True):
                db.executemany(
                    f"INSERT OR IGNORE INTO {name} VALUES (?,?,?)",
                    ((lang, f, lem) for f, lem in rows.items()),
                )

    write_whole(path, fill)


class LemmaTable:
    """Read-only lookups, shareable between threads, and with processes forked from this one:
    a forked process opens a connection of its own (SQLite's may not be used across a fork),
    leaving the one it was given alone."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._forked: list[sqlite3.Connection] = []
        self._connect()
        ref = weakref.ref(self)

        def reopen() -> None:
            table = ref()
            if table is not None:
                table._reopen()

        os.register_at_fork(after_in_child=reopen)

    #: Answers fetched ahead (`fetch`) kept at most: some 200 bytes each.
    HELD = 65_536
    #: Forms asked for in one query of `fetch` (SQLite allows 32,766 parameters).
    FETCHED_AT_ONCE = 900

    def _connect(self) -> None:
        self._db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        #: What `fetch` found, by (language, table, form): the value, or None for none.
        self._held: dict[tuple[str, str, str], str | None] = {}

    def _reopen(self) -> None:
        self._forked.append(self._db)  # the parent's: never used here, never closed here
        self._connect()

    def get(self, table: str, lang: str, form: str) -> str | None:
        return self.lookup(lang, [(table, form)])[0]

    def fetch(self, lang: str, keys: Iterable[tuple[str, str]]) -> None:
        """Look up many (table, form) keys ahead of `lookup`, which then answers them without
        a query: a query per table for up to `FETCHED_AT_ONCE` forms costs about what a query
        for one does. Keys held already are not asked again; past `HELD` answers, the oldest
        go (all of one fetch are kept: they are about to be asked for)."""
        held = self._held
        wanted: dict[str, set[str]] = {}
        for table, form in keys:
            if table in _TABLES and (lang, table, form) not in held:
                wanted.setdefault(table, set()).add(form)
        found: dict[tuple[str, str, str], str | None] = {}
        for table, forms in wanted.items():
            ordered = sorted(forms)
            for start in range(0, len(ordered), self.FETCHED_AT_ONCE):
                chunk = ordered[start : start + self.FETCHED_AT_ONCE]
                sql = (
                    f"SELECT form, lemma FROM {table} WHERE lang = ? AND form IN "
                    f"({','.join('?' * len(chunk))})"
                )
                with self._lock:
                    rows = dict(self._db.execute(sql, [lang, *chunk]).fetchall())
                found.update(((lang, table, form), rows.get(form)) for form in chunk)
        if not found:
            return
        with self._lock:
            excess = len(held) + len(found) - self.HELD
            for key in list(islice(held, max(0, excess))):
                del held[key]
            held.update(found)

    def lookup(self, lang: str, keys: Sequence[tuple[str, str]]) -> list[str | None]:
        """The values of several (table, form) keys: those fetched ahead (`fetch`), else in
        one query: a word that the dictionary lacks is looked up in several ways, and each
        query has a fixed cost."""
        if not keys:
            return []
        held = self._held
        try:
            return [held[(lang, table, form)] for table, form in keys]
        except KeyError:
            pass
        sql = " UNION ALL ".join(
            f"SELECT {i}, lemma FROM {table} WHERE lang = ? AND form = ?"
            for i, (table, _) in enumerate(keys)
            if table in _TABLES
        )
        params = [value for _, form in keys for value in (lang, form)]
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        found: list[str | None] = [None] * len(keys)
        for i, value in rows:
            found[i] = value
        return found


class InMemory:
    """Fallback when no cache folder can be written: the same tables, made in memory."""

    def __init__(self, fold: Fold, surface: Surface) -> None:
        self._fold = fold
        self._surface = surface
        self._tables: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}
        self._lock = threading.Lock()

    def get(self, table: str, lang: str, form: str) -> str | None:
        return self.lookup(lang, [(table, form)])[0]

    def fetch(self, lang: str, keys: Iterable[tuple[str, str]]) -> None:
        """Nothing to fetch ahead: every look-up is a dictionary's."""

    def lookup(self, lang: str, keys: Sequence[tuple[str, str]]) -> list[str | None]:
        with self._lock:
            if lang not in self._tables:
                self._tables[lang] = _rows(lang, self._fold, self._surface)
        tables = dict(zip(_TABLES, self._tables[lang], strict=True))
        return [tables[table].get(form) for table, form in keys]


_lock = threading.Lock()


@cache
def table(fold: Fold, surface: Surface) -> LemmaTable | InMemory:
    """The lemma tables, built on first use on this machine. ``surface`` gives a word's term
    without the dictionary, which keys the table of terms by surface stem."""
    with _lock:
        path = _table_path(fold, surface)
        try:
            if not path.is_file():
                _build(path, fold, surface)
            return LemmaTable(path)
        except (OSError, sqlite3.Error):
            return InMemory(fold, surface)
