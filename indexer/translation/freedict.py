"""The FreeDict dictionaries Debian installs, as translations between the knowledge base's
languages in every direction.

Debian packages FreeDict's dictionaries for dictd as ``dict-freedict-SRC-TGT`` and installs them
as ``/usr/share/dictd/freedict-SRC-TGT.index`` and ``.dict.dz``. For the four languages there
are seven: English to Bulgarian, Greek and Portuguese, Greek to English, Bulgarian and
Portuguese, and Portuguese to English. The other directions are read from them:

- backwards: Bulgarian → English is English → Bulgarian read from its translations to its
  headwords (there is no Bulgarian → English dictionary), and so for Bulgarian → Greek and
  Portuguese → Greek; a direction that has its own dictionary gets the other one's reversed
  entries after its own, which fills the gaps of the smaller editions;
- through English: Bulgarian ↔ Portuguese, which no dictionary joins;
- through a third language, when the dictionaries that join two languages lack a word (the
  editions differ in size): Greek → English → Portuguese, Portuguese → English → Bulgarian,
  Bulgarian → Greek → Portuguese (``Dictionaries.through``).

The dictionaries are optional, like Tesseract: without them the glossary alone crosses
languages, and ``kb status`` and the admin page say what installing them adds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..languages import script_of, script_of_language
from ..lru import Lru
from ..text.terms import fold, term
from .dictd import DictdFile, parse_entry, unstressed
from .tables import Tables, load, shares

#: ISO 639-3 codes of FreeDict's file names, and the knowledge base's codes.
CODES = {"eng": "en", "bul": "bg", "ell": "el", "por": "pt"}
ISO3 = {v: k for k, v in CODES.items()}
#: The dictionaries Debian has between the four languages, by package name.
PACKAGES = ("eng-bul", "eng-ell", "ell-eng", "eng-por", "por-eng", "ell-bul", "ell-por")
NAMES = {"en": "English", "bg": "Bulgarian", "el": "Greek", "pt": "Portuguese"}
#: The language a direction without a dictionary of its own goes through.
PIVOT = "en"
DEFAULT_FOLDER = Path("/usr/share/dictd")
#: An inflected word that no dictionary lists is looked up by its stem: at most this many
#: letters of ending taken off, leaving at least this many (see ``Dictionaries.base_forms``).
MAX_ENDING = 3
MIN_STEM = 4
#: … and the listed word may have at most this many letters past the stem: a base form's
#: ending, not a derivative's ("отговорници" is not "отговорност").
MAX_ADDED = 2
#: Headwords read per dictionary when looking for those that share a typed word's index term
#: (``Dictionaries.same_term``), and how many of them are kept.
SAME_TERM_READ = 200
SAME_TERM_KEPT = 3
#: … and a headword may be at most this many letters shorter than the typed word: a stemmer
#: that takes off more than an ending joins other words ("αμαξίδιο", a wheelchair, and
#: "αμάξι", a car, are one term).
SAME_TERM_SHORTER = 2


@dataclass(frozen=True)
class Candidate:
    """A translation a dictionary gives: the text, the number of its sense (0 for the first)
    among how many, which dictionary said it (``eng-bul``, ``eng-bul reversed``, …), and its
    share of the entry (``tables.shares``)."""

    text: str
    sense: int
    senses: int
    via: str
    share: float = 1.0
    #: How much of what the translation translates back to the word is (``Dictionary._back``).
    back: float = 1.0
    #: The word of a third language the translation was reached through ("" when a dictionary
    #: joins the two languages, or the word's own entry gave it): what the reader is told.
    through: str = ""

    @property
    def likelihood(self) -> float:
        """How likely the dictionary makes this translation: its share times its ``back``."""
        return self.share * self.back


def key(text: str) -> str:
    """How headwords and translations are compared: folded case and accents, one space."""
    return " ".join(fold(unstressed(text)).split())


class Dictionary:
    """One installed dictionary, looked up forwards (headword → translations) and backwards
    (translation → headwords), its tables made on first use (``tables``)."""

    def __init__(
        self,
        name: str,
        file: DictdFile,
        cache: Path | None = None,
        lock: threading.Lock | None = None,
    ) -> None:
        self.name = name
        src, tgt = name.split("-")
        self.source, self.target = CODES[src], CODES[tgt]
        self.file = file
        self.cache = cache
        self._tables: Tables | None = None
        #: Shared by the dictionaries of a folder: one makes its tables at a time, and a search
        #: that needs a table being made waits (without spending processor time) for it.
        self._lock = lock or threading.Lock()

    def tables(self) -> Tables:
        if self._tables is None:
            with self._lock:
                if self._tables is None:
                    self._tables = load(self.file, self.cache, key, self.keeps)
        return self._tables

    def keeps(self, headword: str) -> bool:
        """Headwords in the dictionary's own alphabet (a few list other languages' words)."""
        return _in_script(headword, script_of_language(self.source))

    def has(self, typed: str) -> bool:
        """Whether ``typed`` is a headword."""
        return bool(self.tables().places(key(typed)))

    def forward(self, typed: str) -> list[Candidate]:
        """Translations of a headword (a word or a phrase, in any case and accents), likeliest
        first: by their share of the headword's entries (``tables.shares``) times how much of what
        they translate back to the headword is (``_back``) — a word that is the translation of
        many headwords is rarely the one meant for this one."""
        out: list[Candidate] = []
        script = script_of_language(self.target)
        wanted = key(typed)
        entries = [
            parse_entry(self.file.read(offset, length))
            for _, offset, length in self.tables().places(wanted)
        ]
        share = shares(entries, key)
        for entry in entries:
            for n, sense in enumerate(entry.senses):
                for text in sense:
                    if _in_script(text, script):
                        back = self._back(text, wanted)
                        out.append(
                            Candidate(text, n, len(entry.senses), self.name, share[key(text)], back)
                        )
        return sorted(_unique(out), key=lambda c: -c.likelihood)

    def _back(self, text: str, headword: str) -> float:
        """How much of what ``text`` translates back to is ``headword``: "малко" is given for
        "little", "few", "some" and the noun "young" alike, "млад" for "young" and two more."""
        # Each headword giving it weighs by the place of the first sense that does (a word's
        # share of each giver's entry, tried too, chose worse).
        givers = self.tables().givers(key(text))
        weights = {key(h): 1.0 / (1 + n) for h, n, _, _ in givers}
        total = sum(weights.values())
        if not total or headword not in weights:
            return 1.0
        # Words of the headword's own family are no other meanings: "кооперация" translates
        # back to "cooperative" and "cooperation" alike.
        return sum(w for h, w in weights.items() if h == headword or alike(h, headword)) / total

    def backward(self, typed: str) -> list[Candidate]:
        """Headwords of the entries that give ``typed`` as a translation, those whose entries
        it is the larger share of first: "risk", all of whose senses say "риск", before
        "throw", whose fourth sense does."""
        via = f"{self.name} reversed"
        found = [Candidate(h, n, m, via, f) for h, n, m, f in self.tables().givers(key(typed))]
        return sorted(found, key=lambda c: -c.share)


#: English words a translation through English goes by, at most (the larger shares first).
PIVOT_STEPS = 8
#: Words and phrases whose translations a process keeps, at most.
REMEMBERED_LOOKUPS = 100_000


class Dictionaries:
    """The dictionaries installed in one folder, as translations between any two languages."""

    def __init__(self, folder: Path | None, cache: Path | None = None) -> None:
        self.folder = folder
        self.installed: dict[str, Dictionary] = {}
        self._building = threading.Lock()
        self._translated: Lru[tuple[str, str, str], tuple[Candidate, ...]]
        self._translated = Lru.counted(REMEMBERED_LOOKUPS)
        self._through: Lru[tuple[str, str, str], tuple[Candidate, ...]]
        self._through = Lru.counted(REMEMBERED_LOOKUPS)
        if folder is not None and folder.is_dir():
            for name in PACKAGES:
                file = DictdFile.at(folder / f"freedict-{name}")
                if file is not None:
                    self.installed[name] = Dictionary(name, file, cache, self._building)

    def __bool__(self) -> bool:
        return bool(self.installed)

    def _own(self, source: str, target: str) -> Dictionary | None:
        return self.installed.get(f"{ISO3[source]}-{ISO3[target]}")

    def knows(self, typed: str, lang: str) -> bool:
        """Whether a dictionary from ``lang`` has ``typed`` as a headword."""
        return any(d.has(typed) for d in self.installed.values() if d.source == lang)

    def base_forms(self, typed: str, lang: str) -> list[str]:
        """The word of ``lang`` the dictionaries list that begins as ``typed`` does for longest:
        the base form of an inflected word that neither it nor its lemma finds ("εθελοντές"
        gives "εθελοντής", "участници" "участник"). One letter more is taken off at a time,
        down to a stem of ``MIN_STEM`` letters, and the shortest of the words found first is
        kept: the one with the fewest letters past the stem is the word itself, not a
        derivative."""
        word = key(typed)
        if " " in word or len(word) <= MIN_STEM:
            return []
        for cut in range(1, min(MAX_ENDING, len(word) - MIN_STEM) + 1):
            stem = word[:-cut]
            # A headword of the language's own dictionaries before a word only given as a
            # translation: "συναντήσεις" is the noun "συνάντηση", not "συνάντησα" ("I met"),
            # which English–Greek gives for "met".
            for backward in (False, True):
                found: set[str] = set()
                for d in self.installed.values():
                    if (d.target if backward else d.source) == lang:
                        found.update(d.tables().keys_from(stem, 50, backward=backward))
                found = {
                    k
                    for k in found
                    if " " not in k
                    and k != word
                    and len(k) <= min(len(word), len(stem) + MAX_ADDED)
                }
                if found:
                    return [min(found, key=lambda k: (len(k), k))]
        return []

    def lists(self, typed: str, lang: str) -> bool:
        """Whether any dictionary has ``typed`` as a word of ``lang``: a headword of its own
        dictionaries, or a translation another language's dictionary gives."""
        word = key(typed)
        return any(
            (d.source == lang and d.tables().places(word))
            or (d.target == lang and d.tables().givers(word))
            for d in self.installed.values()
        )

    def same_term(self, typed: str, lang: str) -> list[str]:
        """Headwords of ``lang`` that the index reads as the same term as ``typed`` (its lemma
        and stem): the base form of an inflected word that neither it nor its lemma finds,
        whose stem the base form does not begin with ("излишната" and "излишен" are both
        "излишн"; "дома" is "дом"). The headwords read are those beginning with the term less
        its last letter, where a base form inserts a vowel; the shortest are kept, the
        dictionary's own headwords before words only given as translations. A stemmer that
        takes off more than endings reads a derivative as the same term ("οίκον", "οικονομώ"):
        a headword is at most ``SAME_TERM_SHORTER`` letters shorter and ``MAX_ADDED`` longer
        than the word."""
        wanted = term(lang, typed)
        word = key(typed)
        if wanted is None or " " in word or len(wanted) < 3:
            return []
        prefix = key(wanted[: max(3, len(wanted) - 1)])
        for backward in (False, True):
            found: set[str] = set()
            for d in self.installed.values():
                if (d.target if backward else d.source) == lang:
                    found.update(d.tables().keys_from(prefix, SAME_TERM_READ, backward=backward))
            same = [
                k
                for k in found
                if " " not in k
                and k != word
                and len(word) - SAME_TERM_SHORTER <= len(k) <= len(word) + MAX_ADDED
                and term(lang, k) == wanted
            ]
            if same:
                return sorted(same, key=lambda k: (len(k), k))[:SAME_TERM_KEPT]
        return []

    def direct(self, source: str, target: str) -> bool:
        """Whether a dictionary (its own or another read backwards) joins the two languages."""
        return bool(self._own(source, target) or self._own(target, source))

    def translate(self, typed: str, source: str, target: str) -> list[Candidate]:
        """Translations of a word or phrase from ``source`` into ``target``, the dictionary's
        own first, then those read backwards; through English when neither dictionary exists
        (Bulgarian ↔ Portuguese). Kept for
        the process (the files do not change under it): words recur from query to query."""
        found = self._translated.get_or_make(
            (typed, source, target), lambda: tuple(self._translate(typed, source, target))
        )
        return list(found)

    def _translate(self, typed: str, source: str, target: str) -> list[Candidate]:
        own, other = self._own(source, target), self._own(target, source)
        found: list[Candidate] = []
        if own is not None:
            found += own.forward(typed)
        if other is not None:
            found += other.backward(typed)
        if own or other or PIVOT in (source, target) or not self.direct(source, PIVOT):
            # Where a dictionary joins the two languages, a word it lacks is for the caller to
            # look for by way of a third language (``through``), as a weaker translation.
            return _unique(found)
        return self._by_way_of(typed, source, PIVOT, target)

    def _by_way_of(self, typed: str, source: str, pivot: str, target: str) -> list[Candidate]:
        """Translations of ``typed`` into ``pivot`` and theirs into ``target``. A translation's
        share is summed over the words leading to it: "prisão" is first an arrest and an
        apprehension, then a prison and a jail, and "затвор", which both of the latter give,
        outweighs what "apprehension" alone gives."""
        steps = self.translate(typed, source, pivot)[:PIVOT_STEPS]
        total = sum(step.share for step in steps) or 1.0
        shares: dict[str, float] = {}
        first: dict[str, Candidate] = {}
        for step in steps:
            for c in self.translate(step.text, pivot, target):
                k = key(c.text)
                shares[k] = shares.get(k, 0.0) + step.share / total * c.share
                if k not in first:
                    via = f"{step.via} + {c.via}"
                    first[k] = Candidate(
                        c.text, step.sense + c.sense, step.senses + c.senses, via, through=step.text
                    )
        found = [replace(c, share=shares[k]) for k, c in first.items()]
        return sorted(found, key=lambda c: -c.share)

    def through(self, typed: str, source: str, target: str) -> list[Candidate]:
        """Translations of a word or phrase by way of each third language that dictionaries
        join to both: for a word the direct dictionaries lack ("κτίρια" has no Portuguese
        entry, but English "building" has one). A translation two ways agree on counts the sum
        of its shares (each way's shares sum to at most 1), and names the first way's word.
        Kept for the process like ``translate``."""
        found = self._through.get_or_make(
            (typed, source, target), lambda: tuple(self._through_all(typed, source, target))
        )
        return list(found)

    def _through_all(self, typed: str, source: str, target: str) -> list[Candidate]:
        shares: dict[str, float] = {}
        first: dict[str, Candidate] = {}
        for pivot in CODES.values():
            if pivot in (source, target):
                continue
            if not (self.direct(source, pivot) and self.direct(pivot, target)):
                continue
            for c in self._by_way_of(typed, source, pivot, target):
                k = key(c.text)
                shares[k] = shares.get(k, 0.0) + c.share
                first.setdefault(k, c)
        found = [replace(c, share=shares[k]) for k, c in first.items()]
        return sorted(found, key=lambda c: -c.share)

    def warm(self) -> None:
        """Make every table now (once per machine; a server does it at start, not in a search)."""
        with self._building:
            for d in self.installed.values():
                d._tables = d._tables or load(d.file, d.cache, key, d.keeps)

    def read_in(self) -> None:
        """Read every dictionary's entries into memory now (a server's worker does, before its
        first request), instead of the first search that looks a word up in each paying for
        decompressing it."""
        for d in self.installed.values():
            d.file.data()

    def status(self) -> dict[str, Any]:
        """What `kb status` and the admin page say: the dictionaries there, the directions they
        give, and what installing the missing ones would add."""
        missing = [name for name in PACKAGES if name not in self.installed]
        languages = list(NAMES)
        directions = [
            {
                "from": s,
                "to": t,
                "how": self._how(s, t),
            }
            for s in languages
            for t in languages
            if s != t
        ]
        return {
            "folder": str(self.folder) if self.folder else "",
            "installed": [f"dict-freedict-{n}" for n in self.installed],
            "missing": [_missing(n) for n in missing],
            "directions": directions,
            "install": (
                "apt-get install " + " ".join(f"dict-freedict-{n}" for n in missing)
                if missing
                else ""
            ),
        }

    def _how(self, source: str, target: str) -> str:
        if self._own(source, target):
            return "dictionary"
        if self._own(target, source):
            return "reversed"
        if self.direct(source, PIVOT) and self.direct(PIVOT, target):
            return "through English"
        return "glossary only"

    def close(self) -> None:
        for d in self.installed.values():
            d.file.close()


def _missing(name: str) -> dict[str, str]:
    """A dictionary not installed: its package, the languages it joins ("from" → "to"), and
    what installing it adds, in words (the command line's; a page says it in its language)."""
    src, tgt = (CODES[c] for c in name.split("-"))
    adds = f"{NAMES[src]} → {NAMES[tgt]} (and {NAMES[tgt]} → {NAMES[src]} read backwards)"
    return {"package": f"dict-freedict-{name}", "from": src, "to": tgt, "adds": adds}


def _in_script(text: str, script: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and script_of(text) == script


#: Letters two words begin with alike, at least, and the share of the shorter, for them to be
#: one word's forms or family ("cooperative", "cooperation"; "energy", "енергия" read in Latin
#: letters).
ALIKE_LETTERS = 4
ALIKE_SHARE = 0.6


def alike(a: str, b: str) -> bool:
    """Whether two words (in one alphabet) begin alike for most of the shorter one."""
    if " " in a or " " in b:
        return a == b
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += 1
    return same >= ALIKE_LETTERS and same >= ALIKE_SHARE * min(len(a), len(b))


def _unique(found: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for c in found:
        k = key(c.text)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


@cache
def installed_dictionaries(folder: Path | None, cache: Path | None = None) -> Dictionaries:
    """The dictionaries of a folder, one set per process, shared by every engine and thread;
    their tables are kept in ``cache`` (see ``tables``)."""
    return Dictionaries(folder, cache)
