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
