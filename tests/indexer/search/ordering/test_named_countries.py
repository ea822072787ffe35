"""A query that names a country: a document about that country comes before one that names it
among others, however often the latter uses the other words."""

import pytest

from indexer.search import SearchEngine
from tests.indexer.translation.dictionaries import ranked_paths as paths
from tests.indexer.translation.dictionaries import searched_with

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
eu/review_en.txt,European review,EU,,report,2023,,en,
cy/hives_en.txt,Hives,CY,,news,2022,,en,
pt/garden_en.txt,The school garden,PT,,news,2021,,en,
"""
DOCUMENTS = {
    # Beekeepers twice, Cyprus once among other countries.
    "eu/review_en.txt": (
        "Beekeepers in Cyprus, Portugal and Ireland sell honey; beekeepers need markets."
    ),
    # About beekeepers in Cyprus, and nowhere else.
    "cy/hives_en.txt": "Beekeepers in Cyprus share an extraction room and a small shop.",
    "pt/garden_en.txt": "The school garden grows vegetables for the canteen.",
}
ENTRIES = [("beekeeper", "beekeeper /ˈbiːˌkiː.pər/ <n>\nμελισσοκόμος\n")]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("named-countries-kb")
    with searched_with(root, DOCUMENTS, MANIFEST, "eng-ell", ENTRIES) as found:
        yield found


def test_the_document_about_the_named_country_comes_first(engine: SearchEngine):
    found = paths(engine, "beekeepers Cyprus")
    assert found[:2] == ["cy/hives_en.txt", "eu/review_en.txt"]


def test_without_a_country_in_the_query_the_words_decide(engine: SearchEngine):
    found = paths(engine, "beekeepers")
    assert found[0] == "eu/review_en.txt"
