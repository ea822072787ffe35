"""A currency's name is a unit of its own, in every language its name there and its code: an
amount in euros is found however a report writes the currency."""

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.translation.currencies import currency
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/code_en.txt,The grant,IE,,report,2022,,en,
en/sign_en.txt,The pilot,IE,,report,2022,,en,
en/words_en.txt,The award,IE,,report,2022,,en,
en/pounds_en.txt,The other pilot,IE,,report,2022,,en,
bg/grant_bg.txt,Помощта,BG,,report,2022,,bg,
"""
DOCUMENTS = {
    "en/code_en.txt": "The grant was EUR 40,000 for the pilot.",
    "en/sign_en.txt": "The pilot cost €40,000 in its first year.",
    "en/words_en.txt": "The pilot received 40,000 euros from the region.",
    "en/pounds_en.txt": "The other pilot cost 40,000 pounds in its first year.",
    "bg/grant_bg.txt": "Безвъзмездната помощ за пилотния проект е 40 000 евро.",
}
ENTRIES = [("grant", "grant /ɡɹɑːnt/ <n>\nпомощ\n")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("currencies-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-bul", ENTRIES) as found:
        yield found


def test_a_currency_is_known_by_its_name_in_any_language_and_by_its_code():
    assert {currency(w) for w in ("евро", "Euros", "ευρώ", "EUR", "eur")} == {"eur"}
    assert currency("лева") == "bgn"
    assert currency("leva") is None  # a Portuguese verb, not the currency
    assert currency("budget") is None


def test_a_currency_crosses_as_its_name_and_code(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("40 000 евро")
    unit = translation.groups[1]
    assert (unit.typed, unit.kind) == ("евро", "currency")
    assert [a.text for a in unit.alternatives["en"]] == ["euro", "eur"]
    assert [a.text for a in unit.alternatives["el"]] == ["ευρώ", "eur"]


def test_an_amount_in_euros_finds_every_way_of_writing_the_currency(engine: SearchEngine):
    result = engine.search(SearchRequest(q="40 000 евро"))
    found = [h["path"] for h in result["hits"]]
    assert found[0] == "bg/grant_bg.txt"
    for path in ("en/code_en.txt", "en/sign_en.txt", "en/words_en.txt"):
        assert path in found
    # The same amount in another currency is another amount.
    assert "en/pounds_en.txt" not in found
    words = next(h for h in result["hits"] if h["path"] == "en/words_en.txt")
    assert "евро → euro" in {e["label"] for e in words["why"]["expansions"]}
