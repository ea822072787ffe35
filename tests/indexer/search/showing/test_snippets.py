"""Snippets of long pages come from the stretch where the index found the words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.showing.snippets import Highlighter, _word_offset
from indexer.text.document_terms import CHECKPOINT_WORDS, analyse_document
from indexer.text.terms import WORD

PIECES = ["abc", "d-e", "o'k", "ΣΧ", "ж", "1999", "x_y", "--", "…", "a-", "\n"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=300), st.integers(min_value=0, max_value=320))
def test_word_offset_lands_after_the_nth_word(pieces, n):
    text = " ".join(pieces)
    words = list(WORD.finditer(text))
    expected = 0 if n == 0 else (words[n - 1].end() if n <= len(words) else len(text))
    assert _word_offset(text, n) == expected


def test_a_long_page_is_cut_around_the_matches_the_index_found():
    filler = " ".join(f"word{i}" for i in range(3000))
    text = f"{filler} the outcome fund pays {filler}"
    marker = Highlighter({"text": {"outcome"}})
    at = [3001]  # word numbers of "outcome" on the page
    snippet = str(marker.snippet(text, at=at))
    assert "<mark>outcome</mark>" in snippet and snippet.startswith("…")
    assert len(snippet) < 400
    # Without positions (or on a short page) the whole text is searched: the same result.
    assert str(marker.snippet(text)) == snippet


def test_a_page_with_fewer_words_than_asked_ends_at_its_end():
    """Thirty long words asked for the 64th: the end of the text, found at once (cutting each
    word into every possible run of smaller ones took minutes before)."""
    text = " ".join(["abcdefghij"] * 30)
    assert _word_offset(text, 64) == len(text)
    assert _word_offset(text, 200) == len(text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from([*PIECES, "word", "longerword", "x"]), min_size=1, max_size=1200),
    st.lists(st.integers(min_value=0, max_value=1300), max_size=12),
    st.lists(st.integers(min_value=0, max_value=1300), min_size=1, max_size=6),
)
def test_marks_placed_from_checkpoints_are_those_placed_by_counting(pieces, marked, at):
    """The index's checkpoints (where every 16th word of a page ends) are where counting the
    words gets to, so snippets placed from them are the ones placed by counting."""
    text = " ".join(pieces)
    checkpoints = analyse_document([(None, text)], "").checkpoints[0]
    assert checkpoints == [
        _word_offset(text, n)
        for n in range(CHECKPOINT_WORDS, len(WORD.findall(text)) + 1, CHECKPOINT_WORDS)
    ]
    marker = Highlighter({"ident": {"ESF+"}})
    counted = marker.placed(text, marked, at)
    assert marker.placed(text, marked, at, checkpoints) == counted
