"""Portuguese words across the 1990 spelling agreement: a word typed in the new spelling is
found in a dictionary edited in the old one, and a translation the dictionary gives in the old
spelling finds documents written in the new."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.translation.portuguese import MOST, spellings
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/plan_en.txt,The board,IE,,news,2022,,en,
en/garden_en.txt,The school garden,IE,,news,2021,,en,
pt/acao_pt.txt,A cooperativa,PT,,news,2023,,pt,
pt/horta_pt.txt,A horta da escola,PT,,news,2021,,pt,
"""
DOCUMENTS = {
    "en/plan_en.txt": "The board set the direction of the project for three years.",
    "en/garden_en.txt": "The school garden grows vegetables for the canteen.",
    "pt/acao_pt.txt": "A ação da cooperativa levou refeições a cem famílias.",
    "pt/horta_pt.txt": "A horta da escola cultiva legumes para a cantina.",
}


def dictionaries(folder: Path) -> Path:
    """Both dictionaries in the spelling before the agreement."""
    write_dictd(
        folder,
        "por-eng",
        [
            ("direcção", "direcção <n>\ndirection\n"),
            ("projecto", "projecto <n>\nproject\n"),
        ],
    )
    write_dictd(folder, "eng-por", [("action", "action /ˈæk.ʃən/ <n>\nacção\n")])
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("portuguese-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def test_the_other_spellings_of_a_word_across_the_agreement():
    assert spellings("acção") == ("ação",)
    assert spellings("direcção") == ("direção",)
    assert spellings("óptimo") == ("ótimo",)
    assert spellings("actividade") == ("atividade",)
    assert "direcção" in spellings("direção")
    assert "projecto" in spellings("projeto")
    assert "sector" in spellings("setor")
    assert "óptimo" in spellings("ótimo")
    # A consonant that stands before another letter is no silent one.
    assert spellings("casa") == ()
    assert all(len(spellings(w)) <= MOST for w in ("constitucional", "proteção", "ativação"))


def test_a_word_typed_in_the_new_spelling_is_translated_by_the_old_entry(engine: SearchEngine):
    result = engine.search(SearchRequest(q="direção do projeto"))
    found = [h["path"] for h in result["hits"]]
    assert found == ["en/plan_en.txt"]
    labels = {e["label"] for e in result["hits"][0]["why"]["expansions"]}
    assert labels == {"direção → direction", "projeto → project"}


def test_a_translation_in_the_old_spelling_finds_documents_in_the_new(engine: SearchEngine):
    result = engine.search(SearchRequest(q="action"))
    found = [h["path"] for h in result["hits"]]
    assert found == ["pt/acao_pt.txt"]
    labels = {e["label"] for e in result["hits"][0]["why"]["expansions"]}
    assert labels == {"action → ação"}
