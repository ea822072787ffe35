"""Atom feeds stay well-formed XML whatever the documents' values and the query hold, and values
typed by editors are kept without control characters."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, make_pdf, make_text
from webapp import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
#: Every C0 control character but tab and the line breaks, DEL, a C1 control and U+FFFE.
CONTROLS = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f\x85\ufffe"
_ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe]")


def _token(client) -> str:
    html = client.get("/admin").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_control_characters_in_any_field_never_break_a_feed(tmp_path):
    docs = tmp_path / "docs"
    # From the manifest: title, organisation, type; from the file itself: a PDF's own title.
    make_text(docs / "notes.txt", TEXTS["en"])
    make_pdf(docs / "report.pdf", [TEXTS["en"]], title=f"Embedded\x01title\x1f{CONTROLS}")
    make_text(
        docs / "manifest.csv",
        "path,title,organisation,type,country\n"
        f'notes.txt,"Notes\x0bof the\x02 assembly{CONTROLS}","Coop\x07 Union\x1b",report\x08,BG\n',
    )
    settings = Settings(home=tmp_path / "home", corpus=docs, workers=1, host="127.0.0.1")
    assert run_index(settings).failed == 0
    app = create_app(settings)
    client = app.test_client()

    with Catalog(settings.catalog_path) as catalog:
        for file in catalog.files(status="indexed"):
            for field in ("title", "organisation", "type"):
                assert not _ANY_CONTROL.search(str(file.value(field))), (file.path, field)
    notes = client.get("/api/search?q=notes+assembly").get_json()["hits"][0]
    assert notes["title"] == "Notes of the assembly"
    assert notes["organisation"] == ["Coop Union"]

    # A correction with control characters is kept without them.
    answer = client.post(
        f"/admin/documents/{notes['id']}/edit?format=json",
        data={"csrf_token": _token(client), "title": f"Minutes\x03 of the\x1e assembly{CONTROLS}"},
    )
    assert answer.status_code == 200
    assert client.get(f"/api/documents/{notes['id']}").get_json()["title"] == (
        "Minutes of the assembly"
    )

    # The query and the filters reach the feed's title: still well-formed.
    for query in ("", f"assembly{CONTROLS}", "\x00a", f"q\x1f\x0b{CONTROLS}"):
        for params in (
            {"q": query},
            {"q": query, "organisation": f"Coop Union{CONTROLS}"},
            {"q": query, "type": f"report\x08{CONTROLS}"},
        ):
            response = client.get("/search/feed.atom", query_string=params)
            if response.status_code == 400:  # a query that cannot be understood says so
                continue
            assert response.status_code == 200, params
            feed = ET.fromstring(response.data)  # raises on XML that is not well-formed
            assert not _ANY_CONTROL.search(response.data.decode("utf-8"))
    feed = ET.fromstring(client.get("/search/feed.atom").data)
    titles = {e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}
    assert "Minutes of the assembly" in titles
    assert any(t.startswith("Embedded") for t in titles)
