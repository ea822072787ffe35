"""Highlighted snippets of a page for the words a query matched.

Highlighting runs on one page at a time (short text, only for hits on screen) and re-uses the
index's own term functions, so a stemmed match ("иновациите" for a query "иновация") is marked
just like an exact one. Markup is built from escaped pieces only.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import islice

from markupsafe import Markup, escape

from ...languages import accepts, script_of
from ...store.schema import LANGUAGE_FIELDS
from ...text.document_terms import CHECKPOINT_WORDS
from ...text.furniture import body_text
from ...text.identifiers import IDENTIFIER, identifier_key
from ...text.terms import WORD, skip_words, word_terms

Span = tuple[int, int]
WIDTH = 260
#: Pages longer than this (in characters) are highlighted around the matches the index found.
LONG_PAGE = 3000
#: Characters per word, roughly, to turn a snippet's width into a number of words.
_WORD_WIDTH = 6
#: Most words passed by one regular-expression match (see ``terms.skip_words``).
_SKIP_MOST = 64


def group_terms(pairs: Iterable[tuple[str, str | bytes]]) -> dict[str, set[str]]:
    """(field, term) pairs → field → set of term texts."""
    out: dict[str, set[str]] = {}
    for fieldname, text in pairs:
        value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
        out.setdefault(fieldname, set()).add(value)
    return out


@lru_cache(maxsize=200_000)
def _keys(word: str, latin: str | None = "*") -> frozenset[tuple[str, str]]:
    """What a word of a page is indexed as: ("", folded form) and (language, term) pairs, a
    hyphenated compound also by its parts. ``latin``: the language the index gave the page's
    Latin-script words ("*": unknown, any). Kept across searches: pages share their words."""
    script = script_of(word)
    keys = {("", t) for t in word_terms(None, word)}
    for lang in LANGUAGE_FIELDS:
        if accepts(lang, script, latin):
            keys.update((lang, t) for t in word_terms(lang, word))
    return frozenset(keys)


class Highlighter:
    """Finds the words of a page that the query's terms match.

    The query's terms become one set of the same (language, term) keys a page's words are
    analysed into, so each word is checked by one set intersection.
    """

    def __init__(self, terms: dict[str, set[str]]) -> None:
        exact = terms.get("text", set()) | terms.get("title", set()) | terms.get("meta_text", set())
        self.wanted = {("", t) for t in exact}
        for lang, fieldname in LANGUAGE_FIELDS.items():
            self.wanted.update((lang, t) for t in terms.get(fieldname, ()))
        self.codes = terms.get("ident", set())

    def spans(self, text: str, latin: str | None = "*") -> list[Span]:
        """Character spans of the matching words and codes in ``text``; ``latin``: the language
        of its Latin-script words, as the index has them ("*": any)."""
        wanted = self.wanted
        hits = {w for w in set(WORD.findall(text)) if not wanted.isdisjoint(_keys(w, latin))}
        found = [m.span() for m in WORD.finditer(text) if m.group(0) in hits] if hits else []
        return _merge(sorted(found + self.code_spans(text)))

    def code_spans(self, text: str, shift: int = 0) -> list[Span]:
        """Character spans of the query's codes in ``text``, moved by ``shift``."""
        if not self.codes:
            return []
        return [
            (m.start() + shift, m.end() + shift)
            for m in IDENTIFIER.finditer(text)
            if identifier_key(m.group(0)) in self.codes
        ]

    def snippet(
        self,
        text: str,
        width: int = WIDTH,
        at: Iterable[int] = (),
        latin: str | None = "*",
        hide: Sequence[Span] = (),
    ) -> Markup:
        """The passage of ``text`` with the most matches, escaped, matches marked.

        ``at``: the word numbers (within ``text``) where the index says the query matched. On a
        long page only the words around the densest of them are analysed, not the whole page.
        ``hide``: character ranges left out (running headers and footers), blanked so that
        word numbers and offsets still count them. The hits on screen place the same marks
        from the index's positions (``placed``).
        """
        words = sorted(set(at))
        shown = body_text(text, hide)
        if len(text) <= LONG_PAGE or not words:
            return render(shown, self.spans(shown, latin), width)
        lo, hi = _excerpt(text, words, width)
        spans = [(a + lo, b + lo) for a, b in self.spans(shown[lo:hi], latin)]
        return render(shown, spans, width)

    def placed(
        self,
        text: str,
        marked: Iterable[int],
        at: Iterable[int] = (),
        checkpoints: Sequence[int] = (),
        hide: Sequence[Span] = (),
    ) -> Markup:
        """The snippet ``snippet`` gives, its words marked where the index says the query's
        words stand (``marked``: word numbers within ``text``) instead of by analysing them.

        Analysing the excerpt's words again (lemma lookups and stemming per word) was the
        largest cost of a search; a position is a word number (every text field shares one
        tokenizer), so only the character spans of a few words are needed, reached from the
        page's ``checkpoints`` (where every 16th word ends, kept by the index) by skipping a few
        words with a regular expression. The marks are those ``snippet`` finds given the
        language the index gave the page's Latin-script words (a test holds the two to that);
        words in the ``hide`` ranges are blanked and never marked, as there.
        """
        words = sorted(set(at))
        wanted = sorted(set(marked))
        shown = body_text(text, hide)
        lo, hi = 0, len(text)
        if len(text) > LONG_PAGE and words:
            first, count, start, end = _excerpt_words(text, words, WIDTH, checkpoints)
            if count:
                wanted = [n for n in wanted if first <= n < first + count]
                lo, hi = start, end
        spans = _visible(_word_spans(text, wanted, checkpoints), hide)
        spans += self.code_spans(shown[lo:hi], lo)
        return render(shown, _merge(sorted(spans)), WIDTH)

    def page(self, text: str, latin: str | None = "*") -> Markup:
        """The whole page, escaped, with every match marked and its line breaks kept."""
        return render(text, self.spans(text, latin), width=len(text) + 1, collapse=False)


def compile_patterns() -> None:
    """Compile now every pattern that passes words (each count its own pattern: between two
    checkpoints, and up to ``_SKIP_MOST`` past a page's last one), before a server's worker
    takes requests rather than in its first snippets (a millisecond each)."""
    for count in range(1, max(CHECKPOINT_WORDS, _SKIP_MOST) + 1):
        skip_words(count)


def _word_offset(text: str, words: int, pos: int = 0) -> int:
    """The character offset in ``text`` after its first ``words`` words (from ``pos``, after
    as many words from there); the end of the text when it has fewer.

    Up to 64 words per regular-expression match, so a word deep into a long page is reached
    without a Python step per word."""
    while words > 0:
        count = min(words, _SKIP_MOST)
        m = skip_words(count).match(text, pos)
        if m is None:
            return len(text)
        pos, words = m.end(), words - count
    return pos


def _after(text: str, words: int, checkpoints: Sequence[int] = ()) -> int:
    """The character offset in ``text`` after its first ``words`` words, from the last of its
    ``checkpoints`` before them (see ``placed``); the end of the text when it has fewer."""
    passed = min(words // CHECKPOINT_WORDS, len(checkpoints))
    if not passed:
        return _word_offset(text, words)
    return _word_offset(text, words - passed * CHECKPOINT_WORDS, checkpoints[passed - 1])


def _word_spans(text: str, numbers: list[int], checkpoints: Sequence[int] = ()) -> list[Span]:
    """Character spans of the words of ``text`` with the given (ascending) numbers."""
    out: list[Span] = []
    pos = done = 0
    for number in numbers:
        passed = min(number // CHECKPOINT_WORDS, len(checkpoints))
        if passed * CHECKPOINT_WORDS > done:  # a checkpoint ahead: start from there
            pos, done = checkpoints[passed - 1], passed * CHECKPOINT_WORDS
        pos = _word_offset(text, number - done, pos)
        found = WORD.search(text, pos)
        if found is None:
            break
        out.append(found.span())
        pos, done = found.end(), number + 1
    return out


def _excerpt(text: str, words: list[int], width: int) -> Span:
    """Character range of the stretch of ``text`` holding the most of the given words."""
    _, count, lo, hi = _excerpt_words(text, words, width)
    return (lo, hi) if count else (0, len(text))


def _excerpt_words(
    text: str, words: list[int], width: int, checkpoints: Sequence[int] = ()
) -> tuple[int, int, int, int]:
    """The stretch of ``text`` holding the most of the given words: the number of its first
    word, how many words it has (none: the text has no word from there) and its character
    range, from the start of its first word to the end of its last."""
    span = max(8, width // _WORD_WIDTH)
    first = max(0, _densest(words, span) - span // 2)
    start = WORD.search(text, _after(text, first, checkpoints))
    if start is None:
        return first, 0, 0, len(text)
    end = _after(text, first + 2 * span, checkpoints)
    if end < len(text):
        return first, 2 * span, start.start(), end
    # Fewer words left than asked for (or the last one ends the text): count them.
    rest = list(islice(WORD.finditer(text, start.end()), 2 * span - 1))
    return first, 1 + len(rest), start.start(), rest[-1].end() if rest else start.end()


def _densest(points: list[int], width: int) -> int:
    """The first of the ascending ``points`` that starts the stretch of ``width`` holding the
    most of them (the earliest such stretch)."""
    best, best_count = points[0], 0
    for i, point in enumerate(points):
        count = bisect_left(points, point + width, i) - i
        if count > best_count:
            best, best_count = point, count
    return best


def _visible(spans: list[Span], hide: Sequence[Span]) -> list[Span]:
    """The spans outside the ``hide`` ranges (whole lines: a word is in one or not at all)."""
    if not hide:
        return spans
    return [(a, b) for a, b in spans if not any(h0 < b and a < h1 for h0, h1 in hide)]


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
    if not spans or length <= width:
        return 0, min(length, width)
    lo = max(0, _densest([s for s, _ in spans], width) - width // 4)
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
    # Plain strings, each piece of text escaped as it is added (joining Markup objects, or
    # formatting each mark through Markup, escapes and copies them once more per piece).
    pieces: list[str] = ["…"] if lo > 0 else []
    cursor = lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(str(escape(text[cursor:hi])))
    if hi < len(text):
        pieces.append("…")
    html = "".join(pieces)
    return Markup(" ".join(html.split()) if collapse else html)
