"""Every language and script the knowledge base knows, one entry each: the only place that says
which letters a script has, which languages get a stemmed field of their own, how their words
become index terms, which Tesseract pack reads them and what they are called.

Adding a language is one `Language` entry below plus its data: stop words in
``indexer/data/stopwords.json`` (unless Whoosh ships a list for it), a dictionary in simplemma
when ``steps`` uses ``"lemma"``, a Snowball stemmer when it uses ``"stem"``. A language with
``indexed=False`` is still detected, named and used to read scans; its words are then searched
through the language-neutral field only.

This module imports nothing heavy: configuration reads it, and so does every extraction worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LATIN, CYRILLIC, GREEK, OTHER = "latin", "cyrillic", "greek", "other"


@dataclass(frozen=True)
class Script:
    """An alphabet, as ranges of code points of its letters."""

    name: str
    #: Inclusive code point ranges of the script's letters.
    ranges: tuple[tuple[int, int], ...]
    #: The 8-bit Windows code page text in this script was set in before Unicode, if any:
    #: text shown as Latin-1 although it was written in that code page is repaired.
    legacy_codepage: str | None = None
    #: Frequent short words of the script's languages: decoding with the wrong code page does
    #: not produce them, so they tell a right repair from a wrong one.
    common_words: frozenset[str] = frozenset()
    #: Whether a letter with a mark is a letter of its own (Cyrillic й, ё): folding for search
    #: then keeps the mark, where in Latin and Greek it drops accents.
    marks_make_letters: bool = False

    @property
    def letter_class(self) -> str:
        """The script's letters as the inside of a regular expression's character class."""
        return "".join(
            f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}"
            for low, high in self.ranges
        )

    def contains(self, code_point: int) -> bool:
        return any(low <= code_point <= high for low, high in self.ranges)


#: Letters below U+0250 are Latin, as are those of Latin Extended Additional (Vietnamese,
#: Welsh). Sign and punctuation code points between them (×, ÷, «) are not letters.
SCRIPTS: dict[str, Script] = {
    LATIN: Script(
        LATIN,
        (
            (0x41, 0x5A),
            (0x61, 0x7A),
            (0xAA, 0xAA),
            (0xB5, 0xB5),
            (0xBA, 0xBA),
            (0xC0, 0xD6),
            (0xD8, 0xF6),
            (0xF8, 0x24F),
            (0x1E00, 0x1EFF),
        ),
    ),
    CYRILLIC: Script(
        CYRILLIC,
        ((0x400, 0x4FF),),
        legacy_codepage="cp1251",
        marks_make_letters=True,
        common_words=frozenset(
            (  # noqa: SIM905 - a word list reads better as text
                "и на за от да се в с по е са не че към что это как для он к у из то"
            ).split()
        ),
    ),
    GREEK: Script(
        GREEK,
        ((0x370, 0x3FF), (0x1F00, 0x1FFF)),
        legacy_codepage="cp1253",
        common_words=frozenset(
            "και να το της την του η ο οι τα των σε για με".split()  # noqa: SIM905
        ),
    ),
}


@dataclass(frozen=True)
class Language:
    """One language: how it is written, detected, indexed, read from scans and named."""

    code: str  #: ISO 639-1
    name: str  #: English name (pages show the name in the reader's language, from CLDR)
    script: str
    #: Whether the language has a stemmed field of its own in the index.
    indexed: bool = False
    #: How a lower-cased word becomes its index term, step by step: ``lemma`` (simplemma's
    #: dictionary), ``fold`` (case and accents), ``stem`` (``stemmer``).
    steps: tuple[str, ...] = ()
    #: A Snowball stemmer's name, or ``"bulgarian"`` for the light stemmer in `terms`.
    stemmer: str | None = None
    #: Greek typed without accents is looked up in the dictionary by its unaccented form.
    lemma_by_folded_form: bool = False
    #: Endings of the definite article, which a word the dictionary lacks is looked up
    #: without, shortest first (Bulgarian: "капацитета" is "капацитет" with its article, not
    #: "капаците", the lids).
    article_endings: tuple[str, ...] = ()
    #: Tesseract's language pack.
    ocr_pack: str | None = None
    #: Letters only this language (or its group, listed together) has within its script: they
    #: decide between languages that statistics confuse on short text.
    distinctive_letters: str = ""
    #: Letters no other language of its script has (Serbian ћ, ђ; Macedonian ќ, ѓ, ѕ): where
    #: they occur, they decide before the group's statistics.
    own_letters: str = ""


#: Macedonian and Serbian share most of the letters Bulgarian lacks; statistics decide between
#: the two.
_SOUTH_SLAVIC = "јљњќѓѕџћђЈЉЊЌЃЅЏЋЂ"

LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language(
            "en",
            "English",
            LATIN,
            indexed=True,
            steps=("fold", "stem"),
            stemmer="english",
            ocr_pack="eng",
        ),
        Language(
            "bg",
            "Bulgarian",
            CYRILLIC,
            indexed=True,
            steps=("lemma", "stem"),
            stemmer="bulgarian",
            article_endings=("а", "я", "ът", "ят", "та", "то", "те", "ият"),
            ocr_pack="bul",
        ),
        Language(
            "el",
            "Greek",
            GREEK,
            indexed=True,
            steps=("lemma", "fold", "stem"),
            stemmer="greek",
            lemma_by_folded_form=True,
            ocr_pack="ell",
        ),
        Language(
            "pt",
            "Portuguese",
            LATIN,
            indexed=True,
            steps=("lemma", "stem", "fold"),
            stemmer="portuguese",
            ocr_pack="por",
        ),
        Language("be", "Belarusian", CYRILLIC, distinctive_letters="ўЎ"),
        Language("ru", "Russian", CYRILLIC, ocr_pack="rus", distinctive_letters="ыэёЫЭЁ"),
        Language("uk", "Ukrainian", CYRILLIC, ocr_pack="ukr", distinctive_letters="іїєґІЇЄҐ"),
        Language(
            "mk",
            "Macedonian",
            CYRILLIC,
            ocr_pack="mkd",
            distinctive_letters=_SOUTH_SLAVIC,
            own_letters="ќѓѕЌЃЅ",
        ),
        Language("sr", "Serbian", CYRILLIC, distinctive_letters=_SOUTH_SLAVIC, own_letters="ћђЋЂ"),
        Language("ga", "Irish", LATIN),
        Language("de", "German", LATIN),
        Language("fr", "French", LATIN),
        Language("es", "Spanish", LATIN),
        Language("it", "Italian", LATIN),
        Language("nl", "Dutch", LATIN),
        Language("ro", "Romanian", LATIN),
        Language("pl", "Polish", LATIN),
        Language("cs", "Czech", LATIN),
        Language("sk", "Slovak", LATIN),
    )
}


#: Languages with a stemmed field of their own, in the index's order.
INDEX_LANGUAGES: tuple[str, ...] = tuple(code for code, lang in LANGUAGES.items() if lang.indexed)
#: Tesseract's pack for each language that has one.
OCR_PACKS: dict[str, str] = {
    code: lang.ocr_pack for code, lang in LANGUAGES.items() if lang.ocr_pack
}


def letters(script: str) -> re.Pattern[str]:
    """A pattern matching one letter of ``script``."""
    return _LETTERS[script]


def word_pattern(script: str) -> re.Pattern[str]:
    """A pattern matching a word of ``script``'s letters (with inner hyphens and apostrophes)."""
    return _WORDS[script]


_LETTERS = {name: re.compile(f"[{s.letter_class}]") for name, s in SCRIPTS.items()}
#: Runs of each script's letters: counted by their lengths, a line is a few matches, not one
#: per letter.
_LETTER_RUNS = {name: re.compile(f"[{s.letter_class}]+") for name, s in SCRIPTS.items()}
_WORDS = {
    name: re.compile(rf"[{s.letter_class}]+(?:[-'’]?[{s.letter_class}]+)*")
    for name, s in SCRIPTS.items()
}


def letter_counts(text: str) -> dict[str, int]:
    """How many letters of each script the text has."""
    return {name: sum(map(len, rx.findall(text))) for name, rx in _LETTER_RUNS.items()}


@lru_cache(maxsize=4096)
def script_of_letter(letter: str) -> str:
    code_point = ord(letter)
    for name, script in SCRIPTS.items():
        if script.contains(code_point):
            return name
    return OTHER


def script_of(word: str) -> str:
    """The script of a word's first letter (`OTHER` for digits only, or another script)."""
    for ch in word:
        if ch.isalpha():
            return script_of_letter(ch)
    return OTHER


def keeps_marks(letter: str) -> bool:
    """Whether a mark on this letter makes a letter of its own, kept when folding."""
    script = SCRIPTS.get(script_of_letter(letter))
    return script is not None and script.marks_make_letters


@lru_cache(maxsize=16)
def indexed_languages(script: str) -> tuple[str, ...]:
    """The languages with a field of their own written in ``script`` (asked for every word
    analysed, answered once per script)."""
    return tuple(code for code in INDEX_LANGUAGES if LANGUAGES[code].script == script)


def script_language(script: str) -> str | None:
    """The language every word of a script goes to, when the script has exactly one indexed
    language (Cyrillic → Bulgarian, Greek → Greek); None for Latin, where the page decides."""
    found = indexed_languages(script)
    return found[0] if len(found) == 1 and script != LATIN else None


def term_language(script: str, latin_language: str | None) -> str | None:
    """The one language a word of ``script`` is analysed in when only one is taken: its
    script's language, or for Latin words the page's language if it has a field, else the
    first Latin one (English)."""
    if script == LATIN:
        latin = indexed_languages(LATIN)
        return latin_language if latin_language in latin else latin[0]
    return script_language(script)


def accepts(lang: str, script: str, latin_language: str | None) -> bool:
    """Whether a word of this script belongs in the field of ``lang``.

    ``latin_language`` is the page's Latin-script language, ``"*"`` when unknown (queries).
    """
    if lang not in indexed_languages(script):
        return False
    return script != LATIN or latin_language in ("*", lang)


def latin_language(page_languages: list[str], document_languages: list[str]) -> str | None:
    """Which language the Latin-script words of a page are in: the page's first Latin-script
    language, else the document's."""
    for lang in [*page_languages, *document_languages]:
        known = LANGUAGES.get(lang)
        if known is not None and known.script == LATIN:
            return lang
    return None


def script_of_language(lang: str) -> str:
    known = LANGUAGES.get(lang)
    return known.script if known is not None else LATIN


@lru_cache(maxsize=8)
def _letter_groups(script: str) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """The distinctive letters of ``script``'s languages (as a pattern that finds any of them),
    each with the languages that have them, in the table's order."""
    groups: dict[str, list[str]] = {}
    for code, lang in LANGUAGES.items():
        if lang.script == script and lang.distinctive_letters:
            groups.setdefault(lang.distinctive_letters, []).append(code)
    return tuple(
        (re.compile(f"[{re.escape(letters)}]"), tuple(codes)) for letters, codes in groups.items()
    )


def distinguish(script: str, text: str, guess: str) -> str:
    """The language of ``text`` in ``script`` as its letters tell it: the first language whose
    distinctive letters occur (the statistical ``guess`` when it shares those letters), else
    the script's indexed language (Bulgarian for Cyrillic). Russian or Macedonian guesses for
    text without any of their letters are wrong. Letters only one language has decide first:
    statistics confuse Serbian and Macedonian, ћ and ќ do not."""
    own = [
        (sum(text.count(ch) for ch in lang.own_letters), code)
        for code, lang in LANGUAGES.items()
        if lang.script == script and lang.own_letters
    ]
    count, code = max(own, default=(0, ""))
    if count:
        return code
    for letters, codes in _letter_groups(script):
        if letters.search(text):
            return guess if guess in codes else codes[0]
    return script_language(script) or guess


def shared_letters(script: str, text: str) -> bool:
    """Whether ``text`` has letters that several languages of ``script`` share (Macedonian and
    Serbian): only statistics tell those apart."""
    return any(len(codes) > 1 and letters.search(text) for letters, codes in _letter_groups(script))
