"""The side-by-side benchmark's ratios pair each round's two turns, not the two medians."""

from __future__ import annotations

from bench.scale_side_by_side import ratios


def _run(cpu: float, p95: float) -> dict:
    return {"http": {"warm": {"search_8": {"p50": 10.0, "p95": p95, "cpu_ms": cpu}}, "fresh": {}}}


def test_each_round_compares_its_own_two_turns():
    # The load rises from round to round: the columns' medians mix it with the change, the
    # ratios within each round do not.
    runs = {
        "before": [_run(10.0, 100.0), _run(20.0, 200.0), _run(40.0, 400.0)],
        "after": [_run(9.0, 50.0), _run(18.0, 100.0), _run(36.0, 200.0)],
    }
    found = ratios(runs, ["before", "after"])
    assert found["search_8, warm"]["cpu_ms"] == (0.9, 0.9, 0.9, 3)
    assert found["search_8, warm"]["p95"] == (0.5, 0.5, 0.5, 3)
    assert found["search_8, warm"]["p50"] == (1.0, 1.0, 1.0, 3)


def test_a_figure_one_turn_lacks_is_left_out():
    runs = {"before": [_run(10.0, 100.0)], "after": [{"http": {"warm": {}, "fresh": {}}}]}
    assert ratios(runs, ["before", "after"]) == {}
