"""Text clean-up between extraction and language detection.

Extractors hand over text as the file had it: ligature code points, words split by a hyphen at
the end of a line, curly quotes, stray control characters, and — for PDFs whose fonts carry no
Unicode map — Cyrillic or Greek that comes out as Latin-1 look-alikes ("Ñîöèàëíà" for
"Социална"), and accents that older TeX fonts draw as glyphs of their own ("gr´aficos",
"Introdu¸c˜ao"). Search only works if all of that is undone here, once, for every format.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Any

from ..models import Extracted
from .mojibake import mojibake_codepage, repair_document, repair_mojibake
from .terms import WORD_PART

# Private-use code points that some PDF fonts use for ligatures (Adobe's standard assignments).
_PUA_LIGATURES = {
    "\uf001": "fi",
    "\uf002": "fl",
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00b4": "'",  # an acute accent left alone is an apostrophe typed with the wrong key
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
    }
)
#: Any character `_QUOTES` changes: translating is skipped where there is none.
#: No plain quote is itself replaced, so replacing one quote after another is translating.
_QUOTE_PAIRS = tuple((chr(code), plain) for code, plain in _QUOTES.items())
_QUOTE_CHARS = re.compile("[" + re.escape("".join(map(chr, _QUOTES))) + "]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: Runs of spaces and tabs, each to become one space: a single space stays as it is (taking
#: every space of a page apart and putting it back cost more than all the rest).
_SPACES = re.compile(r" [ \t\r\f\v]+|[\t\r\f\v][ \t\r\f\v]*")
_MANY_NEWLINES = re.compile(r"\n{3,}")
#: A character `_SPACES` replaces wherever it stands (a space only where it doubles).
_ODD_SPACE = re.compile(r"[\t\r\f\v]")
#: A hyphen at a line end written as a control character: the soft hyphen, or 0x7F, where TeX
#: fonts without a Unicode map put their hyphen. It becomes a plain one before control
#: characters go, so that `dehyphenate` still sees the broken word.
_CONTROL_HYPHEN = re.compile(r"[\x7f\u00ad][ \t]*(?=\r?\n)")
#: TeX's ligatures in fonts without a Unicode map, at their places in its 7-bit encodings.
_LIGATURE_BYTES = {"\x1b": "ff", "\x1c": "fi", "\x1d": "fl", "\x1e": "ffi", "\x1f": "ffl"}
# A ligature byte is a ligature next to a letter ("Especi\x1ccação", "\x1crst", "sta\x1b"); an
# escape sequence ("\x1b[0m") is not.
_LIGATURE_BYTE = re.compile(r"[\x1b-\x1f](?=[^\W\d_])|(?<=[^\W\d_])[\x1b-\x1f](?!\[)")
# A word broken at a line end: "inno-\nvation" (also with the soft hyphen or "¬"). Found from
# the break, then its halves: a pattern starting with the word would be tried at every letter.
_LINE_END_HYPHEN = re.compile(r"[-\u00ad\u00ac] *\n[ \t]*")
_LEFT_HALF = re.compile(rf"(?:{WORD_PART})\Z")
# The punctuation after the second half goes with it; the spaces after that are taken too.
_RIGHT_HALF = re.compile(rf"({WORD_PART})([^\w\s]*)[ \t]*")
_VOCABULARY_WORD = re.compile(r"\w+(?:-\w+)*")


# ---------------------------------------------------------------------------------------------
# Accents drawn as glyphs of their own
# ---------------------------------------------------------------------------------------------
#: Spacing accents as PDF text layers give them, and the combining mark each stands for. TeX's
#: \accent primitive sets the accent glyph before the letter; a cedilla built with \ooalign
#: comes after it. Extractors output the glyphs in that order, not composed.
SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # ´ acute
    "\u02ca": "\u0301",
    "\u0384": "\u0301",  # Greek tonos
    "\u0060": "\u0300",  # ` grave
    "\u02cb": "\u0300",
    "\u02c6": "\u0302",  # ˆ circumflex
    "\u02dc": "\u0303",  # ˜ tilde
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u00af": "\u0304",  # ¯ macron
    "\u02c9": "\u0304",
    "\u02d8": "\u0306",  # ˘ breve (also Bulgarian й from и)
    "\u02d9": "\u0307",  # ˙ dot above
    "\u02da": "\u030a",  # ˚ ring
    "\u02dd": "\u030b",  # ˝ double acute
    "\u02c7": "\u030c",  # ˇ caron
    "\u00b8": "\u0327",  # ¸ cedilla
    "\u02db": "\u0328",  # ˛ ogonek
}
_LETTER_CLASS = r"[^\W\d_]"
# A spacing accent, or a combining mark standing alone after a space (a spacing accent that was
# already decomposed), with the letters on either side.
_LOOSE_ACCENT = re.compile(
    rf"(?P<before>{_LETTER_CLASS}?)"
    rf"(?P<accent>[{''.join(SPACING_ACCENTS)}]| [\u0300-\u036f])"
    rf"(?P<after>{_LETTER_CLASS}?)"
    rf"(?P<next>{_LETTER_CLASS}?)"
)
_ANY_ACCENT = re.compile(rf"[{''.join(SPACING_ACCENTS)}]| [\u0300-\u036f]")
#: What every `_ANY_ACCENT` holds, looked for first in one pass.
_ACCENT_OR_MARK = re.compile(rf"[{''.join(SPACING_ACCENTS)}\u0300-\u036f]")
DOTLESS = {"\u0131": "i", "\u0237": "j"}  # ı ȷ: TeX puts accents on dotless i and j


def _composed(letter: str, mark: str) -> str | None:
    """The single precomposed character for ``letter`` + ``mark``, if Unicode has one."""
    if not letter:
        return None
    base = DOTLESS.get(letter, letter)
    result = unicodedata.normalize("NFC", base + mark)
    return result if len(result) == 1 else None


def compose_accents(text: str) -> str:
    """Put accents drawn as separate glyphs back on their letters: ``poss´ıveis`` → ``possíveis``,
    ``Introdu¸c˜ao`` → ``Introdução``.

    An accent above goes to the letter after it, as TeX sets it (else to the letter before);
    a cedilla or ogonek to whichever neighbour takes it, the following one first. A pair that
    Unicode cannot compose is left as it is, and so is an acute between a word and a final
    consonant ("it´s", "Ireland´s"), which is an apostrophe typed with the wrong key.
    """
    if not _ACCENT_OR_MARK.search(text) or not _ANY_ACCENT.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        before, accent, after, following = (
            m.group("before"),
            m.group("accent"),
            m.group("after"),
            m.group("next"),
        )
        standalone = accent.startswith(" ")
        mark = accent[1:] if standalone else SPACING_ACCENTS[accent]
        if standalone and not after:
            return m.group(0)  # a combining mark after a space, before no letter: leave it
        if accent == "`" and (not after or (not before and following)):
            return m.group(0)  # `code`: backticks around a word are quotes, not accents
        if (
            mark == "\u0301"
            and before
            and after
            and not following
            and after.lower() not in "aeiouyıάέήίόύώ"
        ):
            return m.group(0)  # "it´s": an apostrophe
        lead = " " if standalone and not before else ""
        composed = _composed(after, mark)
        if composed:
            return f"{before}{lead}{composed}{following}"
        composed = _composed(before, mark)
        if composed:
            return f"{lead}{composed}{after}{following}"
        return m.group(0)

    return _LOOSE_ACCENT.sub(fix, text)


def _ligature(m: re.Match[str]) -> str:
    return _LIGATURE_BYTES[m.group(0)]


def clean_text(text: str) -> str:
    """Unicode and whitespace normalisation of one page (no cross-page knowledge needed).

    Bytes that mean something are read before control characters are removed: line-end
    hyphens written as 0x7F or a soft hyphen become hyphens (joined later, by `dehyphenate`),
    and TeX's ligature bytes next to letters become their letters.
    """
    text = text.replace("\ufffe", "-\n").replace("\x02", "-\n")
    if "\x7f" in text or "\u00ad" in text:
        text = _CONTROL_HYPHEN.sub("-", text)
    if any(ch in text for ch in _LIGATURE_BYTES):
        text = _LIGATURE_BYTE.sub(_ligature, text)
    text = compose_accents(text)
    for pua, plain in _PUA_LIGATURES.items():
        if pua in text:
            text = text.replace(pua, plain)
    text = _plain_quotes(text)
    text = unicodedata.normalize("NFKC", text)
    text = _plain_quotes(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def _plain_quotes(text: str) -> str:
    """Typographic quotes as plain ones (`_QUOTES`): each quote the text has replaced in C,
    where translating goes through a table character by character."""
    if _QUOTE_CHARS.search(text):
        for quote, plain in _QUOTE_PAIRS:
            if quote in text:
                text = text.replace(quote, plain)
    return text


def dehyphenate(pages: list[str]) -> list[str]:
    """Re-join words hyphenated across line ends.

    The document's own vocabulary decides: "multi-\\nstakeholder" stays hyphenated when the text
    elsewhere writes "multi-stakeholder"; otherwise the parts are joined ("inno-\\nvation" →
    "innovation"), which is what line-end hyphenation almost always is. The line break moves
    after the joined word, so lines keep their length: the reading view tells a paragraph's
    lines from short ones by it.
    """
    vocabulary: Counter[str] | None = None

    def join(left: str, right: str) -> str:
        nonlocal vocabulary
        if vocabulary is None:  # read only for documents that break words
            words = (w.lower() for page in pages for w in _VOCABULARY_WORD.findall(page))
            vocabulary = Counter(words)
        if vocabulary[f"{left}-{right}".lower()] > 0 and vocabulary[f"{left}{right}".lower()] == 0:
            return f"{left}-{right}"
        if right[:1].isupper() and not left[-1:].isupper():
            # "Bulgaria-\nIreland": a real hyphen between names, not a broken word.
            return f"{left}-{right}"
        return f"{left}{right}"

    def page_joined(page: str) -> str:
        out: list[str] = []
        done = 0
        for m in _LINE_END_HYPHEN.finditer(page):
            if m.start() < done:
                continue
            left = _LEFT_HALF.search(page, max(done, m.start() - 64), m.start())
            right = _RIGHT_HALF.match(page, m.end())
            if left is None or right is None:
                continue
            end = right.end()
            line_end = "" if end == len(page) or page[end] == "\n" else "\n"
            out += [page[done : left.start()], join(left.group(0), right.group(1))]
            out += [right.group(2), line_end]
            done = end
        return "".join(out) + page[done:] if out else page

    return [page_joined(page) for page in pages]


def normalise(extracted: Extracted) -> Extracted:
    """Repair legacy encodings (decided for the whole document), clean every page and re-join
    hyphenated words. What was repaired is recorded in the warnings and in ``meta["text"]``."""
    warnings = list(extracted.warnings)
    raw_pages = list(extracted.pages)
    text_info: dict[str, Any] = dict(extracted.meta.get("text") or {})
    codepage = mojibake_codepage(raw_pages)
    if codepage:
        raw_pages, changed = repair_document(raw_pages, codepage)
        warnings.append(
            f"repaired legacy encoding: {codepage} (fonts without a Unicode map), "
            f"decided for the whole document and applied on {changed} of {len(raw_pages)} pages"
        )
        text_info["encoding_repair"] = {"codepage": codepage, "pages": changed}
    pages = [clean_text(text) for text in raw_pages]
    meta: dict[str, Any] = {}
    for key, value in extracted.meta.items():
        if not isinstance(value, str):
            meta[key] = value
            continue
        fixed = repair_document([value], codepage)[0][0] if codepage else value
        fixed, _ = repair_mojibake(fixed)
        meta[key] = clean_text(fixed)
    if text_info:
        meta["text"] = text_info
    return replace(extracted, pages=dehyphenate(pages), meta=meta, warnings=warnings)
