"""A search's budget counts the processor time of its own work: not the garbage collector's
full passes over the process, which fall in whichever search is allocating when one is due."""

from __future__ import annotations

import gc
import time

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.search import engine as engine_module
from indexer.search.finding import collector_time
from indexer.search.finding.matching import Budget

BUDGET = 0.01


class Held:
    """The smallest object the collector walks (about 32 bytes)."""

    __slots__ = ()


def full_pass_seconds() -> float:
    """The processor time of one full pass of the collector, as this thread measures it."""
    started = time.thread_time()
    gc.collect()
    return time.thread_time() - started


def heap(seconds: float) -> list[list[Held]]:
    """Objects enough that one full pass of the collector takes ``seconds`` or more, as in a
    long-lived process holding a few million of them (grown until it does, whatever the
    machine's speed)."""
    held: list[list[Held]] = []
    count = 100_000
    while full_pass_seconds() < seconds:
        assert count <= 2**24, "a full pass stays quick with sixteen million objects"
        held.append([Held() for _ in range(count)])
        count *= 2  # twice the objects each time: few passes to measure
    return held


def spin(seconds: float) -> None:
    """The thread's own work for ``seconds`` of processor time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_a_full_pass_of_the_collector_is_not_charged_to_the_budget_it_falls_in():
    held = heap(3 * BUDGET)
    budget = Budget(BUDGET)
    before = collector_time.spent()
    passed = full_pass_seconds()
    assert passed >= 3 * BUDGET
    assert collector_time.spent() - before == pytest.approx(passed, rel=0.2, abs=0.005)
    assert budget.left() and not budget.exceeded

    # The search's own work still counts: past the budget, it stops.
    spin(2 * BUDGET)
    assert not budget.left() and budget.exceeded
    held.clear()


def test_a_search_during_a_full_pass_finds_what_it_would_have_found(sample_kb, monkeypatch):
    """The pass falls as the search starts matching and costs twice the search's whole budget:
    the answer is the one an engine gives without the pass."""
    budget = 4 * BUDGET
    request = SearchRequest(q="payment by results")

    def answer(engine: SearchEngine) -> list[tuple[str, float | None]]:
        engine.search(SearchRequest(q="ecosystem"))  # the generation opened, as when served
        try:
            found = engine.search(request)
        finally:
            engine.close()
        assert "partial" not in found
        return [(h["path"], h["score"]) for h in found["hits"]]

    answer(SearchEngine(sample_kb))  # what a process does once (imports, tables) done before
    quiet = answer(SearchEngine(sample_kb, budget=budget))
    held = heap(2 * budget)
    matched = engine_module.match

    def after_a_full_pass(*args):  # type: ignore[no-untyped-def]
        gc.collect()
        return matched(*args)

    monkeypatch.setattr(engine_module, "match", after_a_full_pass)
    during = answer(SearchEngine(sample_kb, budget=budget))
    held.clear()
    assert during == quiet and quiet


def test_the_searchs_own_work_is_measured_as_before():
    budget = Budget(BUDGET)
    spin(BUDGET / 4)
    assert budget.left()
    spin(BUDGET)
    assert not budget.left()
