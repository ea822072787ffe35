"""Completions of a first word counted only as far as the offered ones need are those of
counting every candidate word's documents."""

from __future__ import annotations

import random

import pytest

from indexer.search.finding.snapshot import Snapshot
from indexer.search.suggesting import completions, suggest
from indexer.text.terms import fold


@pytest.fixture(scope="module", params=["one segment", "with deleted documents"])
def engine(request, corpus_engine, rewritten_engine):
    return corpus_engine if request.param == "one segment" else rewritten_engine


def _every_word_counted(
    snapshot: Snapshot, ranked: list[str], last: str, frequency: dict[str, int], limit: int
) -> dict[str, int]:
    """The straightforward way: every group's documents read from its forms' postings."""
    live = snapshot.table.live
    groups = completions.one_per_word(
        ranked, lambda w: live & snapshot.terms.get("text", fold(w)), suggest._same_word
    )
    return {w: bits.bit_count() for w, bits in groups.items() if bits}


def test_first_words_counted_as_far_as_needed_complete_as_every_word_counted(engine, monkeypatch):
    with engine.snapshots.use() as snapshot:
        vocabulary = snapshot.prefixes()._words
        beginnings = sorted({w[:n] for w in vocabulary for n in (2, 3) if len(w) > n})
        assert len(beginnings) > 100
        for limit in (8, 3):
            fast = [suggest.autocomplete(snapshot, b, limit) for b in beginnings]
            with monkeypatch.context() as m:
                m.setattr(suggest, "_first_word_counts", _every_word_counted)
                plain = [suggest.autocomplete(snapshot, b, limit) for b in beginnings]
            assert fast == plain
        offered = [s for found in fast for s in found if s["kind"] == "term"]
        assert len(offered) > 100 and len({s.get("documents") for s in offered}) > 3


def test_the_knowledge_base_rewritten_has_deleted_documents(rewritten_engine):
    """The counts above are compared on an index with deletions too, where a word's document
    count in the term lists is more than its live documents."""
    with rewritten_engine.snapshots.use() as snapshot:
        assert snapshot.table.live.bit_count() < snapshot.table.size


def _first(counts: dict[str, int], frequency: dict[str, int], wanted: int) -> list[str]:
    return sorted(counts, key=lambda h: (-counts[h], -frequency[h], h))[:wanted]


def test_groups_counted_as_far_as_needed_are_the_first_of_all_groups():
    """Whatever the counts and their bounds, the first ``wanted`` groups in order of documents
    (then frequency, then the word) are those of counting every group."""
    rng = random.Random(7)
    for _ in range(300):
        heads = [f"w{i}" for i in range(rng.randint(0, 14))]
        exact = {h: rng.choice([0, 0, 1, 2, 3, 5, 8, 8, 13]) for h in heads}
        bound = {h: n + rng.choice([0, 0, 1, 4]) for h, n in exact.items()}
        frequency = {h: rng.randint(0, 3) for h in heads}
        wanted = rng.randint(1, 6)
        found = completions.most_shared(
            {h: [h] for h in heads},
            lambda forms, exact=exact: exact[forms[0]],
            lambda forms, bound=bound: bound[forms[0]],
            frequency,
            wanted,
        )
        every = {h: n for h, n in exact.items() if n}
        assert _first(found, frequency, wanted) == _first(every, frequency, wanted)
        assert all(found[h] == every[h] for h in _first(found, frequency, wanted))
