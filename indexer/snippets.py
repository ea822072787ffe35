"""Highlighted snippets of a page for the words a query matched.

Highlighting runs on one page at a time (short text, only for hits on screen) and re-uses the
index's own term functions, so a stemmed match ("иновациите" for a query "иновация") is marked
just like an exact one. Markup is built from escaped pieces only.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from .analysis import IDENTIFIER, WORD, accepts, fold, identifier_key, script_of, term
from .schema import LANGUAGE_FIELDS

Span = tuple[int, int]
WIDTH = 260


def group_terms(pairs: Iterable[tuple[str, str | bytes]]) -> dict[str, set[str]]:
    """(field, term) pairs → field → set of term texts."""
    out: dict[str, set[str]] = {}
    for fieldname, text in pairs:
        value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        out.setdefault(fieldname, set()).add(value)
    return out


def match_spans(text: str, terms: dict[str, set[str]]) -> list[Span]:
    """Character spans of words in ``text`` that any query term matches."""
    exact = terms.get("text", set()) | terms.get("title", set()) | terms.get("meta_text", set())
    stemmed = {lang: terms.get(f, set()) for lang, f in LANGUAGE_FIELDS.items() if terms.get(f)}
    spans: list[Span] = []
    for m in WORD.finditer(text):
        word = m.group(0)
        forms = [word, *word.split("-")] if "-" in word else [word]
        script = script_of(word)
        hit = any(fold(f) in exact for f in forms)
        if not hit:
            for lang, wanted in stemmed.items():
                if accepts(lang, script, "*") and any(term(lang, f) in wanted for f in forms):
                    hit = True
                    break
        if hit:
            spans.append((m.start(), m.end()))
    codes = terms.get("ident")
    if codes:
        spans += [
            (m.start(), m.end())
            for m in IDENTIFIER.finditer(text)
            if identifier_key(m.group(0)) in codes
        ]
    return _merge(sorted(spans))


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _best_window(spans: list[Span], length: int, width: int) -> tuple[int, int]:
    """The window of ``width`` characters holding the most matches."""
    if not spans:
        return 0, min(length, width)
    best, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, _ in spans[i:] if s < start + width)
        if count > best_count:
            best, best_count = start, count
    lo = max(0, best - width // 4)
    return lo, min(length, lo + width)


def render(text: str, spans: list[Span], width: int = WIDTH, collapse: bool = True) -> Markup:
    """An escaped excerpt around the densest matches, each match in <mark>.

    ``collapse`` joins the excerpt into one line (snippets); a whole page keeps its lines.
    """
    lo, hi = _best_window(spans, len(text), width)
    if lo > 0:
        space = text.rfind(" ", 0, lo + 1)
        lo = space + 1 if space >= 0 and lo - space < 30 else lo
    if hi < len(text):
        space = text.find(" ", hi)
        hi = space if 0 <= space - hi < 30 else hi
    pieces: list[Markup] = [Markup("…")] if lo > 0 else []
    cursor = lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        pieces.append(escape(text[cursor:start]))
        pieces.append(Markup("<mark>{}</mark>").format(text[start:end]))
        cursor = end
    pieces.append(escape(text[cursor:hi]))
    if hi < len(text):
        pieces.append(Markup("…"))
    html = Markup("").join(pieces)
    return Markup(" ".join(str(html).split())) if collapse else html


def snippet(text: str, terms: dict[str, set[str]], width: int = WIDTH) -> Markup:
    return render(text, match_spans(text, terms), width)


def highlight_page(text: str, terms: dict[str, set[str]]) -> Markup:
    """The whole page, escaped, with every match marked and its line breaks kept."""
    return render(text, match_spans(text, terms), width=len(text) + 1, collapse=False)
