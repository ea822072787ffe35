from datetime import UTC, datetime

import pytest

from indexer.errors import (
    EmptyDocument,
    EncryptedDocument,
    ExtractionError,
    NeedsOcr,
    UnsupportedFormat,
)
from indexer.ingest.extract import extract
from indexer.ingest.preparing.file_text import process_file
from indexer.models import ExtractOptions
from tests.factories import (
    TEXTS,
    encrypt_pdf,
    make_docx,
    make_eml,
    make_html,
    make_image_pdf,
    make_legacy_pdf,
    make_ods,
    make_odt,
    make_pdf,
    make_tex_accent_pdf,
    make_text,
    make_xlsx,
    truncate,
)


@pytest.mark.parametrize("lang", ["en", "bg", "el", "pt"])
def test_pdf_in_each_language_keeps_its_pages_and_text(tmp_path, lang):
    path = make_pdf(tmp_path / f"doc_{lang}.pdf", [TEXTS[lang], "Second page. " + TEXTS[lang]])
    result = process_file(path, 100)
    assert [p.number for p in result.pages] == [1, 2]
    first_words = TEXTS[lang].split()[:4]
    assert " ".join(result.pages[0].text.split()[:4]) == " ".join(first_words)
    assert result.language == lang
    assert result.pages[1].text.startswith("Second page.")


def test_pdf_embedded_metadata_and_heading(tmp_path):
    path = make_pdf(
        tmp_path / "meta.pdf",
        [TEXTS["en"]],
        title="Embedded Title",
        author="Rethink Ireland",
        subject="Subject line",
        keywords="scaling, readiness",
        created=datetime(2021, 11, 5, tzinfo=UTC),
        heading="Mapping the Ecosystem",
    )
    meta = extract(path, 10).meta
    assert meta["title"] == "Embedded Title"
    assert meta["author"] == "Rethink Ireland"
    assert meta["subject"] == "Subject line"
    assert meta["keywords"] == "scaling, readiness"
    assert meta["created"].startswith("2021-11-05")
    assert meta["heading"] == "Mapping the Ecosystem"


def test_two_column_page_reads_column_by_column(tmp_path):
    left = "Alpha " * 150
    right = "Omega " * 150
    path = make_pdf(tmp_path / "cols.pdf", [left + right], columns=2)
    text = extract(path, 10).pages[0]
    assert text.index("Alpha") < text.index("Omega")
    assert text.count("Alpha") == 150


def test_hyphenated_lines_and_ligatures_come_out_joined(tmp_path):
    path = make_pdf(
        tmp_path / "hy.pdf", ["The social inno-\nvation of ﬁnancial ﬂows was eva-\nluated."]
    )
    text = process_file(path, 10).pages[0].text
    assert "innovation" in text
    assert "evaluated" in text
    assert "financial flows" in text


def test_legacy_cyrillic_pdf_is_repaired_and_detected_as_bulgarian(tmp_path):
    path = make_legacy_pdf(tmp_path / "old.pdf", TEXTS["bg"], "cp1251")
    raw = extract(path, 10).pages[0]
    assert "Социалните" not in raw  # the file really is mojibake
    result = process_file(path, 10)
    assert "Социалните иновации в България" in result.pages[0].text
    assert result.language == "bg"
    assert any("cp1251" in w for w in result.warnings)


def test_legacy_greek_pdf_is_repaired(tmp_path):
    path = make_legacy_pdf(tmp_path / "old_el.pdf", TEXTS["el"], "cp1253")
    result = process_file(path, 10)
    assert "κοινωνικές καινοτομίες" in result.pages[0].text
    assert result.language == "el"


def test_pdf_encrypted_with_empty_user_password_opens(tmp_path):
    plain = make_pdf(tmp_path / "p.pdf", [TEXTS["en"]])
    locked = encrypt_pdf(plain, tmp_path / "aes.pdf", user_password="")
    assert "competence" in extract(locked, 10).pages[0]


def test_pdf_with_password_is_reported_as_encrypted(tmp_path):
    plain = make_pdf(tmp_path / "p.pdf", [TEXTS["en"]])
    locked = encrypt_pdf(plain, tmp_path / "secret.pdf", user_password="s3cret")
    with pytest.raises(EncryptedDocument, match="password"):
        extract(locked, 10)


def test_truncated_pdf_fails_with_a_reason(tmp_path):
    full = make_pdf(tmp_path / "full.pdf", [TEXTS["en"]] * 3)
    broken = truncate(full, tmp_path / "broken.pdf", keep=0.3)
    with pytest.raises(ExtractionError) as info:
        extract(broken, 10)
    assert str(info.value)


def test_file_that_is_not_a_pdf(tmp_path):
    fake = make_text(tmp_path / "fake.pdf", "just some text")
    with pytest.raises(ExtractionError, match="not a PDF"):
        extract(fake, 10)


def test_image_only_pdf_needs_ocr_when_ocr_is_off(tmp_path):
    path = make_image_pdf(tmp_path / "scan.pdf", "Signed minutes\nNicosia 2022", pages=2)
    with pytest.raises(NeedsOcr, match=r"needs OCR.*KB_OCR"):
        extract(path, 10, ExtractOptions(ocr=False))


def test_empty_and_unsupported_files(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(EmptyDocument):
        extract(empty, 10)
    sheet = make_text(tmp_path / "budget.xls", "PK")
    with pytest.raises(UnsupportedFormat, match=r"save it as \.xlsx or \.ods"):
        extract(sheet, 10)


SHEETS = {
    "Budget": [
        ["Line", "Amount (EUR)", "Year"],
        ["Mentoring of social enterprises", 12500.0, 2023],
        [None],
        ["Impact bond feasibility study", 8000.5, 2024],
    ],
    "Empty": [],
    "Индикатори": [["Пловдив", 17], ["Стара Загора", 4]],
}


@pytest.mark.parametrize("maker", [make_xlsx, make_ods])
def test_a_spreadsheet_is_a_page_per_sheet_with_its_cells_as_text(tmp_path, maker):
    suffix = "xlsx" if maker is make_xlsx else "ods"
    path = maker(tmp_path / f"annex.{suffix}", SHEETS, title="Annex 2: budget")
    result = extract(path, 10)
    assert result.format == suffix
    assert len(result.pages) == 2  # the empty sheet is no page
    budget = result.pages[0].splitlines()
    assert budget[0] == "Budget" and budget[1] == "Line | Amount (EUR) | Year"
    assert budget[2] == "Mentoring of social enterprises | 12500 | 2023"
    assert "Impact bond feasibility study | 8000.5 | 2024" in budget
    assert result.pages[1].splitlines() == ["Индикатори", "Пловдив | 17", "Стара Загора | 4"]
    assert result.meta["title"] == "Annex 2: budget"
    assert extract(path, 1).pages == result.pages[:1]
    assert "only the first 1 of 2 sheets" in extract(path, 1).warnings[0]


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_damaged_or_empty_spreadsheet_says_so(tmp_path, suffix):
    bad = make_text(tmp_path / f"bad.{suffix}", "PK not a workbook")
    with pytest.raises(ExtractionError, match="damaged or not an"):
        extract(bad, 10)
    maker = make_xlsx if suffix == "xlsx" else make_ods
    blank = maker(tmp_path / f"blank.{suffix}", {"Sheet1": [[None]]})
    with pytest.raises(EmptyDocument, match="no cells with values"):
        extract(blank, 10)


def test_docx_pages_tables_and_properties(tmp_path):
    path = make_docx(
        tmp_path / "w.docx",
        [[TEXTS["bg"], "Втори абзац."], ["Трета страница."]],
        title="Резюме от консултацията",
        author="BCause",
        heading="Консултация",
        table=[["Град", "Участници"], ["Пловдив", "17"]],
    )
    result = extract(path, 10)
    assert len(result.pages) == 2
    assert "Втори абзац." in result.pages[0]
    assert "Пловдив | 17" in result.pages[1]
    assert result.meta["title"] == "Резюме от консултацията"
    assert result.meta["author"] == "BCause"
    assert result.meta["heading"] == "Консултация"
    assert result.meta["created"].startswith("2022-03-04")


def test_damaged_docx(tmp_path):
    bad = make_text(tmp_path / "bad.docx", "not a zip file at all")
    with pytest.raises(ExtractionError, match="Word"):
        extract(bad, 10)


def test_odt_pages_and_title(tmp_path):
    path = make_odt(
        tmp_path / "o.odt",
        [[TEXTS["pt"]], ["Segunda página."]],
        title="Consulta",
        heading="Síntese",
    )
    result = extract(path, 10)
    assert len(result.pages) == 2
    assert result.pages[1] == "Segunda página."
    assert result.meta["title"] == "Consulta"
    assert result.meta["heading"] == "Síntese"


def test_html_visible_text_only(tmp_path):
    path = make_html(
        tmp_path / "n.html", "Новина за центъра", TEXTS["bg"], lang="bg", encoding="windows-1251"
    )
    result = extract(path, 10)
    text = result.pages[0]
    assert "Социалните иновации" in text
    assert "script text" not in text and "color:red" not in text and "Menu Home" not in text
    assert result.meta["title"] == "Новина за центъра"
    assert result.meta["language"] == "bg"
    assert result.meta["author"] == "Test Author"


def test_cp1251_text_file_is_detected_not_assumed(tmp_path):
    path = make_text(tmp_path / "protokol.txt", TEXTS["bg"] * 3, encoding="cp1251")
    result = process_file(path, 10)
    assert result.pages[0].text.startswith("Социалните иновации")
    assert result.language == "bg"


def test_utf16_and_form_feed_pages(tmp_path):
    path = make_text(tmp_path / "u.txt", "\ufeff" + TEXTS["en"] + "\f" + TEXTS["pt"], "utf-16-le")
    result = process_file(path, 10)
    assert [p.language for p in result.pages] == ["en", "pt"]


def test_markdown_front_matter_and_heading(tmp_path):
    path = make_text(
        tmp_path / "n.md",
        "---\ntitle: Notícia de Lisboa\ndate: 2022-05-12\n---\n# Encontro em Lisboa\n\n"
        "Texto com **negrito** e [ligação](https://example.org).\n",
    )
    result = extract(path, 10)
    assert result.meta["title"] == "Notícia de Lisboa"
    assert result.meta["created"] == "2022-05-12"
    assert "negrito" in result.pages[0] and "**" not in result.pages[0]
    assert "ligação" in result.pages[0] and "example.org" not in result.pages[0]


def test_tex_style_accents_come_out_composed(tmp_path):
    path = make_tex_accent_pdf(
        tmp_path / "tex_pt.pdf",
        [
            "Introdução aos gráficos possíveis e à notação mnemônica.",
            "A direção das publicações, polígonos e até não.",
        ],
    )
    from pypdf import PdfReader

    assert "gr´aficos" in PdfReader(str(path)).pages[0].extract_text()  # really set that way
    text = process_file(path, 10).pages[0].text
    for word in ("Introdução", "gráficos", "possíveis", "à", "notação", "mnemônica", "direção"):
        assert word in text.split() or word + "." in text.split() or word in text, word
    assert "publicações," in text and "polígonos" in text and "não." in text
    assert "´" not in text and "˜" not in text and "¸" not in text


def test_cp1251_font_without_unicode_map_on_every_page(tmp_path):
    pages = [
        TEXTS["bg"],
        "Таблица 2: npm install kb-tools 2.1 build 2022 release notes for the index",
        "Плащането според резултатите свързва финансирането с постигнатите резултати.",
    ]
    path = make_legacy_pdf(tmp_path / "legacy.pdf", pages, "cp1251")
    assert "Таблица" not in extract(path, 10).pages[1]  # mojibake on every page
    result = process_file(path, 10)
    assert result.pages[1].text.startswith("Таблица 2")
    assert "постигнатите резултати" in result.pages[2].text
    assert result.meta["text"]["encoding_repair"] == {"codepage": "cp1251", "pages": 3}
    assert result.language == "bg"


RU = (
    "В первом квадранте функция возрастает, а во втором она убывает. Это легко увидеть на "
    "графике, который мы построили для этого случая, и теорема доказана полностью."
)
UK = (
    "Пам'ять про громаду і її ґанок: соціальні підприємства в Україні створюють робочі "
    "місця для людей, яким важко знайти роботу, і це їхня головна мета."
)


def test_a_symbol_or_a_letter_of_another_font_cannot_veto_the_legacy_repair(tmp_path):
    pages = [
        RU + " Приращение⟦∆⟧х мало.",  # a real ∆, glued to legacy text
        "⟦ε⟧Логотип издательства. " + RU,  # one Greek letter of a logo, glued too
        "Таблица 3 ⟦∆ ε⟧ " + RU,
        "x = 2, y = 3; печать",  # a page with too little to tell on its own
    ]
    path = make_legacy_pdf(tmp_path / "book.pdf", pages, "cp1251")
    assert "квадранте" not in extract(path, 10).pages[0]  # the file really is mojibake
    result = process_file(path, 10)
    texts = [page.text for page in result.pages]
    assert all("В первом квадранте функция возрастает" in text for text in texts[:3])
    assert "Приращение∆х мало" in texts[0]
    assert texts[1].startswith("εЛоготип издательства.")
    assert "∆ ε" in texts[2]
    assert texts[3].endswith("печать")
    assert result.meta["text"]["encoding_repair"] == {"codepage": "cp1251", "pages": 4}
    assert any("cp1251" in w and "whole document" in w for w in result.warnings)
    assert result.language == "ru"


def test_legacy_greek_with_a_symbol_of_another_font_is_repaired(tmp_path):
    el = TEXTS["el"]
    pages = [el + " Η μεταβολή ⟦∆⟧x είναι μικρή.", "⟦Ж⟧" + el]
    path = make_legacy_pdf(tmp_path / "el.pdf", pages, "cp1253")
    result = process_file(path, 10)
    assert all("κοινωνικές καινοτομίες" in page.text for page in result.pages)
    assert "Η μεταβολή ∆x είναι μικρή." in result.pages[0].text
    assert result.meta["text"]["encoding_repair"]["codepage"] == "cp1253"
    assert result.language == "el"


def test_legacy_ukrainian_letters_and_apostrophes_are_repaired(tmp_path):
    path = make_legacy_pdf(tmp_path / "uk.pdf", [UK, UK], "cp1251")
    result = process_file(path, 10)
    assert "Пам'ять про громаду і її ґанок" in result.pages[0].text
    assert result.language == "uk"


def test_tex_ligature_bytes_become_their_letters(tmp_path):
    text = "A Especi\x1ccação do \x1crst o\x1ecial cli\x1d e\x1ecient ba\x1fed sta\x1b."
    path = make_legacy_pdf(tmp_path / "lig.pdf", [text], "cp1252")
    assert "\x1c" in extract(path, 10).pages[0]  # the text layer gives the bytes
    page = process_file(path, 10).pages[0].text
    assert page == "A Especificação do first official clifl efficient baffled staff."


def test_text_layer_comes_from_pdfium_and_is_recorded(tmp_path):
    path = make_pdf(tmp_path / "doc.pdf", [TEXTS["en"]])
    result = process_file(path, 10)
    assert result.meta["text"]["layer"] == "pdfium"
    assert result.meta["text"]["language_shares"] == {"en": 1.0}
    assert "ocr" not in result.meta["text"]


def test_an_email_is_its_message_and_its_text_attachments(tmp_path):
    path = make_eml(
        tmp_path / "minutes.eml",
        "Протокол от срещата в Пловдив",
        "Здравейте,\nизпращам протокола от срещата за социалните предприятия.\n",
        html="<p>Здравейте, <b>изпращам</b> протокола.</p>",
        attachments=[
            ("indicators.csv", "text/csv", "region,enterprises\nПловдив,17\n".encode()),
            ("budget.pdf", "application/pdf", b"%PDF-1.4 not read here"),
        ],
    )
    result = extract(path, 10)
    assert result.format == "eml" and len(result.pages) == 2
    first = result.pages[0]
    assert first.startswith("From: Мария Петрова <maria@example.org>\nTo: centre@example.org")
    assert "Subject: Протокол от срещата в Пловдив" in first
    assert "изпращам протокола от срещата за социалните предприятия." in first
    assert "<b>" not in first  # the plain body, not the HTML one
    assert result.pages[1] == "indicators.csv\n\nregion,enterprises\nПловдив,17"
    assert result.meta["title"] == "Протокол от срещата в Пловдив"
    assert result.meta["author"] == "Мария Петрова"
    assert result.meta["created"].startswith("2023-05-17T09:30")
    assert any("budget.pdf" in w and "not read" in w for w in result.warnings)


def test_an_html_only_email_is_read_as_shown_and_a_non_email_says_so(tmp_path):
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Νέα από το κέντρο"
    message.set_content(
        "<html><body><p>Η κοινωνική καινοτομία στην Κύπρο.</p></body></html>",
        subtype="html",
        charset="iso-8859-7",
    )
    path = tmp_path / "news.eml"
    path.write_bytes(bytes(message))
    result = extract(path, 10)
    assert result.pages[0] == "Subject: Νέα από το κέντρο\n\nΗ κοινωνική καινοτομία στην Κύπρο."
    with pytest.raises(ExtractionError, match="not an e-mail"):
        extract(make_text(tmp_path / "notes.eml", "just some words\nand more"), 10)
    with pytest.raises(EmptyDocument, match="no text"):
        extract(make_eml(tmp_path / "blank.eml", "Hello", ""), 10)


def test_a_forwarded_message_is_a_page_of_its_own(tmp_path):
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"] = "board@example.org"
    inner["Subject"] = "Decision on the Gabrovo grant"
    inner.set_content("The board approved the grant for the Gabrovo cooperative.")
    outer = EmailMessage()
    outer["From"] = "centre@example.org"
    outer["Subject"] = "Fwd: Decision on the Gabrovo grant"
    outer.set_content("See the decision below.")
    outer.add_attachment(inner)
    path = tmp_path / "fwd.eml"
    path.write_bytes(bytes(outer))
    result = extract(path, 10)
    assert len(result.pages) == 2 and result.meta["title"] == "Fwd: Decision on the Gabrovo grant"
    assert result.pages[1] == (
        "From: board@example.org\nSubject: Decision on the Gabrovo grant\n\n"
        "The board approved the grant for the Gabrovo cooperative."
    )


#: The readers' libraries, each tens of megabytes once loaded.
READER_LIBRARIES = ("openpyxl", "odf", "docx", "pypdf", "pypdfium2", "PIL")


def _loaded_after(tmp_path, code):
    """The reader libraries a fresh interpreter has loaded after running ``code``."""
    import subprocess
    import sys
    from pathlib import Path

    script = (
        f"import sys\n{code}\nprint(' '.join(m for m in {READER_LIBRARIES!r} if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[4]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_the_indexing_machinery_loads_no_file_reader_until_a_file_needs_it(tmp_path):
    # The process that writes the index reads no file: it carries none of the readers.
    assert _loaded_after(tmp_path, "import indexer.cli, indexer.ingest.run") == set()
    # A worker given text files loads no PDF parser, workbook reader or XML toolkit.
    text = make_text(tmp_path / "note.txt", TEXTS["en"])
    code = (
        "from pathlib import Path\nfrom indexer.ingest.preparing.worker_process import serve\n"
        "from indexer.ingest.preparing.file_text import process_file\n"
        f"assert process_file(Path({str(text)!r}), 10).pages"
    )
    assert _loaded_after(tmp_path, code) == set()
    # A workbook loads its own reader when one comes, and is read as before.
    sheet = make_xlsx(
        tmp_path / "figures.xlsx", {"Budget": [["Region", "Budget"], ["North", 1200]]}
    )
    code = (
        "from pathlib import Path\nfrom indexer.ingest.preparing.file_text import process_file\n"
        f"assert 'North' in process_file(Path({str(sheet)!r}), 10).pages[0].text"
    )
    assert "openpyxl" in _loaded_after(tmp_path, code)


def test_markdown_is_stripped_as_running_every_pattern_on_every_page_would():
    """A Markdown pattern runs only on a page that has the characters its matches need: on
    random Markdown of every mark, the text is what running each pattern in turn gives."""
    import random

    from indexer.ingest.extract.text import _MD_MARKUP, strip_markdown

    pieces = [*"*_#>-|:`![]() \nab", "**", "__", "---", "](", "\n# ", "> ", "\n|---|", "é"]
    rng = random.Random(1)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        expected = text
        for pattern, repl, _needed in _MD_MARKUP:
            expected = pattern.sub(repl, expected)
        assert strip_markdown(text) == expected, repr(text)
