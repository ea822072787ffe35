"""A typed-language document that has the typed words together leads: a complete translated
match is lifted above typed-language documents only when none says the query as typed."""

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/kiln_en.txt,News,IE,,news,2022,,en,
en/kilns_en.txt,News,IE,,news,2022,,en,
el/kiln_el.txt,Νέα,GR,,news,2022,,el,
en/garden_en.txt,The school garden,IE,,news,2021,,en,
el/garden_el.txt,Ο σχολικός κήπος,GR,,news,2021,,el,
"""
FILLER = " ".join(["The council discussed the budget and the plan for next year."] * 5)
KILNS = " ".join(["Kiln after kiln."] * 14)
DOCUMENTS = {
    # The typed words in one passage, once each (a sentence apart: not close enough for the
    # proximity bonus).
    "en/kiln_en.txt": (
        "The pottery kiln was repaired by the volunteers of the village after the winter floods."
        " Since then the old workshop opens on Saturdays."
    ),
    # One of them often, the other pages away: by the words alone the strongest on "kiln".
    "en/kilns_en.txt": f"{KILNS} {FILLER} A workshop.",
    # The whole query in Greek, in one sentence.
    "el/kiln_el.txt": "Το καμίνι του εργαστηρίου.",
    "en/garden_en.txt": "The school garden grows vegetables for the canteen.",
    "el/garden_el.txt": "Ο σχολικός κήπος καλλιεργεί λαχανικά για την καντίνα.",
}


ENTRIES = [
    ("kiln", "kiln /kɪln/ <n>\nκαμίνι\n"),
    ("workshop", "workshop /ˈwɜːk.ʃɒp/ <n>\nεργαστήριο\n"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("said-as-typed-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-ell", ENTRIES) as found:
        yield found


def test_the_query_said_as_typed_comes_before_its_complete_translation(engine: SearchEngine):
    result = engine.search(SearchRequest(q="kiln workshop"))
    found = [h["path"] for h in result["hits"]]
    assert result["fallback"] is None
    assert found[:2] == ["en/kiln_en.txt", "el/kiln_el.txt"]
