"""A number typed in any of the four languages' styles finds it written in any other."""

from __future__ import annotations

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from tests.factories import make_text

NOTES = {
    "en.txt": "The outcomes fund pays EUR 125,000 to each competence centre.",
    "pt.txt": "O fundo de resultados paga 125.000 € a cada centro de competências.",
    "bg.txt": "Фондът за резултати плаща 125 000 евро на всеки център за компетентност.",
    "bg-nbsp.txt": "Грантът е 125\u00a0000 лв. за всеки център.",
    "el.txt": "Το ταμείο αποτελεσμάτων πληρώνει 125000 ευρώ σε κάθε κέντρο ικανοτήτων.",
    "grant-pt.txt": "Cada participante recebe 1.500 € por mês durante o piloto.",
    "grant-en.txt": "Each participant receives EUR 1,500 a month during the pilot.",
    "years.txt": "In 2019 150 projects started; 1,5 % of them closed on 12.03.2021.",
    "table.txt": "Budget range per centre 330 000 560 000 in the first call.",
    "count.txt": "The pilot reached 125 participants and 0 drop-outs.",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("numbers")
    for name, text in NOTES.items():
        make_text(root / "docs" / name, text + "\n")
    settings = Settings(home=root / "home", corpus=root / "docs", workers=1)
    run_index(settings)
    eng = SearchEngine(settings)
    yield eng
    eng.close()


def found(engine: SearchEngine, q: str) -> set[str]:
    result = engine.search(SearchRequest(q=q, per_page=100, expand=False))
    assert result["fallback"] is None, q  # found by all the words, not some of them
    return {h["path"] for h in result["hits"]}


AMOUNT = {"en.txt", "pt.txt", "bg.txt", "bg-nbsp.txt", "el.txt"}


@pytest.mark.parametrize(
    "typed", ["125 000", "125,000", "125.000", "125000", "125\u00a0000", "125\u2009000"]
)
def test_an_amount_is_found_in_every_style(engine, typed):
    assert found(engine, typed) == AMOUNT


def test_an_amount_with_its_currency_either_way(engine):
    grants = {"grant-pt.txt", "grant-en.txt"}
    assert found(engine, "1.500 €") == grants
    assert found(engine, "EUR 1,500") == grants
    assert found(engine, "€1500") == grants


def test_years_counts_and_decimals_do_not_match_wrongly(engine):
    assert found(engine, "2019") == {"years.txt"}
    assert found(engine, "150") == {"years.txt"}
    assert not engine.search(SearchRequest(q="2019150", expand=False))["hits"]
    assert found(engine, "1.5") == found(engine, "1,5") == {"years.txt"}
    assert found(engine, "125") == {"count.txt"}  # 125 participants is not 125 000
    assert found(engine, "2021") == {"years.txt"}  # the date keeps its year


def test_amounts_side_by_side_are_each_found(engine):
    assert found(engine, "330 000") == {"table.txt"}
    assert found(engine, "560.000") == {"table.txt"}


def test_a_number_in_a_phrase_meets_its_neighbours_in_any_style(engine):
    assert found(engine, '"pays EUR 125 000 to"') == {"en.txt"}  # written 125,000
    assert found(engine, '"paga 125 000 € a"') == {"pt.txt"}  # written 125.000 €
    # Written with spaces, a number spans its groups' positions: a phrase typed without
    # them meets it at either end.
    assert found(engine, '"плаща 125,000"') == found(engine, '"125.000 евро"') == {"bg.txt"}
