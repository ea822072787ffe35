"""Which forms of a word and which wording of its translations the dictionaries are read by: a
lemma that the language's own dictionary lists comes before an inflected form only the other
direction's entries give, and a one-word translation loses the function words that end it."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine
from tests.indexer.translation.dictionaries import ranked_paths, searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/indicators_en.txt,Indicators,IE,,report,2022,,en,
en/clock_en.txt,The clock,IE,,news,2022,,en,
en/change_en.txt,Change,IE,,news,2022,,en,
"""
DOCUMENTS = {
    "en/indicators_en.txt": "The indicators of the programme were agreed by the partners.",
    "en/clock_en.txt": "The hands of the old clock on the square were repaired.",
    "en/change_en.txt": "A change in the law made the cooperative possible.",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "ell-eng",
        [
            ("δείκτης", "δείκτης <n>\n1. indicator\n2. pointer\n"),
            # As one edition lists it: the word with the preposition its use takes.
            ("αλλαγή", "αλλαγή <n>\nchange for\n"),
        ],
    )
    # English–Greek gives the plural for the hands of a clock: Greek–English read backwards.
    write_dictd(folder, "eng-ell", [("hands", "hands <n>\nδείκτες\n")])
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("dictionary-forms-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def english(engine: SearchEngine, typed: str) -> list[str]:
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate(typed)
    return [a.text for a in translation.groups[0].alternatives["en"]]


def test_the_lemmas_own_entry_comes_before_a_form_only_read_backwards(engine: SearchEngine):
    assert english(engine, "δείκτες") == ["indicator"]
    found = ranked_paths(engine, "δείκτες")
    assert found == ["en/indicators_en.txt"]


def test_a_one_word_translation_loses_the_function_words_that_end_it(engine: SearchEngine):
    assert english(engine, "αλλαγή") == ["change"]
    found = ranked_paths(engine, "αλλαγή")
    assert found == ["en/change_en.txt"]
