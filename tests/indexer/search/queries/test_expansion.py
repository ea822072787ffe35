"""A query's channel in another language finds the documents that have all but one of its
translated units: a word the other language leaves out ("young people" is "jovens") or
words otherwise does not hide the document that says the rest."""

import pytest
from whoosh import query as wq

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/line_en.txt,The line,IE,,report,2022,,en,
pt/line_pt.txt,A linha,PT,,report,2022,,pt,
pt/people_pt.txt,As pessoas,PT,,report,2022,,pt,
"""
DOCUMENTS = {
    "en/line_en.txt": "Young people with anxiety call the night line of the centre.",
    "pt/line_pt.txt": "A linha noturna recebe chamadas de jovens com ansiedade.",
    "pt/people_pt.txt": "As pessoas da cidade visitam o mercado ao sábado.",
}
ENTRIES = [
    ("young", "young /jʌŋ/ <adj>\njovem\n"),
    ("people", "people /ˈpiːpl/ <n>\npessoas\n"),
    ("anxiety", "anxiety /æŋˈzaɪəti/ <n>\nansiedade\n"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("expansion-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-por", ENTRIES) as found:
        yield found


def test_a_document_with_all_but_one_translated_unit_is_found(engine: SearchEngine):
    result = engine.search(SearchRequest(q="young people with anxiety"))
    found = [h["path"] for h in result["hits"]]
    assert found[0] == "en/line_en.txt"
    assert "pt/line_pt.txt" in found
    # One unit of three is no match.
    assert "pt/people_pt.txt" not in found


def test_a_channel_of_two_units_needs_both(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build("young people")
    assert isinstance(parsed.expanded["pt"], wq.And)
    result = engine.search(SearchRequest(q="young people"))
    assert "pt/people_pt.txt" not in [h["path"] for h in result["hits"]]
