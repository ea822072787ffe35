"""The pages in a real browser: Debian's Chromium driven by Playwright, against the app served
by waitress on loopback, as a reader would use it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.servers import serving
from webapp import create_app

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("KB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _have_chromium() -> bool:
    return Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)


if not _have_chromium():
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: install the Debian package chromium")
    pytestmark = [
        pytestmark,
        pytest.mark.skip(reason="Chromium not installed (apt-get install chromium)"),
    ]


def _served(settings):
    """The app for ``settings`` served by waitress on loopback, for as long as it is iterated."""
    app = create_app(settings.with_(host="127.0.0.1"))  # as `kb serve` makes it
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def base_url(kb_settings):
    yield from _served(kb_settings)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def test_search_from_the_home_page_in_bulgarian(page, base_url):
    page.goto(base_url + "/")
    page.fill("#q", "плащане според резултатите")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?**")
    titles = page.locator("article.hit h3").all_inner_texts()
    assert titles[0] == "Плащане според резултатите"
    assert "Payment by Results in Social Services" in titles
    assert page.locator("p.why").first.is_visible()


def test_facets_narrow_widen_and_back_button(page, base_url):
    page.goto(base_url + "/search")
    assert "6 documents" in page.locator("h1").inner_text()
    country = page.locator('section[aria-labelledby="facet-country"]')
    country.get_by_role("link", name="Bulgaria").click()
    page.wait_for_url("**country=BG**")
    assert page.locator("h1").inner_text().strip() == "1 document"
    # Cyprus is still offered with its count (disjunctive facets) and widens the selection.
    country.get_by_role("link", name="Cyprus").click()
    page.wait_for_url("**country=CY**")
    assert "2 documents" in page.locator("h1").inner_text()
    chips = page.locator(".chips .chip").all_inner_texts()
    assert len(chips) == 2
    page.go_back()
    page.wait_for_url("**/search?country=BG")
    assert page.locator("h1").inner_text().strip() == "1 document"
    page.locator(".chips a.clear").click()
    assert "6 documents" in page.locator("h1").inner_text()


def test_paging_through_results(page, base_url):
    page.goto(base_url + "/search?per_page=2&sort=title")
    first = page.locator("article.hit h3").all_inner_texts()
    page.locator("nav.pagination a[rel=next]").click()
    page.wait_for_url("**page=2**")
    second = page.locator("article.hit h3").all_inner_texts()
    assert len(second) == 2 and not set(first) & set(second)
    assert page.locator('nav.pagination a[aria-current="page"]').inner_text() == "2"


def test_open_a_document_at_the_page_of_the_hit(page, base_url):
    page.goto(base_url + "/search?q=investors")
    page.locator("a.pageref", has_text="p. 3").first.click()
    page.wait_for_url("**page=3**")
    assert "Page 3 of 3" in page.locator("#page-title").inner_text()
    assert page.locator("#page-text mark").first.inner_text() == "Investors"
    assert page.locator(".metadata").get_by_text("from the manifest").first.is_visible()


def _loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def test_search_results_and_document_page_show_page_pictures(page, base_url):
    page.goto(base_url + "/search?q=investors")
    thumb = page.locator("article.hit a.thumb img").first
    thumb.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('a.thumb img')].every(i => i.complete)"
    )
    assert _loaded(thumb)
    assert thumb.get_attribute("alt").startswith("Picture of page 3 of")
    assert thumb.bounding_box()["width"] < 120  # a thumbnail beside the hit, not a page
    page.locator("article.hit h3 a").first.click()
    picture = page.locator("figure.pagepic img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('figure.pagepic img').complete")
    assert _loaded(picture)
    page.locator("figure.pagepic figcaption a").click()
    page.wait_for_url("**/pages/3?**")
    view = page.locator(".pageimage img")
    page.wait_for_function("() => document.querySelector('.pageimage img').complete")
    assert _loaded(view)
    marks = page.locator("svg.marks rect")
    assert marks.count() >= 1
    box, image = marks.first.bounding_box(), view.bounding_box()
    assert image["x"] <= box["x"] < image["x"] + image["width"]  # drawn on the picture
    assert image["y"] <= box["y"] < image["y"] + image["height"]
    assert (
        "Marked on the page: Investors" in page.locator("figure.pageview figcaption").inner_text()
    )
    assert page.locator(".pagetext mark").first.inner_text() == "Investors"


def test_page_view_without_javascript_and_at_phone_width(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(base_url + "/search?q=investors")
    page.locator("article.hit a.thumb").first.click()
    page.wait_for_url("**/pages/**")
    assert page.locator("svg.marks rect").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".pageimage img").bounding_box()["width"] <= 375
    context.close()


def test_switch_interface_language_and_it_is_remembered(page, base_url):
    page.goto(base_url + "/search?q=results")
    page.get_by_role("link", name="Български").click()
    page.wait_for_url("**lang=bg**")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.get_by_role("button", name="Търсене").is_visible()
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert "По държава" in page.content()


def test_keyboard_and_autocomplete(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#q")
    page.keyboard.type("stake")
    page.wait_for_selector(".suggest-list li")
    page.keyboard.press("ArrowDown")
    texts = page.locator(".suggest-list li").all_inner_texts()
    assert "stakeholders" in texts
    while page.evaluate("document.querySelector('#q').getAttribute('aria-activedescendant')") != (
        "suggest-" + str(texts.index("stakeholders"))
    ):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=stakeholders**")
    assert "Steering committee minutes" in page.locator("article.hit h3").all_inner_texts()


def test_everything_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/search")
    page.locator('section[aria-labelledby="facet-country"]').get_by_role(
        "link", name="Portugal"
    ).click()
    assert "country=PT" in page.url
    page.fill("#q", "fundos")
    page.press("#q", "Enter")
    assert "country=PT" in page.url and "q=fundos" in page.url
    assert page.locator("article.hit h3").all_inner_texts() == ["Fundos de resultados"]
    context.close()


def test_usable_at_phone_width(browser, base_url):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    for path in ("/", "/search?q=results", "/admin"):
        page.goto(base_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    context.close()


@pytest.fixture(scope="module")
def corpus_url(corpus_settings):
    yield from _served(corpus_settings)


def test_a_reader_finds_the_report_narrows_opens_it_and_switches_language(page, corpus_url):
    """On the bundled corpus: a Bulgarian query, two countries, the page of the hit, Bulgarian."""
    page.goto(corpus_url + "/")
    page.fill("#q", "облигации за социално въздействие")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?**")
    country = page.locator('section[aria-labelledby="facet-country"]')
    country.get_by_role("link", name="European Union").click()
    page.wait_for_url("**country=EU**")
    country.get_by_role("link", name="Portugal").click()
    page.wait_for_url("**country=PT**")
    assert len(page.locator(".chips .chip").all_inner_texts()) == 2
    hit = page.locator("article.hit").filter(has_text="Плащане според резултатите").first
    pageref = hit.locator("a.pageref").first
    number = pageref.inner_text().removeprefix("p. ")
    pageref.click()
    page.wait_for_url(f"**page={number}**")
    assert f"Page {number} of" in page.locator("#page-title").inner_text()
    assert page.locator("#page-text mark").count() > 0
    page.get_by_role("link", name="Български").click()
    page.wait_for_url("**lang=bg**")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.locator("#page-text mark").count() > 0


def test_no_page_breaks_the_content_policy_and_none_can_be_framed(browser, base_url):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    reports: list[str] = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security" in m.text else None)
    for path in ("/", "/search?q=results&country=EU", "/admin"):
        page.goto(base_url + path)
    page.fill("#q", "stake")  # the autocomplete script runs under the policy
    page.wait_for_selector(".suggest-list li")
    assert reports == []
    # A page of another site frames the admin page: the browser shows nothing of it.
    page.set_content(f'<iframe id="f" src="{base_url}/admin" width="600" height="400"></iframe>')
    page.wait_for_timeout(1000)
    framed = page.frames[1]
    assert "csrf_token" not in framed.content() and "Add documents" not in framed.content()
    context.close()


# Readers: phones, keyboards, screen readers, forgiving typing --------------------------------------
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def reader_url(reader_settings):
    yield from _served(reader_settings)


def _violations(page) -> list[str]:
    """axe-core's findings on the page as loaded: rule, impact and the first elements."""
    page.evaluate(AXE.read_text("utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_on_any_page(browser, reader_url, viewport):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.goto(reader_url + "/search?q=payment+deadline&format=json")
    hit = page.evaluate("() => JSON.parse(document.body.innerText).hits[0]")
    page.goto(reader_url + "/search?q=payment+deadline")
    hit["url"] = page.locator("h3 > a").first.get_attribute("href")  # the page's link
    paths = [
        "/",
        "/search?q=payment+deadline",
        "/search?q=plashtane",
        "/search?q=payment+deadlnie&year=2021-2023",
        "/search?q=zzzzzz",
        hit["url"],
        f"/documents/{hit['id']}/pages/6?q=payment+deadline",
        "/search?lang=bg&country=BG",
        "/search/follow?q=payment&country=EU",
    ]
    problems = {}
    for path in paths:
        page.goto(reader_url + path)
        if viewport is PHONE and page.locator("summary.filters-button").is_visible():
            page.locator("summary.filters-button").click()  # the folded filters too
        found = _violations(page)
        if found:
            problems[path] = found
    context.close()
    assert problems == {}


def test_on_a_phone_the_results_come_first_and_filters_open_from_a_button(browser, reader_url):
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.goto(reader_url + "/search?q=payment&country=EU")
    header = page.locator("header.site").bounding_box()
    assert header["height"] < PHONE["height"] * 0.3
    button = page.locator("summary.filters-button")
    assert button.inner_text().strip() == "Filters (1)"
    assert not page.locator('section[aria-labelledby="facet-country"]').is_visible()
    first = page.locator("article.hit").first.bounding_box()
    assert first["y"] < PHONE["height"]  # the first result is on the first screen
    assert button.bounding_box()["y"] < first["y"]
    for selector in (
        "summary.filters-button",
        ".phonebar summary",
        "a.pageref",
        "a.pdflink",
        ".chip",
    ):
        for box in (b.bounding_box() for b in page.locator(selector).all()):
            assert box["height"] >= 24 and box["width"] >= 24, selector
    button.click()
    country = page.locator('section[aria-labelledby="facet-country"]')
    country.get_by_role("link", name="Bulgaria").click()
    page.wait_for_url("**country=BG**")
    assert page.locator("summary.filters-button").inner_text().strip() == "Filters (2)"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_a_year_range_is_chosen_without_javascript(browser, reader_url):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(reader_url + "/search?q=payment")
    page.locator("summary.filters-button").click()
    years = page.locator('section[aria-labelledby="facet-year"]')
    assert years.locator("svg.yearbar").count() == 2  # a bar for 2021 and one for the undated
    years.get_by_label("From").fill("2021")
    years.get_by_label("to", exact=True).fill("2022")
    years.get_by_role("button", name="Show").click()
    page.wait_for_url("**year_from=2021**")
    assert "q=payment" in page.url
    assert page.locator(".chips .chip").all_inner_texts()[0].startswith("2021–2022")
    assert page.locator("article.hit h3").all_inner_texts() == ["Handbook on Outcome Payments"]
    context.close()


def test_keyboard_reaches_the_results_past_the_filters(page, reader_url):
    page.goto(reader_url + "/search?q=payment")
    page.locator('section[aria-labelledby="facet-country"]').get_by_role("link", name="EU").click()
    page.wait_for_url("**country=EU**")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    presses = 0
    while not page.evaluate("document.activeElement.closest('article.hit h3') !== null"):
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 12, "the first result is too many Tab presses away"
    assert page.evaluate("document.activeElement.textContent") == "Handbook on Outcome Payments"


def test_a_slip_a_suggestion_the_best_page_and_back_to_the_search(page, reader_url):
    page.goto(reader_url + "/search?q=payment+deadlnie&country=EU&sort=oldest")
    # Nothing has the words as typed: the results are those of the one likely correction.
    notice = page.locator("p.suggestion.corrected")
    assert notice.inner_text() == (
        "Showing results for payment deadline. Search instead for payment deadlnie."
    )
    assert page.locator("article.hit").count() > 0
    assert "“payment deadline”" in page.locator("#results-title").inner_text()
    notice.get_by_role("link", name="payment deadlnie").click()
    page.wait_for_url("**correct=0**")
    # As typed: the documents with any of the words, and the correction only offered.
    assert page.locator("p.suggestion").inner_text() == "Did you mean payment deadline?"
    assert page.locator("#q").input_value() == "payment deadlnie"
    page.get_by_role("link", name="payment deadline").first.click()
    page.wait_for_url("**q=payment+deadline**")
    hit = page.locator("article.hit").first
    assert "Best match on p. 6" in hit.locator("p.best").inner_text()
    assert hit.locator("a.pageref").first.inner_text() == "p. 6"
    hit.locator("h3 a").click()
    assert "Page 6 of 8" in page.locator("#page-title").inner_text()
    page.get_by_role("link", name="Next page").click()
    page.get_by_role("link", name="Back to the search").click()
    assert "country=EU" in page.url and "sort=oldest" in page.url and "q=payment" in page.url
    assert page.locator("#q").input_value() == "payment deadline"


def test_other_alphabets_are_said_and_read_in_their_language(page, reader_url):
    page.goto(reader_url + "/search?q=plashtane")
    notice = page.locator("p.transliterated")
    assert "плащане" in notice.inner_text()
    assert notice.locator('[lang="bg"]').inner_text() == "плащане"
    hit = page.locator("article.hit").first
    assert hit.locator("h3").get_attribute("lang") == "bg"
    assert hit.locator("p.snippet span[lang]").first.get_attribute("lang") == "bg"
    assert page.locator("html").get_attribute("lang") == "en"
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    response = page.request.get(reader_url + feed)
    assert response.ok and "<entry>" in response.text()


def test_autocomplete_inserts_the_word_in_context(page, reader_url):
    page.goto(reader_url + "/")
    page.focus("#q")
    page.keyboard.type("Pagamento por re")
    page.get_by_role("option", name="Pagamento por resultados", exact=True).wait_for()
    assert "Pagamento por resultados" in page.locator(".suggest-list li").all_inner_texts()
    while page.evaluate("document.querySelector('[aria-selected=true]')?.textContent") != (
        "Pagamento por resultados"
    ):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.locator("#q").input_value() == "Pagamento por resultados "
    assert page.url.endswith("/")  # inserted, not yet searched
