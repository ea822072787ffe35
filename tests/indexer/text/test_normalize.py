from indexer.models import Extracted
from indexer.text.mojibake import looks_like_mojibake, repair_mojibake
from indexer.text.normalize import clean_text, dehyphenate, normalise

BG = "Социалните иновации и социалното предприемачество в България се развиват бавно, но стабилно."
EL = "Η κοινωνική καινοτομία και οι κοινωνικές επιχειρήσεις στην Κύπρο χρειάζονται στήριξη."


def test_ligatures_quotes_and_controls_are_cleaned():
    text = "The ﬁrst “ﬂagship” ofﬁce\u00a0opened\x07 here\ufeff  today\uf001"
    assert clean_text(text) == 'The first "flagship" office opened here todayfi'


def test_whitespace_is_collapsed_but_paragraphs_kept():
    assert clean_text("a  b\t c\n\n\n\n d ") == "a b c\n\nd"


def test_line_end_hyphenation_is_joined():
    pages = ["The inno-\nvation of social enter-\nprises is measured."]
    assert dehyphenate(pages) == ["The innovation\nof social enterprises\nis measured."]


def test_real_compounds_keep_their_hyphen():
    pages = ["A multi-\nstakeholder forum.", "Another multi-stakeholder group."]
    assert dehyphenate(pages)[0] == "A multi-stakeholder\nforum."


def test_hyphen_between_names_is_kept():
    assert dehyphenate(["Bulgaria-\nIreland exchange"]) == ["Bulgaria-Ireland\nexchange"]


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


def test_accents_drawn_as_separate_glyphs_are_composed():
    from indexer.text.normalize import compose_accents

    assert (
        compose_accents("Introdu¸c˜ao aos gr´aficos poss´ıveis")
        == "Introdução aos gráficos possíveis"
    )
    assert compose_accents("mnemˆonica, pol´ıgonos, dire¸c˜oes") == "mnemônica, polígonos, direções"
    assert compose_accents("gr \u0301aficos") == "gráficos"  # a spacing accent already decomposed
    assert compose_accents("de `a medida") == "de à medida"


def test_acute_used_as_apostrophe_is_not_an_accent():
    assert clean_text("it´s Ireland´s plan") == "it's Ireland's plan"


def test_backticks_around_code_are_not_accents():
    assert clean_text("run `apt-get install` and `echo`") == "run `apt-get install` and `echo`"


def test_clean_text_is_nfc():
    import unicodedata

    text = clean_text("Introduc\u0327a\u0303o")
    assert text == "Introdução" == unicodedata.normalize("NFC", text)


def test_pdfium_line_end_hyphen_marks_are_joined_or_kept():
    pages = normalise(
        Extracted("pdf", ["It is nowa\ufffedays used by Springer\ufffeVerlag."])
    ).pages
    assert pages == ["It is nowadays\nused by Springer-Verlag."]


def test_mojibake_is_decided_for_the_whole_document():
    from indexer.text.mojibake import mojibake_codepage

    body = BG.encode("cp1251").decode("cp1252")
    # A page with a single legacy-encoded word among commands and numbers: too little to tell
    # on its own, repaired because the document as a whole is cp1251.
    sparse = "Таблица 2: npm install kb-tools 2.1 build 2022 release notes for the index".encode(
        "cp1251"
    ).decode("cp1252")
    assert repair_mojibake(sparse) == (sparse, None)
    assert mojibake_codepage([body, sparse]) == "cp1251"
    result = normalise(Extracted("pdf", [body, sparse, body]))
    assert result.pages[1].startswith("Таблица 2: npm install kb-tools")
    assert result.meta["text"]["encoding_repair"] == {"codepage": "cp1251", "pages": 3}
    assert any("whole document" in w for w in result.warnings)


def test_a_latin1_character_table_is_not_taken_for_mojibake():
    from indexer.text.mojibake import mojibake_codepage

    english = "The user guide lists the characters of the standard encoding below. " * 30
    table = "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß àáâãäåæçèéêëìíîï ðñòóôõö÷øùúûüýþÿ"
    assert mojibake_codepage([english, table, "Robert Hölzl and Germán Bravo helped."]) is None


def test_reflow_joins_lines_of_a_paragraph_and_keeps_length():
    from indexer.text.reflow import reflow

    text = (
        "The centre connects social enterprises, managing\n"
        "authorities and investors, and helps innovators\n"
        "prepare for scaling with support from ESF+.\n"
        "\n"
        "Results\n"
        "- first item of a list\n"
        "- second item of the list"
    )
    flowed = reflow(text)
    assert len(flowed) == len(text)
    assert "managing authorities and investors, and helps innovators prepare" in flowed
    assert "ESF+.\n\nResults\n- first item of a list\n- second item" in flowed


def test_line_end_hyphens_written_as_control_characters_are_joined():
    # 0x7F is where TeX fonts without a Unicode map put their hyphen; U+00AD is a soft hyphen.
    pages = normalise(
        Extracted("pdf", ["Это достаточ\x7f\nно ясно, и пала\u00ad\nвра и sepa\x7f \r\nrated."])
    ).pages
    assert pages == ["Это достаточно\nясно, и палавра\nи separated."]


def test_a_soft_hyphen_inside_a_line_is_dropped_and_a_real_compound_kept():
    pages = ["Вну\u00adтре, a multi\u00ad\nstakeholder group and another multi-stakeholder one."]
    assert normalise(Extracted("pdf", pages)).pages == [
        "Внутре, a multi-stakeholder\ngroup and another multi-stakeholder one."
    ]


def test_tex_ligature_bytes_between_letters_become_letters_and_escapes_go():
    assert clean_text("Especi\x1ccação \x1crst o\x1ecial sta\x1b.") == (
        "Especificação first official staff."
    )
    assert clean_text("colour \x1b[31mred\x1b[0m") == "colour [31mred[0m"


def test_a_word_with_a_stress_mark_is_dehyphenated_whole():
    assert dehyphenate(["уда\u0301-\nрение"]) == ["уда\u0301рение"]


def test_mojibake_decision_comes_from_runs_that_can_be_re_encoded():
    from indexer.text.mojibake import mojibake_codepage, repair_document

    ru = "В первом квадранте функция возрастает, а во втором она убывает, и это видно."
    broken = ru.encode("cp1251").decode("cp1252")
    # A real ∆ and a Greek letter glued to the legacy words cannot veto the repair.
    pages = [broken + "∆", "ε" + broken, "Hölzl: " + broken]
    assert mojibake_codepage(pages) == "cp1251"
    fixed, changed = repair_document(pages, "cp1251")
    assert fixed == [ru + "∆", "ε" + ru, "Hölzl: " + ru]  # a real Latin-1 name stays
    assert changed == 3


def test_a_joined_word_takes_the_line_break_after_it_and_reflows():
    from indexer.text.reflow import reflow

    lines = [
        "Social enterprises in the capital employ people who are far from the inno-",
        "vation, and the centre helps them to find work in the services of the city",
        "and in the companies that buy from them.",
    ]
    [page] = dehyphenate(["\n".join(lines)])
    assert page.split("\n")[:2] == [
        "Social enterprises in the capital employ people who are far from the innovation,",
        "and the centre helps them to find work in the services of the city",
    ]
    assert "\n" not in reflow(page)  # one paragraph: no line is much longer than the others


def test_each_run_of_spaces_and_tabs_becomes_one_space_and_single_spaces_stay():
    """Runs of spaces and tabs are one space each, as replacing
    every maximal run (single spaces included) gives."""
    import re

    every_run = re.compile(r"[ \t\r\f\v]+")
    texts = ["a \t b", "\t", " x ", "a\tb", "a  \t  b", "x \t \t y", "é \t  f", "a b  c"]
    for text in texts:
        page = f"first line\n{text}\nlast line"
        expected = "\n".join(line.strip() for line in every_run.sub(" ", page).split("\n"))
        assert clean_text(page) == expected, text


def test_a_page_is_cleaned_as_translating_and_substituting_everywhere_would():
    """Quotes are replaced one by one and spaces, blank lines and accents are looked at only
    where a page has them: on random text of quotes, spaces, controls, accents and marks the
    page is what translating the quotes and running every substitution on it gives."""
    import random
    import re
    import unicodedata

    from indexer.text.normalize import _QUOTES, compose_accents

    def plainly(text: str) -> str:
        text = text.replace("\ufffe", "-\n").replace("\x02", "-\n")
        text = re.sub(r"[\x7f\u00ad][ \t]*(?=\r?\n)", "-", text)
        text = compose_accents(text).replace("\uf001", "fi").replace("\ufb01", "fi")
        text = unicodedata.normalize("NFKC", text.translate(_QUOTES)).translate(_QUOTES)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = re.sub(
            r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text
        )
        text = re.sub(r" [ \t\r\f\v]+|[\t\r\f\v][ \t\r\f\v]*", " ", text)
        text = "\n".join(line.strip() for line in text.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    pieces = [
        *"aéx^`´¨˜ıÄ’„“\xa0\u2007\u202f‐‑′″\x0c\v\t\r\n\u0301\u00ad\x7f\ufb01\uf001",
        "  ",
        "\r\n",
        "\n\n\n",
        "word",
        "it´s",
        "poss´ıveis",
        "Introdu¸c˜ao",
        " \u0301a",
    ]
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert clean_text(text) == plainly(text), repr(text)
