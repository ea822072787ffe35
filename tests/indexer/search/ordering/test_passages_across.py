"""Complete translated matches when the query is read as one about other languages: a document
with the translated words in one passage comes before one that has them more often but only
scattered."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
el/pottery_el.txt,Εργαστήριο,GR,,news,2022,,el,
el/scattered_el.txt,Ετήσια έκθεση,GR,,report,2022,,el,
en/scattered_en.txt,Annual review,IE,,report,2022,,en,
en/garden_en.txt,The school garden,IE,,news,2021,,en,
el/mugs_el.txt,Κατάλογος,GR,,news,2021,,el,
"""
FILLER_EN = " ".join(["The council discussed the budget and the plan for next year."] * 8)
FILLER_EL = " ".join(["Το συμβούλιο συζήτησε τον προϋπολογισμό και το σχέδιο της χρονιάς."] * 8)
#: About 45 words: more than a passage.
GAP_EL = " ".join(["Το συμβούλιο συζήτησε τον προϋπολογισμό και το σχέδιο της χρονιάς."] * 4)
DOCUMENTS = {
    # The Greek words for kiln, clay and mugs in one sentence, in a longer text.
    "el/pottery_el.txt": (
        f"Το καμίνι ψήνει τον πηλό για τις κούπες του εργαστηρίου. {FILLER_EL} {FILLER_EL}"
    ),
    # The same words, each twice, never within a passage of the others.
    "el/scattered_el.txt": f" {GAP_EL} ".join(
        ["Το καμίνι χάλασε.", "Ο πηλός ήρθε αργά.", "Οι κούπες πουλήθηκαν."] * 2
    ),
    # Two of the typed words, far apart.
    "en/scattered_en.txt": " ".join(
        [
            "The kiln was repaired.",
            FILLER_EN,
            "Clay was ordered.",
        ]
    ),
    "en/garden_en.txt": "The school garden grows vegetables for the canteen.",
    # Mugs and nothing else: the strongest Greek document on that word alone.
    "el/mugs_el.txt": "Κούπες, κούπες, κούπες: ο κατάλογος των κουπών.",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "eng-ell",
        [
            ("kiln", "kiln /kɪln/ <n>\nκαμίνι\n"),
            ("furnace", "furnace /ˈfɜː.nɪs/ <n>\nκαμίνι\n"),
            ("clay", "clay /kleɪ/ <n>\nπηλός\n"),
            ("mug", "mug /mʌɡ/ <n>\nκούπα\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("passages-across-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def found(engine: SearchEngine, q: str) -> tuple[list[str], str | None]:
    result = engine.search(SearchRequest(q=q))
    return [h["path"] for h in result["hits"]], result["fallback"]


def test_read_as_about_other_languages_the_words_in_one_passage_come_first(
    engine: SearchEngine,
):
    """No English document has more than one of the words, so the query is read as one about
    what other languages say; both Greek documents have every translated word, the scattered
    one more often, and the one that says it in one sentence leads."""
    paths, fallback = found(engine, "furnace clay mugs")
    assert fallback == "any"
    assert paths.index("el/pottery_el.txt") < paths.index("el/scattered_el.txt")
