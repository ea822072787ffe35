"""A warmed engine leaves its first requests nothing to make that every request may need."""

from __future__ import annotations

from indexer.search import SearchEngine, SearchRequest
from indexer.search.showing.snippets import Highlighter
from indexer.text.taxonomy import country_name, language_name
from indexer.text.terms import skip_words


def test_a_warmed_engine_leaves_no_pattern_or_facet_label_to_its_first_requests(sample_kb):
    skip_words.cache_clear()
    country_name.cache_clear()
    language_name.cache_clear()
    engine = SearchEngine(sample_kb)
    try:
        engine.warm(("en", "bg"))
        compiled = skip_words.cache_info().misses
        named = country_name.cache_info().misses + language_name.cache_info().misses
        # A word far past a page's last checkpoint is reached by passing many words at once.
        text = " ".join(f"word{i}" for i in range(60)) + " outcome"
        snippet = Highlighter({"text": {"outcome"}}).placed(text, [60], [60], checkpoints=[])
        assert "<mark>outcome</mark>" in str(snippet)
        for lang in ("en", "bg"):
            assert engine.search(SearchRequest(q="social"), lang=lang)["facets"]["country"]
        assert skip_words.cache_info().misses == compiled
        assert country_name.cache_info().misses + language_name.cache_info().misses == named
    finally:
        engine.close()
