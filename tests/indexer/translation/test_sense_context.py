"""Which senses a query means: reordered by the other words' translations in the same
documents, and an inflection no dictionary lists looked up by the headwords sharing its term,
while a listed word is never taken for another word that shares its stem; a word no dictionary
has read in another alphabet in the inflected form the index has; a word whose own senses no
document uses crosses by the listed word of its family it begins like."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from indexer.translation.freedict import Dictionaries
from indexer.translation.structured import Translation
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
pt/serra_pt.txt,A serra,PT,,news,2023,,pt,
pt/fonte_pt.txt,A fonte,PT,,news,2023,,pt,
pt/marco_pt.txt,Março,PT,,news,2023,,pt,
pt/jardim_pt.txt,O jardim,PT,,news,2023,,pt,
pt/vila_pt.txt,A vila,PT,,news,2023,,pt,
en/surplus_en.txt,Surplus,IE,,news,2023,,en,
en/farm_en.txt,The farm,IE,,news,2023,,en,
en/lines_en.txt,Lines,IE,,news,2023,,en,
en/school_en.txt,School,IE,,news,2023,,en,
bg/kredit_bg.txt,Кредити,BG,,news,2023,,bg,
bg/obuchenie_bg.txt,Обучение,BG,,news,2023,,bg,
"""
DOCUMENTS = {
    "pt/serra_pt.txt": "A nascente fica na serra e a água desce até à aldeia.",
    "pt/fonte_pt.txt": "A água da nascente é fresca mesmo em agosto.",
    "pt/marco_pt.txt": "A primavera chega em março e as flores enchem os campos.",
    "pt/jardim_pt.txt": "Na primavera as flores do jardim abrem cedo.",
    "pt/vila_pt.txt": "A vila celebra a primavera com uma feira de gado.",
    "en/surplus_en.txt": "The surplus of the harvest was given to the food bank.",
    "en/farm_en.txt": "The farmers raise sheep and goats on the hills.",
    "en/lines_en.txt": "Editors cross out the lines that repeat the same point.",
    "en/school_en.txt": "The children walk to school together every morning.",
    "bg/kredit_bg.txt": "Програмата дава микрокредити на жени, които започват малък бизнес. Никой не пита за причината.",
    "bg/obuchenie_bg.txt": "Обучението събра предприемачи от три града.",
}


def dictionaries(folder: Path) -> Path:
    """English → Portuguese gives "spring" as "primavera" (the season) first, "nascente"
    (where water rises) second;
    English → Bulgarian has "surplus" as "излишен", whose inflected "излишната" no dictionary
    and no lemma table lists; Portuguese → English has "risco" and "riscar", which share a
    stem, and "criança" and "criar", which begin alike; Greek → Bulgarian has the adjective
    "επιχειρηματικός" only as "предприемчив", which no document uses, and the noun
    "επιχειρηματίας" as "предприемач"; "γιατρός" (a doctor) as "доктор", which no document
    uses, and "γιατί" (why), which it begins like, as "причина"."""
    write_dictd(
        folder,
        "eng-por",
        [
            ("spring", "spring /s/ <n>\n1. primavera\n2. nascente\n"),
            ("water", "water /w/ <n>\nágua\n"),
            ("flowers", "flowers /f/ <n>\nflores\n"),
        ],
    )
    write_dictd(folder, "eng-bul", [("surplus", "surplus /s/ <n>\nизлишен\n")])
    write_dictd(
        folder,
        "por-eng",
        [
            ("risco", "risco /r/ <n>\nrisk\n"),
            ("riscar", "riscar /r/ <v>\ncross out\n"),
            ("criança", "criança /k/ <n>\nchild\n"),
            ("criar", "criar /k/ <v>\nraise\n"),
        ],
    )
    write_dictd(
        folder,
        "ell-bul",
        [
            ("επιχειρηματικός", "επιχειρηματικός /e/ <adj>\nпредприемчив\n"),
            ("επιχειρηματίας", "επιχειρηματίας /e/ <n>\nпредприемач\n"),
            ("γιατρός", "γιατρός /j/ <n>\nдоктор\n"),
            ("γιατί", "γιατί /j/ <adv>\nпричина\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("sense-context")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def _translated(engine: SearchEngine, text: str) -> Translation:
    with engine.snapshots.use() as snapshot:
        translator = engine.builder(snapshot).translator
        assert translator is not None
        return translator.translate(text)


def _senses(translation: Translation, typed: str, lang: str) -> list[str]:
    group = next(g for g in translation.groups if g.typed == typed)
    return [a.text for a in group.alternatives[lang]]


def test_the_other_words_of_the_query_reorder_a_words_senses(engine: SearchEngine):
    # Alone, "spring" is what the dictionary puts first; beside "water", the sense whose
    # documents have "água" comes first; beside "flowers", the one whose documents have
    # "flores".
    assert _senses(_translated(engine, "spring"), "spring", "pt") == ["primavera", "nascente"]
    assert _senses(_translated(engine, "water spring"), "spring", "pt") == [
        "nascente",
        "primavera",
    ]
    # ... and a sense whose documents have none of the other words may drop out.
    assert _senses(_translated(engine, "spring flowers"), "spring", "pt") == ["primavera"]
    # The best sense keeps the full weight; a word with one sense is as it was.
    group = next(g for g in _translated(engine, "water spring").groups if g.typed == "spring")
    assert group.alternatives["pt"][0].weight == 1.0
    assert _senses(_translated(engine, "water spring"), "water", "pt") == ["água"]


def test_a_query_ranks_the_documents_of_the_sense_its_words_mean(engine: SearchEngine):
    order = [h["path"] for h in engine.search(SearchRequest(q="water spring"))["hits"]]
    assert set(order[:2]) == {"pt/serra_pt.txt", "pt/fonte_pt.txt"}


def test_an_inflection_no_dictionary_lists_is_found_by_its_term(tmp_path: Path, engine):
    found = Dictionaries(dictionaries(tmp_path / "dictd"))
    assert not found.lists("излишната", "bg") and found.lists("излишен", "bg")
    assert found.same_term("излишната", "bg") == ["излишен"]
    assert found.same_term("излишен", "bg") == []  # the headword itself is no other form
    assert _senses(_translated(engine, "излишната"), "излишната", "en") == ["surplus"]
    hits = [h["path"] for h in engine.search(SearchRequest(q="излишната"))["hits"]]
    assert hits == ["en/surplus_en.txt"]


def test_a_listed_word_is_not_taken_for_another_word_sharing_its_stem(engine: SearchEngine):
    # "riscos" is the plural of "risco" (a risk, which no English document has), not a form
    # of "riscar", to cross out, though the index reads both as one stem; "crianças" is the
    # plural of "criança", not of "criar" ("raise"), which it begins like.
    # (The articles say the queries are Portuguese.)
    assert _senses(_translated(engine, "os riscos"), "riscos", "en") == []
    hits = [h["path"] for h in engine.search(SearchRequest(q="os riscos"))["hits"]]
    assert "en/lines_en.txt" not in hits
    # "child", the dictionary's sense, is found in the irregular plural the document uses.
    assert _senses(_translated(engine, "as crianças"), "crianças", "en") == ["children"]
    hits = [h["path"] for h in engine.search(SearchRequest(q="as crianças"))["hits"]]
    assert hits[0] == "en/school_en.txt" and "en/farm_en.txt" not in hits


def test_a_word_no_dictionary_has_is_read_in_another_alphabet_with_an_ending(
    engine: SearchEngine,
):
    # No dictionary has "microcredit"; the Bulgarian document has its reading only in the
    # plural, "микрокредити".
    assert _senses(_translated(engine, "microcredit"), "microcredit", "bg") == ["микрокредити"]
    hits = [h["path"] for h in engine.search(SearchRequest(q="microcredit"))["hits"]]
    assert hits == ["bg/kredit_bg.txt"]


def test_a_word_whose_own_senses_no_document_uses_crosses_by_its_family(engine: SearchEngine):
    # "επιχειρηματικά" is defined (its lemma, the adjective, is "предприемчив"), but no document
    # uses that and no third language's dictionary reaches another sense: the listed word it
    # begins like, the noun "επιχειρηματίας", stands for it, weaker than a sense of its own.
    group = next(
        g for g in _translated(engine, "επιχειρηματικά").groups if g.typed == "επιχειρηματικά"
    )
    assert [(a.text, a.weight) for a in group.alternatives["bg"]] == [("предприемач", 0.7)]
    hits = [h["path"] for h in engine.search(SearchRequest(q="επιχειρηματικά"))["hits"]]
    assert hits == ["bg/obuchenie_bg.txt"]
    # A word whose own senses the documents use keeps them, and nothing of its family.
    assert _senses(_translated(engine, "επιχειρηματίας"), "επιχειρηματίας", "bg") == ["предприемач"]
    # A shorter word it merely begins with is no family of it: a doctor is not "why".
    assert _senses(_translated(engine, "γιατρό"), "γιατρό", "bg") == []
