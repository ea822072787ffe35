"""Fusing the words as typed with their translation by how much of the query each document has
in one passage: a complete translated match is not buried under typed-language documents that
have the words only scattered, while a document that has them together stays first."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.search.ordering import passages
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
en/together_en.txt,Work behind walls,IE,,news,2022,,en,
en/scattered_en.txt,Annual review,IE,,report,2022,,en,
el/bakery_el.txt,Εργασία στη φυλακή,GR,,news,2022,,el,
el/scattered_el.txt,Ετήσια έκθεση,GR,,report,2022,,el,
en/garden_en.txt,The school garden,IE,,news,2021,,en,
en/kilns_en.txt,Annual report,IE,,report,2023,,en,kilns
el/kilns_el.txt,Ετήσια έκθεση,IE,,report,2023,,el,kilns
"""
FILLER_EN = " ".join(["The council discussed the budget and the plan for next year."] * 8)
FILLER_EL = " ".join(["Το συμβούλιο συζήτησε τον προϋπολογισμό και το σχέδιο της χρονιάς."] * 8)
DOCUMENTS = {
    # The typed words side by side, once each.
    "en/together_en.txt": "The prison bakery trains young people in a trade.",
    # Each typed word three times, never within a passage of the other: by score alone the
    # strongest English document.
    "en/scattered_en.txt": " ".join(
        [
            "The prison was repaired.",
            FILLER_EN,
            "A bakery opened in town.",
            FILLER_EN,
            "The prison board met.",
            FILLER_EN,
            "The bakery hired staff.",
            FILLER_EN,
            "The prison library grew.",
            FILLER_EN,
            "The bakery sold bread.",
        ]
    ),
    # The whole query in Greek, in one sentence.
    "el/bakery_el.txt": "Ο φούρνος μέσα στη φυλακή μαθαίνει στους νέους μια τέχνη.",
    # Both Greek words, far apart.
    "el/scattered_el.txt": f"Ο φούρνος έκλεισε. {FILLER_EL} Η φυλακή ανακαινίστηκε.",
    "en/garden_en.txt": "The school garden grows vegetables for the canteen.",
    # One report in two languages: the English words far apart, the Greek ones side by side.
    "en/kilns_en.txt": f"The kiln was repaired. {FILLER_EN} The workshop reopened.",
    "el/kilns_el.txt": f"Το καμίνι του εργαστηρίου επισκευάστηκε. {FILLER_EL}",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "eng-ell",
        [
            ("bakery", "bakery /ˈbeɪ.kə.ri/ <n>\nφούρνος\n"),
            ("prison", "prison /ˈprɪz.ən/ <n>\nφυλακή\n"),
            ("kiln", "kiln /kɪln/ <n>\nκαμίνι\n"),
            ("workshop", "workshop /ˈwɜːk.ʃɒp/ <n>\nεργαστήριο\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("passages-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def test_a_complete_translated_match_comes_before_typed_words_scattered(engine: SearchEngine):
    result = engine.search(SearchRequest(q="prison bakery"))
    found = [h["path"] for h in result["hits"]]
    assert result["fallback"] is None
    # The typed words together lead; the Greek document with the whole query in one sentence
    # comes before the English one that has the words only chapters apart, and before the
    # Greek one that has them so.
    assert found[0] == "en/together_en.txt"
    assert found.index("el/bakery_el.txt") < found.index("en/scattered_en.txt")
    assert found.index("el/bakery_el.txt") < found.index("el/scattered_el.txt")
    # The hit says which translations found it.
    greek = next(h for h in result["hits"] if h["path"] == "el/bakery_el.txt")
    labels = {e["label"] for e in greek["why"]["expansions"]}
    assert labels == {"prison → φυλακή", "bakery → φούρνος"}


def test_the_share_of_the_query_in_one_passage_per_channel(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        assert snapshot is not None
        parsed = engine.builder(snapshot).build("prison bakery", "all", True)
        number = {snapshot.records.get(d)["path"]: d for d in range(snapshot.postings.size)}
        english = [number["en/together_en.txt"], number["en/scattered_en.txt"]]
        typed, _ = passages.typed_shares(snapshot.postings, snapshot.terms, parsed.near, english)
        greek = [number["el/bakery_el.txt"], number["el/scattered_el.txt"]]
        groups = parsed.groups["el"]
        translated = passages.group_shares(snapshot.postings, snapshot.terms, groups, greek)
    assert typed == {english[0]: 1.0, english[1]: 0.5}
    assert translated == {greek[0]: 1.0, greek[1]: 0.5}


def test_a_version_never_comes_before_its_report_in_the_typed_language(engine: SearchEngine):
    """The Greek version has the translated words in one sentence, the English report its
    words pages apart: it is the same report, and the reader's language version comes first."""
    found = [h["path"] for h in engine.search(SearchRequest(q="kiln workshop"))["hits"]]
    assert found[:2] == ["en/kilns_en.txt", "el/kilns_el.txt"]
