"""What a reader sees of the search and document pages, measured in a real browser at desktop
and phone sizes: the year histogram, the feed's page, the way to a hit and between hits, the
notices above the results, the phone's first screen."""

from __future__ import annotations

import pytest

from tests.webapp import test_browser as shared

pytestmark = shared.pytestmark
base_url = shared.base_url
reader_url = shared.reader_url
SIZES = pytest.mark.parametrize(
    "viewport", [shared.DESKTOP, shared.PHONE], ids=["desktop", "phone"]
)


@pytest.fixture
def sized(browser, viewport):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    yield context.new_page()
    context.close()


def _open_filters(page) -> None:
    button = page.locator("summary.filters-button")
    if button.is_visible():
        button.click()


@SIZES
def test_year_bars_are_as_long_as_their_counts(sized, base_url, viewport):
    sized.goto(base_url + "/search")
    _open_filters(sized)
    years = sized.locator('section[aria-labelledby="facet-year"] .histogram li')
    counts, widths, tracks = [], [], []
    for item in years.all():
        counts.append(int(item.locator(".count").inner_text()))
        widths.append(item.locator("svg.yearbar rect.fill").bounding_box()["width"])
        tracks.append(item.locator("svg.yearbar").bounding_box()["width"])
    assert counts == [1, 3, 2]  # 2023, 2022, 2021 of the sample knowledge base
    assert len(set(tracks)) == 1 and tracks[0] > 40  # one visible track for every year
    top = max(counts)
    for count, width in zip(counts, widths, strict=True):
        assert width == pytest.approx(tracks[0] * count / top, abs=1.5)


@SIZES
def test_a_phrase_is_said_once_with_its_own_quotes(sized, base_url, viewport):
    sized.goto(base_url + '/search?q="payment+by+results"+investors')
    assert sized.locator("h1").inner_text().strip() == (
        "2 documents for “‘payment by results’ investors”"
    )
    parts = sized.locator("p.understood .part")
    assert parts.all_inner_texts() == ["all of investors", "phrase “payment by results”"]
    separators = [
        part.evaluate("e => getComputedStyle(e, '::before').content") for part in parts.all()
    ]
    assert separators == ["none", '" · "']  # one separator, between the two parts
    sized.goto(base_url + '/search?q="payment+by+results"')
    assert sized.locator("h1").inner_text().strip() == "2 documents for “payment by results”"
    only = sized.locator("p.understood .part")
    said = only.all_inner_texts()
    assert said[0] == "phrase “payment by results”"
    # then, once, the phrase in the other languages
    assert [part.split(" also as ")[0] for part in said[1:]] == ["payment by results"]
    separators = [
        part.evaluate("e => getComputedStyle(e, '::before').content") for part in only.all()
    ]
    assert separators == ["none", '" · "']


@SIZES
def test_a_document_page_shows_no_programs_default_properties(sized, base_url, viewport):
    """The sample minutes were written with python-docx, which signs every file it makes."""
    sized.goto(base_url + "/search?q=steering")
    sized.locator("h3 > a").first.click()  # the first result's page
    sized.wait_for_url("**/documents/**")
    labels = sized.locator(".metadata dt").all_inner_texts()
    assert "Title" in labels and "Organisation" in labels
    assert "Author" not in labels and "Description" not in labels
    assert "python-docx" not in sized.locator(".metadata").inner_text()


@SIZES
def test_a_results_title_opens_the_document_at_its_best_pages_text(sized, reader_url, viewport):
    sized.goto(reader_url + "/search?q=payment+deadline")
    hit = sized.locator("article.hit").first
    assert "Best match on p. 6" in hit.locator("p.best").inner_text()
    hit.locator("h3 a").click()
    sized.wait_for_url("**page=6**#page-text")
    assert sized.locator("#page-title").inner_text() == "Page 6 of 8"
    # Landed on the text: the page's heading at the top of the window, its marked words on
    # the first screen — not the document's top, a screen or more above.
    title = sized.locator("#page-title").bounding_box()
    assert sized.evaluate("window.scrollY") > 100
    assert 0 <= title["y"] < 120
    mark = sized.locator("#page-text mark").first.bounding_box()
    assert 0 <= mark["y"] < viewport["height"]


@SIZES
@pytest.mark.parametrize(
    ("lang", "heading", "copied"),
    [
        ("en", "Follow this search", "The address is copied."),
        ("bg", "Следете това търсене", "Адресът е копиран."),
    ],
)
def test_follow_this_search_explains_it_and_offers_the_address(
    browser, base_url, viewport, lang, heading, copied
):
    context = browser.new_context(
        locale="en-GB", viewport=viewport, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(base_url + f"/search?q=investors&country=EU&lang={lang}")
    if viewport is shared.PHONE:  # on a phone the link is in the More menu
        page.locator("details.menu-end summary").click()
        page.locator("details.menu-end a[href*='/search/follow']").click()
    else:
        page.locator("p.follow a").click()
    page.wait_for_url("**/search/follow?**")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == heading
    assert "investors" in page.locator(".follow-page .lead").inner_text()
    address = page.locator("#feed-address")
    feed = address.input_value()
    assert feed.startswith(base_url + "/search/feed.atom?") and "q=investors" in feed
    assert "country=EU" in feed
    column = page.locator(".follow-page").bounding_box()["width"]
    assert address.bounding_box()["width"] >= 0.7 * column  # the whole address in view
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.locator("button[data-copy]").click()
    page.locator(".copied", has_text=copied).wait_for()  # said once the copy is made
    assert page.evaluate("navigator.clipboard.readText()") == feed
    # The raw feed stays at its address, for feed readers.
    response = page.request.get(feed)
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    assert "<entry>" in response.text()
    context.close()


def _handbook(page, reader_url) -> str:
    hits = page.request.get(reader_url + "/api/search?q=payment").json()["hits"]
    return next(h["id"] for h in hits if h["title"] == "Handbook on Outcome Payments")


def _in_view(page, locator, viewport) -> bool:
    """On the screen, and not under the bar of hits that stays at its top."""
    box = locator.bounding_box()
    if box is None or box["y"] < 0 or box["y"] + box["height"] > viewport["height"]:
        return False
    bar = page.locator(".hitnav").bounding_box()
    return (
        bar is None or box["y"] >= bar["y"] + bar["height"] or box["y"] + box["height"] <= bar["y"]
    )


@SIZES
def test_next_and_previous_hit_by_keyboard_on_the_document_page(sized, reader_url, viewport):
    """Page 6 of the handbook has seven marks of "payment"; pages 3 and 7 have hits too."""
    page = sized
    doc = _handbook(page, reader_url)
    page.goto(f"{reader_url}/documents/{doc}?q=payment&page=6#page-text")
    nav = page.locator(".hitnav")
    assert nav.locator(".hit-status").inner_text() == "7 hits on this page"
    for _ in range(80):  # reached with the Tab key, like everything else
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hit-next')"):
            break
    else:
        pytest.fail("Next hit cannot be reached with the keyboard")
    for n in range(1, 8):
        page.keyboard.press("Enter")
        assert nav.locator(".hit-status").inner_text() == f"Hit {n} of 7 on this page"
        current = page.locator("#page-text mark.current")
        assert current.count() == 1 and current.get_attribute("id") == f"hit-{n}"
        assert _in_view(page, current, viewport)
        bar = nav.bounding_box()  # the bar stays at hand, its links on one row
        assert bar["y"] >= 0 and bar["y"] + bar["height"] <= viewport["height"]
        prev, following = (nav.locator(a).bounding_box() for a in (".hit-prev", ".hit-next"))
        assert prev["y"] == following["y"] and bar["height"] < 70
        assert page.evaluate("document.activeElement.classList.contains('hit-next')")
    page.keyboard.press("Enter")  # past the last: the next page with hits, at its first hit
    page.wait_for_url("**page=7#hit-1")
    assert page.locator("#page-title").inner_text() == "Page 7 of 8"
    assert nav.locator(".hit-status").inner_text() == "Hit 1 of 1 on this page"
    assert _in_view(page, page.locator("#page-text mark.current"), viewport)
    page.locator(".hit-prev").focus()
    page.keyboard.press("Enter")  # before the first: the previous page with hits, at its last
    page.wait_for_url("**page=6#hit-last")
    assert nav.locator(".hit-status").inner_text() == "Hit 7 of 7 on this page"
    assert page.locator("#page-text mark.current").get_attribute("id") == "hit-7"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@SIZES
def test_next_hit_in_the_page_view_and_without_javascript(browser, reader_url, viewport):
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    doc = _handbook(page, reader_url)
    page.goto(f"{reader_url}/documents/{doc}/pages/7?q=payment")
    nav = page.locator(".hitnav")
    assert nav.locator(".hit-status").inner_text() == "1 hit on this page"
    nav.locator(".hit-next").click()
    assert nav.locator(".hit-status").inner_text() == "Hit 1 of 1 on this page"
    assert _in_view(page, page.locator(".pagetext mark.current"), viewport)
    nav.locator(".hit-next").click()
    page.wait_for_url("**/pages/8?q=payment#hit-1")
    assert page.locator("#page-title").inner_text() == "Page 8 of 8"
    context.close()
    # Without a script the links lead from page to page with hits.
    context = browser.new_context(locale="en-GB", viewport=viewport, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{reader_url}/documents/{doc}?q=payment&page=3#page-text")
    page.locator(".hitnav .hit-next").click()
    page.wait_for_url("**page=6#hit-1")
    assert _in_view(page, page.locator("#hit-1"), viewport)
    page.locator(".hitnav .hit-prev").click()
    page.wait_for_url("**page=3#hit-last")
    context.close()


corpus_url = shared.corpus_url


@pytest.mark.parametrize("path", ["/search?q=payment&country=EU", "/search?q=social+enterprises"])
def test_on_a_phone_the_first_screen_shows_the_first_result(browser, corpus_url, path):
    """On the bundled knowledge base, whose titles are long: the controls fold into one row,
    and the first result's title and snippet are on the first screen."""
    phone = shared.PHONE
    context = browser.new_context(locale="en-GB", viewport=phone)
    page = context.new_page()
    page.goto(corpus_url + path)
    row = [page.locator(s) for s in ("summary.filters-button", ".phonebar .menu > summary")]
    boxes = [row[0].bounding_box(), *(b.bounding_box() for b in row[1].all())]
    assert len(boxes) == 3  # Filters, Sort, More
    assert len({round(b["y"]) for b in boxes}) == 1  # side by side
    assert all(b["height"] >= 44 and b["x"] + b["width"] <= phone["width"] for b in boxes)
    first = page.locator("article.hit").first
    title = first.locator("h3").bounding_box()
    snippet = first.locator("p.snippet").first.bounding_box()
    assert title["y"] > boxes[0]["y"] and title["y"] + title["height"] < phone["height"]
    assert snippet["y"] + 40 < phone["height"]  # at least its first lines
    for hidden in (".toolbar", "p.took", "p.follow"):  # folded away, not lost
        assert not page.locator(hidden).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= phone["width"]
    # Sort: a menu of the orders.
    page.locator(".phonebar .menu > summary").first.click()
    page.get_by_role("link", name="newest", exact=True).click()
    page.wait_for_url("**sort=newest**")
    assert "newest" in page.locator(".phonebar .menu > summary").first.inner_text()
    # More: following and exporting.
    page.locator(".phonebar .menu-end > summary").click()
    more = page.locator(".phonebar .menu-end .menu-list")
    assert more.get_by_role("link").all_inner_texts() == [
        "Follow this search",
        "Export all results as CSV",
        "Export all results as JSON",
    ]
    page.mouse.click(5, phone["height"] - 5)  # a click elsewhere closes it
    assert not more.is_visible()
    context.close()


def test_on_a_desktop_the_toolbar_stays_as_it_was(browser, corpus_url):
    context = browser.new_context(locale="en-GB", viewport=shared.DESKTOP)
    page = context.new_page()
    page.goto(corpus_url + "/search?q=payment")
    assert not page.locator(".phonebar").is_visible()
    assert page.locator(".toolbar .sorts").is_visible() and page.locator("p.follow").is_visible()
    context.close()
