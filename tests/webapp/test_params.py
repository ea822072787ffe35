"""Query strings of a search page's links."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import FACET_FIELDS, SearchRequest
from webapp.params import query_string, toggle_queries, toggled

years = st.sampled_from(["2021", "2019-2022", "2020-", "-2019", "undated"])
words = st.sampled_from(["BG", "EU", "a&b=c", "ж ", "%", "+", "", "2021"])


def values(facet: str) -> st.SearchStrategy[str]:
    return years if facet == "year" else words


requests = st.builds(
    SearchRequest,
    q=st.sampled_from(["", "social", "a&b", "плащане по резултати", '"x y"']),
    filters=st.fixed_dictionaries(
        {}, optional={f: st.lists(values(f), max_size=3) for f in FACET_FIELDS}
    ),
    sort=st.sampled_from(["relevance", "newest", "title"]),
    page=st.integers(min_value=1, max_value=4),
    per_page=st.sampled_from([10, 25]),
    mode=st.sampled_from(["all", "any"]),
    expand=st.booleans(),
    correct=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(req=requests, facet=st.sampled_from([*FACET_FIELDS, "unknown"]), data=st.data())
def test_toggle_queries_are_the_query_strings_of_the_toggled_filters(req, facet, data):
    """Each facet value's toggle link goes where toggling it in the filters goes, on page 1."""
    shown = st.sampled_from(["2018", "2021", "2023"]) if facet == "year" else words
    toggles = data.draw(st.lists(shown))
    expected = [query_string(req, filters=toggled(req.filters, facet, v), page=1) for v in toggles]
    assert toggle_queries(req, facet, toggles) == expected
