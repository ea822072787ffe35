"""The web app for readers: back to the search as it was, feeds of searches, years as ranges,
API pages that link to the API, and other sites' front ends allowed only when configured."""

from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

import pytest

from webapp import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def reader_app(reader_settings):
    app = create_app(reader_settings.with_(host="127.0.0.1"))
    app.config.update(TESTING=True)
    return app


@pytest.fixture
def client(reader_app):
    return reader_app.test_client()


def test_a_document_opened_from_a_search_leads_back_to_it_as_it_was(page_context):
    search = "/search?q=payment&country=EU&country=BG&sort=newest&per_page=1&page=2"
    hits = page_context(search)["hits"]
    doc = page_context(hits[0]["url"].split("#")[0])
    back = parse_qs(urlsplit(doc["search_url"]).query)
    assert back == {
        "q": ["payment"],
        "country": ["EU", "BG"],
        "sort": ["newest"],
        "per_page": ["1"],
        "page": ["2"],
    }
    # Moving through the document's pages keeps the way back.
    other = page_context(doc["page_hits"][0]["url"].split("#")[0])
    assert other["search_url"] == doc["search_url"]
    # Whatever else is put there is not a way back: a bad value gives the plain search.
    bad = page_context(f"/documents/{hits[0]['id']}?q=payment&back=sort%3Dnonsense")
    assert bad["search_url"] == "/search?q=payment"


def test_a_result_opens_its_document_at_the_best_page(client, page_context):
    hit = page_context("/search?q=payment+deadline")["hits"][0]
    assert hit["path"] == "en/handbook_en.pdf" and hit["best_page"] == 6
    assert "page=6" in hit["url"]
    html = client.get("/search?q=payment+deadline").get_data(as_text=True)
    assert "Best match on p. 6" in html


def test_every_search_has_an_atom_feed_of_its_newest_documents(client, page_context):
    html = client.get("/search?q=Stara+Zagora&country=BG").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html
    feed_url = page_context("/search?q=Stara+Zagora&country=BG")["feed_url"]
    assert parse_qs(urlsplit(feed_url).query) == {"q": ["Stara Zagora"], "country": ["BG"]}
    response = client.get(feed_url)
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").startswith("http://localhost/")
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert set(titles) == {
        "Доклад за плащанията в Стара Загора",
        "Notes from the Stara Zagora visit",
    }
    for entry in entries:
        for required in ("id", "title", "updated", "link", "summary"):
            assert entry.find(ATOM + required) is not None, required
        assert entry.find(f"{ATOM}id").text.startswith("http://localhost/documents/")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    bulgarian = next(e for e in entries if e.find(f"{ATOM}title").text.startswith("Доклад"))
    assert bulgarian.find(f"{ATOM}title").get("{http://www.w3.org/XML/1998/namespace}lang") == "bg"


def test_year_ranges_in_the_page_and_the_api(client):
    def paths(url):
        return {h["path"] for h in client.get(url).get_json()["hits"]}

    assert paths("/api/search?year=2021-2023") == paths("/api/search?year_from=2021&year_to=2023")
    assert paths("/api/search?year_from=2022") == {"bg/report_bg.pdf", "el/brief_el.pdf"}
    assert paths("/api/search?year=undated") == {"en/notes_en.txt"}
    html = client.get("/search?year=2021-2023").get_data(as_text=True)
    assert 'name="year_from" value="2021"' in html and 'name="year_to" value="2023"' in html
    assert "2021–2023" in html  # the chip that removes the range
    bad = client.get("/api/search?year=2021-2023x")
    assert bad.status_code == 400 and "year" in bad.get_json()["error"]["message"]


def test_a_year_inside_a_chosen_range_is_chosen_alone(page_context):
    facet = page_context("/search?year=2021-2023")["facets"]["year"]
    year = next(v for v in facet if v["value"] == "2022")
    assert year["selected"]
    assert parse_qs(urlsplit(year["toggle_url"]).query) == {"year": ["2022"]}


def test_api_pages_link_to_the_api(client):
    body = client.get("/api/search?per_page=2").get_json()
    assert body["pagination"]["next_url"].startswith("/api/search?")
    response = client.get(body["pagination"]["next_url"])
    assert response.headers["Link"].count("/api/search?") == 2  # prev and next
    assert response.get_json()["page"] == 2


def test_the_document_list_pages_through_every_document_once(client):
    seen, url = [], "/api/documents?per_page=2"
    while url:
        response = client.get(url)
        body = response.get_json()
        seen += [d["path"] for d in body["documents"]]
        if body["next_url"]:
            assert f'<{body["next_url"]}>; rel="next"' in response.headers["Link"]
        url = body["next_url"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 5
    assert client.get("/api/documents?per_page=2&page=2").get_json()["prev_url"] == (
        "/api/documents?page=1&per_page=2"
    )


def test_other_sites_may_not_read_the_api_unless_configured(client, reader_settings):
    origin = {"Origin": "https://front.example.org"}
    assert "Access-Control-Allow-Origin" not in client.get("/api/search", headers=origin).headers
    app = create_app(
        reader_settings.with_(host="127.0.0.1", cors_origins=("https://front.example.org",))
    )
    shared = app.test_client()
    response = shared.get("/api/search?q=payment", headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "https://front.example.org"
    assert "Origin" in response.headers["Vary"]
    preflight = shared.options(
        "/api/documents", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://front.example.org"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    other = shared.get("/api/search", headers={"Origin": "https://elsewhere.example.com"})
    assert "Access-Control-Allow-Origin" not in other.headers
    page = shared.get("/search", headers=origin)  # pages and admin are never shared
    assert "Access-Control-Allow-Origin" not in page.headers
    assert "Access-Control-Allow-Credentials" not in response.headers
    # Nor the administration's JSON twins (before: /api/admin/* was shared too).
    for path in ("/api/admin/runs", "/api/admin/tasks", "/api/admin/audit", "/api/admin/trash"):
        admin = shared.get(path, headers=origin)
        assert "Access-Control-Allow-Origin" not in admin.headers, path
        preflight = shared.options(path, headers={**origin, "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in preflight.headers, path


def test_cors_origins_are_read_from_the_environment():
    from indexer.config import Settings
    from indexer.errors import ConfigError

    settings = Settings.from_env({"KB_CORS_ORIGINS": "https://a.example.org, http://b.test:8080"})
    assert settings.cors_origins == ("https://a.example.org", "http://b.test:8080")
    with pytest.raises(ConfigError, match="KB_CORS_ORIGINS"):
        Settings.from_env({"KB_CORS_ORIGINS": "a.example.org/path"})
