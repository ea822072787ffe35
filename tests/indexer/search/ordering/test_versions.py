"""Other-language versions of a report behind the report itself, also when the reader gets
"any word": of one report, the version in the reader's language is the better answer."""

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/weaving_en.txt,Annual report,PT,,report,2023,,en,weaving
el/weaving_el.txt,Ετήσια έκθεση,PT,,report,2023,,el,weaving
en/looms_en.txt,News,PT,,news,2022,,en,
en/weavers_en.txt,News,PT,,news,2022,,en,
en/garden_en.txt,The school garden,IE,,news,2021,,en,
el/garden_el.txt,Ο σχολικός κήπος,GR,,news,2021,,el,
"""
DOCUMENTS = {
    # The report has two of the three typed words, once each; no document has the third.
    "en/weaving_en.txt": "The loom room trains weavers.",
    # Its Greek version has the whole query, translated, in one sentence.
    "el/weaving_el.txt": "Ο συνεταιρισμός έχει έναν αργαλειό και εκπαιδεύει υφαντές.",
    # Each typed word elsewhere too.
    "en/looms_en.txt": "An old loom.",
    "en/weavers_en.txt": "Weavers met.",
    "en/garden_en.txt": "The school garden grows vegetables for the canteen.",
    "el/garden_el.txt": "Ο σχολικός κήπος καλλιεργεί λαχανικά για την καντίνα.",
}


ENTRIES = [
    ("loom", "loom /luːm/ <n>\nαργαλειός\n"),
    ("weaver", "weaver /ˈwiː.vər/ <n>\nυφαντής\n"),
    ("cooperative", "cooperative /kəʊˈɒp.ər.ə.tɪv/ <n>\nσυνεταιρισμός\n"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("versions-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-ell", ENTRIES) as found:
        yield found


def test_a_version_stays_behind_its_report_when_the_reader_gets_any_word(engine: SearchEngine):
    result = engine.search(SearchRequest(q="loom weavers cooperative"))
    found = [h["path"] for h in result["hits"]]
    # No document has every typed word, and the report has most of them.
    assert result["fallback"] is not None
    assert found.index("en/weaving_en.txt") < found.index("el/weaving_el.txt")
    # The version is still found, through its translation, and says so.
    greek = next(h for h in result["hits"] if h["path"] == "el/weaving_el.txt")
    labels = {e["label"] for e in greek["why"]["expansions"]}
    assert "cooperative → συνεταιρισμός" in labels
