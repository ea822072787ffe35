"""Numbers cross languages as the index has them: an amount grouped with spaces, points or
commas is one unit, the same in every language."""

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/budget_en.txt,The budget,IE,,report,2022,,en,
en/other_en.txt,Another budget,IE,,report,2022,,en,
bg/budget_bg.txt,Бюджетът,BG,,report,2022,,bg,
pt/budget_pt.txt,O orçamento,PT,,report,2022,,pt,
"""
DOCUMENTS = {
    "en/budget_en.txt": "The total budget of the centre was 960,000 euros over three years.",
    "en/other_en.txt": "The budget of the network was 450,000 euros over two years.",
    "bg/budget_bg.txt": "Общият бюджет на центъра е 960 000 евро за три години.",
    "pt/budget_pt.txt": "O orçamento total do centro foi de 960.000 euros em três anos.",
}
ENTRIES = [("budget", "budget /ˈbʌdʒ.ɪt/ <n>\nбюджет\n")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("numbers-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-bul", ENTRIES) as found:
        yield found


def test_an_amount_grouped_with_spaces_is_one_unit_in_every_language(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("бюджет 960 000")
    number = translation.groups[1]
    assert (number.typed, number.kind) == ("960000", "number")
    assert {a.text for alts in number.alternatives.values() for a in alts} == {"960000"}


def test_an_amount_finds_the_documents_that_write_it_otherwise(engine: SearchEngine):
    result = engine.search(SearchRequest(q="бюджет 960 000"))
    found = [h["path"] for h in result["hits"]]
    assert found[0] == "bg/budget_bg.txt"
    # The English report, which writes it "960,000", through the translation; not the one
    # with another amount.
    assert "en/budget_en.txt" in found
    assert "en/other_en.txt" not in found
    english = next(h for h in result["hits"] if h["path"] == "en/budget_en.txt")
    labels = {e["label"] for e in english["why"]["expansions"]}
    assert "бюджет → budget" in labels
