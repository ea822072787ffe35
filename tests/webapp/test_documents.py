import re


def first_id(client, q):
    return client.get(f"/api/search?q={q}").get_json()["hits"][0]["id"]


def test_document_page_shows_metadata_sources_hits_and_page_text(client):
    doc = first_id(client, "investors")
    html = client.get(f"/documents/{doc}?q=outcome").get_data(as_text=True)
    assert "Payment by Results in Social Services" in html
    assert "from the manifest" in html
    assert "Where “outcome” appears" in html
    assert re.search(r"p\. 1 <small>\(\d+\)</small>", html)
    assert "Page 1 of 3" in html
    assert "<mark>" in html
    assert "Also in:" in html and ">BG<" in html
    assert f'href="/documents/{doc}/file"' in html


def test_document_page_at_a_chosen_page(client):
    doc = first_id(client, "investors")
    html = client.get(f"/documents/{doc}?q=investors&page=3").get_data(as_text=True)
    assert "Page 3 of 3" in html and "<mark>Investors</mark>" in html
    assert client.get(f"/documents/{doc}?page=9").status_code == 404  # no such page
    assert client.get(f"/documents/{doc}?page=x").status_code == 400


def test_inferred_values_show_their_evidence(client, page_context):
    doc = first_id(client, "Λευκωσία")
    data = client.get(f"/api/documents/{doc}").get_json()
    assert data["metadata"]["country"]["source"] == "manifest"
    assert data["metadata"]["title"]["source"] == "manifest"
    assert "labels" not in data and data["page"]["number"] == 1  # the page's, not the data's
    assert page_context(f"/documents/{doc}")["labels"]["country"] == ["Cyprus"]


def test_download_serves_only_indexed_files(client, kb_settings):
    doc = first_id(client, "investors")
    response = client.get(f"/documents/{doc}/file")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    docx = first_id(client, "Dublin")
    assert "attachment" in client.get(f"/documents/{docx}/file").headers["Content-Disposition"]
    assert client.get("/documents/../../etc/passwd/file").status_code == 404
    assert client.get("/documents/000000000000/file").status_code == 404


def test_unknown_document_is_404_not_500(client):
    response = client.get("/documents/nothing-here")
    assert response.status_code == 404
    assert "no such document" in response.get_data(as_text=True)
    assert client.get("/api/documents/nothing-here").get_json()["error"]["code"] == "not_found"


def test_no_server_path_leaks(client, kb_settings):
    doc = first_id(client, "investors")
    for url in (
        f"/documents/{doc}",
        f"/api/documents/{doc}",
        "/api/search?q=results",
        "/api/documents",
        "/search?q=results",
    ):
        assert str(kb_settings.corpus) not in client.get(url).get_data(as_text=True), url
