"""Text clean-up between extraction and language detection.

Extractors hand over text as the file had it: ligature code points, words split by a hyphen at
the end of a line, curly quotes, stray control characters, and — for PDFs whose fonts carry no
Unicode map — Cyrillic or Greek that comes out as Latin-1 look-alikes ("Ñîöèàëíà" for
"Социална"). Search only works if all of that is undone here, once, for every format.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from .models import Extracted

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


def clean_text(text: str) -> str:
    """Unicode and whitespace normalisation of one page (no cross-page knowledge needed)."""
    for pua, plain in _PUA_LIGATURES.items():
        if pua in text:
            text = text.replace(pua, plain)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES)
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
    "cp1251": {"и", "на", "за", "от", "да", "се", "в", "с", "по", "е", "са", "не", "че", "към"},
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


def normalise(extracted: Extracted) -> Extracted:
    """Clean every page, repair legacy encodings and re-join hyphenated words."""
    warnings = list(extracted.warnings)
    pages = []
    repaired: set[str] = set()
    for raw in extracted.pages:
        text, codepage = repair_mojibake(raw)
        if codepage:
            repaired.add(codepage)
        pages.append(clean_text(text))
    if repaired:
        warnings.append("repaired legacy encoding: " + ", ".join(sorted(repaired)))
    meta = {}
    for key, value in extracted.meta.items():
        fixed, _ = repair_mojibake(value) if isinstance(value, str) else (value, None)
        meta[key] = clean_text(fixed) if isinstance(fixed, str) else fixed
    return replace(extracted, pages=dehyphenate(pages), meta=meta, warnings=warnings)
