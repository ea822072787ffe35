"""Autocomplete's words and titles in memory are those the index's own look-ups give."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from indexer.ingest.run import run_index
from indexer.search import SearchEngine
from indexer.search.suggesting import prefixes as prefixes_module
from indexer.search.suggesting.prefixes import Prefixes
from indexer.search.suggesting.spelling import close_terms
from indexer.text.terms import fold
from tests.factories import make_text
from tests.knowledge_bases import build_sample_kb

BEGINNINGS = ["pa", "so", "ou", "pay", "соц", "κο", "fu", "inv", "e", "zz", "co-", "2021", "ESF"]


def test_words_with_a_beginning_are_the_index_words_in_order(engine):
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        prefixes = Prefixes(snapshot.searcher)
        compared = 0
        for beginning in BEGINNINGS:
            for most, hidden in ((401, frozenset()), (3, frozenset({"social", "payment"}))):
                expected = []
                for term in reader.expand_prefix("vocab", beginning.lower()):
                    text = term.decode("utf-8")
                    if text not in hidden:
                        expected.append((reader.doc_frequency("vocab", text), text))
                    if len(expected) >= most:
                        break
                assert prefixes.words(beginning.lower(), hidden, most) == expected
                compared += len(expected)
        # Not a comparison of nothing (the small knowledge base of several segments has fewer
        # words than the sample corpus).
        assert compared > (100 if len(reader.leaf_readers()) == 1 else 40)


@pytest.mark.parametrize(
    ("words", "beginning"),
    [
        ([], "pa"),
        ([], "κοι"),
        (["payment"], "re"),
        (["social"], None),
        (["nothing"], "s"),
        ([], "ζζ"),
    ],
)
def test_titles_with_words_and_a_beginning_are_those_a_query_finds(engine, words, beginning):
    with engine.snapshots.use() as snapshot:
        searcher = snapshot.searcher
        parts = [wq.Term("title", fold(w)) for w in words]
        if beginning is not None:
            parts.append(wq.Prefix("title", fold(beginning)))
        expected = sorted(searcher.docs_for_query(wq.And(parts)))
        found = Prefixes(searcher).titled([fold(w) for w in words], beginning and fold(beginning))
        assert [d for d in range(searcher.doc_count_all()) if found >> d & 1] == expected


@pytest.mark.parametrize("distance", [1, 2])
def test_words_within_a_few_edits_are_those_the_index_reader_finds(engine, distance):
    typed = ["paymnet", "socail", "inovation", "κοινωνκη", "социялни", "resluts", "zzzz", "fund"]
    with engine.snapshots.use() as snapshot:
        reader = snapshot.searcher.reader()
        # One reader per segment, as spelling asks them (a reader of several segments finds
        # words by another distance: transpositions count one edit there).
        segments = [sub.reader() for sub, _ in snapshot.searcher.leaf_searchers()]
        prefixes = Prefixes(snapshot.searcher)
        found = 0
        for word in typed:
            for prefix in (0, 1, 2):
                expected = sorted(
                    {t for r in segments for t in r.terms_within("vocab", word, distance, prefix)}
                )
                assert list(prefixes.terms_within("vocab", word, distance, prefix)) == expected
                found += len(expected)
            assert (("vocab", word) in prefixes) == (("vocab", word) in reader)
        assert found > (10 if len(segments) == 1 else 3)


class _AsAsked:
    """A segment's reader asked only through ``terms_within`` and ``in``, as any reader is."""

    def __init__(self, reader):
        self.reader = reader

    def terms_within(self, fieldname, text, maxdist, prefix=0):
        return self.reader.terms_within(fieldname, text, maxdist, prefix)

    def __contains__(self, key):
        return key in self.reader


@pytest.mark.parametrize("distance", [1, 2])
def test_close_terms_of_a_segment_are_those_its_reader_finds(engine, distance):
    """Fuzzy words are bounded segment by segment with automata kept from one segment and
    field to the next: the same words, in the same order, as each reader's own look-up."""
    typed = ["paymnet", "socail", "inovation", "κοινωνκη", "социялни", "resluts", "zzzz", "fund"]
    fields = ["text", "text_en", "text_bg", "text_el", "text_pt", "vocab"]
    with engine.snapshots.use() as snapshot:
        found = 0
        for _ in range(2):  # the second time, every automaton is a kept one
            for sub, _ in snapshot.searcher.leaf_searchers():
                reader = sub.reader()
                for field in fields:
                    for word in typed:
                        for prefix in (0, 1):
                            fast = list(close_terms([reader], field, word, distance, prefix))
                            plain = close_terms([_AsAsked(reader)], field, word, distance, prefix)
                            assert fast == list(plain), (field, word, prefix)
                            found += len(fast)
    assert found > 20


def test_words_close_to_a_word_typed_again_are_remembered(engine, monkeypatch):
    with engine.snapshots.use() as snapshot:
        prefixes = Prefixes(snapshot.searcher)
        first = list(prefixes.terms_within("vocab", "paymnet", 2, 1))
        walked: list[str] = []
        original = prefixes._walk
        monkeypatch.setattr(
            prefixes, "_walk", lambda text, *a: walked.append(text) or original(text, *a)
        )
        again = list(prefixes.terms_within("vocab", "paymnet", 2, 1))
        other = list(prefixes.terms_within("vocab", "paymnet", 1, 1))
    assert first == again and "payment" in first
    assert walked == ["paymnet"] and set(other) <= set(first)


def test_the_words_close_to_the_latest_typed_are_kept_within_the_bound(corpus_engine, monkeypatch):
    monkeypatch.setattr(prefixes_module, "REMEMBERED_WORDS", 2)
    with corpus_engine.snapshots.use() as snapshot:
        prefixes = Prefixes(snapshot.searcher)
        typed = ["paymnet", "socail", "fudn"]
        first = [list(prefixes.terms_within("vocab", word, 1, 1)) for word in typed]
        walked: list[str] = []
        original = prefixes._walk
        monkeypatch.setattr(
            prefixes, "_walk", lambda text, *a: walked.append(text) or original(text, *a)
        )
        assert list(prefixes.terms_within("vocab", "socail", 1, 1)) == first[1]
        assert list(prefixes.terms_within("vocab", "fudn", 1, 1)) == first[2]
        assert walked == []  # the two latest were kept
        assert list(prefixes.terms_within("vocab", "paymnet", 1, 1)) == first[0]
    assert walked == ["paymnet"] and len(prefixes._within) == 2


def test_a_new_generation_reads_the_term_lists_of_its_new_segments_only(tmp_path, monkeypatch):
    """Each segment's words are read once per process: after a run adds a segment, the next
    generation's words are read from that segment alone, and are the index's own."""
    settings = build_sample_kb(tmp_path)
    engine = SearchEngine(settings)
    try:
        with engine.snapshots.use() as snapshot:
            before = {s for s, _ in prefixes_module._SEGMENT_TERMS._kept}
        make_text(settings.corpus / "notes/late.txt", "Zymurgy notes: quarterly zymurgy.\n")
        run_index(settings)
        read: list[str] = []
        original = prefixes_module._segment_terms

        def counted(reader, fieldname):
            if (prefixes_module.segment_of(reader), fieldname) not in (
                prefixes_module._SEGMENT_TERMS._kept
            ):
                read.append(prefixes_module.segment_of(reader))
            return original(reader, fieldname)

        monkeypatch.setattr(prefixes_module, "_segment_terms", counted)
        with engine.snapshots.use() as snapshot:
            reader = snapshot.searcher.reader()
            segments = {
                sub.reader().segment().segment_id() for sub, _ in snapshot.searcher.leaf_searchers()
            }
            prefixes = snapshot.prefixes()
            assert prefixes.words("zymurgy", frozenset(), 5) == [
                (reader.doc_frequency("vocab", "zymurgy"), "zymurgy")
            ]
            assert prefixes.folded_frequency("zymurgy") == reader.doc_frequency("text", "zymurgy")
        assert read and set(read) <= segments - before
    finally:
        engine.close()
