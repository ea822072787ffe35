"""Function words the stop lists miss: a word whose English senses are prepositions is no unit
of the query to translate, and a modal verb is never what a word of a subject means."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/strength_en.txt,Members,IE,,news,2022,,en,
en/might_en.txt,Weather,IE,,news,2022,,en,
pt/forca_pt.txt,Membros,PT,,news,2022,,pt,
bg/over_bg.txt,Проект,BG,,news,2022,,bg,
bg/coop_bg.txt,Членове,BG,,news,2022,,bg,
en/may_en.txt,Partners,IE,,news,2022,,en,
"""
DOCUMENTS = {
    "en/strength_en.txt": "The strength of a cooperative is in its members.",
    "en/might_en.txt": "It might rain today, and the board might meet tomorrow.",
    "pt/forca_pt.txt": "A força de uma cooperativa está nos seus membros.",
    "bg/over_bg.txt": "Проектът е завършен и отчетът е готов.",
    "bg/coop_bg.txt": "Силата на една кооперация е в нейните членове.",
    "en/may_en.txt": "The partners met in Lisbon in May.",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "por-eng",
        [
            # Its first sense a modal verb, as one edition lists it.
            ("força", "força <n>\n1. might\n2. strength\n"),
            ("sobre", "sobre <prep>\n1. over\n2. above\n3. about\n"),
            ("cooperativa", "cooperativa <n>\ncooperative\n"),
            ("maio", "maio <n>\nMay\n"),
        ],
    )
    write_dictd(
        folder,
        "eng-bul",
        [
            ("over", "over <adj>\nзавършен\n"),
            ("strength", "strength <n>\nсила\n"),
            ("cooperative", "cooperative <n>\nкооперация\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("function-words-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def test_a_preposition_is_no_unit_and_a_modal_no_sense(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("força sobre cooperativa")
    assert translation.language == "pt"
    assert [g.typed for g in translation.groups] == ["força", "cooperativa"]
    assert translation.function == frozenset({"sobre"})
    force = translation.groups[0]
    assert [a.text for a in force.alternatives["en"]] == ["strength"]


def test_the_search_finds_no_document_through_a_function_words_senses(engine: SearchEngine):
    found = [h["path"] for h in engine.search(SearchRequest(q="força sobre cooperativa"))["hits"]]
    assert "en/strength_en.txt" in found and "bg/coop_bg.txt" in found
    # Neither the modal verb of "força" nor "завършен", which "over" gives, found anything.
    assert "en/might_en.txt" not in found
    assert "bg/over_bg.txt" not in found


def test_a_month_is_no_modal_verb(engine: SearchEngine):
    """ "May" is a modal verb in lower case only: the month crosses both ways."""
    with engine.snapshots.use() as snapshot:
        translator = engine.builder(snapshot).translator
        assert [g.typed for g in translator.translate("partners May").groups] == ["partners", "May"]
    found = [h["path"] for h in engine.search(SearchRequest(q="maio"))["hits"]]
    assert found == ["en/may_en.txt"]
