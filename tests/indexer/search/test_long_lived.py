"""A warmed engine keeps what it made out of the garbage collector's passes, and garbage is
still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.search.long_lived import YOUNG_PASS, settle


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as it was, after the test (other tests see the usual one)."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Holder:
    """A container the collector tracks."""

    def __init__(self) -> None:
        self.other: Holder | None = None


def test_what_a_warmed_engine_made_is_out_of_the_collectors_passes(sample_kb, collector):
    engine = SearchEngine(sample_kb)
    try:
        made_before = Holder()
        engine.warm(("en",))
        tracked = {id(o) for o in gc.get_objects()}
        assert gc.get_freeze_count() > 0
        assert id(made_before) not in tracked  # frozen: no pass walks it again
        assert gc.get_threshold()[0] == YOUNG_PASS
        made_after = Holder()
        assert id(made_after) in {id(o) for o in gc.get_objects()}
        assert engine.search(SearchRequest(q="social"))["total"] > 0
    finally:
        engine.close()


def test_cycles_made_after_settling_are_still_collected(collector):
    settle()
    first, second = Holder(), Holder()
    first.other, second.other = second, first
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None


def test_a_frozen_object_is_still_freed_when_nothing_refers_to_it(collector):
    kept = Holder()
    gone = weakref.ref(kept)
    settle()
    del kept
    assert gone() is None
