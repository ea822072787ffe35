"""The search page's lists written in Python show what Jinja macros alone would show.

The hits, the facet values and the year bars are written by ``webapp.search_html`` (a page
shows some hundred of them and macros cost a third of the page's own time). ``reference_pages/``
holds the same lists as Jinja macros (the straightforward way). For a fixed set of searches on
the bundled corpus — words, phrases, filters, sorts, later pages, corrections, nothing found,
in every interface language — the page the app serves is compared with the same request's
context rendered by the app's templates with those macros in place of the Python writers,
with runs of white space counted as one (the browser shows them alike).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import ChoiceLoader, Environment, FileSystemLoader

from webapp import create_app

REFERENCE = Path(__file__).parent / "reference_pages"

#: Searches that show every part of the page: hits with pictures, versions and explanations,
#: chips, the year form, paging, corrections and fallbacks, the empty state.
SEARCHES = [
    "",
    "q=social+innovation",
    "q=investors",
    "q=payment+by+results&country=BG&country=PT&type=report",
    "q=облигации+за+социално+въздействие",
    "q=κοινωνική+καινοτομία&sort=newest",
    "q=%22social+enterprise%22&per_page=3&page=2",
    "q=socail+entreprise",
    "q=social+zzzqqq",
    "q=zzzqqq&country=PT",
    "year=2019-2022&sort=title&per_page=4&page=3",
    "country=EU&language=en&year=2021",
    "q=social&country=IE&year=2020-2024",
    "q=socail+innovation&correct=0",
    "q=socialno+predpriyatie",
    "q=title%3Areport+ESF%2B&expand=0",
    "q=econ*&mode=any&sort=oldest",
]
LANGUAGES = ["en", "bg", "el", "pt"]


@pytest.fixture(scope="module")
def corpus_app(corpus_settings: Any) -> Flask:
    app = create_app(corpus_settings)
    app.config.update(TESTING=True)
    return app


def _same_text(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def _plain_env(app: Flask) -> Environment:
    """The app's templates with the page's lists written by the reference macros."""
    plain = app.jinja_env.overlay(
        loader=ChoiceLoader([FileSystemLoader(REFERENCE), app.jinja_env.loader])
    )
    plain.globals = dict(app.jinja_env.globals)  # the overlay would share (and change) the app's
    macros = {
        "hit_items": ("_plain.html", "hit_items"),
        "facet_values": ("_facet_value.html", "facet_values"),
        "year_bars": ("_year_bars.html", "year_bars"),
    }
    for name, (template, macro) in macros.items():
        plain.globals[name] = getattr(plain.get_template(template).module, macro)
    return plain


def _both_ways(app: Flask, url: str) -> tuple[str, str]:
    """The page as served, and its template context rendered with the reference macros (in
    the same request, so the same answer and the same time taken)."""
    plain_env = _plain_env(app)
    plain: list[str] = []

    def record(sender: Any, template: Any, context: dict[str, Any], **extra: Any) -> None:
        plain.append(plain_env.get_template(template.name).render(context))

    with template_rendered.connected_to(record, app):
        response = app.test_client().get(url)
    assert response.status_code == 200, url
    assert len(plain) == 1
    return response.get_data(as_text=True), plain[0]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_search_page_shows_what_the_plain_templates_show(corpus_app, lang):
    shown = 0
    for search in SEARCHES:
        url = f"/search?{search}&lang={lang}"
        served, plain = _both_ways(corpus_app, url)
        assert _same_text(served) == _same_text(plain), url
        shown += served.count('<article class="hit')
    assert shown > 50  # the searches find documents to show


# Any hit and any facet value, written both ways: what a document or an editor may put in a
# title, a label or a name (markup, quotes, ampersands, per cent signs) is escaped alike.
words = st.text(alphabet=st.sampled_from(list("aé<>&\"'%()sd{}ж \n")), max_size=10)
pages = st.integers(min_value=1, max_value=400)
languages = st.sampled_from(["en", "bg", "und", 'x"y'])
snippets = st.fixed_dictionaries(
    {"page": pages, "url": words, "language": languages, "html": st.just("<mark>a</mark> &amp;")},
    optional={"file_url": words},
)
why = st.fixed_dictionaries(
    {
        "languages": st.lists(languages, max_size=3),
        "typed": st.booleans(),
        "codes": st.booleans(),
        "expansions": st.lists(
            st.fixed_dictionaries({"label": words, "languages": st.lists(languages, max_size=2)}),
            max_size=2,
        ),
    },
    optional={"version_of": st.fixed_dictionaries({"title": words})},
)
hits = st.fixed_dictionaries(
    {
        "language": languages,
        "url": words,
        "title": words,
        "labels": st.fixed_dictionaries(
            {"type": words, "country": st.lists(words, max_size=2), "languages": st.lists(words)}
        ),
        "year": st.none() | st.integers(min_value=0, max_value=2100),
        "organisation": st.lists(words, max_size=2),
        "path": words,
        "best_page": st.none() | pages,
        "page_count": pages,
        "pages": st.lists(pages, max_size=3),
        "snippets": st.lists(snippets, max_size=2),
        "more_pages": st.lists(st.fixed_dictionaries({"page": pages, "url": words}), max_size=2),
        "versions": st.lists(
            st.fixed_dictionaries({"url": words, "language": languages, "title": words}),
            max_size=2,
        ),
    },
    optional={
        "why": why,
        "thumbnail": st.fixed_dictionaries(
            {
                "page_url": words,
                "url": words,
                "srcset": words,
                "width": pages,
                "height": pages,
                "alt": words,
            }
        ),
    },
)
facet_values = st.lists(
    st.fixed_dictionaries(
        {
            "label": words,
            "toggle_url": words,
            "count": st.integers(min_value=0, max_value=5000),
            "selected": st.booleans(),
        }
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shown=st.lists(hits, max_size=3), values=facet_values, lang=st.sampled_from(LANGUAGES))
def test_any_hit_and_facet_value_is_written_as_the_plain_macros_write_it(app, shown, values, lang):
    template = "{{ hit_items(hits) }}|{{ facet_values(values) }}|{{ year_bars(values) }}"
    plain = _plain_env(app).from_string(template)
    served = app.jinja_env.from_string(template)
    with app.test_request_context(f"/search?lang={lang}"):
        expected = plain.render(hits=shown, values=values)
        assert _same_text(served.render(hits=shown, values=values)) == _same_text(expected)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(alphabet=st.sampled_from("a&<>'\"ж ;#1")), st.text(), st.integers()))
def test_a_value_is_escaped_as_markupsafe_escapes_it(value):
    from markupsafe import escape

    from webapp.search_html import _e

    assert _e(value) == str(escape(value))
