"""Places as a facet: counted, filterable by URL parameter and on the command line, in the JSON
twin and the OpenAPI document."""

import json
import os
import subprocess
import sys

from tests.factories import make_text
from tests.knowledge_bases import make_app


def test_places_are_counted_filtered_and_described(tmp_path):
    docs = tmp_path / "docs"
    make_text(docs / "a.txt", "Протокол\n\nГаброво, 14 март 2023 г.\n\nЗаседание в Габрово.")
    make_text(docs / "b.txt", "Minutes\n\nCork, 9 February 2023\n\nThe group met in Cork.")
    make_text(docs / "c.txt", "Ata\n\nBraga, 3 de maio de 2021\n\nReunião em Braga.")
    app = make_app(tmp_path)
    app.extensions["kb_jobs"].start()
    app.extensions["kb_jobs"].wait(120)
    client = app.test_client()
    result = client.get("/api/search?q=").get_json()
    places = {v["value"]: v["count"] for v in result["facets"]["place"]}
    assert places == {"Gabrovo": 1, "Cork": 1, "Braga": 1}
    narrowed = client.get("/api/search?q=&place=Cork&place=Braga").get_json()
    assert sorted(h["place"][0] for h in narrowed["hits"]) == ["Braga", "Cork"]
    page = client.get("/search?q=&place=Gabrovo").get_data(as_text=True)
    assert "Place" in page and "Gabrovo" in page
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert "place" in params
    assert "place" in spec["components"]["schemas"]["DocumentSummary"]["properties"]

    env = {**os.environ, "KB_HOME": str(tmp_path / "home"), "KB_CORPUS": str(docs)}
    out = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "search", "--place", "Gabrovo", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert [h["place"] for h in json.loads(out)["hits"]] == [["Gabrovo"]]
