"""Text as readers type it, for property tests: the queries of the bundled query set with
punctuation after or around their words, or with marks and syntax dropped in anywhere."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import strategies as st

from indexer.text.identifiers import IDENTIFIER

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
with (CORPUS / "queries.csv").open(encoding="utf-8", newline="") as f:
    QUERIES = [row["query"] for row in csv.DictReader(f)]
#: What a word may be followed by, or wrapped in, without changing the query.
AFTER = ["?", "!", ".", ":", ",", ";", "?!", "...", "…"]
AROUND = [("(", ")"), ("[", "]"), ("{", "}"), ('"', '"'), ("«", "»"), ("„", "“"), ("'", "'")]
#: Marks and syntax that may turn up anywhere in what a reader types.
MARKS = [*"?!.,;:\"'()[]{}«»„“”…¿¡·-+*~^/\\|&%€$", " OR ", " NOT ", " AND ", "title:", "χώρα:"]


def words_outside_codes(query: str) -> list[int]:
    """Indexes of the query's space-separated words that have a letter and are no code's part
    (a bracket inside "COM(2021) 778" would make it another code)."""
    codes = [m.span() for m in IDENTIFIER.finditer(query)]
    out, at = [], 0
    for i, word in enumerate(query.split(" ")):
        start = query.index(word, at)
        at = start + len(word)
        inside = any(a < at and start < b for a, b in codes)
        if word and any(ch.isalpha() for ch in word) and not inside:
            out.append(i)
    return out


@st.composite
def punctuated(draw: st.DrawFn) -> tuple[str, str]:
    """A query of the set, and the same with punctuation after or around some of its words."""
    query = draw(st.sampled_from([q for q in QUERIES if words_outside_codes(q)]))
    words = query.split(" ")
    candidates = words_outside_codes(query)
    chosen = draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=3, unique=True))
    for i in chosen:
        if draw(st.booleans()):
            words[i] += draw(st.sampled_from(AFTER))
        else:
            left, right = draw(st.sampled_from(AROUND))
            words[i] = left + words[i] + right
    return query, " ".join(words)


@st.composite
def anything_typed(draw: st.DrawFn) -> str:
    """A query of the set with marks and syntax dropped in anywhere, words cut or doubled."""
    text = draw(st.sampled_from(QUERIES))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(MARKS)) + text[at:]
    return text
