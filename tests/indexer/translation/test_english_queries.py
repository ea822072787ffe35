"""English queries across languages on a real index, with a dictionary that lists English words
in their base form and one spelling only, as dictionaries do."""

from pathlib import Path

import pytest

from indexer.search import SearchEngine, SearchRequest
from tests.indexer.translation.dictionaries import searched, write_dictd

MANIFEST = """path,title,country,topic,type,year,organisation,language,work
el/centre_el.txt,Το κέντρο της γειτονιάς,CY,,report,2022,,el,
el/school_el.txt,Το σχολείο,CY,,report,2023,,el,
el/parts_el.txt,Τα μέρη του σχεδίου,CY,,report,2023,,el,
el/young_el.txt,Οι νέοι του χωριού,CY,,news,2023,,el,
el/radio_el.txt,Το ραδιόφωνο,CY,,news,2023,,el,
en/fish_en.txt,Fishing,IE,,news,2021,,en,
"""
DOCUMENTS = {
    "el/centre_el.txt": "Το κέντρο πληρώνει τους εθελοντές που φροντίζουν τα παιδιά της γειτονιάς.",
    "el/school_el.txt": "Το σχολείο του χωριού εκπαιδεύει και ένα κοπάδι από πρόβατα βόσκει δίπλα.",
    "el/parts_el.txt": "Το σχέδιο έχει τρία μέρη και ένα μέρος του αφορά το σχολείο.",
    "el/young_el.txt": "Ο νέος αγρότης έχει ένα μικρό κτήμα έξω από το χωριό.",
    "el/radio_el.txt": "Η εκπομπή του ραδιοφώνου παρουσίασε το πρόγραμμα του δήμου.",
    "en/fish_en.txt": "A school of fish was seen near the harbour by the fishing boats.",
}


def dictionaries(folder: Path) -> Path:
    write_dictd(
        folder,
        "eng-ell",
        [
            ("center", "center /c/ <n>\nκέντρο\n"),
            ("pay", "pay /p/ <v>\nπληρώνω\n"),
            ("volunteer", "volunteer /v/ <n>\nεθελοντής\n"),
            ("child", "child /c/ <n>\nπαιδί\n"),
            ("part", "part /p/ <n>\nμέρος\n"),
            (
                "school",
                "school /s/ <n>\n1. κοπάδι\ngroup of fish\n2. σχολή, σχολείο\nfollowers\n"
                "3. σχολείο\nteaching\n4. σχολείο\nbefore college\n",
            ),
            ("school", "school /s/ <v>\nεκπαιδεύω\nto teach\n"),
            ("young", "young /y/ <n>\n1. μικρό\noffspring\n2. νέος\nin early life\n"),
            ("little", "little /l/ <adj>\nμικρό\n"),
            ("small", "small /s/ <adj>\nμικρό\n"),
            ("programme", "programme /p/ <n>\n1. εκπομπή\nbroadcast\n2. πρόγραμμα\nplan\n"),
            ("alongside", "alongside /a/ <prep>\n1. με\n2. δίπλα\n"),
        ],
    )
    return folder


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("english-kb")
    with searched(root, DOCUMENTS, MANIFEST, dictionaries(root / "dictd")) as found:
        yield found


def greek(engine: SearchEngine, q: str) -> dict[str, list[str]]:
    with engine.snapshots.use() as snapshot:
        translation = engine.builder(snapshot).translator.translate(q)
    return {g.typed: [a.text for a in g.alternatives["el"]] for g in translation.groups}


def test_inflected_and_british_forms_find_the_base_forms_a_dictionary_lists(engine):
    assert greek(engine, "centres paid volunteers children") == {
        "centres": ["κέντρο"],
        "paid": ["πληρώνω"],
        "volunteers": ["εθελοντής"],
        "children": ["παιδί"],
    }
    result = engine.search(SearchRequest(q="centres paid volunteers children"))
    assert result["hits"][0]["path"] == "el/centre_el.txt"


def test_a_word_is_not_taken_for_a_listed_word_that_merely_begins_the_same(engine):
    """ "partner" is no inflection of "part": better untranslated than the wrong word."""
    assert greek(engine, "partners") == {"partners": []}


def test_the_sense_given_in_sense_after_sense_leads_a_rare_first_one(engine):
    """Three senses of "school" say σχολείο; only the first, a school of fish, says κοπάδι."""
    assert greek(engine, "school")["school"][0] == "σχολείο"


def test_a_translation_made_of_a_stop_word_is_no_sense(engine):
    assert greek(engine, "alongside") == {"alongside": ["δίπλα"]}


def test_a_translation_that_many_words_have_gives_way_to_one_that_is_this_words_own(engine):
    """ "μικρό" opens the entry of "young" but is what "little" and "small" say too."""
    assert greek(engine, "young")["young"][0] == "νέος"


def test_among_the_listed_senses_the_same_word_in_the_other_alphabet_leads(engine):
    """ "πρόγραμμα" is "programme" read in Latin letters; the broadcast comes first in the
    entry but is another word."""
    assert greek(engine, "programme")["programme"][0] == "πρόγραμμα"
