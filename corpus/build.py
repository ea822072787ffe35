"""Regenerate every document of the sample corpus from the text sources in ``sources/``.

    python corpus/build.py            # all documents
    python corpus/build.py strategic  # only outputs whose path contains "strategic"

Needs the project's test extras (fpdf2, pyphen) and the DejaVu fonts (Debian: fonts-dejavu-core).
The sources are written in a small Markdown dialect (front matter; #/##/### headings; paragraphs;
"- " and "1. " lists; pipe tables; "> " boxes). Each output format imitates how editors really
receive documents: PDF reports with a cover, a table of contents, running headers and page
numbers (one in two columns, some hyphenated, some with typographic ligatures, some with a
missing or wrong embedded title), Word and OpenDocument working papers, web pages, Markdown and
plain text — one in the old Windows Cyrillic code page —, a slide deck, a scanned page with no
text layer, and a password-protected file. Output is deterministic: the same sources give the
same text, page for page.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import docx
import pyphen
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from odf import teletype
from odf.dc import Creator, Date, Description, Language, Subject, Title
from odf.meta import CreationDate, InitialCreator, Keyword
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

NOTICE = {
    "en": "Sample content: written for the demonstration knowledge base of the national "
    "competence centres for social innovation. Not an official publication of the FUSE project "
    "or its partners.",
    "bg": "Примерно съдържание: текстът е написан за демонстрационната база знания на "
    "националните центрове за компетентност в областта на социалните иновации. Не е официална "
    "публикация на проекта FUSE или на неговите партньори.",
    "el": "Δείγμα περιεχομένου: το κείμενο γράφτηκε για τη δοκιμαστική βάση γνώσεων των εθνικών "
    "κέντρων ικανοτήτων για την κοινωνική καινοτομία. Δεν αποτελεί επίσημη δημοσίευση του έργου "
    "FUSE ή των εταίρων του.",
    "pt": "Conteúdo de exemplo: texto escrito para a base de conhecimento de demonstração dos "
    "centros nacionais de competências para a inovação social. Não é uma publicação oficial do "
    "projeto FUSE nem dos seus parceiros.",
}
CONTENTS = {"en": "Contents", "bg": "Съдържание", "el": "Περιεχόμενα", "pt": "Índice"}
PAGE = {"en": "Page", "bg": "Страница", "el": "Σελίδα", "pt": "Página"}
ABOUT = {
    "en": "About this document",
    "bg": "За документа",
    "el": "Σχετικά με το έγγραφο",
    "pt": "Sobre este documento",
}
FUNDED = {
    "en": "Prepared within FUSE — Facilitating United Approaches to Social Innovation in Europe "
    "(2021–2023), co-funded by the European Union through the European Social Fund and the "
    "Employment and Social Innovation programme (EaSI).",
    "bg": "Подготвено по проекта FUSE — Facilitating United Approaches to Social Innovation in "
    "Europe (2021–2023), съфинансиран от Европейския съюз чрез Европейския социален фонд и "
    "Програмата за заетост и социални иновации (EaSI).",
    "el": "Εκπονήθηκε στο πλαίσιο του έργου FUSE — Facilitating United Approaches to Social "
    "Innovation in Europe (2021–2023), με συγχρηματοδότηση της Ευρωπαϊκής Ένωσης μέσω του "
    "Ευρωπαϊκού Κοινωνικού Ταμείου και του προγράμματος EaSI.",
    "pt": "Elaborado no âmbito do projeto FUSE — Facilitating United Approaches to Social "
    "Innovation in Europe (2021–2023), cofinanciado pela União Europeia através do Fundo Social "
    "Europeu e do Programa para o Emprego e a Inovação Social (EaSI).",
}
HYPHEN_LANG = {"en": "en_GB", "bg": "bg_BG", "el": "el_GR", "pt": "pt_PT"}


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
@dataclass
class Block:
    kind: str  # h1 h2 h3 p ul ol table box
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    start: int = 1  # first number of a numbered list (lists may continue under a new heading)


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[Block]

    @property
    def title(self) -> str:
        return self.meta["title"]


def parse_source(path: Path) -> Source:
    text = path.read_text("utf-8")
    meta: dict[str, str] = {}
    m = re.match(r"---\s*\n(.*?)\n---\s*\n", text, re.S)
    if m:
        for line in m.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                meta[key.strip()] = value.strip().strip("\"'")
        text = text[m.end() :]
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        heading = re.match(r"(#{1,3})\s+(.*)", stripped)
        bullet = re.match(r"[-*]\s+(.*)", stripped)
        number = re.match(r"\d+[.)]\s+(.*)", stripped)
        if heading:
            flush()
            blocks.append(Block(f"h{len(heading.group(1))}", heading.group(2).strip()))
        elif stripped.startswith("|"):
            flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                continue
            if blocks and blocks[-1].kind == "table" and not paragraph:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        elif stripped.startswith(">"):
            flush()
            body = stripped.lstrip("> ").strip()
            if blocks and blocks[-1].kind == "box":
                blocks[-1].text += " " + body
            else:
                blocks.append(Block("box", body))
        elif bullet or number:
            flush()
            kind = "ul" if bullet else "ol"
            item = (bullet or number).group(1)  # type: ignore[union-attr]
            if blocks and blocks[-1].kind == kind:
                blocks[-1].items.append(item)
            else:
                first = int(re.match(r"\d+", stripped).group(0)) if number else 1  # type: ignore[union-attr]
                blocks.append(Block(kind, items=[item], start=first))
        else:
            if blocks and blocks[-1].kind in ("ul", "ol") and raw.startswith(("  ", "\t")):
                blocks[-1].items[-1] += " " + stripped
            else:
                paragraph.append(stripped)
    flush()
    return Source(meta, blocks)


# ---------------------------------------------------------------------------------------------
# Output plan
# ---------------------------------------------------------------------------------------------
@dataclass
class Spec:
    """One output document: where its text comes from and how it is made."""

    out: str
    lang: str
    fmt: str = "pdf"
    embedded_title: str | None = "same"  # "same", None (missing) or a wrong title
    columns: int = 1
    hyphenate: bool = False
    ligatures: bool = False
    encoding: str = "utf-8"
    password: str | None = None
    keywords: str = ""

    @property
    def source(self) -> Path:
        return SOURCES / (Path(self.out).with_suffix(".md"))


PLAN: list[Spec] = [
    # Strategic documents
    Spec(
        "strategic/need-for-competence-centres_en.pdf",
        "en",
        ligatures=True,
        keywords="competence centre, ecosystem, social innovation, EaSI",
    ),
    Spec("strategic/need-for-competence-centres_bg.pdf", "bg", hyphenate=True),
    Spec(
        "strategic/need-for-competence-centres_el.pdf",
        "el",
        embedded_title="Microsoft Word - FUSE_WP3_NCC_paper_EL_final.docx",
    ),
    Spec("strategic/need-for-competence-centres_pt.pdf", "pt"),
    Spec(
        "strategic/payment-by-results_en.pdf",
        "en",
        hyphenate=True,
        keywords="payment by results, social impact bonds, outcomes fund",
    ),
    Spec("strategic/payment-by-results_bg.pdf", "bg", embedded_title=None),
    Spec("strategic/payment-by-results_el.pdf", "el", hyphenate=True),
    Spec("strategic/payment-by-results_pt.pdf", "pt", hyphenate=True, embedded_title=None),
    Spec("strategic/strategic-development_en.pdf", "en", ligatures=True),
    Spec("strategic/strategic-development_bg.pdf", "bg"),
    Spec("strategic/strategic-development_el.pdf", "el", embedded_title="Untitled"),
    Spec("strategic/scaling-readiness-instrument_en.pdf", "en", hyphenate=True, ligatures=True),
    Spec("strategic/scaling-readiness-instrument_bg.pdf", "bg", hyphenate=True),
    Spec("strategic/scaling-readiness-instrument_pt.pdf", "pt"),
    Spec("bulgaria/recommendations-national-competence-centre_bg.pdf", "bg"),
    # Ecosystem mapping reports
    Spec("bulgaria/ecosystem-mapping-bulgaria_bg.pdf", "bg", columns=2, hyphenate=True),
    Spec("bulgaria/ecosystem-mapping-bulgaria_en.pdf", "en", embedded_title="Document1"),
    Spec("ireland/ecosystem-mapping-ireland_en.pdf", "en", ligatures=True),
    Spec("cyprus/ecosystem-mapping-cyprus_el.pdf", "el"),
    Spec("cyprus/ecosystem-mapping-cyprus_en.pdf", "en", hyphenate=True),
    Spec("portugal/ecosystem-mapping-portugal_pt.pdf", "pt", hyphenate=True),
    Spec("portugal/ecosystem-mapping-portugal_en.pdf", "en", embedded_title=None),
    # Working documents
    Spec("bulgaria/stakeholder-consultation-summary_bg.docx", "bg", "docx"),
    Spec("ireland/stakeholder-consultation-summary_en.html", "en", "html"),
    Spec("cyprus/stakeholder-consultation-summary_el.docx", "el", "docx"),
    Spec("portugal/consulta-partes-interessadas_pt.odt", "pt", "odt"),
    Spec("eu/consortium-meeting-minutes-2021-06_en.odt", "en", "odt"),
    Spec("eu/steering-committee-minutes-2022-11_en.txt", "en", "txt"),
    Spec("bulgaria/partners-meeting-minutes-2022_bg.txt", "bg", "txt", encoding="cp1251"),
    Spec("eu/training-social-impact-measurement_en.pdf", "en", ligatures=True),
    Spec("bulgaria/training-social-enterprise-models_bg.pdf", "bg"),
    Spec("portugal/formacao-contratacao-por-resultados_pt.docx", "pt", "docx"),
    Spec("eu/scaling-readiness-self-assessment-questionnaire_en.docx", "en", "docx"),
    Spec("eu/policy-brief-esf-plus-social-innovation_en.pdf", "en", embedded_title=None),
    Spec("cyprus/policy-brief-social-enterprise-law_el.pdf", "el"),
    Spec("portugal/policy-brief-outcome-funds_pt.md", "pt", "md"),
    Spec("bulgaria/news-national-centre-expert-opinion_bg.html", "bg", "html"),
    Spec("eu/news-final-conference_en.md", "en", "md"),
    Spec("portugal/noticia-encontro-lisboa_pt.html", "pt", "html"),
    Spec("eu/final-conference-presentation_en.pdf", "en", "slides"),
    Spec("bulgaria/study-visit-report_en-bg.pdf", "en"),
    Spec("cyprus/signed-minutes-scan.pdf", "el", "scan"),
    Spec("eu/internal-budget-review_en.pdf", "en", password="fuse-budget-2022"),
]


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------
def doc_date(meta: dict[str, str]) -> datetime:
    m = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", meta.get("date", "2022"))
    year, month, day = (int(x) if x else 1 for x in (m.groups() if m else ("2022", None, None)))
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


class Styler:
    """Ligatures and soft hyphens, as typesetting software puts them into PDFs."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.hyphenator = pyphen.Pyphen(lang=HYPHEN_LANG[spec.lang]) if spec.hyphenate else None

    def __call__(self, text: str) -> str:
        if self.hyphenator is not None:
            text = re.sub(
                r"\w{9,}", lambda m: self.hyphenator.inserted(m.group(0), hyphen="\u00ad"), text
            )
        if self.spec.ligatures:
            text = text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")
        return text


# ---------------------------------------------------------------------------------------------
# PDF reports
# ---------------------------------------------------------------------------------------------
class ReportPDF(FPDF):
    def __init__(self, source: Source, spec: Spec, landscape: bool = False) -> None:
        super().__init__(orientation="L" if landscape else "P", format="A4")
        self.source = source
        self.spec = spec
        self.running_title = ""
        self.sections: list[tuple[int, str, int]] = []  # (level, heading, page)
        for style, name in (("", "DejaVuSerif.ttf"), ("B", "DejaVuSerif-Bold.ttf")):
            self.add_font("Serif", style, str(FONT_DIR / name))
        for style, name in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            self.add_font("Sans", style, str(FONT_DIR / name))
        self.set_margins(24, 24, 24)
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        if self.page_no() == 1 or not self.running_title:
            return
        self.set_font("Sans", "", 8)
        self.set_text_color(90, 90, 90)
        self.set_y(12)
        self.cell(0, 5, self.running_title[:95], align="L")
        self.set_text_color(0, 0, 0)
        self.set_y(24)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-15)
        self.set_font("Sans", "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{PAGE[self.spec.lang]} {self.page_no()} / {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _cover(pdf: ReportPDF, source: Source, lang: str) -> None:
    pdf.add_page()
    pdf.set_fill_color(24, 76, 110)
    pdf.rect(0, 0, pdf.w, 70, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Sans", "B", 11)
    pdf.set_xy(24, 26)
    pdf.cell(0, 6, "FUSE · National Competence Centres for Social Innovation")
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(24, 92)
    pdf.set_font("Sans", "B", 24)
    pdf.multi_cell(0, 11, source.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if source.meta.get("subtitle"):
        pdf.ln(4)
        pdf.set_font("Sans", "", 14)
        pdf.multi_cell(0, 7, source.meta["subtitle"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(12)
    pdf.set_font("Serif", "", 12)
    pdf.multi_cell(0, 6, source.meta.get("organisation", ""), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.cell(0, 6, doc_date(source.meta).strftime("%m/%Y"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(24, pdf.h - 60)
    pdf.set_font("Sans", "", 8)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(0, 4.2, FUNDED[lang] + "\n\n" + NOTICE[lang])
    pdf.set_text_color(0, 0, 0)


TOC_LINES = 34


def _toc(pdf: ReportPDF, entries: list[tuple[int, str, int]]) -> None:
    """Table of contents on as many pages as the entries need (page numbers from a first pass)."""
    lang = pdf.spec.lang
    for start in range(0, max(len(entries), 1), TOC_LINES):
        pdf.add_page()
        if start == 0:
            pdf.set_font("Sans", "B", 16)
            pdf.cell(0, 10, CONTENTS[lang], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        for level, name, page in entries[start : start + TOC_LINES]:
            indent = 6 * level
            pdf.set_font("Serif", "" if level else "B", 10.5)
            pdf.set_x(pdf.l_margin + indent)
            shown = name if len(name) < 78 else name[:75] + "…"
            pdf.cell(pdf.epw - indent - 14, 6.4, shown)
            pdf.cell(14, 6.4, str(page), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, rows: list[list[str]], style: Styler, font: str = "Serif") -> None:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    pdf.set_font(font, "", 9)
    headings = FontFace(emphasis="BOLD", fill_color=(220, 232, 240))
    with pdf.table(
        text_align="LEFT", line_height=4.8, padding=1.5, headings_style=headings
    ) as table:
        for cells in rows:
            row = table.row()
            for cell in cells:
                row.cell(style(cell))
    pdf.ln(3)


def _blocks_pdf(pdf: ReportPDF, source: Source, style: Styler, new_page_per_chapter: bool) -> None:
    lh = 6.0
    first = True
    for block in source.blocks:
        if block.kind == "h1":
            if new_page_per_chapter or first:
                pdf.add_page()
            else:
                pdf.ln(4)
            first = False
            pdf.running_title = source.title
            pdf.start_section(block.text, level=0)
            pdf.sections.append((0, block.text, pdf.page_no()))
            pdf.set_font("Sans", "B", 16)
            pdf.set_text_color(24, 76, 110)
            pdf.multi_cell(0, 8, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(3)
        elif block.kind in ("h2", "h3"):
            if first:
                pdf.add_page()
                first = False
            pdf.ln(2)
            if pdf.get_y() > pdf.h - 50:
                pdf.add_page()
            if block.kind == "h2":
                pdf.start_section(block.text, level=1)
                pdf.sections.append((1, block.text, pdf.page_no()))
            pdf.set_font("Sans", "B", 12.5 if block.kind == "h2" else 11)
            pdf.multi_cell(0, 6.5, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        else:
            if first:
                pdf.add_page()
                first = False
            _body_block(pdf, block, style, lh)


def _body_block(pdf: FPDF, block: Block, style: Styler, lh: float) -> None:
    if block.kind == "p":
        pdf.set_font("Serif", "", 11)
        pdf.multi_cell(0, lh, style(block.text), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)
    elif block.kind in ("ul", "ol"):
        pdf.set_font("Serif", "", 11)
        for n, item in enumerate(block.items, start=block.start):
            mark = "•" if block.kind == "ul" else f"{n}."
            pdf.set_x(pdf.l_margin + 4)
            pdf.cell(7, lh, mark)
            pdf.multi_cell(0, lh, style(item), align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        pdf.ln(2)
    elif block.kind == "table":
        _table(pdf, block.rows, style)
    elif block.kind == "box":
        pdf.set_font("Sans", "", 10.5)
        pdf.set_fill_color(230, 240, 246)
        pdf.multi_cell(
            0, 5.6, style(block.text), fill=True, padding=4, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(3)


def _two_columns(pdf: ReportPDF, source: Source, style: Styler) -> None:
    """Chapters in two justified columns, as magazine-style reports are laid out."""
    pdf.running_title = source.title
    pdf.add_page()
    with pdf.text_columns(ncols=2, gutter=7, text_align="J", line_height=1.15) as cols:
        for block in source.blocks:
            if block.kind in ("h1", "h2", "h3"):
                pdf.set_font("Sans", "B", 12 if block.kind == "h1" else 10.5)
                with cols.paragraph(text_align="L", top_margin=3, bottom_margin=1.5) as par:
                    par.write(block.text)
            elif block.kind == "table":
                pdf.set_font("Serif", "", 9)
                for row in block.rows:
                    with cols.paragraph(text_align="L", bottom_margin=0.5) as par:
                        par.write(" | ".join(row))
            else:
                pdf.set_font("Serif", "", 10)
                items = block.items if block.kind in ("ul", "ol") else [block.text]
                for n, item in enumerate(items, start=block.start):
                    prefix = (
                        "• " if block.kind == "ul" else (f"{n}. " if block.kind == "ol" else "")
                    )
                    with cols.paragraph(bottom_margin=2) as par:
                        par.write(prefix + style(item))


def _about(pdf: ReportPDF, source: Source, lang: str) -> None:
    pdf.add_page()
    pdf.set_font("Sans", "B", 13)
    pdf.cell(0, 8, ABOUT[lang], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("Serif", "", 10.5)
    lines = [
        source.title,
        source.meta.get("organisation", ""),
        doc_date(source.meta).strftime("%Y-%m"),
        "",
        FUNDED[lang],
        "",
        NOTICE[lang],
    ]
    pdf.multi_cell(0, 5.6, "\n".join(lines))


def _render_pdf(source: Source, spec: Spec, toc: list[tuple[int, str, int]] | None) -> ReportPDF:
    style = Styler(spec)
    pdf = ReportPDF(source, spec)
    _cover(pdf, source, spec.lang)
    pdf.running_title = source.title
    long_document = sum(len(b.text) + sum(map(len, b.items)) for b in source.blocks) > 9000
    if toc is not None:
        _toc(pdf, toc)
    if spec.columns > 1:
        _two_columns(pdf, source, style)
    else:
        _blocks_pdf(pdf, source, style, new_page_per_chapter=long_document)
    if long_document:
        _about(pdf, source, spec.lang)
    _pdf_metadata(pdf, source, spec)
    return pdf


def build_pdf(source: Source, spec: Spec, target: Path) -> None:
    chapters = sum(1 for b in source.blocks if b.kind == "h1")
    long_document = sum(len(b.text) + sum(map(len, b.items)) for b in source.blocks) > 9000
    toc = None
    if spec.columns == 1 and long_document and chapters >= 3:
        # First pass with a same-sized table of contents finds the pages of the sections.
        entries = sum(1 for b in source.blocks if b.kind in ("h1", "h2"))
        draft = _render_pdf(source, spec, [(0, "", 0)] * entries)
        toc = draft.sections
    pdf = _render_pdf(source, spec, toc)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = bytes(pdf.output())
    if spec.password:
        data = _encrypt(data, spec.password)
    target.write_bytes(data)


def _pdf_metadata(pdf: FPDF, source: Source, spec: Spec) -> None:
    if spec.embedded_title == "same":
        pdf.set_title(source.title)
    elif spec.embedded_title:
        pdf.set_title(spec.embedded_title)
    pdf.set_author(source.meta.get("organisation", ""))
    pdf.set_subject(NOTICE[spec.lang][:120])
    if spec.keywords:
        pdf.set_keywords(spec.keywords)
    pdf.set_lang({"en": "en-GB", "bg": "bg-BG", "el": "el-GR", "pt": "pt-PT"}[spec.lang])
    pdf.set_creator("Sample corpus builder")
    pdf.set_creation_date(doc_date(source.meta))


def _encrypt(data: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_slides(source: Source, spec: Spec, target: Path) -> None:
    """A slide deck exported to PDF: one landscape page per slide, big type, short lines."""
    pdf = ReportPDF(source, spec, landscape=True)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_fill_color(24, 76, 110)
    pdf.rect(0, 0, pdf.w, pdf.h, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(30, 60)
    pdf.set_font("Sans", "B", 30)
    pdf.multi_cell(pdf.w - 60, 14, source.title)
    pdf.set_x(30)
    pdf.set_font("Sans", "", 16)
    byline = [source.meta.get("subtitle", ""), source.meta.get("organisation", "")]
    pdf.multi_cell(pdf.w - 60, 8, "\n" + "\n".join(x for x in byline if x))
    pdf.set_x(30)
    pdf.set_font("Sans", "", 9)
    pdf.multi_cell(pdf.w - 60, 5, "\n" + NOTICE["en"])
    pdf.set_text_color(0, 0, 0)
    slide: list[Block] = []
    for block in [*source.blocks, Block("h1", "")]:
        if block.kind in ("h1", "h2") and slide:
            _slide(pdf, slide)
            slide = []
        if block.text or block.items or block.rows:
            slide.append(block)
    _pdf_metadata(pdf, source, spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


def _slide(pdf: ReportPDF, blocks: list[Block]) -> None:
    pdf.add_page()
    pdf.set_fill_color(24, 76, 110)
    pdf.rect(0, 0, pdf.w, 8, style="F")
    pdf.set_xy(22, 20)
    for block in blocks:
        if block.kind in ("h1", "h2", "h3"):
            pdf.set_font("Sans", "B", 24)
            pdf.set_text_color(24, 76, 110)
            pdf.multi_cell(pdf.w - 44, 11, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
            pdf.ln(4)
        elif block.kind in ("ul", "ol"):
            pdf.set_font("Sans", "", 15)
            for item in block.items:
                pdf.set_x(28)
                pdf.multi_cell(pdf.w - 56, 7.5, "•  " + item, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.ln(1.5)
        elif block.kind == "table":
            pdf.set_x(22)
            _table(pdf, block.rows, Styler(Spec("", "en")), font="Sans")
        else:
            pdf.set_font("Sans", "", 14)
            pdf.set_x(22)
            pdf.multi_cell(pdf.w - 44, 7, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)


def build_scan(source: Source, spec: Spec, target: Path) -> None:
    """A signed paper page, scanned: pictures of text with no text layer at all."""
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif.ttf"), 30)
    bold = ImageFont.truetype(str(FONT_DIR / "DejaVuSerif-Bold.ttf"), 36)
    lines: list[tuple[str, ImageFont.FreeTypeFont]] = [(source.title, bold), ("", font)]
    for block in source.blocks:
        texts = block.items if block.items else [" | ".join(r) for r in block.rows] or [block.text]
        for text in texts:
            words, line = text.split(), ""
            for word in words:
                if len(line) + len(word) > 60:
                    lines.append((line, bold if block.kind.startswith("h") else font))
                    line = ""
                line += word + " "
            lines.append((line, bold if block.kind.startswith("h") else font))
        lines.append(("", font))
    pdf = FPDF(format="A4")
    per_page = 44
    for start in range(0, len(lines), per_page):
        image = Image.new("L", (1654, 2339), 250)
        draw = ImageDraw.Draw(image)
        y = 140
        for text, face in lines[start : start + per_page]:
            draw.text((140, y), text, fill=25, font=face)
            y += 46
        if start + per_page >= len(lines):
            draw.line((160, y + 80, 620, y + 60), fill=40, width=4)  # a signature
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=297)
    pdf.set_creator("Scanner")
    pdf.set_creation_date(doc_date(source.meta))
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))


# ---------------------------------------------------------------------------------------------
# Word, OpenDocument, HTML, Markdown, plain text
# ---------------------------------------------------------------------------------------------
def build_docx(source: Source, spec: Spec, target: Path) -> None:
    document = docx.Document()
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(source.title, level=0)
    if source.meta.get("organisation"):
        document.add_paragraph(source.meta["organisation"] + " · " + source.meta.get("date", ""))
    chapters = 0
    for block in source.blocks:
        if block.kind == "h1":
            chapters += 1
            if chapters > 1 and chapters % 2 == 1:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            document.add_heading(block.text, level=1)
        elif block.kind in ("h2", "h3"):
            document.add_heading(block.text, level=int(block.kind[1]))
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "box":
            document.add_paragraph(block.text, style="Intense Quote")
        elif block.kind in ("ul", "ol"):
            for item in block.items:
                document.add_paragraph(
                    item, style="List Bullet" if block.kind == "ul" else "List Number"
                )
        elif block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=len(block.rows), cols=width, style="Table Grid")
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    document.add_paragraph(NOTICE[spec.lang])
    props = document.core_properties
    props.title = source.title if spec.embedded_title == "same" else (spec.embedded_title or "")
    props.author = source.meta.get("organisation", "")
    props.language = spec.lang
    props.created = doc_date(source.meta)
    props.modified = doc_date(source.meta)
    props.last_modified_by = ""
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


def build_odt(source: Source, spec: Spec, target: Path) -> None:
    doc = OpenDocumentText()
    heading_style = Style(name="Heading", family="paragraph")
    heading_style.addElement(TextProperties(fontweight="bold", fontsize="14pt"))
    breaker = Style(name="ChapterBreak", family="paragraph")
    breaker.addElement(ParagraphProperties(breakbefore="page"))
    breaker.addElement(TextProperties(fontweight="bold", fontsize="14pt"))
    for style in (heading_style, breaker):
        doc.automaticstyles.addElement(style)
    doc.text.addElement(H(outlinelevel=1, stylename=heading_style, text=source.title))
    chapters = 0
    for block in source.blocks:
        if block.kind == "h1":
            chapters += 1
            style = breaker if chapters > 1 and chapters % 2 == 1 else heading_style
            doc.text.addElement(H(outlinelevel=1, stylename=style, text=block.text))
        elif block.kind in ("h2", "h3"):
            doc.text.addElement(
                H(outlinelevel=int(block.kind[1]), stylename=heading_style, text=block.text)
            )
        elif block.kind in ("p", "box"):
            doc.text.addElement(P(text=block.text))
        elif block.kind in ("ul", "ol"):
            lst = List()
            for item in block.items:
                li = ListItem()
                li.addElement(P(text=item))
                lst.addElement(li)
            doc.text.addElement(lst)
        elif block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = Table(name=f"Table{id(block) % 10000}")
            table.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in block.rows:
                tr = TableRow()
                for cell in row + [""] * (width - len(row)):
                    tc = TableCell()
                    tc.addElement(P(text=cell))
                    tr.addElement(tc)
                table.addElement(tr)
            doc.text.addElement(table)
    doc.text.addElement(P(text=NOTICE[spec.lang]))
    if spec.embedded_title == "same":
        doc.meta.addElement(Title(text=source.title))
    doc.meta.addElement(Creator(text=source.meta.get("organisation", "")))
    doc.meta.addElement(InitialCreator(text=source.meta.get("organisation", "")))
    doc.meta.addElement(Language(text=spec.lang))
    doc.meta.addElement(Subject(text=source.title))
    doc.meta.addElement(Description(text=NOTICE[spec.lang]))
    doc.meta.addElement(Keyword(text="FUSE"))
    stamp = doc_date(source.meta).strftime("%Y-%m-%dT%H:%M:%S")
    doc.meta.addElement(CreationDate(text=stamp))
    doc.meta.addElement(Date(text=stamp))
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    assert teletype  # odfpy's text helpers are used by the indexer to read these files back


def build_html(source: Source, spec: Spec, target: Path) -> None:
    body: list[str] = []
    for block in source.blocks:
        if block.kind in ("h1", "h2", "h3"):
            level = int(block.kind[1]) + 1
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif block.kind == "p":
            body.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "box":
            body.append(f"<blockquote><p>{escape(block.text)}</p></blockquote>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{escape(i)}</li>" for i in block.items)
            start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
            body.append(f"<{block.kind}{start}>{items}</{block.kind}>")
        elif block.kind == "table":
            head, *rows = block.rows
            th = "".join(f"<th>{escape(c)}</th>" for c in head)
            trs = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows
            )
            body.append(f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>")
    date = doc_date(source.meta).strftime("%Y-%m-%d")
    page = f"""<!DOCTYPE html>
<html lang="{spec.lang}">
<head>
<meta charset="{spec.encoding}">
<title>{escape(source.title)} | FUSE</title>
<meta name="author" content="{escape(source.meta.get("organisation", ""))}">
<meta name="description" content="{escape(NOTICE[spec.lang])}">
<meta property="article:published_time" content="{date}">
<style>body{{font-family:sans-serif;max-width:46em;margin:auto}}nav a{{margin-right:1em}}</style>
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<header><nav><a href="/">Home</a><a href="/news">News</a><a href="/about">About</a></nav></header>
<main><article>
<h1>{escape(source.title)}</h1>
<p class="meta">{escape(source.meta.get("organisation", ""))} · {date}</p>
{chr(10).join(body)}
</article></main>
<footer><p>{escape(NOTICE[spec.lang])}</p></footer>
</body>
</html>
"""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.encode(spec.encoding))


def _plain_lines(source: Source) -> list[str]:
    lines: list[str] = []
    for block in source.blocks:
        if block.kind in ("h1", "h2", "h3"):
            lines += ["", block.text.upper() if block.kind == "h1" else block.text, ""]
        elif block.kind in ("p", "box"):
            lines += [block.text, ""]
        elif block.kind in ("ul", "ol"):
            lines += [
                ("- " if block.kind == "ul" else f"{n}. ") + item
                for n, item in enumerate(block.items, start=block.start)
            ] + [""]
        elif block.kind == "table":
            lines += ["\t".join(row) for row in block.rows] + [""]
    return lines


def build_txt(source: Source, spec: Spec, target: Path) -> None:
    lines = [source.title, source.meta.get("organisation", ""), source.meta.get("date", ""), ""]
    lines += [*_plain_lines(source), "", NOTICE[spec.lang], ""]
    text = "\r\n".join(lines) if spec.encoding == "cp1251" else "\n".join(lines)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(spec.encoding))


def build_md(source: Source, spec: Spec, target: Path) -> None:
    text = spec.source.read_text("utf-8").rstrip() + f"\n\n---\n\n*{NOTICE[spec.lang]}*\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")


BUILDERS = {
    "pdf": build_pdf,
    "slides": build_slides,
    "scan": build_scan,
    "docx": build_docx,
    "odt": build_odt,
    "html": build_html,
    "txt": build_txt,
    "md": build_md,
}


LANGUAGE_NAMES = {"en": "English", "bg": "Bulgarian", "el": "Greek", "pt": "Portuguese"}
FORMAT_NAMES = {
    "pdf": "PDF",
    "slides": "PDF (slides)",
    "scan": "PDF (scanned image)",
    "docx": "Word",
    "odt": "OpenDocument",
    "html": "HTML",
    "txt": "Text",
    "md": "Markdown",
}

README_HEAD = """# The bundled sample knowledge base

**Everything in this folder is sample content**, written for this project so that the knowledge
base has something real to show on a fresh machine and its tests and benchmarks have known
documents. The documents follow the public outline of FUSE — Facilitating United Approaches to
Social Innovation in Europe (2021–2023, co-funded by the EU through the European Social Fund and
EaSI), which prepared national competence centres for social innovation in Bulgaria, Ireland,
Cyprus and Portugal — and use public facts (partners, programmes, laws). All figures, survey
results, meetings and people in them are invented. They are not publications of that project
or of its partners, and each document says so.

## What is here

- the documents, in one folder per country plus `strategic/` and `eu/`;
- `manifest.csv` — their metadata as editors keep it in a spreadsheet (some cells left blank on
  purpose: the indexer then uses the file's own metadata or infers the value);
- `queries.csv` — the relevance set: {queries} queries with the documents a good search must
  return in the top five (used by `tests/indexer/test_relevance.py` and `bench/relevance.py`);
- `page-queries.csv` — 28 queries whose answer is on known pages of a long report (the section
  that answers each is named in its note): the page a result should open at;
- `sources/` — the texts every document is built from, and `build.py`, which builds them;
- `.kbignore` — keeps the sources and these files out of the index.

The topic list, document types, country names and the cross-language glossary live with the
indexer, in `indexer/data/`.

## Documents

{count} documents, {pages} pages. One of them cannot be indexed on purpose: a password-protected
PDF. The scanned minutes have no text layer; they are read with OCR when Tesseract is installed.

| Document | Language | Format | Pages |
|---|---|---|---|
"""

README_TAIL = """
Several PDFs have typographic ligatures or words hyphenated at line ends, one is set in two
columns, some have a missing or wrong embedded title (as real files do), and the Bulgarian
partners' minutes are plain text in the old Windows Cyrillic code page (cp1251).

## Rebuilding the documents

```sh
.venv/bin/pip install -e '.[test]'     # fpdf2 and pyphen
python corpus/build.py                 # all documents, then this README
python corpus/build.py strategic/      # only outputs whose path contains "strategic/"
```

It needs the DejaVu fonts (Debian: `fonts-dejavu-core`). The built files are committed, so using
the knowledge base needs none of this.
"""


def _pages(spec: Spec, path: Path) -> int:
    """Pages as the knowledge base counts them (for PDFs, as the file has them)."""
    if path.suffix == ".pdf":
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt(spec.password or "")
        return len(reader.pages)
    sys.path.insert(0, str(HERE.parent))
    from indexer.extract import extract

    return len(extract(path, 10_000).pages)


def write_readme() -> None:
    rows = []
    total = 0
    for spec in PLAN:
        path = HERE / spec.out
        if not path.is_file():
            continue
        title = parse_source(spec.source).title if spec.source.is_file() else spec.out
        pages = _pages(spec, path)
        total += pages
        lang = (
            "English, Bulgarian" if spec.out.endswith("_en-bg.pdf") else LANGUAGE_NAMES[spec.lang]
        )
        fmt = FORMAT_NAMES[spec.fmt]
        if spec.password:
            fmt += ", password-protected"
        if spec.encoding != "utf-8":
            fmt += f", {spec.encoding}"
        if spec.columns > 1:
            fmt += ", two columns"
        rows.append(f"| `{spec.out}`<br>{title} | {lang} | {fmt} | {pages} |")
    with (HERE / "queries.csv").open(encoding="utf-8") as fh:
        queries = sum(1 for _ in fh) - 1
    text = README_HEAD.format(count=len(rows), pages=total, queries=queries)
    (HERE / "README.md").write_text(text + "\n".join(rows) + "\n" + README_TAIL, "utf-8")
    print(f"wrote README.md: {len(rows)} documents, {total} pages")


def main(argv: list[str]) -> int:
    if argv == ["--readme"]:
        write_readme()
        return 0
    wanted = [a for a in argv if not a.startswith("-")]
    missing = 0
    for spec in PLAN:
        if wanted and not any(w in spec.out for w in wanted):
            continue
        if not spec.source.is_file():
            print(f"missing source: {spec.source.relative_to(HERE)}", file=sys.stderr)
            missing += 1
            continue
        source = parse_source(spec.source)
        target = HERE / spec.out
        BUILDERS[spec.fmt](source, spec, target)
        print(f"built {spec.out}")
    if not wanted:
        write_readme()
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
