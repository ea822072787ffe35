"""The search engine of the session's sample knowledge base, one per test module."""

import pytest

from indexer.search import SearchEngine


@pytest.fixture(scope="module")
def engine(sample_kb):
    eng = SearchEngine(sample_kb)
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def corpus_engine(corpus_settings):
    """The search engine of the bundled corpus (long reports in four languages)."""
    eng = SearchEngine(corpus_settings)
    yield eng
    eng.close()
