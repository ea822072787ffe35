"""A warmed app's first pages compile no template and read no translations."""

from __future__ import annotations

import pytest
from babel import support

from webapp.i18n import LANGUAGES
from webapp.warm import warm_pages


def test_a_warmed_app_writes_its_first_pages_in_every_language_from_what_it_made(app, monkeypatch):
    warm_pages(app)

    def refused(*args, **kwargs):
        raise AssertionError("made while a reader waits")

    monkeypatch.setattr(app.jinja_env, "compile", refused)
    monkeypatch.setattr(support.Translations, "load", refused)
    client = app.test_client()
    for lang in LANGUAGES:
        for address in ("/", "/search?q=social", "/search?q=nothing-at-all-here"):
            answer = client.get(address, headers={"Accept-Language": lang})
            assert answer.status_code == 200, (lang, address)
            assert f'<html lang="{lang}">' in answer.get_data(as_text=True)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_warming_changes_no_page(kb_settings, lang):
    from webapp import create_app

    cold, warm = create_app(kb_settings), create_app(kb_settings)
    warm_pages(warm)
    for address in ("/", "/search?q=social", "/search?q=social&page=2", "/search?q=zzzz"):
        headers = {"Accept-Language": lang}
        pages = [app.test_client().get(address, headers=headers) for app in (cold, warm)]
        assert pages[0].status_code == pages[1].status_code == 200
        # The time a search took is the one part of the page that differs between two runs.
        texts = [_without_timing(p.get_data(as_text=True)) for p in pages]
        assert texts[0] == texts[1]


def _without_timing(page: str) -> str:
    start = page.find('<p class="took">')
    end = page.find("</p>", start)
    return page if start < 0 else page[:start] + page[end:]
