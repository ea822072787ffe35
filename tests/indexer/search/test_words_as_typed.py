"""Words found as readers type them, whatever marks, variants or glued characters the document
printed around them."""

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from tests.factories import make_pdf, make_text

DOCUMENTS = {
    "stress.txt": "Уда\u0301рение в слове указывает на ударный гласный звук.",
    "yo.txt": "Новогодняя ёлка стоит на площади.",
    "ge.txt": "Дерев'яний ґанок біля хати відремонтували.",
    "footnote.txt": "O meu livro favorito4 ficou na estante.",
    "apostrophe.txt": "O operador d’alembertiano aparece na equação de onda.",
    "possessive.txt": "Schlömer's method was used in the survey.",
    "memory.txt": "Пам'ять про громаду залишається.",
    "compound.txt": "The co-creation workshops were held in Sofia.",
    "year.txt": "Докладът е приет през 2021г. от съвета.",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("typed-words")
    for name, text in DOCUMENTS.items():
        make_text(root / "docs" / name, text)
    make_pdf(root / "docs" / "combining.pdf", ["Ẹ́kọ́ is a word with marks on its letters."])
    settings = Settings(home=root / "home", corpus=root / "docs", workers=1)
    run_index(settings)
    eng = SearchEngine(settings)
    yield eng
    eng.close()


def found(engine, q: str) -> list[str]:
    result = engine.search(SearchRequest(q=q, expand=False))
    return sorted(hit["path"] for hit in result["hits"])


@pytest.mark.parametrize(
    ("query", "path"),
    [
        ("ударение", "stress.txt"),
        ("уда́рение", "stress.txt"),
        ("елка", "yo.txt"),
        ("ёлка", "yo.txt"),
        ("ганок", "ge.txt"),
        ("favorito", "footnote.txt"),
        ("favorito4", "footnote.txt"),
        ("alembertiano", "apostrophe.txt"),
        ("d'alembertiano", "apostrophe.txt"),
        ("Schlömer", "possessive.txt"),
        ("пам’ять", "memory.txt"),
        ("память", "memory.txt"),
        ("cocreation", "compound.txt"),
        ("2021", "year.txt"),
        ("eko", "combining.pdf"),
    ],
)
def test_words_are_found_as_readers_type_them(engine, query, path):
    assert found(engine, query) == [path]


def test_the_highlight_marks_the_whole_printed_word(engine):
    hit = engine.search(SearchRequest(q="ударение", expand=False))["hits"][0]
    assert "<mark>Уда\u0301рение</mark>" in hit["snippets"][0]["html"]
    hit = engine.search(SearchRequest(q="favorito", expand=False))["hits"][0]
    assert "<mark>favorito4</mark>" in hit["snippets"][0]["html"]
