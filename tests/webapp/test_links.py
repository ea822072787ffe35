"""Links built once per request give the addresses Flask's url_for and urlencode give."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask import url_for
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.knowledge_bases import make_app
from webapp import links

VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=10_000),
    st.text(alphabet=st.sampled_from(list("aé ж/+&=?#%:;,()'!$*@~\"<>σ.-_2")), max_size=12),
)
KEYS = st.sampled_from(["q", "page", "back", "country", "year_from", "mode"])


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("links"))


@settings(max_examples=300, deadline=None)
@given(doc_id=st.text(min_size=1, max_size=10), pairs=st.lists(st.tuples(KEYS, VALUES), max_size=5))
def test_document_addresses_are_url_fors(app, doc_id, pairs):
    unique = list(dict(pairs).items())  # url_for takes each argument once
    with app.test_request_context("/search?q=x"):
        expected = url_for("documents.document", doc_id=doc_id, **dict(unique))
        base = links.path("documents.document", doc_id=doc_id)
        assert links.with_arguments(base, unique) == expected
        assert links.path("documents.document", doc_id=doc_id) == base  # kept for the request


@settings(max_examples=300, deadline=None)
@given(pairs=st.lists(st.tuples(KEYS, VALUES.filter(lambda v: v is not None)), max_size=6))
def test_query_strings_are_urlencodes(pairs):
    assert links.encode(pairs) == urlencode(pairs)


def test_a_path_is_built_again_in_the_next_request(app):
    with app.test_request_context("/search", base_url="http://localhost/"):
        first = links.path("search.search")
    with app.test_request_context("/search", base_url="http://localhost/kb/"):
        assert links.path("search.search") == "/kb/search" != first


def test_a_request_inside_another_finds_its_own_paths(app):
    with app.test_request_context("/search", base_url="http://localhost/kb/"):
        assert links.path("search.search") == "/kb/search"
        with app.test_request_context("/search", base_url="http://localhost/other/"):
            assert links.path("search.search") == "/other/search"
            assert links.paths()("documents.document", doc_id="a") == "/other/documents/a"
        assert links.path("search.search") == "/kb/search"
        assert links.paths()("documents.document", doc_id="a") == "/kb/documents/a"


@settings(max_examples=300, deadline=None)
@given(
    base=st.sampled_from(["/documents/ab12", "/kb/documents/a%20b"]),
    before=st.lists(st.tuples(KEYS, VALUES), max_size=3),
    after=st.lists(st.tuples(KEYS, VALUES), max_size=3),
    numbers=st.lists(st.integers(min_value=-3, max_value=100_000), max_size=4),
)
def test_numbered_links_are_the_links_with_each_number(base, before, after, numbers):
    at = links.numbered(base, before, "page", after)
    for n in numbers:
        assert at(n) == links.with_arguments(base, [*before, ("page", n), *after])


@settings(max_examples=100, deadline=None)
@given(
    doc_id=st.text(min_size=1, max_size=10),
    number=st.integers(min_value=1, max_value=500),
    q=VALUES,
    back=VALUES,
    large=st.booleans(),
)
def test_page_pictures_link_where_url_for_does(app, doc_id, number, q, back, large):
    """A page picture's addresses, built from paths kept between requests."""
    from flask_babel import force_locale

    from webapp.pictures import picture

    for _ in range(2):  # the second request reads the paths the first one kept
        with app.test_request_context("/search?q=x"), force_locale("en"):
            shown = picture(doc_id, number, "T", q, large=large, back=back)
            view = url_for(
                "previews.page_view", doc_id=doc_id, number=number, q=q or None, back=back
            )
            assert shown["page_url"] == view
            image = url_for("previews.image", doc_id=doc_id, number=number, w=shown["width"])
            assert shown["url"] == image and shown["srcset"].startswith(f"{image} ")


@settings(max_examples=200, deadline=None)
@given(
    endpoint=st.sampled_from(["search.search", "documents.document", "static", "api.suggest"]),
    pairs=st.lists(
        st.tuples(KEYS, VALUES | st.booleans() | st.lists(VALUES, max_size=2)), max_size=4
    ),
    root=st.sampled_from(["/", "/kb/"]),
)
def test_the_templates_url_for_gives_url_fors_addresses(app, endpoint, pairs, root):
    """Kept or not, in any request after another (True and 1 are two addresses)."""
    values = dict(pairs)
    if endpoint == "documents.document":
        values["doc_id"] = "ab 1"
    if endpoint == "static":
        values["filename"] = "style.css"
    for _ in range(2):
        with app.test_request_context("/search", base_url=f"http://localhost{root}"):
            assert links.kept_url_for(endpoint, **values) == url_for(endpoint, **values)
    with app.test_request_context("/search"):
        assert links.kept_url_for("search.search", x=True) == url_for("search.search", x=True)
        assert links.kept_url_for("search.search", x=1) == url_for("search.search", x=1)


@settings(max_examples=200, deadline=None)
@given(
    doc_id=st.from_regex(r"[A-Za-z0-9_.~-]{1,16}", fullmatch=True),
    root=st.sampled_from(["/", "/kb/", "/a b/"]),
)
def test_ids_needing_no_quoting_are_put_in_their_endpoints_shape(app, doc_id, root):
    """A document's paths built from its endpoint's shape (ids of letters, digits and
    ``_.~-``) are the paths url_for builds, under any script root; other endpoints' paths
    (two values, a number) too."""
    with app.test_request_context("/search", base_url=f"http://localhost{root}"):
        path = links.paths()
        for endpoint in ("documents.document", "documents.download", "api.document"):
            assert path(endpoint, doc_id=doc_id) == url_for(endpoint, doc_id=doc_id)
            assert path(endpoint, doc_id=doc_id + "é") == url_for(endpoint, doc_id=doc_id + "é")
        assert path("previews.image", doc_id=doc_id, number=3) == url_for(
            "previews.image", doc_id=doc_id, number=3
        )
