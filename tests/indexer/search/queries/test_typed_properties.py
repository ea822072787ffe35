"""Properties of typed text, on the bundled knowledge base and its query set: punctuation
around a word changes nothing, and no typed text makes the engine fail.

Bounded (examples per property) so the suite stays fast; ``HYPOTHESIS_PROFILE=thorough``
runs many more.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from indexer.errors import QueryError
from indexer.search import SearchEngine, SearchRequest
from tests.typed_text import anything_typed, punctuated

EXAMPLES = 2000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 80
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def engine(corpus_settings):
    eng = SearchEngine(corpus_settings)
    yield eng
    eng.close()


def ranked(engine: SearchEngine, q: str) -> tuple[int, list[str], str | None]:
    result = engine.search(SearchRequest(q=q, per_page=20))
    return result["total"], [h["id"] for h in result["hits"]], result["fallback"]


@PROPERTY
@given(pair=punctuated())
def test_punctuation_around_words_changes_nothing(engine, pair):
    plain, typed = pair
    assert ranked(engine, typed) == ranked(engine, plain), typed


@PROPERTY
@given(q=anything_typed())
def test_typed_text_gives_results_or_a_reason(engine, q):
    try:
        result = engine.search(SearchRequest(q=q))
    except QueryError as err:  # a pattern without letters before its * or ?, a bad year
        assert len(str(err)) > 20
    else:
        assert result["total"] >= len(result["hits"])
        assert result["total"] or result["advice"], q  # never an empty page without a reason
