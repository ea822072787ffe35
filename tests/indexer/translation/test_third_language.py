"""Words the dictionaries joining two languages lack, translated by way of a third language:
the dictionary reader's route, the weaker weight of such a translation, and what a hit says
about the route that found it."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.translation.freedict import Dictionaries
from indexer.translation.structured import THROUGH_WEIGHT
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
pt/edificio_pt.txt,Obras na cidade,PT,,news,2023,,pt,
pt/mercado_pt.txt,O mercado da vila,PT,,news,2023,,pt,
en/hall_en.txt,The town hall,IE,,news,2023,,en,
el/agora_el.txt,Η αγορά,CY,,news,2023,,el,
"""
DOCUMENTS = {
    "pt/edificio_pt.txt": "A câmara renovou o edifício da escola e o mercado coberto.",
    "pt/mercado_pt.txt": "O mercado da vila abre aos sábados com produtos da região.",
    "en/hall_en.txt": "The council renovated the building of the old school.",
    "el/agora_el.txt": "Το κτίριο της αγορά άνοιξε ξανά μετά τις εργασίες.",
}


def dictionaries(folder: Path) -> Path:
    """Greek → English and English → Portuguese know "κτίριο"'s way; Greek → Portuguese has
    only "αγορά" (market), as the smaller editions lack many words."""
    write_dictd(folder, "ell-eng", [("κτίριο", "κτίριο /k/ <n>\nbuilding\n")])
    write_dictd(folder, "eng-por", [("building", "building /b/ <n>\nedifício\n")])
    write_dictd(folder, "ell-por", [("αγορά", "αγορά /a/ <n>\nmercado\n")])
    write_dictd(folder, "eng-bul", [("building", "building /b/ <n>\nсграда\n")])
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("third-language")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def test_a_word_the_direct_dictionary_lacks_is_read_by_way_of_a_third_language(
    tmp_path: Path,
):
    found = Dictionaries(dictionaries(tmp_path / "dictd"))
    assert found.translate("κτίριο", "el", "pt") == []  # the direct pair lacks it
    through = found.through("κτίριο", "el", "pt")
    assert [(c.text, c.through, c.via) for c in through] == [
        ("edifício", "building", "ell-eng + eng-por")
    ]
    # A word neither way knows gives nothing, and a way needs both of its dictionaries.
    assert found.through("θάλασσα", "el", "pt") == []
    assert found.through("αγορά", "el", "en") == []


def test_a_translation_through_a_third_language_finds_the_document_and_says_its_route(
    engine: SearchEngine,
):
    result = engine.search(SearchRequest(q="κτίριο"))
    hits = {h["path"]: h for h in result["hits"]}
    assert "pt/edificio_pt.txt" in hits and "pt/mercado_pt.txt" not in hits
    labels = [e["label"] for e in hits["pt/edificio_pt.txt"]["why"]["expansions"]]
    assert labels == ["κτίριο → building → edifício"]
    # Greek → English is direct: that hit names no third word.
    labels = [e["label"] for e in hits["en/hall_en.txt"]["why"]["expansions"]]
    assert labels == ["κτίριο → building"]


def test_a_translation_through_a_third_language_weighs_less_than_a_direct_one(
    engine: SearchEngine,
):
    with engine.snapshots.use() as snapshot:
        translator = engine.builder(snapshot).translator
        assert translator is not None
        groups = translator.translate("κτίριο αγορά").groups
    building, market = (g.alternatives["pt"] for g in groups)
    assert [(a.text, a.weight, a.through) for a in building] == [
        ("edifício", THROUGH_WEIGHT, "building")
    ]
    assert [(a.text, a.weight, a.through) for a in market] == [("mercado", 1.0, "")]
    assert THROUGH_WEIGHT < 1.0


def test_languages_no_dictionary_joins_go_through_english_as_weakly(engine: SearchEngine):
    """Bulgarian → Portuguese has no dictionary: "сграда" is read through English "building"
    (English → Bulgarian backwards), and counts what any translation by way of a third
    language counts."""
    result = engine.search(SearchRequest(q="сграда"))
    hit = next(h for h in result["hits"] if h["path"] == "pt/edificio_pt.txt")
    assert [e["label"] for e in hit["why"]["expansions"]] == ["сграда → building → edifício"]
    with engine.snapshots.use() as snapshot:
        translator = engine.builder(snapshot).translator
        assert translator is not None
        (group,) = translator.translate("сграда").groups
    assert [(a.text, a.weight) for a in group.alternatives["pt"]] == [("edifício", THROUGH_WEIGHT)]


def test_a_unit_translated_only_through_a_third_language_is_not_required(engine: SearchEngine):
    """The Portuguese channel of "κτίριο αγορά" requires "mercado" (a direct translation) and
    counts "edifício" (reached through English) where a document has it."""
    result = engine.search(SearchRequest(q="κτίριο αγορά"))
    assert result["fallback"] is None  # the Greek document has both words
    order = [h["path"] for h in result["hits"]]
    assert "pt/mercado_pt.txt" in order
    assert order.index("pt/edificio_pt.txt") < order.index("pt/mercado_pt.txt")
