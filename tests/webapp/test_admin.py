import io
import re

import pytest

from tests.factories import TEXTS, make_app, make_pdf


@pytest.fixture
def admin_app(tmp_path):
    return make_app(tmp_path)


def token(client):
    html = client.get("/admin").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_upload_makes_documents_searchable(admin_app, tmp_path):
    client = admin_app.test_client()
    pdf = make_pdf(tmp_path / "доклад_bg.pdf", [TEXTS["bg"], "Втората страница."])
    data = {
        "csrf_token": token(client),
        "files": [
            (io.BytesIO(pdf.read_bytes()), "доклад_bg.pdf"),
            (io.BytesIO(b"nope"), "table.xlsx"),
        ],
        "country": ["BG"],
        "topic": ["competence-centres"],
        "type": "report",
        "year": "2023",
    }
    response = client.post(
        "/admin/upload", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "1 file(s) uploaded" in html and "table.xlsx" in html
    admin_app.extensions["kb_jobs"].wait(120)
    result = client.get("/api/search?q=иновации").get_json()
    assert result["total"] == 1
    hit = result["hits"][0]
    assert hit["country"] == ["BG"] and hit["year"] == 2023 and hit["type"] == "report"
    assert hit["path"].endswith("-доклад_bg.pdf")  # the Cyrillic name survives
    assert admin_app.extensions["kb_jobs"].state.summary["added"] == 1


def test_forms_need_the_csrf_token(admin_app):
    client = admin_app.test_client()
    client.get("/admin")
    assert client.post("/admin/reindex", data={}).status_code == 400
    assert client.post("/admin/reindex", data={"csrf_token": "forged"}).status_code == 400


def test_reindex_runs_in_the_background(admin_app):
    client = admin_app.test_client()
    response = client.post(
        "/admin/reindex", data={"csrf_token": token(client), "full": "1"}, follow_redirects=True
    )
    assert "Indexing" in response.get_data(as_text=True)
    admin_app.extensions["kb_jobs"].wait(60)
    assert admin_app.extensions["kb_jobs"].state.state == "idle"
    assert admin_app.extensions["kb_jobs"].state.runs == 1


def test_admin_is_local_only_without_a_password(admin_app):
    client = admin_app.test_client()
    assert client.get("/admin", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 403
    assert client.get("/admin").status_code == 200


def test_admin_password(tmp_path):
    client = make_app(tmp_path, admin_password="s3cret").test_client()
    assert client.get("/admin").status_code == 401
    ok = client.get("/admin", headers={"Authorization": "Basic " + "YWRtaW46czNjcmV0"})
    assert ok.status_code == 200


def test_upload_without_files_or_with_a_bad_year(admin_app):
    client = admin_app.test_client()
    t = token(client)
    html = client.post("/admin/upload", data={"csrf_token": t}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Choose at least one file" in html
    data = {"csrf_token": t, "year": "22", "files": [(io.BytesIO(b"x"), "a.txt")]}
    html = client.post(
        "/admin/upload", data=data, content_type="multipart/form-data", follow_redirects=True
    ).get_data(as_text=True)
    assert "four digits" in html
