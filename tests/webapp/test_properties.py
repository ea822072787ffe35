"""Property tests: whatever a stranger sends to the search page, the API or the CLI — random
Unicode, broken percent-encoding, unbalanced quotes and brackets, unknown fields, huge values,
repeated parameters — the answer is a page or a clear error, never a 500, and in time.

Bounded (examples per property, no shrinking past a few seconds) so the whole suite stays fast;
``HYPOTHESIS_PROFILE=thorough`` runs many more examples.
"""

from __future__ import annotations

import os
import time
from urllib.parse import quote, urlencode

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from indexer.cli import main as kb_main
from tests.typed_text import anything_typed, punctuated

#: Seconds one request may take on ordinary random input (on this 2-core machine a search of
#: the sample knowledge base takes well under 0.2 s; the margin is for a busy machine).
BUDGET = 5.0
settings.register_profile(
    "suite",
    max_examples=120,
    deadline=None,  # time is asserted below, on the request alone
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile(
    "thorough", parent=settings.get_profile("suite"), max_examples=2000, derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

#: Words and marks of the query syntax, mixed into random text.
SYNTAX = [
    '"',
    "'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "*",
    "?",
    "~",
    "~2",
    ":",
    "^",
    "^3",
    "-",
    "+",
    "\\",
    "/",
    "AND",
    "OR",
    "NOT",
    "TO",
    "title:",
    "country:",
    "year:",
    "nosuchfield:",
    "ESF+",
    "COM(2021) 778",
    "2021/1060",
    "социални",
    "κοινωνική",
    "inovação",
    "payment",
    "results",
    "<b id=kbxss>",
    "&amp;",
    "\x00",
    "\u202e",
    "\ufeff",
    "🙂",
]
FACETS = ["country", "topic", "language", "type", "year", "organisation", "place"]
PARAMS = [*FACETS, "q", "sort", "page", "per_page", "mode", "expand", "lang", "format", "x", ""]

# Any character a URL can carry (no lone surrogates, which have no UTF-8 form).
chars = st.characters(exclude_categories=("Cs",))
words = st.text(chars, min_size=1, max_size=12)
queries = st.lists(st.one_of(words, st.sampled_from(SYNTAX)), max_size=10).map(" ".join)
huge_numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
values = st.one_of(
    queries,
    huge_numbers,
    st.sampled_from(["BG", "EU", "en", "report", "2022", "relevance", "newest", "any", "0", "1"]),
    st.sampled_from(["", " ", "-1", "1e9", "NaN", "0x10", "٣", "²"]),
    st.integers(min_value=1, max_value=20).map(lambda n: "ж" * 1000 * n),  # huge values
)
pairs = st.lists(st.tuples(st.sampled_from(PARAMS) | words, values), max_size=12)
broken_escapes = st.lists(
    st.one_of(
        st.sampled_from(
            ["%", "%G", "%zz", "%FF", "%C3", "%C3%28", "%E2%82", "%00", "%%", "%2", "%u0041"]
        ),
        st.sampled_from(["&", "=", ";", "+", "q=", "country=", "page=", "per_page=", "&&"]),
        st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=8),
    ),
    max_size=20,
).map("".join)


def check(response, elapsed: float) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert elapsed < BUDGET, f"{elapsed:.2f} s"
    if response.mimetype == "text/html":
        assert "<b id=kbxss>" not in response.get_data(as_text=True)  # every echo is escaped
    if response.status_code >= 400 and response.is_json:
        assert set(response.get_json()["error"]) >= {"code", "message"}


def timed_get(client, path: str, **kwargs):
    started = time.perf_counter()
    response = client.get(path, **kwargs)
    return response, time.perf_counter() - started


@pytest.fixture(scope="module")
def web(app):
    return app.test_client()


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/search", "/api/search", "/search/export.csv"])
@given(params=pairs)
def test_any_parameters(web, path, params):
    response, elapsed = timed_get(web, f"{path}?{urlencode(params)}")
    check(response, elapsed)


@pytest.mark.parametrize("path", ["/search", "/api/search"])
@given(q=queries, sort=st.sampled_from(["relevance", "newest", "title", "added"]))
def test_any_query_text(web, path, q, sort):
    response, elapsed = timed_get(web, path, query_string={"q": q, "sort": sort})
    check(response, elapsed)
    if response.status_code == 200 and path.startswith("/api"):
        data = response.get_json()
        assert data["total"] >= len(data["hits"])


@pytest.mark.parametrize("path", ["/search", "/api/search"])
@settings(max_examples=30)
@given(pair=punctuated())
def test_questions_are_answered_as_their_words(web, path, pair):
    plain, typed = pair
    response, elapsed = timed_get(web, path, query_string={"q": typed})
    check(response, elapsed)
    assert response.status_code == 200, typed
    if path.startswith("/api"):
        as_typed = response.get_json()
        without = web.get(path, query_string={"q": plain}).get_json()
        assert [h["id"] for h in as_typed["hits"]] == [h["id"] for h in without["hits"]]


@pytest.mark.parametrize("path", ["/search", "/api/search"])
@settings(max_examples=40)
@given(q=anything_typed())
def test_anything_typed_is_answered(web, path, q):
    response, elapsed = timed_get(web, path, query_string={"q": q})
    check(response, elapsed)
    if response.status_code == 200 and path.startswith("/api"):
        data = response.get_json()
        assert data["total"] or data["advice"], q


@pytest.mark.parametrize("path", ["/search", "/api/search", "/api/suggest", "/"])
@given(raw=broken_escapes)
def test_broken_percent_encoding(web, path, raw):
    # The query string exactly as sent, as a WSGI server hands it over.
    response, elapsed = timed_get(web, path, environ_overrides={"QUERY_STRING": raw})
    check(response, elapsed)


@given(doc_id=words, q=queries, page=huge_numbers)
def test_any_document_address(web, doc_id, q, page):
    response, elapsed = timed_get(
        web, f"/api/documents/{quote(doc_id, safe='')}", query_string={"q": q, "page": page}
    )
    check(response, elapsed)


@settings(max_examples=60)
@given(
    q=queries,
    facets=st.lists(st.tuples(st.sampled_from(FACETS), values), max_size=4),
    sort=st.sampled_from(["relevance", "newest", "oldest", "title", "added", "random"]),
    page=st.integers(1, 3) | st.integers(min_value=-5, max_value=10**6),
    per_page=st.integers(1, 100) | st.integers(min_value=-5, max_value=500),
    as_json=st.booleans(),
)
def test_cli_search(kb_settings, q, facets, sort, page, per_page, as_json):
    assume("\x00" not in q and all("\x00" not in v for _f, v in facets))  # argv cannot hold NUL
    args = ["--home", str(kb_settings.home), "search", q, "--sort", sort]
    args += ["--page", str(page), "--per-page", str(per_page)]
    for facet, value in facets:
        args += [f"--{facet}", value]
    if as_json:
        args.append("--json")
    started = time.perf_counter()
    result = CliRunner().invoke(kb_main, args)
    elapsed = time.perf_counter() - started
    assert result.exit_code in (0, 1, 2), result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    assert "Traceback" not in result.output + result.stderr
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert elapsed < BUDGET * 2  # a CLI run also opens the index
