"""The search page written with less work shows what the plain templates show.

``reference_pages/`` holds the search page's templates written with Jinja alone (the
straightforward page). For a fixed set of searches on the bundled corpus — words, phrases,
filters, sorts, later pages, corrections, nothing found, in every interface language — the
page the app serves is compared with the same request's context rendered by those templates,
with runs of white space counted as one (the browser shows them alike).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from jinja2 import ChoiceLoader, FileSystemLoader

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


def _both_ways(app: Flask, url: str) -> tuple[str, str]:
    """The page as served, and its template context rendered by the plain templates (in the
    same request, so the same answer and the same time taken)."""
    plain_env = app.jinja_env.overlay(
        loader=ChoiceLoader([FileSystemLoader(REFERENCE), app.jinja_env.loader])
    )
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
