"""The forms an English word is looked up under: base forms by English's rules and the other
spelling, never a longer or shorter word that merely begins the same."""

import pytest

from indexer.translation.english import forms, inflections, spellings


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("children", "child"),
        ("women", "woman"),
        ("said", "say"),
        ("paid", "pay"),
        ("bought", "buy"),
        ("volunteers", "volunteer"),
        ("boxes", "box"),
        ("tomatoes", "tomato"),
        ("classes", "class"),
        ("courses", "course"),
        ("families", "family"),
        ("carried", "carry"),
        ("shelves", "shelf"),
        ("lives", "life"),
        ("running", "run"),
        ("planned", "plan"),
        ("selling", "sell"),
        ("making", "make"),
        ("visiting", "visit"),
        ("trained", "train"),
        ("discussed", "discuss"),
    ],
)
def test_an_inflected_word_has_its_base_form_among_its_forms(word: str, base: str):
    assert base in inflections(word)
    assert forms(word)[0] == word


def test_the_likelier_base_form_comes_first():
    """ "using" and "uses" are "use" before they are "us"; "hoping" is "hope"."""
    assert inflections("using").index("use") < inflections("using").index("us")
    assert inflections("uses").index("use") < inflections("uses").index("us")
    assert inflections("hoping")[0] == "hope"


def test_short_words_and_words_without_an_ending_are_left_alone():
    assert inflections("bus") == []
    assert inflections("status") == []
    assert inflections("analysis") == []
    assert inflections("partner") == []


def test_british_and_american_spellings_are_both_looked_up():
    assert "center" in spellings("centre")
    assert "centre" in spellings("center")
    assert "organization" in forms("organisations")
    assert "program" in forms("programmes")
    assert "neighbor" in forms("neighbours")
    assert "travel" in forms("travelled")
    assert "analyze" in forms("analysed")
