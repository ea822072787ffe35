"""Text clean-up between extraction and language detection.

Extractors hand over text as the file had it: ligature code points, words split by a hyphen at
the end of a line, curly quotes, stray control characters, and — for PDFs whose fonts carry no
Unicode map — Cyrillic or Greek that comes out as Latin-1 look-alikes ("Ñîöèàëíà" for
"Социална"), and accents that older TeX fonts draw as glyphs of their own ("gr´aficos",
"Introdu¸c˜ao"). Search only works if all of that is undone here, once, for every format.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import Any

from markupsafe import Markup, escape

from ..models import Extracted

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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# A word broken at a line end: "inno-\nvation" (also with the soft hyphen or "¬").
_HYPHEN_BREAK = re.compile(r"(\w+)[-\u00ad\u00ac] *\n[ \t]*(\w+)")
_WORD = re.compile(r"\w+(?:-\w+)*")


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
    if not _ANY_ACCENT.search(text):
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


def clean_text(text: str) -> str:
    """Unicode and whitespace normalisation of one page (no cross-page knowledge needed)."""
    text = compose_accents(text.replace("\ufffe", "-\n").replace("\x02", "-\n"))
    for pua, plain in _PUA_LIGATURES.items():
        if pua in text:
            text = text.replace(pua, plain)
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).translate(_QUOTES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def dehyphenate(pages: list[str]) -> list[str]:
    """Re-join words hyphenated across line ends.

    The document's own vocabulary decides: "multi-\\nstakeholder" stays hyphenated when the text
    elsewhere writes "multi-stakeholder"; otherwise the parts are joined ("inno-\\nvation" →
    "innovation"), which is what line-end hyphenation almost always is.
    """
    vocabulary = Counter(w.lower() for page in pages for w in _WORD.findall(page))

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        hyphenated = f"{left}-{right}".lower()
        joined = f"{left}{right}".lower()
        if vocabulary[hyphenated] > 0 and vocabulary[joined] == 0:
            return f"{left}-{right}"
        if right[:1].isupper() and not left[-1:].isupper():
            # "Bulgaria-\nIreland": a real hyphen between names, not a broken word.
            return f"{left}-{right}"
        return f"{left}{right}"

    return [_HYPHEN_BREAK.sub(join, page) for page in pages]


# ---------------------------------------------------------------------------------------------
# Legacy 8-bit Cyrillic / Greek shown as Latin-1
# ---------------------------------------------------------------------------------------------
_LATIN1_HIGH = re.compile(r"[\u00c0-\u00ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_OF = {"cp1251": _CYRILLIC, "cp1253": _GREEK}
# Frequent short words: decoding with the wrong code page does not produce them.
_COMMON_WORDS = {
    "cp1251": {
        *("и", "на", "за", "от", "да", "се", "в", "с", "по", "е", "са", "не", "че", "към"),
        *("что", "это", "как", "для", "он", "к", "у", "из", "то"),
    },
    "cp1253": {
        "και",
        "να",
        "το",
        "της",
        "την",
        "του",
        "η",
        "ο",
        "οι",
        "τα",
        "των",
        "σε",
        "για",
        "με",
    },
}


def _as_bytes(text: str) -> bytes | None:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            try:
                out += ch.encode("latin-1")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def looks_like_mojibake(text: str) -> bool:
    """True when accented Latin-1 letters are far too frequent for any real Latin-script text."""
    letters = len(_LETTER.findall(text))
    if letters < 20:
        return False
    high = len(_LATIN1_HIGH.findall(text))
    return high / letters > 0.3 and not _CYRILLIC.search(text) and not _GREEK.search(text)


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Return the text decoded with the right legacy code page, and which one it was."""
    if not looks_like_mojibake(text):
        return text, None
    raw = _as_bytes(text)
    if raw is None:
        return text, None
    best: tuple[float, str, str] | None = None
    for codepage, script in _SCRIPT_OF.items():
        candidate = raw.decode(codepage, errors="replace")
        letters = len(_LETTER.findall(candidate)) or 1
        share = len(script.findall(candidate)) / letters
        words = re.findall(r"\w+", candidate.lower())
        common = sum(1 for w in words if w in _COMMON_WORDS[codepage]) / (len(words) or 1)
        score = share + 4 * common
        if share > 0.5 and (best is None or score > best[0]):
            best = (score, codepage, candidate)
    if best is None:
        return text, None
    return best[2], best[1]


_TOKEN = re.compile(r"\S+")


def mojibake_codepage(pages: list[str]) -> str | None:
    """The legacy code page a whole document's text was set in, if it was.

    Decided once per document from every word with Latin-1 letters in it: a book whose fonts
    lack a Unicode map has that problem on every page, including pages where a page-by-page
    check would see too few such words to be sure (a page of code, a table of numbers).
    """
    suspects = " ".join(
        token for page in pages for token in _TOKEN.findall(page) if _LATIN1_HIGH.search(token)
    )[:200_000]
    fixed, codepage = repair_mojibake(suspects)
    if codepage is None:
        return None
    # A few such words in a document that is otherwise fine (a character table, a name in a
    # font demo) must also read as real words once decoded: the language's commonest ones.
    decoded = re.findall(r"\w+", fixed.lower())
    common = sum(1 for w in decoded if w in _COMMON_WORDS[codepage]) / max(len(decoded), 1)
    letters = sum(len(_LETTER.findall(page)) for page in pages)
    if common < 0.03 and len(_LETTER.findall(suspects)) < 0.3 * letters:
        return None
    return codepage


def _decode_token(token: str, codepage: str) -> str:
    if not _LATIN1_HIGH.search(token):
        return token
    raw = _as_bytes(token)
    return token if raw is None else raw.decode(codepage, errors="replace")


def repair_document(pages: list[str], codepage: str) -> tuple[list[str], int]:
    """Every word of every page that carries legacy-encoded letters, decoded; words already
    in Unicode (Latin commands, real Cyrillic from another font) stay as they are."""
    out, changed = [], 0
    for page in pages:
        fixed = _TOKEN.sub(lambda m: _decode_token(m.group(0), codepage), page)
        changed += fixed != page
        out.append(fixed)
    return out, changed


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


# ---------------------------------------------------------------------------------------------
# Reading view
# ---------------------------------------------------------------------------------------------
_LIST_ITEM = re.compile(r"^(?:[-•–*·▪◦]\s|\(?\d{1,3}[.)]\s|\(?[a-zа-я][.)]\s)", re.I)
_SENTENCE_END = re.compile(r"[.!?:;…»\"')]$")


def reflow(text: str) -> str:
    """The page's hard line ends inside paragraphs turned into spaces, for reading on any screen.

    Only line breaks change, each into one space, so the text keeps its length and every
    character offset (highlighted words, page positions) stays right. A line break is kept
    where a paragraph plausibly ends: before or after a blank line, after a line clearly
    shorter than the page's text column, before a list item, and after a sentence end on a
    shortish line.
    """
    lines = text.split("\n")
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 2:
        return text
    column = lengths[math.ceil(len(lengths) * 0.9) - 1]
    if column < 25:
        return text  # a table, a slide or a form: lines are not prose
    out: list[str] = []
    for i, line in enumerate(lines[:-1]):
        following = lines[i + 1]
        stripped = line.rstrip()
        keep = (
            not stripped
            or not following.strip()
            or len(stripped) < column * 0.6
            or bool(_LIST_ITEM.match(following.lstrip()))
            or (_SENTENCE_END.search(stripped) is not None and len(stripped) < column * 0.85)
        )
        out.append(line + ("\n" if keep else " "))
    out.append(lines[-1])
    return "".join(out)


def reflow_markup(text: str, markup: str | None) -> Markup:
    """``reflow`` applied to an HTML copy of ``text`` (escaped, with marks), or to the escaped
    text itself: escaping and marks add no line breaks, so the n-th line break of the markup
    is the n-th of the text, and each is kept or made a space as ``reflow`` decides for it."""
    flowed = reflow(text)
    keep = [flowed[i] == "\n" for i, ch in enumerate(text) if ch == "\n"]
    pieces = str(markup if markup is not None else escape(text)).split("\n")
    if len(pieces) != len(keep) + 1:
        return Markup(markup) if markup is not None else escape(text)
    out = [pieces[0]]
    for kept, piece in zip(keep, pieces[1:], strict=True):
        out.append(("\n" if kept else " ") + piece)
    return Markup("".join(out))
