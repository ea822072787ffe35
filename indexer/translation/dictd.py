"""One bilingual dictionary in dictd's format, read where it is installed, a few entries at a time.

A dictd dictionary is two files: ``NAME.index``, one line per headword with the offset and length
of its entry in base64 digits, and ``NAME.dict.dz`` (or an uncompressed ``NAME.dict``), the
entries' text compressed with dictzip — gzip in independently compressed chunks, whose sizes sit
in the gzip header, so any entry is read by decompressing only the chunk or two that hold it.
So opening a dictionary reads only its index (half a megabyte for 30,000 headwords) into a table
of offsets; an entry is read when a query asks for it. Reading every entry (to look the
dictionary up backwards) decompresses the whole file once, in a few tens of milliseconds.

The entries FreeDict's Debian packages install come in two layouts: a headword line, then one
line of translations (older editions, after a blank line), or numbered senses each made of a
line of translations and, in the WikDict editions, a line that explains the sense. The first
line of a sense holds its translations; every other line is a gloss and is skipped.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import idzip

_B64 = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
}
_SENSE = re.compile(r"^\s*(\d+)\.\s+(.*)$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|<[^>]*>|\{[^}]*\}")
_PART_OF_SPEECH = re.compile(r"<([a-z]+)>\s*$")
#: Stress marks printed over Cyrillic vowels (а́), which are no part of the word (over Greek
#: letters the same mark is the tonos, which is).
_STRESS = {"\u0301", "\u0300"}
_HOMONYM = re.compile(r"\s+\d+$")
#: A translation is words: letters with inner spaces, hyphens, apostrophes or dots.
_WORDS_ONLY = re.compile(r"^[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*$")


def b64_number(digits: str) -> int:
    """A number written in dictd's base64 digits (most significant first)."""
    n = 0
    for c in digits:
        n = n * 64 + _B64[c]
    return n


def unstressed(text: str) -> str:
    """Text without the stress marks dictionaries print over vowels."""
    if text.isascii():
        return text
    out: list[str] = []
    for c in unicodedata.normalize("NFD", text):
        if c in _STRESS and out and "\u0400" <= out[-1] <= "\u04ff":
            continue
        out.append(c)
    return unicodedata.normalize("NFC", "".join(out))


@dataclass(frozen=True)
class Entry:
    """One entry: its headword, part of speech (when given) and translations per sense."""

    headword: str
    part_of_speech: str
    senses: tuple[tuple[str, ...], ...]


def parse_entry(text: str) -> Entry:
    """An entry's text as dictd stores it, read into senses of translations."""
    lines = text.strip("\n").split("\n")
    head = lines[0].strip()
    pos = _PART_OF_SPEECH.search(head)
    headword = head.split(" /", 1)[0].split(" <", 1)[0].strip()
    senses: list[tuple[str, ...]] = []
    open_sense = False  # the current sense still waits for its line of translations
    for line in lines[1:]:
        if not line.strip():
            continue
        numbered = _SENSE.match(line)
        if numbered:
            senses.append(translations(numbered.group(2)))
            open_sense = False
        elif not senses or open_sense:
            senses.append(translations(line))
            open_sense = False
    return Entry(headword, pos.group(1) if pos else "", tuple(s for s in senses if s))


def translations(line: str) -> tuple[str, ...]:
    """The translations of one line: separated by commas or semicolons, remarks in brackets
    and stress marks left out."""
    out: list[str] = []
    for item in re.split(r"[,;]", _BRACKETS.sub(" ", unstressed(line))):
        item = _HOMONYM.sub("", " ".join(item.split()).strip(" .!?'\"")).strip(" .")
        if item and item not in out and _WORDS_ONLY.match(item):
            out.append(item)
    return tuple(out)


class DictdFile:
    """A dictd dictionary: its table of offsets read on first use, entries read on demand.

    The data file is read whole into memory the first time an entry is wanted (the seven
    FreeDict dictionaries between the four languages hold 11 MB of text, read in 50 ms): in
    its compressed form, each entry read decompressed a chunk of 58 kB around it again, a
    fifth of a millisecond per new word of a query. Safe to share between threads: the table
    and the data are read once under a lock.
    """

    def __init__(self, index: Path, data: Path) -> None:
        self.index_path = index
        self.data_path = data
        self._offsets: dict[str, list[tuple[int, int]]] | None = None
        self._data: bytes | None = None
        self._lock = threading.Lock()

    @classmethod
    def at(cls, stem: Path) -> DictdFile | None:
        """The dictionary whose files start with ``stem`` (``…/freedict-eng-bul``), if whole."""
        index = stem.with_name(stem.name + ".index")
        for suffix in (".dict.dz", ".dict"):
            data = stem.with_name(stem.name + suffix)
            if index.is_file() and data.is_file():
                return cls(index, data)
        return None

    def offsets(self) -> dict[str, list[tuple[int, int]]]:
        """Lower-cased headword → where its entries are (a headword may have several)."""
        with self._lock:
            if self._offsets is None:
                table: dict[str, list[tuple[int, int]]] = {}
                with self.index_path.open(encoding="utf-8", errors="replace") as fh:
                    for line in fh:
                        parts = line.rstrip("\n").split("\t")
                        if len(parts) < 3 or parts[0].startswith("00database"):
                            continue
                        try:
                            where = (b64_number(parts[1]), b64_number(parts[2]))
                        except KeyError:
                            continue  # a damaged line costs that headword only
                        table.setdefault(unstressed(parts[0]).lower(), []).append(where)
                self._offsets = table
            return self._offsets

    def lookup(self, headword: str) -> list[Entry]:
        """The entries of a headword (lower-cased, as the index lists it)."""
        return [parse_entry(self.read(o, n)) for o, n in self.offsets().get(headword, ())]

    def read(self, offset: int, length: int) -> str:
        return self.data()[offset : offset + length].decode("utf-8", errors="replace")

    def entries(self) -> list[Entry]:
        """Every entry, in the order of the data file (for reading the dictionary backwards)."""
        data = self.data()
        where = sorted({w for ws in self.offsets().values() for w in ws})
        return [parse_entry(data[o : o + n].decode("utf-8", errors="replace")) for o, n in where]

    def data(self) -> bytes:
        """The whole data file, uncompressed (read once)."""
        found = self._data
        if found is None:
            with self._lock:
                if self._data is None:
                    with self._open() as fh:
                        self._data = fh.read()
                found = self._data
        return found

    def _open(self) -> BinaryIO:
        if self.data_path.name.endswith(".dz"):
            opened: BinaryIO = idzip.open(str(self.data_path))
            return opened
        return self.data_path.open("rb")

    def close(self) -> None:
        """Let go of the data read (the next entry wanted reads it again)."""
        with self._lock:
            self._data = None
