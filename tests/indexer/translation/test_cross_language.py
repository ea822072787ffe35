"""Searching across languages on a small knowledge base with translated works and dictionaries
the tests write: which senses are chosen, how the channels are fused, multi-word equivalents
as phrases, transliterated and quoted queries, and the product without dictionaries."""

from pathlib import Path

import numpy as np
import pytest

from indexer.config import Settings
from indexer.lru import Lru
from indexer.search import SearchEngine, SearchRequest
from indexer.search.finding.matching import Budget, matching
from indexer.search.finding.scoring import mask_of
from indexer.search.ordering import ranking
from indexer.status import status_dict
from indexer.translation import freedict, structured
from indexer.translation.scoring import group_scores
from indexer.translation.senses import Evidence
from indexer.translation.structured import Translator
from tests.indexer.translation.dictionaries import indexed_knowledge_base, write_dictd
from tests.indexer.translation.dictionaries import ranked_paths as paths

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
el/fund_el.txt,Το ταμείο της περιφέρειας,CY,,report,2022,,el,fund
en/fund_en.txt,The regional fund,CY,,report,2022,,en,fund
el/grants_el.txt,Επιχορηγήσεις από το ταμείο,CY,,report,2023,,el,grants
en/grants_en.txt,Grants from the fund,CY,,report,2023,,en,grants
en/shop_en.txt,The village shop,IE,,news,2021,,en,
bg/near_bg.txt,Социалните предприятия в региона,BG,,report,2022,,bg,
bg/far_bg.txt,Социалните услуги,BG,,report,2022,,bg,
bg/results_bg.txt,Плащане според резултатите,BG,,report,2022,,bg,
en/results_en.txt,Payment by results,EU,,report,2022,,en,
en/repair_en.txt,Repair evenings,IE,,news,2023,,en,
el/village_el.txt,Το χωριό,CY,,news,2023,,el,
"""
FILLER = " ".join(["Общината обсъди бюджета и плана за следващата година."] * 12)
DOCUMENTS = {
    "el/fund_el.txt": "Το ταμείο στηρίζει τις τοπικές πρωτοβουλίες της περιφέρειας.",
    "en/fund_en.txt": "The fund supports the local initiatives of the region.",
    "el/grants_el.txt": "Το ταμείο δίνει επιχορηγήσεις σε συνεταιρισμούς.",
    "en/grants_en.txt": "The fund gives grants to cooperatives.",
    "en/shop_en.txt": "The cash desk of the village shop opens early; the shop sells bread.",
    "bg/near_bg.txt": "Социалните предприятия в региона наемат хора с увреждания.",
    "bg/far_bg.txt": f"Социалните услуги се развиват. {FILLER} Предприятията плащат данъци.",
    "bg/results_bg.txt": "Общината въведе плащане според резултатите за социалните услуги.",
    "en/results_en.txt": "The council introduced payment by results for social services.",
    "en/repair_en.txt": "Volunteers repair old bicycles for the children of the village.",
    "el/village_el.txt": "Οι εθελοντές του χωριού καθαρίζουν την παραλία κάθε άνοιξη.",
}


def dictionaries(folder: Path) -> Path:
    """Greek → English whose first sense of ταμείο is the wrong one here."""
    write_dictd(
        folder,
        "ell-eng",
        [
            ("ταμείο", "ταμείο /taˈmi.o/ <n>\n1. cash desk\nplace to pay\n2. fund\nmoney kept\n"),
            ("συνεταιρισμός", "συνεταιρισμός /s/ <n>\ncooperative\n"),
            # Base forms only: the query's inflected forms are not headwords.
            ("εθελοντής", "εθελοντής /e/ <n>\nvolunteer\n"),
            ("επισκευάζω", "επισκευάζω /e/ <v>\nrepair\n"),
            ("ποδήλατο", "ποδήλατο /p/ <n>\nbicycle\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("cross-kb")
    return indexed_knowledge_base(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd"))


@pytest.fixture(scope="module")
def engine(kb: Settings):
    found = SearchEngine(kb)
    yield found
    found.close()


def test_the_translated_works_choose_the_sense_the_collection_uses(engine: SearchEngine):
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("ταμείο")
    [group] = translation.groups
    assert translation.language == "el"
    # "cash desk" comes first in the dictionary, but no English version of a Greek document
    # that says ταμείο has it; "fund" is in every one of them.
    assert [a.text for a in group.alternatives["en"]] == ["fund"]
    found = paths(engine, "ταμείο")
    assert {"en/fund_en.txt", "en/grants_en.txt"} <= set(found)
    assert "en/shop_en.txt" not in found


def test_a_word_translated_again_reads_no_dictionary_and_gets_the_same_senses(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
):
    with engine.snapshots.use() as snapshot:
        translator = engine.builder(snapshot).translator
        first = translator.translate("ταμείο συνεταιρισμός")
        asked: list[str] = []
        for name in ("translate", "knows"):
            original = getattr(translator.dictionaries, name)

            def spy(typed: str, *args: str, _original=original) -> object:  # type: ignore[no-untyped-def]
                asked.append(typed)
                return _original(typed, *args)

            monkeypatch.setattr(translator.dictionaries, name, spy)
        again = translator.translate("ταμείο συνεταιρισμός")
        # What a caller adds to a group's alternatives (readings of names) stays its own.
        again.groups[0].alternatives["en"].append(again.groups[1].alternatives["en"][0])
        third = translator.translate("ταμείο συνεταιρισμός")
    assert asked == []
    assert [g.alternatives for g in reversed(again.groups)] != [
        g.alternatives for g in first.groups
    ]
    assert third == first
    assert [a.text for a in first.groups[0].alternatives["en"]] == ["fund"]


def test_a_translators_memories_keep_its_latest_words_within_their_bound(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
):
    """Senses chosen, words known and names' readings are remembered for the generation, at
    most ``REMEMBERED_SENSES`` of each: the oldest go first, so a word just translated is not
    chosen anew (a Greek word is three choices, one per other language)."""
    monkeypatch.setattr(structured, "REMEMBERED_SENSES", 4)
    with engine.snapshots.use() as snapshot:
        evidence = Evidence(snapshot.terms, snapshot.table)
        reader = snapshot.searcher.reader()
        translator = Translator(engine.dictionaries, engine.glossary, evidence, reader)
        fund = translator.translate("ταμείο").groups
        cooperative = translator.translate("συνεταιρισμός").groups
        chosen: list[list[str]] = []
        original = translator._listed
        monkeypatch.setattr(
            translator, "_listed", lambda forms, *a: chosen.append(forms) or original(forms, *a)
        )
        assert translator.translate("συνεταιρισμός").groups == cooperative
        assert chosen == []
        assert translator.translate("ταμείο").groups == fund  # chosen again, the same
        assert chosen
        words = ["ποδήλατο", "Λεμεσός", "Seixal", "repair", "ταμείο", "συνεταιρισμός"]
        first = [translator.translate(word).groups for word in words]
        memories = (translator._chosen, translator._known, translator._read)
        assert all(0 < len(memory) <= 4 for memory in memories)
        again = [translator.translate(word).groups for word in words]
    assert again == first and first[-1] == cooperative and first[-2] == fund
    assert [a.text for a in fund[0].alternatives["en"]] == ["fund"]


def test_a_processs_dictionary_look_ups_keep_the_latest_within_their_bound(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(freedict, "REMEMBERED_LOOKUPS", 3)
    dictionaries = freedict.Dictionaries(engine.dictionaries.folder)
    words = ["ταμείο", "συνεταιρισμός", "ποδήλατο", "εθελοντής"]
    first = [dictionaries.translate(word, "el", "en") for word in words]
    assert len(dictionaries._translated) == 3
    greek = dictionaries.installed["ell-eng"]
    read: list[str] = []
    original = greek.forward
    monkeypatch.setattr(greek, "forward", lambda typed: read.append(typed) or original(typed))
    assert dictionaries.translate("εθελοντής", "el", "en") == first[3]
    assert read == []  # the latest was kept, not read again
    assert [dictionaries.translate(word, "el", "en") for word in words] == first
    assert len(dictionaries._translated) == 3


def test_the_hit_says_which_translation_matched(engine: SearchEngine):
    result = engine.search(SearchRequest(q="συνεταιρισμός"))
    hit = next(h for h in result["hits"] if h["path"] == "en/grants_en.txt")
    assert "why" in hit
    assert [e["label"] for e in hit["why"]["expansions"]] == ["συνεταιρισμός → cooperative"]
    told = result["understood"]["concepts"]
    assert told[0]["equivalents"] == {"en": "cooperative"} and told[0]["source"] == "dictionary"


def test_a_group_counts_like_one_word(engine: SearchEngine):
    """A word's alternatives score by the best of them, not their sum."""
    with engine.snapshots.use() as snapshot:
        builder = engine.builder(snapshot)
        fund = builder.build("fund", expand=False).query
        grants = builder.build("grants", expand=False).query
        postings, live = snapshot.postings, snapshot.table.live
        every = mask_of(live, postings.size)
        one, _ = group_scores(postings, [[(fund, 1.0)]], every, every)
        both, ideal = group_scores(postings, [[(fund, 1.0), (grants, 1.0)]], every, every)
        alone = [postings.scores(q)[0] for q in (fund, grants)]
    assert np.allclose(both, np.maximum(*alone))
    assert ideal == pytest.approx(float(both.max()))
    assert (both >= one).all()


def test_the_typed_language_leads_when_its_words_are_matched_well():
    own = np.array([1.0, 0.3, 0.0])
    translated = np.array([0.0, 0.0, 1.0])
    no_versions = (np.zeros(0, int), np.zeros(0, int))
    fused = ranking.fuse(own, translated, no_versions)
    assert fused[0] > fused[2] > fused[1]
    # When the typed words find nothing strong, a full translated match comes first.
    weak = np.array([0.4, 0.3, 0.0])
    fused = ranking.fuse(weak, translated, no_versions)
    assert fused[2] > fused[0] > fused[1]
    assert ranking.translated_weight(weak) > ranking.translated_weight(own)


def test_a_version_gets_the_larger_of_its_kinds_of_evidence_not_their_sum():
    own = np.array([1.0, 0.0])
    translated = np.array([0.0, 0.5])
    pairs = (np.array([1]), np.array([0]))  # document 1 is a version of document 0
    fused = ranking.fuse(own, translated, pairs)
    expected = max(ranking.translated_weight(own) * 0.5, ranking.VERSION_WEIGHT * 1.0)
    assert fused[1] == pytest.approx(min(ranking.CROSS_LANGUAGE_CAP, expected))


def test_a_multi_word_equivalent_matches_as_a_phrase(engine: SearchEngine):
    found = paths(engine, "social enterprises")
    assert "bg/near_bg.txt" in found
    assert "bg/far_bg.txt" not in found  # both words, but far apart
    with engine.snapshots.use() as snapshot:
        parsed = engine.builder(snapshot).build("social enterprises")
        bits = matching(snapshot.searcher, snapshot.terms, parsed.expanded["bg"], Budget())
    assert bits.bit_count() == 1


def test_a_quoted_phrase_keeps_its_translation(engine: SearchEngine):
    assert "bg/near_bg.txt" in paths(engine, '"social enterprises"')


def test_a_query_typed_in_latin_letters_keeps_its_translation(engine: SearchEngine):
    result = engine.search(SearchRequest(q="plashtane spored rezultatite"))
    found = [h["path"] for h in result["hits"]]
    assert result["transliterated"]
    assert "bg/results_bg.txt" in found
    assert "en/results_en.txt" in found  # through the glossary's "payment by results"


def test_without_dictionaries_the_glossary_still_crosses_and_status_says_what_is_missing(
    kb: Settings, tmp_path: Path
):
    bare = kb.with_(dictionaries=tmp_path / "empty")
    engine = SearchEngine(bare)
    try:
        assert "bg/near_bg.txt" in paths(engine, "social enterprises")
        found = paths(engine, "ταμείο")
        assert found and all(p.startswith("el/") or p.endswith("_en.txt") for p in found)
        assert "en/shop_en.txt" not in found
    finally:
        engine.close()
    status = status_dict(bare)["dictionaries"]
    assert status["installed"] == [] and "dict-freedict-ell-eng" in status["install"]


def test_a_warmed_engine_has_its_dictionaries_tables_made(
    kb: Settings, monkeypatch: pytest.MonkeyPatch
):
    """A server's worker warms its engine before its first request: the dictionaries' tables
    are then made, their entries read, not left to the first search that translates a word."""
    from indexer.search import engine as engine_module
    from indexer.translation import senses
    from indexer.translation.freedict import installed_dictionaries

    class Idle:  # the background thread that would make them is not started
        def __init__(self, **_: object) -> None: ...

        def start(self) -> None: ...

    monkeypatch.setattr(engine_module.threading, "Thread", Idle)
    installed_dictionaries.cache_clear()
    try:
        warmed = SearchEngine(kb)
        assert warmed.dictionaries.installed
        assert all(d._tables is None for d in warmed.dictionaries.installed.values())
        for d in warmed.dictionaries.installed.values():
            d.file.close()
        senses._glossary_keys.cache_clear()
        warmed.warm()
        assert all(d._tables is not None for d in warmed.dictionaries.installed.values())
        # Each dictionary's entries are in memory and the glossary's translations between
        # every two languages made: no first search decompresses or builds them.
        assert all(d.file._data is not None for d in warmed.dictionaries.installed.values())
        assert senses._glossary_keys.cache_info().currsize == 12
        warmed.close()
    finally:
        installed_dictionaries.cache_clear()


def test_a_word_looked_up_again_is_not_read_from_the_dictionary_again(
    engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
):
    dictionaries = engine.dictionaries
    monkeypatch.setattr(dictionaries, "_translated", Lru.counted(10))  # nothing looked up yet
    greek = dictionaries.installed["ell-eng"]
    read: list[str] = []
    original = greek.forward
    monkeypatch.setattr(greek, "forward", lambda typed: read.append(typed) or original(typed))
    first = dictionaries.translate("συνεταιρισμός", "el", "en")
    first.append(first[0])  # the caller's own list
    again = dictionaries.translate("συνεταιρισμός", "el", "en")
    assert [c.text for c in again] == ["cooperative"]
    assert read == ["συνεταιρισμός"]


def test_an_inflected_word_no_dictionary_lists_is_found_by_its_base_form(engine: SearchEngine):
    """ "εθελοντές" is no headword; "εθελοντής", which begins the same, is."""
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate("εθελοντές")
    [group] = translation.groups
    assert [a.text for a in group.alternatives["en"]] == ["volunteer"]
    assert "en/repair_en.txt" in paths(engine, "εθελοντές")
