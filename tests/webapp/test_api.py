"""The JSON API against its own OpenAPI description, response by response."""

import jsonschema
import pytest


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def validate(spec, instance, ref):
    schema = {"$ref": ref, "components": spec["components"]}
    jsonschema.validate(instance, schema, cls=jsonschema.Draft202012Validator)


def test_openapi_document_describes_every_endpoint(spec):
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) >= {
        "/api/search",
        "/api/documents",
        "/api/documents/{id}",
        "/api/documents/{id}/pages/{number}",
        "/api/facets",
        "/healthz",
    }
    search_params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert search_params >= {
        "q",
        "country",
        "topic",
        "language",
        "type",
        "year",
        "sort",
        "page",
        "per_page",
    }
    jsonschema.Draft202012Validator.check_schema(spec["components"]["schemas"]["SearchResult"])


@pytest.mark.parametrize(
    "query",
    [
        "q=results",
        "q=&country=BG&country=CY",
        "q=плащане",
        "q=ESF%2B&sort=newest",
        "q=zzzz",
        "page=2&per_page=2",
    ],
)
def test_search_responses_match_the_schema(client, spec, query):
    data = client.get(f"/api/search?{query}").get_json()
    validate(spec, data, "#/components/schemas/SearchResult")
    for hit in data["hits"]:
        validate(spec, hit, "#/components/schemas/Hit")
    for values in data["facets"].values():
        for value in values:
            validate(spec, value, "#/components/schemas/FacetValue")


def test_every_answer_has_exactly_its_declared_keys(client, spec):
    """The schemas are closed: a key an answer holds and its shape does not declare fails (the
    test once validated only the keys it knew of, and an undeclared one passed)."""
    schemas = spec["components"]["schemas"]
    assert all(schema["additionalProperties"] is False for schema in schemas.values())
    pdf = next(
        d for d in client.get("/api/documents").get_json()["documents"] if d["format"] == "pdf"
    )
    answers = {
        "/api/search?q=payment&country=EU": "SearchResult",
        "/api/search?q=results+zzzz&mode=any": "SearchResult",
        "/api/search?q=paymant": "SearchResult",
        "/api/documents?per_page=2": "DocumentList",
        f"/api/documents/{pdf['id']}?q=payment": "DocumentPage",
        f"/api/documents/{pdf['id']}?page=2": "DocumentPage",
        f"/api/documents/{pdf['id']}/pages/1?q=payment": "PageView",
        "/api/facets": "Facets",
        "/api/suggest?q=pay": "Suggestions",
        "/healthz": "Health",
        "/api/search?per_page=1000": "Error",
        "/api/documents/none": "Error",
    }
    for url, shape in answers.items():
        validate(spec, client.get(url).get_json(), f"#/components/schemas/{shape}")
    # An answer with one key more than its shape declares does not pass.
    answer = client.get("/api/facets").get_json()
    with pytest.raises(jsonschema.ValidationError, match="surprise"):
        validate(spec, {**answer, "surprise": 1}, "#/components/schemas/Facets")
    # Objects inside answers are closed too: a page's way to the pages around it.
    view = client.get(f"/api/documents/{pdf['id']}/pages/1?q=payment").get_json()
    with pytest.raises(jsonschema.ValidationError, match="surprise"):
        view["page_nav"]["surprise"] = 1
        validate(spec, view, "#/components/schemas/PageView")


def test_requests_outside_the_declared_limits_are_refused_and_inside_answered(client, spec):
    """Before: per_page above its maximum gave 1,000 rows, page=0 and a lang outside its enum
    were accepted, and year_from=0 or a page past a document's end (both allowed by the
    description) were refused with 400."""
    refused = [
        "/api/documents?per_page=1001",
        "/api/documents?page=0",
        "/api/documents?per_page=x",
        "/api/facets?lang=xx",
        "/api/search?lang=AAA",
        "/api/search?page=1001",
        "/api/search?year_from=0",
        "/api/search?year_to=99999",
        "/api/search?year=21",
        "/api/search?expand=true",
        "/api/search?mode=",
        "/api/search?sort=relevance&sort=title",
    ]
    for url in refused:
        response = client.get(url)
        assert response.status_code == 400, url
        validate(spec, response.get_json(), "#/components/schemas/Error")
    doc = client.get("/api/documents").get_json()["documents"][0]["id"]
    answered = {
        "/api/documents?per_page=1000": 200,
        "/api/search?year_from=1000&year_to=9999": 200,
        "/api/search?year_from=2023&year_to=2021": 200,
        "/api/search?year=2023-2021": 200,
        "/api/search?page=1000&per_page=100": 200,
        "/api/facets?lang=el": 200,
        f"/api/documents/{doc}?page=999": 404,
    }
    for url, status in answered.items():
        assert client.get(url).status_code == status, url
    reversed_range = client.get("/api/search?year=2023-2021").get_json()
    assert reversed_range["total"] == client.get("/api/search?year=2021-2023").get_json()["total"]


def test_a_method_an_address_does_not_take_is_a_405_that_says_which_it_does(client):
    for url in ("/api/search", "/api/facets", "/healthz", "/api/documents"):
        for method in ("POST", "PUT", "DELETE", "PATCH", "TRACE"):
            response = client.open(url, method=method)
            assert response.status_code == 405, (method, url)
            assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
            assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_the_json_answers_hold_the_contracts_keys_and_not_the_pages(client, page_context):
    """The JSON twins give a page's data, not what only the page shows beside it: each answer's
    keys are exactly its shape's (all required ones, no other), after the page was shown for
    the same request (the page's labels and links are added to copies, never to the engine's
    answer that the API then returns)."""
    from indexer.search.contract import (
        DocumentPage,
        FacetValue,
        Hit,
        SearchResult,
        fields,
        required,
    )

    def exactly(answer, shape):
        assert set(required(shape)) <= set(answer) <= set(fields(shape)), shape.__name__

    pdf = next(
        d for d in client.get("/api/documents").get_json()["documents"] if d["format"] == "pdf"
    )
    for query in ("q=payment&country=EU", "q=paymant", "q=results+zzzz", "q=payment&sort=title"):
        page = client.get(f"/search?{query}")
        assert page.status_code == 200
        answer = client.get(f"/api/search?{query}").get_json()
        exactly(answer, SearchResult)
        assert not {"chips", "sorts", "year_form", "params", "export", "clear_url"} & set(answer)
        assert not {"feed_url", "follow_url", "suggestion_url", "as_typed_url"} & set(answer)
        for hit in answer["hits"]:
            exactly(hit, Hit)
            assert not {"labels", "url", "file_url", "thumbnail", "more_pages"} & set(hit)
            assert all(set(s) == {"page", "html", "language"} for s in hit["snippets"])
        for values in answer["facets"].values():
            for value in values:
                exactly(value, FacetValue)
        for item in answer["advice"]:
            assert set(item) == {"kind", "words", "languages", "found"}
    home = page_context("/")  # the home page links each facet value and its newest documents
    assert all("url" in v for values in home["facets"].values() for v in values)
    assert all("url" in hit and "labels" in hit for hit in home["latest"])
    twin = client.get("/?format=json").get_json()
    for answer in (client.get("/api/facets").get_json(), twin):
        for values in answer["facets"].values():
            for value in values:
                exactly(value, FacetValue)
    assert twin["latest"] and all(exactly(hit, Hit) is None for hit in twin["latest"])
    address = f"/documents/{pdf['id']}?q=payment&page=2"
    assert client.get(address).status_code == 200
    doc = client.get("/api" + address).get_json()
    exactly(doc, DocumentPage)
    assert not {"labels", "page_nav", "file_url", "search_url", "q"} & set(doc)
    assert set(doc["page"]) == {"number", "text", "language", "html"}
    assert all("url" not in v and "label" not in v for v in doc["versions"] + doc["related"])
    assert all(set(h) == {"page", "hits"} for h in doc["page_hits"])


def test_the_pages_still_show_their_labels_and_links(client):
    html = client.get("/search?q=payment&country=EU").get_data(as_text=True)
    assert "/documents/" in html and "country=EU" in html  # hits' links, the chip's link


def test_search_contract_shape(client):
    data = client.get("/api/search?q=payment&per_page=1").get_json()
    assert data["query"] == "payment" and data["per_page"] == 1 and data["page"] == 1
    assert isinstance(data["took_ms"], float)
    assert set(data["facets"]) >= {"country", "topic", "language", "type", "year"}
    hit = data["hits"][0]
    assert isinstance(hit["pages"], list) and all(isinstance(p, int) for p in hit["pages"])
    assert all(set(s) >= {"page", "html"} for s in hit["snippets"])


def test_errors_are_json_with_4xx(client, spec):
    for url, status in [
        ("/api/search?per_page=101", 400),
        ("/api/search?page=0", 400),
        ("/api/search?q=*x", 400),
        ("/api/documents/none", 404),
        ("/api/search?sort=random", 400),
        ("/api/nothing", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        validate(spec, response.get_json(), "#/components/schemas/Error")


def test_documents_list_and_one_document(client):
    listing = client.get("/api/documents").get_json()
    assert listing["total"] == 6 and len(listing["documents"]) == 6
    doc = listing["documents"][0]
    assert set(doc) >= {
        "id",
        "path",
        "title",
        "language",
        "languages",
        "country",
        "topic",
        "type",
        "year",
    }
    one = client.get(f"/api/documents/{doc['id']}?q=the").get_json()
    assert one["id"] == doc["id"] and "metadata" in one and "page" in one
    assert client.get("/api/documents?per_page=2&page=3").get_json()["documents"]


def test_facets_and_health(client):
    facets = client.get("/api/facets?lang=pt").get_json()["facets"]
    labels = {v["value"]: v["label"] for v in facets["country"]}
    assert labels["BG"] == "Bulgária"
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["documents"] == 6


def test_no_public_response_shows_the_servers_folders(client, kb_settings):
    doc = client.get("/api/documents").get_json()["documents"][0]
    responses = [
        client.get(url).get_data(as_text=True)
        for url in (
            "/healthz",
            "/api/search?q=investors",
            "/api/facets",
            "/api/documents",
            f"/api/documents/{doc['id']}",
            "/search?q=investors",
            f"/documents/{doc['id']}",
            "/search/export.csv?q=investors",
            "/search/export.json?q=investors",
        )
    ]
    folders = {str(kb_settings.home), str(kb_settings.corpus), str(kb_settings.corpus.parent)}
    for body in responses:
        assert not any(folder in body for folder in folders)


def test_health_says_only_up_or_down_counts_and_version(tmp_path):
    """Public: no failure reasons, no paths, no run details (they stay in kb status/admin)."""
    from indexer.config import Settings
    from indexer.ingest.run import run_index
    from tests.factories import TEXTS, encrypt_pdf, make_pdf, make_text
    from webapp import create_app

    docs = tmp_path / "docs"
    make_text(docs / "note.txt", TEXTS["en"])
    plain = make_pdf(tmp_path / "plain.pdf", [TEXTS["en"]])
    encrypt_pdf(plain, docs / "secret-budget-plan.pdf", user_password="pw")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1)
    run_index(settings)
    client = create_app(settings).test_client()
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200
    assert set(body) == {"status", "documents", "failed", "index_version"}
    assert body["status"] == "ok" and body["documents"] == 1 and body["failed"] == 2
    assert body["index_version"].startswith("ix-")
    text = response.get_data(as_text=True)
    for secret in ("secret-budget-plan", "broken", "password", str(tmp_path)):
        assert secret not in text
    run_index(settings, full=True)  # a new index: a new version
    assert client.get("/healthz").get_json()["index_version"] != body["index_version"]


def test_health_is_down_when_the_catalog_is_unreadable(tmp_path):
    from indexer.config import Settings
    from webapp import create_app

    home = tmp_path / "home"
    home.mkdir()
    (home / "catalog.sqlite3").write_bytes(b"this is not a database" * 100)
    response = create_app(Settings(home=home, corpus=tmp_path)).test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "down"}


def test_health_is_up_while_a_first_run_has_made_the_catalog_but_not_its_tables(tmp_path):
    """The first run creates the catalog's file a moment before its tables: a check in
    between finds nothing indexed yet, not a broken server."""
    import sqlite3

    from indexer.config import Settings
    from webapp import create_app

    home = tmp_path / "home"
    home.mkdir()
    sqlite3.connect(home / "catalog.sqlite3").close()
    assert (home / "catalog.sqlite3").exists()
    response = create_app(Settings(home=home, corpus=tmp_path)).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "empty"


def test_an_index_in_an_earlier_layout_is_a_clear_503_until_a_run_rebuilds_it(tmp_path):
    """After an upgrade that changed the index's layout: no 500 and no wrong results — pages,
    the API and the health check say so, in the reader's language, until `kb index` runs."""
    from indexer import run_index
    from indexer.config import Settings
    from indexer.store import index as store
    from tests.factories import TEXTS, make_text
    from webapp import create_app

    docs = tmp_path / "docs"
    make_text(docs / "note.txt", TEXTS["en"])
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1)
    run_index(settings)
    (store.current_dir(settings) / "kb-schema-version").write_text("4", "utf-8")
    client = create_app(settings).test_client()

    api = client.get("/api/search?q=centre")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "index_outdated"
    assert "kb index" in api.get_json()["error"]["message"]
    page = client.get("/search?q=centre&lang=pt")
    assert page.status_code == 503 and "kb index" in page.get_data(as_text=True)
    assert "versão anterior" in page.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json() == {"status": "outdated"}

    run_index(settings)
    assert client.get("/api/search?q=centre").get_json()["total"] == 1
    assert client.get("/healthz").get_json()["status"] == "ok"
