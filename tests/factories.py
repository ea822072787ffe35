"""Real documents for tests, written on the fly: PDFs with a Unicode font, Word, OpenDocument,
HTML and legacy-encoded text. Nothing here imitates a library; every file is what the library
under test will really be given."""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style
from odf.text import H, P
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "corpus"
#: Real-world PDFs kept next to the project (``KB_PDF_SAMPLES`` overrides the location).
PDF_SAMPLES = PROJECT.parent / "shared" / "testdata" / "pdf-samples"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def font_path(name: str = "DejaVuSans.ttf") -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(
        f"{name} not found: install the DejaVu fonts (Debian package fonts-dejavu-core)"
    )


def make_pdf(
    path: Path,
    pages: list[str],
    *,
    created: datetime | None = None,
    heading: str | None = None,
    columns: int = 1,
    **info: str | None,
) -> Path:
    """A text PDF, one string per page; ``heading`` is set large on the first page. ``info``
    is the document information: ``title``, ``author``, ``subject``, ``keywords``."""
    made = _pdf_bytes(
        tuple(pages),
        created or datetime(2022, 6, 1, tzinfo=UTC),
        heading,
        columns,
        tuple(info.items()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made)
    return path


@functools.lru_cache(maxsize=64)
def _pdf_bytes(
    pages: tuple[str, ...],
    created: datetime,
    heading: str | None,
    columns: int,
    info: tuple[tuple[str, str | None], ...],
) -> bytes:
    """The bytes of `make_pdf`'s PDF. The same arguments always give the same bytes (the
    creation date is part of them), so a process makes each PDF once: setting text with an
    embedded font costs about a tenth of a second a page, and the suite asks for many PDFs
    again and again (the sample knowledge base alone is built by several modules)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_auto_page_break(False)
    setters = {
        "title": pdf.set_title,
        "author": pdf.set_author,
        "subject": pdf.set_subject,
        "keywords": pdf.set_keywords,
    }
    for key, value in info:
        if value:
            setters[key](value)
    pdf.set_creation_date(created)
    for number, text in enumerate(pages):
        pdf.add_page()
        if number == 0 and heading:
            pdf.set_font("DejaVu", size=22)
            pdf.multi_cell(0, 11, heading)
            pdf.ln(4)
        pdf.set_font("DejaVu", size=10)
        if columns > 1:
            with pdf.text_columns(ncols=columns, gutter=8) as cols:
                cols.write(text)
        else:
            pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


#: In the text of `make_legacy_pdf`, what stands between these brackets is set in a font that
#: has a Unicode map (a symbol, a logo's letter from another font).
UNICODE_PIECE = re.compile(r"⟦(.*?)⟧", re.S)


def make_legacy_pdf(path: Path, text: str | list[str], codepage: str) -> Path:
    """A PDF whose font has no Unicode map: the text's bytes in ``codepage`` set in Helvetica,
    as old documents made with non-Unicode Cyrillic or Greek fonts are. A list is one page
    per item; pieces written ``⟦…⟧`` are set in DejaVu, with a Unicode map, on the same line.
    Control characters are written as the bytes they are (a TeX font's ligatures at 0x1B–0x1F,
    its hyphen at 0x7F)."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    for page in [text] if isinstance(text, str) else text:
        pdf.add_page()
        pieces = UNICODE_PIECE.split(page)
        for i, piece in enumerate(pieces):
            if not piece:
                continue
            if i % 2:
                pdf.set_font("DejaVu", size=11)
                pdf.write(6, piece)
                continue
            pdf.set_font("Helvetica", size=11)
            for n, line in enumerate(piece.split("\n")):
                if n:
                    pdf.ln(6)
                pdf.write(6, line.encode(codepage).decode("latin-1"))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


#: The spacing accent glyph an older TeX font draws for each combining mark.
_TEX_ACCENTS = {
    "\u0301": "\u00b4",
    "\u0300": "`",
    "\u0302": "\u02c6",
    "\u0303": "\u02dc",
    "\u0308": "\u00a8",
    "\u0327": "\u00b8",
}


def make_tex_accent_pdf(path: Path, lines: list[str], size: float = 12) -> Path:
    """A PDF set the way older TeX fonts set accented letters: the accent is a glyph of its own,
    drawn before the base letter (an i loses its dot), over the letter's place. Text layers then
    read "gr´aficos" and "Introdu¸c˜ao" while the page looks right."""
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(font_path()))
    pdf.set_font("DejaVu", size=size)
    pdf.add_page()
    y = 30.0
    for line in lines:
        x, run, run_x = 20.0, "", 20.0
        chars = list(unicodedata.normalize("NFD", line))
        i = 0
        while i < len(chars):
            base = chars[i]
            marks = []
            while i + 1 < len(chars) and chars[i + 1] in _TEX_ACCENTS:
                marks.append(chars[i + 1])
                i += 1
            if not marks:
                if not run:
                    run_x = x
                run += base
                x += pdf.get_string_width(base)
                i += 1
                continue
            if run:
                pdf.text(run_x, y, run)
                run = ""
            glyph = "\u0131" if base == "i" else base
            width = pdf.get_string_width(glyph)
            for mark in marks:
                accent = _TEX_ACCENTS[mark]
                pdf.text(x + (width - pdf.get_string_width(accent)) / 2, y, accent)
            pdf.text(x, y, glyph)
            x += width
            i += 1
        if run:
            pdf.text(run_x, y, run)
        y += size * 0.6
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_dense_pdf(path: Path, lines: int = 900, size: float = 0.9) -> Path:
    """One A4 page of microscopic text: about 2.5 million characters in a file of some 14 KB
    (the text compresses well), as a hostile upload could hold."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(2, 2)
    pdf.add_page()
    pdf.set_font("Helvetica", size=size)
    words = ["outcome", "payment", "results", "provider", "contract", "verification", "investor"]
    line = " ".join(words[i % len(words)] for i in range(300))
    for n in range(lines):
        pdf.text(2, 2 + n * size * 0.35, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_image_pdf(
    path: Path,
    text: str | list[str],
    pages: int = 1,
    text_layer: list[str] | None = None,
    stamp: str | None = None,
) -> Path:
    """A 'scanned' PDF: each page is a picture of text, with no text layer (a list of texts is
    one page each). ``text_layer`` adds ordinary text pages before the scanned ones; ``stamp``
    is a line of real text a scanner adds at the foot of each scanned page."""
    font = ImageFont.truetype(str(font_path()), 28)
    pdf = FPDF(format="A4")
    for page in text_layer or []:
        pdf.add_font("DejaVu", fname=str(font_path()))
        pdf.set_font("DejaVu", size=10)
        pdf.add_page()
        pdf.multi_cell(0, 5, page)
    texts = [text] * pages if isinstance(text, str) else text
    for page in texts:
        image = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(image)
        draw.multiline_text((80, 80), page, fill=0, font=font, spacing=10)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=297)
        if stamp:
            pdf.set_font("Helvetica", size=7)
            pdf.text(170, 290, stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def make_picture(
    path: Path, texts: str | list[str], *, width: int = 1240, turned: bool = False
) -> Path:
    """A page photographed or scanned into a picture file, of the kind its suffix names; a
    list of texts makes a multi-page TIFF. ``turned``: stored on its side with the EXIF
    orientation a phone camera records, so that it shows upright."""
    font = ImageFont.truetype(str(font_path()), round(28 * width / 1240))
    frames = []
    for text in [texts] if isinstance(texts, str) else texts:
        image = Image.new("RGB", (width, round(width * 1.414)), "white")
        ImageDraw.Draw(image).multiline_text(
            (width // 15, width // 15), text, fill="black", font=font, spacing=10
        )
        frames.append(image)
    extra: dict[str, Any] = {}
    if turned:
        frames = [f.transpose(Image.Transpose.ROTATE_90) for f in frames]
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: turn 90° clockwise to show
        extra["exif"] = exif
    if len(frames) > 1:
        extra.update(save_all=True, append_images=frames[1:])
    path.parent.mkdir(parents=True, exist_ok=True)
    frames[0].save(path, **extra)
    return path


def encrypt_pdf(
    source: Path, target: Path, user_password: str, owner_password: str = "owner"
) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with target.open("wb") as fh:
        writer.write(fh)
    return target


def truncate(source: Path, target: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def make_docx(
    path: Path,
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    heading: str | None = None,
    table: list[list[str]] | None = None,
) -> Path:
    """A Word document; each inner list is the paragraphs of one page (explicit page breaks)."""
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=0)
    for number, paragraphs in enumerate(pages):
        if number:
            document.add_page_break()
        for text in paragraphs:
            document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    if title:
        document.core_properties.title = title
    if author:
        document.core_properties.author = author
    document.core_properties.created = datetime(2022, 3, 4, tzinfo=UTC)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def make_odt(
    path: Path, pages: list[list[str]], *, title: str | None = None, heading: str | None = None
) -> Path:
    """An OpenDocument text; pages are separated by a paragraph style that breaks the page."""
    from odf.dc import Title

    doc = OpenDocumentText()
    breaker = Style(name="PageBreak", family="paragraph")
    breaker.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(breaker)
    if heading:
        doc.text.addElement(H(outlinelevel=1, text=heading))
    for number, paragraphs in enumerate(pages):
        for i, text in enumerate(paragraphs):
            if number and i == 0:
                doc.text.addElement(P(stylename=breaker, text=text))
            else:
                doc.text.addElement(P(text=text))
    if title:
        doc.meta.addElement(Title(text=title))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def make_xlsx(path: Path, sheets: dict[str, list[list[Any]]], *, title: str | None = None) -> Path:
    """An Excel workbook, one sheet per entry (rows of cell values), written by openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if title:
        book.properties.title = title
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def make_ods(path: Path, sheets: dict[str, list[list[Any]]], *, title: str | None = None) -> Path:
    """An OpenDocument spreadsheet, one table per entry; numbers are float cells, an empty
    value an empty cell repeated, as spreadsheet programs pad a row."""
    from odf.dc import Title
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell(numbercolumnsrepeated=3))
                    continue
                if isinstance(value, int | float):  # shown as a spreadsheet program shows it
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=format(value, "g")))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=value))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    if title:
        doc.meta.addElement(Title(text=title))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def make_eml(
    path: Path,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] | list[tuple[str, str, bytes]] = (),
) -> Path:
    """An e-mail message as a mail program saves it: plain body (and an HTML alternative),
    attachments given as (file name, MIME type, bytes)."""
    from email.message import EmailMessage
    from email.utils import format_datetime

    message = EmailMessage()
    message["From"] = "Мария Петрова <maria@example.org>"
    message["To"] = "centre@example.org"
    message["Date"] = format_datetime(datetime(2023, 5, 17, 9, 30, tzinfo=UTC))
    message["Subject"] = subject
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, mime, data in attachments:
        main, sub = mime.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(message))
    return path


def make_html(path: Path, title: str, body: str, lang: str = "en", encoding: str = "utf-8") -> Path:
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="{encoding}">'
        f'<title>{title}</title><meta name="author" content="Test Author">'
        "<style>body{color:red}</style><script>var hidden = 'script text';</script></head>"
        f"<body><nav>Menu Home About</nav><h1>{title}</h1><p>{body}</p></body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(html.encode(encoding))
    return path


def make_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# Sample sentences -------------------------------------------------------------------------------
TEXTS = {
    "en": (
        "Social innovation ecosystems in early-stage member states need a national competence "
        "centre. The centre connects social enterprises, managing authorities and investors, "
        "and helps innovators prepare for scaling with support from ESF+."
    ),
    "bg": (
        "Социалните иновации в България се нуждаят от национален център за компетентност. "
        "Центърът свързва социалните предприятия, управляващите органи и инвеститорите и "
        "подпомага иноваторите при скалирането на техните решения с подкрепа от ЕСФ+."
    ),
    "el": (
        "Οι κοινωνικές καινοτομίες στην Κύπρο χρειάζονται ένα εθνικό κέντρο ικανοτήτων. "
        "Το κέντρο συνδέει τις κοινωνικές επιχειρήσεις, τις διαχειριστικές αρχές και τους "
        "επενδυτές και στηρίζει την κλιμάκωση των λύσεων με πόρους του ΕΚΤ+."
    ),
    "pt": (
        "As inovações sociais em Portugal precisam de um centro nacional de competências. "
        "O centro liga as empresas sociais, as autoridades de gestão e os investidores e "
        "apoia a escala das soluções com financiamento do FSE+."
    ),
}
