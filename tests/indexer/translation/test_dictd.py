"""The dictionary reader: dictd's index and dictzip files as Debian installs them, read by
offset; entries into senses; every direction between the four languages."""

from pathlib import Path

import pytest

from indexer.translation.dictd import DictdFile, b64_number, parse_entry, translations
from indexer.translation.freedict import Dictionaries
from tests.indexer.translation.dictionaries import b64, write_dictd

#: The layout of FreeDict's WikDict editions: numbered senses, each a line of translations
#: and a line that explains it; stress marks over Bulgarian vowels; a homonym's number.
WIKDICT = """fund //ˈfʌnd// <n>
1. фонд
organization
2. фонд, капита́л
sum or source of money
"""
OLDER = """social /sˈəʊʃəl/

κοινωνικός
"""


def test_base64_offsets_read_as_dictd_writes_them():
    assert b64_number("A") == 0
    assert b64_number("BA") == 64
    assert b64_number(b64(1_577_371)) == 1_577_371


def test_an_entry_becomes_senses_of_translations_without_glosses():
    entry = parse_entry(WIKDICT)
    assert entry.headword == "fund"
    assert entry.part_of_speech == "n"
    assert entry.senses == (("фонд",), ("фонд", "капитал"))  # glosses skipped, stress removed


def test_the_older_layout_keeps_greek_accents():
    assert parse_entry(OLDER).senses == (("κοινωνικός",),)


def test_remarks_homonym_numbers_and_stray_marks_are_left_out():
    assert translations("фу́нкция, функция 2.") == ("функция",)
    assert translations("затворен (залив); на ], o-") == ("затворен",)


@pytest.mark.parametrize("zipped", [True, False])
def test_entries_are_read_by_offset_from_the_data_file(tmp_path: Path, zipped: bool):
    entries = [(f"word{n}", f"word{n} /w/\n1. слово\n2. {'а' * (n % 7 + 2)}\n") for n in range(300)]
    entries.append(("fund", WIKDICT))
    stem = write_dictd(tmp_path, "eng-bul", entries, zipped=zipped)
    file = DictdFile.at(stem)
    assert file is not None
    [entry] = file.lookup("fund")
    assert entry.senses[1] == ("фонд", "капитал")
    assert file.lookup("word250")[0].senses == (("слово",), ("а" * (250 % 7 + 2),))
    assert len(file.entries()) == 301
    assert "00databaseshort" not in file.offsets()


@pytest.mark.parametrize("zipped", [True, False])
def test_entries_read_from_memory_are_those_of_the_file(
    tmp_path: Path, zipped: bool, monkeypatch: pytest.MonkeyPatch
):
    """Every entry, read at its offset from the data held in memory, is the entry read from the
    (compressed) file itself; the file is read once, however many entries are wanted."""
    entries = [(f"word{n}", f"word{n} /w/\n1. слово {'ъ' * (n % 90)}\n") for n in range(3000)]
    stem = write_dictd(tmp_path, "eng-bul", entries, zipped=zipped)
    file = DictdFile.at(stem)
    assert file is not None
    opened = []
    original = file._open
    monkeypatch.setattr(file, "_open", lambda: opened.append(1) or original())
    with original() as fh:
        for places in file.offsets().values():
            for offset, length in places:
                fh.seek(offset)
                expected = fh.read(length).decode("utf-8", errors="replace")
                assert file.read(offset, length) == expected
    assert opened == [1]
    assert len(file.entries()) == 3000 and opened == [1]


def test_a_dictionary_missing_its_data_file_is_not_installed(tmp_path: Path):
    stem = write_dictd(tmp_path, "eng-bul", [("fund", WIKDICT)])
    Path(f"{stem}.dict.dz").unlink()
    assert DictdFile.at(stem) is None
    assert not Dictionaries(tmp_path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    dictd = tmp_path / "dictd"
    write_dictd(
        dictd,
        "eng-bul",
        [
            ("fund", WIKDICT),
            ("enterprise", "enterprise /e/ <n>\n1. предприя́тие\ncompany\n2. инициатива\nenergy\n"),
        ],
    )
    write_dictd(dictd, "eng-por", [("enterprise", "enterprise /e/\nempresa\n")])
    return dictd


@pytest.mark.parametrize("cache", [True, False])
def test_every_direction_forwards_backwards_and_through_english(
    folder: Path, tmp_path: Path, cache: bool
):
    found = Dictionaries(folder, tmp_path / "cache" if cache else None)
    forwards = found.translate("Enterprise", "en", "bg")
    assert [c.text for c in forwards] == ["предприятие", "инициатива"]
    assert [c.sense for c in forwards] == [0, 1]
    backwards = found.translate("предприятие", "bg", "en")
    assert [(c.text, c.via) for c in backwards] == [("enterprise", "eng-bul reversed")]
    through = found.translate("предприятие", "bg", "pt")
    assert [c.text for c in through] == ["empresa"]
    assert found.translate("фонд", "bg", "en")[0].text == "fund"
    assert found.translate("nothing", "en", "bg") == []
    if cache:  # the tables were written once, and a new process reads them from the cache
        assert list((tmp_path / "cache").glob("dictd-*-freedict-eng-bul-*.sqlite3"))
        again = Dictionaries(folder, tmp_path / "cache")
        assert again.translate("предприятие", "bg", "en")[0].text == "enterprise"


def test_status_says_which_directions_exist_and_what_installing_adds(folder: Path, tmp_path: Path):
    status = Dictionaries(folder).status()
    assert status["installed"] == ["dict-freedict-eng-bul", "dict-freedict-eng-por"]
    how = {(d["from"], d["to"]): d["how"] for d in status["directions"]}
    assert how["en", "bg"] == "dictionary"
    assert how["bg", "en"] == "reversed"
    assert how["bg", "pt"] == "through English"
    assert how["el", "bg"] == "glossary only"
    missing = {m["package"] for m in status["missing"]}
    assert "dict-freedict-ell-eng" in missing
    assert status["install"].startswith("apt-get install dict-freedict-")
    empty = Dictionaries(tmp_path / "nothing-here").status()
    assert empty["installed"] == [] and len(empty["missing"]) == 7


@pytest.mark.parametrize("cache", [True, False])
def test_an_inflected_form_is_looked_up_by_the_listed_word_that_begins_the_same(
    folder: Path, tmp_path: Path, cache: bool
):
    """Headwords (English, forwards) and translations (Bulgarian, read backwards) alike; the
    shortest listed word of the longest shared beginning, never a longer derivative."""
    found = Dictionaries(folder, tmp_path / "cache" if cache else None)
    assert found.base_forms("предприятията", "bg") == ["предприятие"]
    assert found.base_forms("funds", "en") == ["fund"]
    assert found.base_forms("fun", "en") == []  # too short to take an ending off
    assert found.base_forms("инициативи", "bg") == ["инициатива"]
    assert found.base_forms("предаване", "bg") == []  # no listed word begins as it does


@pytest.mark.parametrize("cache", [True, False])
def test_a_translation_given_in_sense_after_sense_comes_before_a_rare_first_sense(
    tmp_path: Path, cache: bool
):
    """Forwards, a translation weighs by the senses that give it (the first sense most, the
    first entry most); backwards, the headwords whose entries the word is most of come first."""
    dictd = tmp_path / "dictd"
    school = (
        "school /s/ <n>\n1. ято\ngroup of fish\n2. училище\nteaching\n3. школа, училище\n"
        "followers\n4. училище, колеж\nbefore college\n"
    )
    write_dictd(
        dictd,
        "eng-bul",
        [
            ("school", school),
            ("school", "school /s/ <v>\nобучавам\nto teach\n"),
            ("throw", "throw /t/ <v>\n1. хвърлям\ncast\n2. мятам\n3. изхвърлям\n4. риск\n"),
            ("risk", "risk /r/ <n>\nриск\n"),
            ("gamble", "gamble /g/ <n>\n1. хазарт\nbet\n2. риск\nventure\n"),
        ],
    )
    found = Dictionaries(dictd, tmp_path / "cache" if cache else None)
    forwards = found.translate("school", "en", "bg")
    assert forwards[0].text == "училище"
    assert {c.text for c in forwards} == {"ято", "училище", "школа", "колеж", "обучавам"}
    shares = {c.text: c.share for c in forwards}
    assert shares["ято"] > shares["обучавам"]  # the second entry weighs half the first
    assert abs(sum(shares.values()) - 1) < 1e-9
    backwards = found.translate("риск", "bg", "en")
    assert [c.text for c in backwards] == ["risk", "gamble", "throw"]
    assert [round(c.share, 2) for c in backwards] == [1.0, 0.33, 0.12]  # of 1, 1½ and 2 1/12


def test_a_headword_is_the_base_form_before_a_word_only_given_as_a_translation(tmp_path: Path):
    dictd = tmp_path / "dictd"
    write_dictd(dictd, "ell-eng", [("συνάντηση", "συνάντηση /s/ <n>\nmeeting\n")])
    write_dictd(dictd, "eng-ell", [("met", "met /m/ <v>\nσυνάντησα\n")])
    found = Dictionaries(dictd)
    assert found.base_forms("συναντήσεις", "el") == ["συναντηση"]


def test_through_english_a_translation_sums_the_english_words_leading_to_it(tmp_path: Path):
    """ "prisão" is first an apprehension and an arrest, then a prison and a jail: "затвор",
    which both of the latter give, outweighs what either of the former gives."""
    dictd = tmp_path / "dictd"
    write_dictd(
        dictd, "por-eng", [("prisão", "prisão /p/ <n>\n1. apprehension, arrest\n2. prison, jail\n")]
    )
    write_dictd(
        dictd,
        "eng-bul",
        [
            ("apprehension", "apprehension /a/ <n>\n1. опасение\nfear\n2. разбиране\ngrasp\n"),
            ("arrest", "arrest /a/ <n>\n1. арест\n2. спиране\n"),
            ("prison", "prison /p/ <n>\nзатвор\n"),
            ("jail", "jail /j/ <n>\nзатвор\n"),
        ],
    )
    found = Dictionaries(dictd).translate("prisão", "pt", "bg")
    assert found[0].text == "затвор"
    assert found[0].via == "por-eng + eng-bul"
    assert {c.text for c in found} == {"затвор", "опасение", "разбиране", "арест", "спиране"}


def test_a_translation_many_headwords_give_is_less_likely_for_any_one_of_them(tmp_path: Path):
    """ "малко" (a little) opens the entry of "young" but is what "little", "few" and "some"
    translate to as well; "млад" translates back to "young" alone."""
    dictd = tmp_path / "dictd"
    write_dictd(
        dictd,
        "eng-bul",
        [
            ("young", "young /y/ <n>\n1. малко\noffspring\n2. млад\nin the early part of life\n"),
            ("little", "little /l/ <adv>\nмалко\n"),
            ("few", "few /f/ <adj>\nмалко\n"),
            ("some", "some /s/ <adj>\nмалко, някои\n"),
        ],
    )
    found = Dictionaries(dictd).translate("young", "en", "bg")
    assert [c.text for c in found] == ["млад", "малко"]
    assert [round(c.back, 2) for c in found] == [1.0, 0.25]


def test_headwords_of_one_family_are_no_other_meanings_of_a_translation(tmp_path: Path):
    """ "кооперация" translates back to "cooperation" as well as "cooperative": one family, not
    two meanings; "association", which gives it too, is another word."""
    dictd = tmp_path / "dictd"
    write_dictd(
        dictd,
        "eng-bul",
        [
            ("cooperative", "cooperative /c/ <n>\nкооперация\n"),
            ("cooperation", "cooperation /c/ <n>\nкооперация, сътрудничество\n"),
            ("association", "association /a/ <n>\n1. сдружение\n2. кооперация\n"),
        ],
    )
    [found] = Dictionaries(dictd).translate("cooperative", "en", "bg")
    assert found.text == "кооперация"
    assert round(found.back, 2) == 0.8  # (1 + 1) of (1 + 1 + ½)
