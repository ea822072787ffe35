"""Words typed in another alphabet: Latin letters for Bulgarian or Greek, and back.

Readers without a Cyrillic or Greek keyboard type "plashtane" for плащане and "koinoniki
oikonomia" for κοινωνική οικονομία; place names appear in both alphabets ("Stara Zagora",
"Стара Загора"). The schemes are the official ones: Bulgaria's Streamlined System (the
Transliteration Act of 2009) and Greece's ELOT 743.

Into Latin letters each scheme gives one spelling. Out of Latin letters it does not: "a" is
а or ъ, "i" is ι, η or υ, "o" is ο or ω. So every reading is tried against the index's own
words, letter by letter, and a branch stops as soon as no word of the index starts with it:
the readings kept are words the index has.

No library was used: the ones on PyPI follow other schemes (ISO 9 for Bulgarian, a letter for
letter table for Greek) or read Latin back one way only.
"""

from __future__ import annotations

from whoosh.reading import IndexReader

from ...languages import CYRILLIC, GREEK, LATIN, script_of
from ...text.terms import WORD, fold
from ..contract import Transliteration
from .typed import Codes

#: Bulgarian letters in the Streamlined System.
BULGARIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
}  # fmt: skip
#: Greek letters in ELOT 743 (the pairs that change with their neighbours are handled below).
GREEK_LETTERS = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o",
}  # fmt: skip
GREEK_PAIRS = {"ου": "ou", "γγ": "ng", "γκ": "gk", "γξ": "nx", "γχ": "nch", "μπ": "mp", "ντ": "nt"}
#: αυ, ευ, ηυ: v before a voiced sound, f before a voiceless one and at the end of a word.
_VOICELESS = set("θκξπστφχψ")

#: Latin spellings readers use for each Bulgarian letter: the official one first, then the
#: informal ones seen in e-mail and chat ("c" for ц, "w" for в, "j" for й).
TO_BULGARIAN: dict[str, tuple[str, ...]] = {}
for _letter, _latin in BULGARIAN.items():
    TO_BULGARIAN.setdefault(_latin, ())
    TO_BULGARIAN[_latin] += (_letter,)
TO_BULGARIAN.update(
    {"c": ("ц", "к"), "w": ("в",), "x": ("кс",), "j": ("й", "дж"), "ia": ("ия",), "q": ("я",)}
)
#: Latin spellings of Greek letters and pairs: ELOT 743, then common informal ones.
TO_GREEK: dict[str, tuple[str, ...]] = {
    "a": ("α",), "v": ("β",), "g": ("γ",), "d": ("δ",), "e": ("ε",), "z": ("ζ",),
    "i": ("ι", "η", "υ", "ει", "οι"), "th": ("θ",), "k": ("κ",), "l": ("λ",), "m": ("μ",),
    "n": ("ν",), "x": ("ξ",), "ks": ("ξ",), "o": ("ο", "ω"), "p": ("π",), "r": ("ρ",),
    "s": ("σ",), "t": ("τ",), "y": ("υ",), "f": ("φ",), "ch": ("χ",), "h": ("χ",),
    "ps": ("ψ",), "ai": ("αι",), "ei": ("ει",), "oi": ("οι",), "ou": ("ου",), "u": ("ου",),
    "av": ("αυ",), "af": ("αυ",), "ev": ("ευ",), "ef": ("ευ",), "iv": ("ηυ",), "if": ("ηυ",),
    "ng": ("γγ",), "gk": ("γκ",), "nx": ("γξ",), "nch": ("γχ",), "mp": ("μπ",), "b": ("μπ",),
    "nt": ("ντ",), "w": ("ω",),
}  # fmt: skip

#: Readings of one word looked at, at most (the index's words prune most of them early).
MAX_STEPS = 2000
#: Index words read per reading when looking for its inflected forms.
ENDING_WORDS = 20


def _plain(word: str) -> str:
    """Lower case without accents (Greek tonos and dialytika; Cyrillic й kept)."""
    return fold(word)


def to_latin(word: str) -> str:
    """A Bulgarian or Greek word in Latin letters (other letters are kept as they are)."""
    word = _plain(word)
    script = script_of(word)
    if script == CYRILLIC:
        if word.endswith("ия"):
            return "".join(BULGARIAN.get(c, c) for c in word[:-2]) + "ia"
        return "".join(BULGARIAN.get(c, c) for c in word)
    if script != GREEK:
        return word
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if len(pair) == 2 and pair[1] == "υ" and pair[0] in "αεη":
            following = word[i + 2 : i + 3]
            voiced = following and following not in _VOICELESS
            out.append(GREEK_LETTERS[pair[0]] + ("v" if voiced else "f"))
            i += 2
        elif pair in GREEK_PAIRS:
            if i == 0 and pair in ("μπ", "ντ"):
                out.append("b" if pair == "μπ" else "d")
            elif i == 0 and pair == "γκ":
                out.append("g")
            else:
                out.append(GREEK_PAIRS[pair])
            i += 2
        else:
            out.append(GREEK_LETTERS.get(word[i], word[i]))
            i += 1
    return "".join(out)


class IndexWords:
    """The words of one field of the index, asked whether a word or a beginning exists."""

    def __init__(self, reader: IndexReader, fieldname: str = "text") -> None:
        self.reader = reader
        self.fieldname = fieldname
        self._starts: dict[str, bool] = {}

    def has(self, word: str) -> bool:
        return (self.fieldname, word) in self.reader

    def endings(self, word: str, most: int) -> list[str]:
        """Words of the index that are ``word`` with at most ``most`` letters more, shortest
        first: an inflected form of a reading ("микрокредит" + "и")."""
        found = []
        for t in self.reader.expand_prefix(self.fieldname, word):
            text = t.decode("utf-8") if isinstance(t, bytes) else str(t)
            if len(text) > len(word) + most:
                continue
            found.append(text)
            if len(found) >= ENDING_WORDS:
                break
        return sorted(found, key=lambda w: (len(w), w))

    def starts(self, prefix: str) -> bool:
        found = self._starts.get(prefix)
        if found is None:
            terms = self.reader.expand_prefix(self.fieldname, prefix)
            found = self._starts[prefix] = next(iter(terms), None) is not None
        return found


def from_latin(
    word: str, table: dict[str, tuple[str, ...]], words: IndexWords, endings: int = 0
) -> list[str]:
    """Readings of a Latin-letter word in the alphabet of ``table`` that are words of the
    index, shortest first; with ``endings``, a reading the index has only with up to that
    many letters more (an inflected form) gives those words."""
    latin = _plain(word)
    if not latin.isascii() or not latin.isalpha():
        return []
    keys = sorted(table, key=len, reverse=True)
    found: set[str] = set()
    steps = 0
    stack: list[tuple[int, str]] = [(0, "")]
    while stack and steps < MAX_STEPS:
        at, built = stack.pop()
        steps += 1
        if at == len(latin):
            if words.has(built):
                found.add(built)
            elif endings:
                found.update(words.endings(built, endings)[:1])
            continue
        for key in keys:
            if latin.startswith(key, at):
                for letters in table[key]:
                    if words.starts(built + letters):
                        stack.append((at + len(key), built + letters))
    return sorted(found, key=lambda r: (len(r), r))


def readings(
    word: str, words: IndexWords, per_language: int = 2, endings: int = 0
) -> list[tuple[str, str]]:
    """(language, reading) of a word in the other alphabets, for those the index has: Latin
    letters read as Bulgarian and as Greek, Bulgarian and Greek letters read as Latin (with
    ``endings``, also a Latin word read in a form with up to that many letters more)."""
    script = script_of(word)
    if script == LATIN:
        return [
            (lang, reading)
            for lang, table in (("bg", TO_BULGARIAN), ("el", TO_GREEK))
            for reading in from_latin(word, table, words, endings)[:per_language]
        ]
    if script in (CYRILLIC, GREEK):
        latin = to_latin(word)
        if latin != _plain(word) and words.has(latin):
            return [("latin", latin)]
    return []


def with_readings(q: str, words: IndexWords) -> tuple[str, list[Transliteration]]:
    """The query with each word that reads as a word of the index in another alphabet written
    as ``(word OR reading …)``, and the readings to tell the reader. Codes stay as typed: a
    code is a code in every alphabet."""
    protected, codes = Codes.protect(q)
    pieces: list[str] = []
    said: list[Transliteration] = []
    last = 0
    for m in WORD.finditer(protected):
        word = m.group(0)
        pieces.append(protected[last : m.start()])
        last = m.end()
        found = [] if codes.ids_in(word) else readings(word, words)
        if not found:
            pieces.append(word)
            continue
        pieces.append("(" + " OR ".join([word, *(r for _, r in found)]) + ")")
        said += [{"typed": word, "reading": r, "language": lang} for lang, r in found]
    pieces.append(protected[last:])
    return codes.restore("".join(pieces)), said


def as_read(q: str, said: list[Transliteration]) -> str:
    """The query with each word replaced by its first reading in another alphabet: what a
    query typed in Latin letters means, to be translated like the words it stands for."""
    first: dict[str, str] = {}
    for t in said:
        first.setdefault(t["typed"], t["reading"])
    return WORD.sub(lambda m: first.get(m.group(0), m.group(0)), q)
