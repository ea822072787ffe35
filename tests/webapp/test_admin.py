import html as html_lib
import io
import re

import pytest

from tests.factories import TEXTS, make_pdf
from tests.knowledge_bases import make_app


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
            (io.BytesIO(b"nope"), "table.xls"),
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
    # What was found in each file is shown before anything is added.
    assert "table.xls" in html and "This kind of file cannot be indexed." in html
    assert ".eml, .htm, .html, .jpeg, .jpg, .markdown, .md, .ods, .odt, .pdf" in html
    assert "2 pages" in html and "Check the files" in html
    html = confirm(client, html).get_data(as_text=True)
    assert "1 file uploaded" in html
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


def confirm(client, preview_html: str):
    """Add every file the preview offers, with the titles it holds."""
    action = re.search(
        r'<form method="post" class="panel preview-form" action="([^"]+)"', preview_html
    )
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', preview_html).group(1),
        "action": "confirm",
        "include": re.findall(r'name="include" value="(\d+)"[^>]* checked', preview_html),
    }
    for n, value in re.findall(r'name="title-(\d+)"[^>]*value="([^"]*)"', preview_html):
        data[f"title-{n}"] = html_lib.unescape(value)
    return client.post(action.group(1), data=data, follow_redirects=True)


def upload(app, client, name: str, content: bytes, **form):
    data = {"csrf_token": token(client), "files": [(io.BytesIO(content), name)], **form}
    response = client.post(
        "/admin/upload", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    response = confirm(client, response.get_data(as_text=True))
    assert "uploaded" in response.get_data(as_text=True)
    app.extensions["kb_jobs"].wait(120)


def test_uploads_keep_their_metadata_whatever_their_titles_hold(admin_app):
    client = admin_app.test_client()
    titles = {"a.txt": "x';'y';'z", "b.txt": 'Notes; "draft", second\tversion', "c.txt": "Plain"}
    for name, title in titles.items():
        text = f"{TEXTS['en']} Upload {name}.".encode()
        upload(admin_app, client, name, text, title=title, country=["IE"], year="2021")
    hits = client.get("/api/search?q=&per_page=10").get_json()["hits"]
    # Kept as given, on one line: the tab (a control character) is a space.
    kept = [t.replace("\t", " ") for t in titles.values()]
    assert sorted(h["title"] for h in hits) == sorted(kept)
    assert all(h["country"] == ["IE"] and h["year"] == 2021 for h in hits)


def test_a_huge_text_upload_is_indexed_up_to_the_limit(tmp_path):
    app = make_app(tmp_path, max_document_chars=50_000)
    client = app.test_client()
    text = "Cooperatives open the report. " + "The centre supports social enterprises. " * 5000
    upload(app, client, "huge.txt", (text + "Closingword ends it.").encode())
    assert client.get("/api/search?q=cooperatives").get_json()["total"] == 1
    assert client.get("/api/search?q=closingword").get_json()["total"] == 0
    doc_id = client.get("/api/search?q=cooperatives").get_json()["hits"][0]["id"]
    document = client.get(f"/api/documents/{doc_id}").get_json()
    assert any("limit of 50,000 characters" in w for w in document["warnings"])


def test_the_admin_page_lists_manifest_problems(admin_app):
    client = admin_app.test_client()
    settings = admin_app.extensions["kb_settings"]
    (settings.corpus / "report.txt").write_text(TEXTS["en"])
    (settings.corpus / "manifest.csv").write_text("path,country\nreport.txt,Atlantis\nold.pdf,IE\n")
    response = client.post(
        "/admin/reindex", data={"csrf_token": token(client)}, follow_redirects=True
    )
    assert response.status_code == 200
    admin_app.extensions["kb_jobs"].wait(120)
    html = client.get("/admin").get_data(as_text=True)
    assert "Problems in manifest.csv" in html
    assert "unknown country “Atlantis”" in html and "old.pdf" in html
    assert "no such file in the folder" in html
    status = client.get("/admin?format=json").get_json()["status"]
    assert status["counts"]["manifest_problems"] == 2


def test_the_admin_page_says_whether_scans_are_read(admin_app):
    from indexer.ingest.extract import ocr

    client = admin_app.test_client()
    html = client.get("/admin").get_data(as_text=True)
    found = client.get("/admin?format=json").get_json()["status"]["ocr"]
    assert "OCR of scans" in html
    if ocr.engine_version() is None:
        assert "Tesseract is not installed" in html and found["install"]
    else:
        assert found["engine"] in html and ", ".join(found["packs"]) in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "English → Bulgarian (and Bulgarian → English read backwards)"),
        ("bg", "Английски → Български (и Български → Английски, четено в обратна посока)"),
        ("el", "Αγγλικά → Βουλγαρικά (και Βουλγαρικά → Αγγλικά, με αντίστροφη ανάγνωση)"),
        ("pt", "Inglês → Búlgaro (e Búlgaro → Inglês, lido no sentido inverso)"),
    ],
)
def test_the_admin_page_says_what_a_missing_dictionary_adds_in_its_language(tmp_path, lang, words):
    """The status says it in English for the command line and its JSON twin; the page, in
    the interface language (it said English in every language before)."""
    empty = tmp_path / "no-dictionaries"
    empty.mkdir()
    client = make_app(tmp_path, dictionaries=empty).test_client()
    html = html_lib.unescape(client.get(f"/admin?lang={lang}").get_data(as_text=True))
    assert words in html and "dict-freedict-eng-bul" in html
    [missing] = [
        m
        for m in client.get("/admin?format=json").get_json()["status"]["dictionaries"]["missing"]
        if m["package"] == "dict-freedict-eng-bul"
    ]
    assert missing == {
        "package": "dict-freedict-eng-bul",
        "from": "en",
        "to": "bg",
        "adds": "English → Bulgarian (and Bulgarian → English read backwards)",
    }


@pytest.mark.parametrize(
    ("lang", "one", "three"),
    [
        ("en", "1 page", "3 pages"),
        ("bg", "1 страница", "3 страници"),
        ("el", "1 σελίδα", "3 σελίδες"),
        ("pt", "1 página", "3 páginas"),
    ],
)
def test_the_check_step_counts_pages_in_the_interface_language(
    admin_app, tmp_path, lang, one, three
):
    client = admin_app.test_client()
    client.get(f"/admin?lang={lang}")
    files = [
        (io.BytesIO(make_pdf(tmp_path / "one.pdf", [TEXTS["en"]]).read_bytes()), "one.pdf"),
        (io.BytesIO(make_pdf(tmp_path / "three.pdf", [TEXTS["pt"]] * 3).read_bytes()), "three.pdf"),
    ]
    response = client.post(
        "/admin/upload",
        data={"csrf_token": token(client), "files": files},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    rows = re.findall(r'<tr class="staged-ok">(.*?)</tr>', response.get_data(as_text=True), re.S)
    found = [re.search(r"<td>\s*([^<·]+?) ·", row).group(1) for row in rows]
    assert found == [one, three]


def test_the_same_file_staged_twice_and_confirmed_twice_is_added_once(admin_app):
    """Before: both confirmations added it, and it was indexed twice."""
    client = admin_app.test_client()
    content = f"{TEXTS['en']} Staged twice.".encode()
    previews = []
    for _ in range(2):  # both staged before either is confirmed: each looks new
        data = {"csrf_token": token(client), "files": [(io.BytesIO(content), "minutes.txt")]}
        response = client.post(
            "/admin/upload", data=data, content_type="multipart/form-data", follow_redirects=True
        )
        previews.append(response.get_data(as_text=True))
    first = confirm(client, previews[0]).get_data(as_text=True)
    assert "1 file uploaded" in first
    second = confirm(client, previews[1]).get_data(as_text=True)
    assert "No file was added" in second and "already in the knowledge base" in second
    admin_app.extensions["kb_jobs"].wait(120)
    hits = client.get("/api/search?q=staged").get_json()["hits"]
    assert len(hits) == 1
    uploads = admin_app.extensions["kb_settings"].uploads_dir
    assert len([p for p in uploads.rglob("*.txt")]) == 1


def _form_values(html: str) -> dict[str, str]:
    return {
        name: html_lib.unescape(value)
        for name, value in re.findall(
            r'<input id="(\w+)" name="\1" type="text"[^>]*value="([^"]*)"', html
        )
    }


def test_the_correction_form_never_offers_an_uploads_storage_path_as_its_work(admin_app):
    client = admin_app.test_client()
    upload(admin_app, client, "budget_en.txt", f"{TEXTS['en']} Budget notes.".encode())
    hit = client.get("/api/search?q=budget").get_json()["hits"][0]
    assert "/" in hit["path"]  # stored under a month folder and a prefix of its own
    html = client.get(f"/admin/documents/{hit['id']}/edit").get_data(as_text=True)
    values = _form_values(html)
    assert values["work"] == "" and values["title"]
    assert not any(hit["path"].split("-")[0] in v for v in values.values())
    # Saving the form as it is changes nothing; a work typed in is a correction.
    form = {"csrf_token": token(client), **values}
    saved = client.post(f"/admin/documents/{hit['id']}/edit", data=form, follow_redirects=True)
    assert "Nothing was changed." in saved.get_data(as_text=True)
    form["work"] = "annual-budget"
    client.post(f"/admin/documents/{hit['id']}/edit", data=form)
    html = client.get(f"/admin/documents/{hit['id']}/edit").get_data(as_text=True)
    assert _form_values(html)["work"] == "annual-budget"
