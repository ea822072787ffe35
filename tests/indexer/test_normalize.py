from indexer.models import Extracted
from indexer.normalize import (
    clean_text,
    dehyphenate,
    looks_like_mojibake,
    normalise,
    repair_mojibake,
)

BG = "Социалните иновации и социалното предприемачество в България се развиват бавно, но стабилно."
EL = "Η κοινωνική καινοτομία και οι κοινωνικές επιχειρήσεις στην Κύπρο χρειάζονται στήριξη."


def test_ligatures_quotes_and_controls_are_cleaned():
    text = "The ﬁrst “ﬂagship” ofﬁce\u00a0opened\x07 here\ufeff  today\uf001"
    assert clean_text(text) == 'The first "flagship" office opened here todayfi'


def test_whitespace_is_collapsed_but_paragraphs_kept():
    assert clean_text("a  b\t c\n\n\n\n d ") == "a b c\n\nd"


def test_line_end_hyphenation_is_joined():
    pages = ["The inno-\nvation of social enter-\nprises is measured."]
    assert dehyphenate(pages) == ["The innovation of social enterprises is measured."]


def test_real_compounds_keep_their_hyphen():
    pages = ["A multi-\nstakeholder forum.", "Another multi-stakeholder group."]
    assert dehyphenate(pages)[0] == "A multi-stakeholder forum."


def test_hyphen_between_names_is_kept():
    assert dehyphenate(["Bulgaria-\nIreland exchange"]) == ["Bulgaria-Ireland exchange"]


def test_cyrillic_mojibake_is_repaired():
    broken = BG.encode("cp1251").decode("cp1252", errors="replace")
    assert looks_like_mojibake(broken)
    fixed, codepage = repair_mojibake(broken)
    assert codepage == "cp1251"
    assert fixed == BG


def test_greek_mojibake_is_repaired():
    broken = EL.encode("cp1253").decode("latin-1")
    fixed, codepage = repair_mojibake(broken)
    assert codepage == "cp1253"
    assert fixed == EL


def test_portuguese_is_not_mistaken_for_mojibake():
    text = (
        "A inovação social em Portugal é uma área de políticas públicas com instrumentos próprios."
    )
    assert repair_mojibake(text) == (text, None)


def test_normalise_reports_the_repair_and_fixes_metadata():
    broken = BG.encode("cp1251").decode("cp1252", errors="replace")
    result = normalise(Extracted("pdf", [broken], meta={"title": broken}))
    assert result.pages == [BG]
    assert result.meta["title"] == BG
    assert any("cp1251" in w for w in result.warnings)
