"""The check step of an upload: what was inferred from each file, with the words it came from,
editable with the correction form's rules before the files are added."""

import io
import re

import docx

from tests.knowledge_bases import make_app


def token(client):
    html = client.get("/admin").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def protocol_docx() -> bytes:
    """A Bulgarian protocol made from python-docx's template (created 2013, as the template
    says) that names Габрово and its own date."""
    document = docx.Document()
    document.add_heading("ПРОТОКОЛ от заседание на работната група", level=0)
    document.add_paragraph("Габрово, 14 март 2023 г.")
    document.add_paragraph(
        "Присъстваха: представители на Община Габрово и на три социални предприятия. "
        "Работната група обсъди подкрепата за социалните предприятия в общината."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def stage(client, name: str, content: bytes):
    data = {"csrf_token": token(client), "files": [(io.BytesIO(content), name)]}
    return client.post(
        "/admin/upload?format=json", data=data, content_type="multipart/form-data"
    ).get_json()


def test_check_step_shows_each_inferred_value_with_its_evidence(tmp_path):
    client = make_app(tmp_path).test_client()
    staged = stage(client, "meeting notes.docx", protocol_docx())
    fields = {f["name"]: f for f in staged["files"][0]["fields"]}
    assert set(fields) == {
        "title",
        "year",
        "country",
        "type",
        "topic",
        "language",
        "organisation",
        "place",
    }
    assert fields["title"]["value"] == "ПРОТОКОЛ от заседание на работната група"
    assert fields["year"]["value"] == "2023"  # not the template's 2013
    assert any("14 март 2023" in e for e in fields["year"]["evidence"])
    assert fields["country"]["value"] == "BG"
    assert any("Габрово" in e for e in fields["country"]["evidence"])
    assert fields["type"]["value"] == "minutes"
    assert fields["language"]["value"] == "bg"
    assert "Община Габрово" in fields["organisation"]["value"]
    assert fields["place"]["value"] == "Gabrovo"
    page = client.get(f"/admin/upload/{staged['token']}").get_data(as_text=True)
    assert 'name="f-0-year"' in page and 'value="2023"' in page
    assert 'name="f-0-country" value="BG" checked' in page


def confirm(client, staged, **changes):
    n = staged["files"][0]["n"]
    data = {"csrf_token": token(client), "action": "confirm", "include": [str(n)]}
    for f in staged["files"][0]["fields"]:
        key = f"title-{n}" if f["name"] == "title" else f"f-{n}-{f['name']}"
        data[key] = (
            [v for v in f["value"].split("; ")] if f["name"] in ("country", "topic") else f["value"]
        )
    data.update({(f"title-{n}" if k == "title" else f"f-{n}-{k}"): v for k, v in changes.items()})
    return client.post(f"/admin/upload/{staged['token']}", data=data, follow_redirects=True)


def test_changed_values_are_kept_and_the_others_inferred_again(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    staged = stage(client, "meeting notes.docx", protocol_docx())
    response = confirm(client, staged, year="2022", type="report")
    assert "uploaded" in response.get_data(as_text=True)
    app.extensions["kb_jobs"].wait(120)
    hit = client.get("/api/search?q=&per_page=5").get_json()["hits"][0]
    assert (hit["year"], hit["type"], hit["country"]) == (2022, "report", ["BG"])
    assert hit["title"] == "ПРОТОКОЛ от заседание на работната група"
    assert hit["place"] == ["Gabrovo"]
    document = client.get(f"/api/documents/{hit['id']}").get_json()
    assert document["metadata"]["year"]["source"] == "manifest"
    assert document["metadata"]["country"]["source"] == "inferred"
    assert not re.match(r"[0-9a-f]{8}", document["title"])


def test_a_wrong_value_is_refused_with_the_reason_and_nothing_is_added(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    staged = stage(client, "notes.docx", protocol_docx())
    response = confirm(client, staged, year="someday", country=["Atlantis"])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is not a year" in html and 'value="someday"' in html
    assert client.get("/api/search?q=").get_json()["total"] == 0


def test_an_untitled_upload_is_titled_by_its_name_without_the_storage_prefix(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    text = ("12 34 56 78 90 " * 3 + "\n" + "notes about the partners and the plans " * 12).encode()
    staged = stage(client, "meeting_notes.txt", text)
    assert staged["files"][0]["fields"][0]["value"] == "Meeting notes"
    confirm(client, staged)
    app.extensions["kb_jobs"].wait(120)
    assert client.get("/api/search?q=").get_json()["hits"][0]["title"] == "Meeting notes"
