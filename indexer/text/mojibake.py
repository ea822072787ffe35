"""Cyrillic and Greek text that comes out of a file as Latin-1 look-alikes ("Ñîöèàëíà" for
"Социална"): PDFs whose fonts carry no Unicode map, text files saved in an 8-bit code page.
The bytes are recovered and decoded with the legacy code page of the script (`languages`)
whose letters and common words the result then shows."""

from __future__ import annotations

import re

from ..languages import SCRIPTS, letters

_LATIN1_HIGH = re.compile(r"[\u00c0-\u00ff]")
_LETTER = re.compile(r"[^\W\d_]")
#: Legacy code page → the pattern of one letter of its script.
_SCRIPT_OF = {
    script.legacy_codepage: letters(name)
    for name, script in SCRIPTS.items()
    if script.legacy_codepage is not None
}
# Frequent short words: decoding with the wrong code page does not produce them.
_COMMON_WORDS = {
    script.legacy_codepage: script.common_words
    for script in SCRIPTS.values()
    if script.legacy_codepage is not None
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
    return high / letters > 0.3 and not any(rx.search(text) for rx in _SCRIPT_OF.values())


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


def _class(chars: set[str]) -> str:
    return "".join(re.escape(ch) for ch in sorted(chars))


#: The characters an 8-bit font's codes come out as when read as Windows-1252 or Latin-1
#: (spaces and control characters aside), and those of them above ASCII.
_HIGH_CHARS = {chr(c) for c in range(0xA1, 0x100)} | set(
    bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
)
_ENCODABLE = _class({chr(c) for c in range(0x21, 0x7F)} | _HIGH_CHARS)
_HIGH = _class(_HIGH_CHARS)
#: A run of characters that can be re-encoded, holding at least one accented Latin-1 letter:
#: what the decision looks at. A character no 8-bit code gives (a real "∆", a Greek "ε" from
#: another font) ends a run instead of spoiling the document's decision. Runs start only where
#: a run starts (the look-behind), so finding them takes one pass.
_SUSPECT = re.compile(f"(?<![{_ENCODABLE}])[{_ENCODABLE}]*?[\u00c0-\u00ff][{_ENCODABLE}]*")
#: A run that a decided document decodes: any character above ASCII counts (Ukrainian "і" is
#: "³" and "№" is "¹" in cp1251; Greek "Έ" is "¸" in cp1253).
_HIGH_RUN = re.compile(f"(?<![{_ENCODABLE}])[{_ENCODABLE}]*?[{_HIGH}][{_ENCODABLE}]*")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_WORD_RUN = re.compile(r"\w+")


def suspect_runs(pages: list[str]) -> list[str]:
    """The runs of re-encodable characters with Latin-1 letters in them, over every page."""
    return [run for page in pages if _LATIN1_HIGH.search(page) for run in _SUSPECT.findall(page)]


def mojibake_codepage(pages: list[str]) -> str | None:
    """The legacy code page a whole document's text was set in, if it was.

    Decided once per document from every run of re-encodable characters that has Latin-1
    letters in it: a book whose fonts lack a Unicode map has that problem on every page,
    including pages where a page-by-page check would see too few such words to be sure (a page
    of code, a table of numbers). Characters that no 8-bit code gives — a real "∆", a Greek
    letter of a logo set in another font — only end a run: they cannot veto the decision.
    """
    runs = suspect_runs(pages)
    suspects = " ".join(runs)[:200_000]
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


def _decode_run(run: str, codepage: str) -> str:
    """A run decoded with the document's code page, unless that mixes Latin letters and the
    script's letters in one word ("Hölzl" from a font that had a Unicode map stays)."""
    raw = _as_bytes(run)
    if raw is None:
        return run
    decoded = raw.decode(codepage, errors="replace")
    if "\ufffd" in decoded:
        return run
    script = _SCRIPT_OF[codepage]
    for word in _WORD_RUN.findall(decoded):
        if _ASCII_LETTER.search(word) and script.search(word):
            return run
    return decoded


def repair_document(pages: list[str], codepage: str) -> tuple[list[str], int]:
    """Every run of every page that carries legacy-encoded characters, decoded; text already in
    Unicode (Latin commands, real Cyrillic or Greek from another font, symbols) stays as it
    is."""
    out, changed = [], 0
    for page in pages:
        fixed = _HIGH_RUN.sub(lambda m: _decode_run(m.group(0), codepage), page)
        changed += fixed != page
        out.append(fixed)
    return out, changed
