""" "Did you mean" for words that are rare or unknown in the index, and autocomplete of words
and titles."""

from __future__ import annotations

import functools
import operator
import re
from typing import Any

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from ...errors import QueryError
from ...languages import accepts, script_of
from ...store.schema import LANGUAGE_FIELDS
from ...text.terms import WORD, fold, is_stop, word_terms
from ..finding import docsets
from ..finding.docsets import DocSet
from ..finding.matching import Budget, bounded, matching
from ..finding.snapshot import Snapshot
from ..queries.query import QueryBuilder
from ..queries.typed import Codes
from ..request import SearchRequest
from . import completions
from .spelling import Terms, close_terms, damerau

#: Words of the index looked at for one autocomplete prefix.
AUTOCOMPLETE_SCAN = 400
#: Documents read to see which completions follow the word before them.
FOLLOW_SAMPLE = 20
#: A typed word is rare when at most this many documents have it, or this share of them ...
RARE_DOCUMENTS = 2
RARE_SHARE = 0.01
#: ... and a close word is offered instead when this many times more documents have it.
MORE_FREQUENT = 5
#: Shorter words are not corrected: too many words are one edit away from them.
MIN_LENGTH = 4
#: From this length on, a word two edits away is offered when none is one edit away.
TWO_EDITS_FROM = 6
_SKIPPED = re.compile(r"[*?~:]")


def _frequency(reader: IndexReader, word: str) -> int:
    """Documents having the word in any form of its letters (case and accents aside)."""
    found: int = reader.doc_frequency("text", fold(word))
    return found


def _same_word(a: str, b: str) -> bool:
    """Whether two words are forms of one word in some language (found by each other anyway)."""
    for lang in _languages_of(script_of(a)):
        if not _terms_of(lang, a).isdisjoint(_terms_of(lang, b)):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _languages_of(script: str) -> tuple[str, ...]:
    """The languages whose field takes words of a script."""
    return tuple(lang for lang in LANGUAGE_FIELDS if accepts(lang, script, "*"))


@functools.lru_cache(maxsize=50_000)
def _terms_of(lang: str, word: str) -> frozenset[str]:
    """A word's terms in a language's field: the completions of a beginning are grouped by
    comparing each candidate with the others, so each word's terms are asked for again and
    again (as ``terms.term`` keeps each form's term, for the same reason)."""
    return frozenset(word_terms(lang, word))


def styled(like: str, word: str) -> str:
    """``word`` in the capitals of the word typed (``like``)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def corrections(searcher: Searcher, words: Terms, word: str, documents: int) -> dict[str, int]:
    """Words of the index a few slips away from a rare or unknown one and much more frequent,
    each with the documents that have it: those one edit away, else (long words) two.

    Frequencies are compared between words of one alphabet, so a word that is rare in the
    whole index but common in its language's few documents keeps its place. ``words``: the
    index's words, where the close ones are looked up (``Snapshot.prefixes``).
    """
    lower = word.lower()
    if len(lower) < MIN_LENGTH or not lower.isalpha():
        return {}
    reader = searcher.reader()
    have = _frequency(reader, lower)
    if have > max(RARE_DOCUMENTS, documents * RARE_SHARE):
        return {}
    wanted = max(1, MORE_FREQUENT * have)
    for distance in (1, 2) if len(lower) >= TWO_EDITS_FROM else (1,):
        options = {}
        for candidate in close_terms([words], "vocab", lower, distance):
            if fold(candidate) == fold(lower) or not candidate.isalpha():
                continue
            count = _frequency(reader, candidate)
            if count >= wanted and not _same_word(lower, candidate):
                options[candidate] = count
        if options:
            return options
    return {}


def better_word(searcher: Searcher, words: Terms, word: str, documents: int) -> str | None:
    """A much more frequent word of the index a few slips away from a rare or unknown one."""
    options = corrections(searcher, words, word, documents)
    if not options:
        return None
    lower = word.lower()
    best = max(options, key=lambda c: (options[c], -damerau(lower, c), c))
    return styled(word, best)


def spelling(
    snapshot: Snapshot, builder: QueryBuilder, request: SearchRequest, found: int
) -> str | None:
    """The request's words with each rare or unknown one replaced by a much more frequent
    close one, when that finds more than the ``found`` documents of the words as typed.

    Words in codes, fields, and prefix or fuzzy terms are left as typed.
    """
    searcher = snapshot.searcher
    documents = snapshot.table.live.bit_count()
    protected, codes = Codes.protect(request.q)
    changed = False
    pieces = []
    last = 0
    for m in WORD.finditer(protected):
        word = m.group(0)
        pieces.append(protected[last : m.start()])
        last = m.end()
        around = protected[m.end() : m.end() + 1]
        if word in ("AND", "OR", "NOT") or codes.ids_in(word) or _SKIPPED.match(around):
            pieces.append(word)
            continue
        option = better_word(searcher, snapshot.prefixes(), word, documents)
        pieces.append(option or word)
        changed = changed or option is not None
    pieces.append(protected[last:])
    if not changed:
        return None
    proposal = codes.restore("".join(pieces))
    try:
        parsed = builder.build(proposal, request.mode, request.expand)
    except QueryError:
        return None
    budget = Budget()
    better = matching(searcher, snapshot.terms, bounded(searcher, parsed.query, budget), budget)
    return proposal if better.bit_count() > found else None


def _context(snapshot: Snapshot, words: list[str]) -> DocSet:
    """Documents having every one of the words (as typed, case and accents aside)."""
    bits = snapshot.table.live
    for word in words:
        bits &= snapshot.terms.get("text", fold(word))
        if not bits:
            break
    return bits


def _first_word_counts(
    snapshot: Snapshot, ranked: list[str], last: str, frequency: dict[str, int], limit: int
) -> dict[str, int]:
    """The documents of each word ``ranked`` offers as the first word typed, for those that
    can be among the ``limit`` offered (``completions.most_shared``): the words the typed one
    is a form of are not offered, and the others are ordered by their documents alone.

    A word's documents are those of its forms' folded terms: at most the sum of their
    document counts in the term lists, and exactly that count for a single term when no
    document of the generation is deleted — known without reading postings."""
    live = snapshot.table.live
    documents = live.bit_count()
    whole = documents == snapshot.table.size
    prefixes = snapshot.prefixes()
    # Each word's forms as the folded terms they are indexed under.
    groups = {
        head: sorted({fold(f) for f in forms})
        for head, forms in completions.forms_by_word(ranked, _same_word).items()
        if head != last and not (last in frequency and _same_word(head, last))
    }

    def at_most(folded: list[str]) -> int:
        return min(documents, sum(map(prefixes.folded_frequency, folded)))

    def count(folded: list[str]) -> int:
        if whole and len(folded) == 1:
            return prefixes.folded_frequency(folded[0])
        bits = functools.reduce(operator.or_, (snapshot.terms.get("text", t) for t in folded))
        return (live & bits).bit_count()

    return completions.most_shared(groups, count, at_most, frequency, limit)


def typed_parts(typed: str) -> tuple[str, str, list[str]]:
    """What autocomplete reads of the text typed: the text before the last word, the last
    word (or its beginning) and the words typed before it."""
    cut = max(typed.rfind(c) for c in ' ("') + 1
    head, tail = typed[:cut], typed[cut:]
    return head, tail, [w for w in WORD.findall(head) if w not in ("AND", "OR", "NOT")]


def autocomplete(
    snapshot: Snapshot, typed: str, limit: int = 8, hidden: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """Titles and index words completing the last word typed, in the context of the others.

    One completion per word, not one per form of it, with the documents its forms open. A
    completion must occur in documents with the words typed before it; when some continue
    those words as the documents write them, only those are offered ("payment by re" is
    completed as "payment by results", never as "payment by rethink"), and so when the last
    word is already such a word ("pagamento por" is not turned into "pagamento portugal").
    ``hidden``: internal ids that are never offered. Each completion's ``text`` is
    the whole query as typed with its last word completed, so choosing it inserts the word.
    """
    typed = typed.lstrip()
    if len(typed.strip()) < 2:
        return []
    head, tail, previous = typed_parts(typed)
    context = [w for w in previous if not is_stop(w)]
    documents = _context(snapshot, context)
    prefixes = snapshot.prefixes()
    words: list[tuple[int, str]] = []
    if len(tail) >= 2 and documents:
        words = prefixes.words(tail.lower(), hidden, AUTOCOMPLETE_SCAN + 1)
    words.sort(key=lambda x: (-x[0], x[1]))
    last = tail.lower()
    frequency = dict((w, n) for n, w in words)
    ranked = [w for _, w in words[: 3 * limit]]
    after: dict[str, int] = {}
    if not previous:
        together = _first_word_counts(snapshot, ranked, last, frequency, limit)
    else:
        groups = completions.one_per_word(
            ranked, lambda w: documents & snapshot.terms.get("text", fold(w)), _same_word
        )
        together = {w: bits.bit_count() for w, bits in groups.items() if bits}
    if previous and together:
        pool = documents & functools.reduce(operator.or_, (groups[w] for w in together))
        sample = docsets.members(pool | _context(snapshot, [*context, last]))[:FOLLOW_SAMPLE]
        after = completions.following(snapshot, previous, [*together, last], sample)
    # After other words, only what continues them as the documents write them, when anything
    # does; the word as typed, when it already does, is completed no further.
    strict = any(after.get(w, 0) > 0 for w in [*together, last])
    options = [
        w
        for w in together
        if w != last
        and not (last in frequency and _same_word(w, last))
        and (not strict or after.get(w, 0) > 0)
    ]
    options.sort(key=lambda w: (-after.get(w, 0), -together[w], -frequency[w], w))
    out: list[dict[str, Any]] = [
        {"kind": "term", "text": head + styled(tail, w), "completion": w, "documents": together[w]}
        for w in options[:limit]
    ]
    titles: list[dict[str, Any]] = []
    title_words = [fold(w) for w in context]
    beginning = fold(tail) if tail.strip() else None
    named: list[str] = []
    if title_words or beginning is not None:
        titled = prefixes.titled(title_words, beginning) & snapshot.table.live
        for docnum in docsets.members(titled):
            stored = snapshot.records.get(docnum)
            if len(titles) < 3:
                titles.append({"kind": "title", "text": stored["title"], "id": stored["id"]})
            named.append(stored["title"])
            if len(titles) >= 3 and (previous or len(named) >= completions.PHRASE_TITLES):
                break
    # The first word typed: phrases that several titles begin with it come before single words.
    phrases = completions.title_phrases(named, tail, is_stop) if not previous and tail else []
    said = [{"kind": "term", "text": head + styled(tail, p), "completion": p} for p in phrases[:2]]
    return titles + (said + out)[: max(0, limit - len(titles))]
