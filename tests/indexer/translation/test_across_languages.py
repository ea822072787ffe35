"""A query whose words no document has together is read as one about what is written in other
languages: a document that has the whole query in translation comes before one that has a
single typed word, while a typed-language document with most of the words still leads."""

from pathlib import Path

import numpy as np
import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.search.ordering import ranking
from indexer.translation.scoring import typed_words, words_had
from tests.factories import make_text
from tests.indexer.translation.dictionaries import indexed_knowledge_base, searched, write_dictd
from tests.indexer.translation.dictionaries import ranked_paths as paths

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
el/bread_el.txt,Η γειτονιά,GR,,news,2022,,el,
el/market_el.txt,Η αγορά,GR,,news,2022,,el,
el/council_el.txt,Το δημοτικό συμβούλιο,GR,,news,2021,,el,
en/prison_en.txt,Training behind walls,IE,,report,2022,,en,
en/shop_en.txt,The corner shop,IE,,news,2021,,en,
"""
DOCUMENTS = {
    # φούρνος (bakery) and ψωμί (bread) in Greek; φυλακή (prison) and πρωινό nowhere in Greek.
    "el/bread_el.txt": "Ο φούρνος της γειτονιάς ψήνει ψωμί. Ο φούρνος ανοίγει νωρίς.",
    "el/market_el.txt": "Η αγορά της πόλης πουλάει φρούτα και λαχανικά κάθε Σάββατο.",
    "el/council_el.txt": "Το δημοτικό συμβούλιο συζήτησε τον προϋπολογισμό της πόλης.",
    "en/prison_en.txt": "The prison runs a bakery where prisoners learn a trade.",
    "en/shop_en.txt": "The corner shop sells bread and a hot breakfast to workers.",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "ell-eng",
        [
            ("φούρνος", "φούρνος /ˈfur.nos/ <n>\nbakery\n"),
            ("φυλακή", "φυλακή /fi.laˈci/ <n>\nprison\n"),
            ("ψωμί", "ψωμί /psoˈmi/ <n>\nbread\n"),
            ("πρωινό", "πρωινό /pro.iˈno/ <n>\nbreakfast\n"),
            # A plural listed on its own, in a sense no English document uses.
            ("φούρνοι", "φούρνοι /ˈfur.ni/ <n>\nkilns\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("across-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def test_words_found_together_only_in_translation_rank_that_document_first(engine):
    """No Greek document has both "φούρνος" and "φυλακή"; the Greek one that has "φούρνος"
    twice must not outrank the English report about a prison bakery."""
    result = engine.search(SearchRequest(q="φούρνος φυλακή"))
    found = [h["path"] for h in result["hits"]]
    assert result["fallback"] == "any"
    assert found[0] == "en/prison_en.txt"
    assert "el/bread_el.txt" in found


def test_a_typed_language_document_with_most_of_the_words_still_leads(engine):
    """Two of three Greek words in one Greek document (the third is written nowhere in Greek):
    the subject is in the typed language, and the English document that has all three in
    translation comes after it."""
    found = paths(engine, "φούρνος ψωμί πρωινό")
    assert found[:2] == ["el/bread_el.txt", "en/shop_en.txt"]


def test_the_typed_words_of_an_any_word_query_are_told_apart_by_where_they_stand(engine):
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build("ο φούρνος της φυλακής", "any", expand=False)
    words = typed_words(parsed.channels[0])
    assert words is not None and len(words) == 2  # the articles are stop words
    texts = [{str(t.text) for t in w.leaves() if t.fieldname == "text"} for w in words]
    assert texts == [{"φουρνοσ"}, {"φυλακησ"}]  # folded, final sigma as a plain one


def test_read_as_any_word_a_language_is_searched_for_the_words_that_cross_into_it(engine):
    """ "συμβούλιο" has no translation here; "φούρνος" (bakery) has one. No Greek document has
    both words, so the query is read as any word — in English too, where half of it crosses:
    the English report about a prison bakery is found, as a Greek document with one of the
    two words is."""
    result = engine.search(SearchRequest(q="φούρνος συμβούλιο"))
    found = [h["path"] for h in result["hits"]]
    assert result["fallback"] == "any"
    assert {"el/bread_el.txt", "el/council_el.txt", "en/prison_en.txt"} <= set(found)


def test_a_rarer_word_is_a_larger_share_of_a_query_no_document_has_whole(engine):
    """Read as any word, a document's share of the query weighs each word by how rare it is:
    "φούρνος" is in one document, "πόλης" in two, so the one with "φούρνος" has more of
    "φούρνος πόλης" than one with "πόλης", though each has one of the two words."""
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build("φούρνος πόλης", "any", expand=False)
        words = typed_words(parsed.channels[0])
        assert words is not None
        everything = np.ones(snapshot.postings.size, bool)
        count, share = words_had(snapshot.postings, words, everything)
        number = {snapshot.records.get(d)["path"]: d for d in range(snapshot.postings.size)}
    bread, market = number["el/bread_el.txt"], number["el/market_el.txt"]
    assert count[bread] == count[market] == 1
    assert share[bread] > share[market] > 0
    assert share.max() <= 1.0


def test_translations_are_not_capped_below_the_typed_words_when_no_document_has_them_all():
    own = np.array([0.7, 0.0])
    translated = np.array([0.0, 1.0])
    no_versions = (np.zeros(0, int), np.zeros(0, int))
    fused = ranking.fuse(own, translated, no_versions, across=True)
    assert fused[1] == pytest.approx(ranking.WEIGHT_WHEN_TYPED_FAIL) and fused[1] > fused[0]
    assert ranking.fuse(own, translated, no_versions)[1] <= ranking.CROSS_LANGUAGE_CAP


def test_a_form_whose_senses_no_document_uses_gives_way_to_the_next_form(engine):
    """ "φούρνοι" is listed as kilns, which no English document mentions; its base form
    "φούρνος" is listed as bakery, which one does."""
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("φούρνοι")
    [group] = translation.groups
    assert [a.text for a in group.alternatives["en"]] == ["bakery"]


def test_a_strong_translated_match_ranks_above_the_versions_of_a_typed_match():
    """The versions of the one report that has the typed words somewhere are not better
    answers than a document in another language that has the whole query in translation."""
    own = np.array([1.0, 0.0, 0.0, 0.0])
    translated = np.array([0.0, 0.0, 0.0, 0.9])
    pairs = (np.array([1, 2]), np.array([0, 0]))  # documents 1 and 2 are versions of 0
    fused = ranking.fuse(own, translated, pairs)
    assert fused[0] > fused[3] > fused[1] == fused[2] > 0


def test_a_word_a_dictionary_lists_is_not_corrected_into_a_word_of_the_documents(tmp_path):
    """ "φρούδα" (vain) is one letter from "φρούτα" (fruit), which a Greek document has beside
    "λαχανικά" (vegetables); no Greek document says "φρούδα", but it is a Greek word, so the
    query is about what is written in English: read as any word there, not corrected into the
    Greek one. Without the dictionaries, the same unknown word is corrected as before."""
    docs = tmp_path / "docs"
    added = {
        "en/hopes_en.txt": "Their hopes for the harvest proved vain.",
        "en/garden_en.txt": "The school garden grows vegetables.",
    }
    for path, text in {**DOCUMENTS, **added}.items():
        make_text(docs / path, text)
    rows = "".join(f"{path},{path[3:-7]},IE,,news,2022,,en,\n" for path in added)
    make_text(docs / "manifest.csv", MANIFEST + rows)
    write_dictd(
        tmp_path / "dictd",
        "ell-eng",
        [
            ("φρούδα", "φρούδα /ˈfru.ða/ <adj>\nvain\n"),
            ("λαχανικά", "λαχανικά /la.xa.niˈka/ <n>\nvegetables\n"),
        ],
    )
    found: dict[str, tuple[str | None, list[str]]] = {}
    for name in ("dictd", "none"):
        settings = Settings(
            home=tmp_path / "home",
            corpus=docs,
            workers=1,
            dictionaries=tmp_path / name,
            cache=tmp_path / f"cache-{name}",
        )
        if name == "dictd":
            assert run_index(settings).failed == 0
        engine = SearchEngine(settings)
        try:
            result = engine.search(SearchRequest(q="φρούδα λαχανικά"))
        finally:
            engine.close()
        found[name] = (result["fallback"], sorted(h["path"] for h in result["hits"]))
        assert result["suggestion"] == "φρούτα λαχανικά"  # still offered
    assert found["dictd"] == ("any", ["el/market_el.txt", *sorted(added)])
    assert found["none"] == ("corrected", ["el/market_el.txt"])


FAR_APART_MANIFEST = """path,title,country,topic,type,year,organisation,language,work
el/annual_el.txt,Ετήσια έκθεση,GR,,report,2022,,el,
el/market_el.txt,Η αγορά,GR,,news,2022,,el,
en/prison_en.txt,Training behind walls,IE,,report,2022,,en,
en/shop_en.txt,The corner shop,IE,,news,2021,,en,
"""
#: Sentences about other things, to stand between two words of a long Greek report.
GREEK_FILLER = "Η ομάδα συναντήθηκε με τους εταίρους και συζήτησε το πρόγραμμα της χρονιάς. " * 8


def far_apart_documents(together_too: bool) -> tuple[dict[str, str], str]:
    documents = {
        "el/annual_el.txt": f"Ο φούρνος της γειτονιάς άνοιξε. {GREEK_FILLER}"
        f"Η φυλακή της πόλης ανακαινίστηκε. {GREEK_FILLER}",
        "el/market_el.txt": "Η αγορά της πόλης πουλάει φρούτα και λαχανικά κάθε Σάββατο.",
        "en/prison_en.txt": "The prison runs a bakery where prisoners learn a trade.",
        "en/shop_en.txt": "The corner shop sells bread and a hot breakfast to workers.",
    }
    manifest = FAR_APART_MANIFEST
    if together_too:
        documents["el/workshop_el.txt"] = "Ο φούρνος της φυλακής εκπαιδεύει τους κρατούμενους."
        manifest += "el/workshop_el.txt,Το εργαστήρι,GR,,report,2023,,el,\n"
    return documents, manifest


@pytest.mark.parametrize("together_too", [False, True])
def test_typed_words_found_only_far_apart_give_way_to_a_translation_that_has_them_together(
    tmp_path, together_too
):
    """A long Greek report has "φούρνος" and "φυλακή" a hundred words apart: every typed word
    is there, but not what the query asks; the English report about a prison bakery comes
    first. When a Greek document has the two words in one sentence, the subject is in the
    typed language and it leads."""
    documents, manifest = far_apart_documents(together_too)
    settings = indexed_knowledge_base(tmp_path, documents, manifest, dictionaries(tmp_path / "d"))
    engine = SearchEngine(settings)
    try:
        result = engine.search(SearchRequest(q="φούρνος φυλακή"))
    finally:
        engine.close()
    found = [h["path"] for h in result["hits"]]
    assert result["fallback"] is None  # every typed word is in a Greek document
    if together_too:
        assert found[:2] == ["el/workshop_el.txt", "en/prison_en.txt"]
    else:
        assert found[:2] == ["en/prison_en.txt", "el/annual_el.txt"]
