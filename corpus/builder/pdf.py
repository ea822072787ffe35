"""PDF reports: cover, contents, running headers, page numbers, columns, and protection."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from pypdf import PdfReader, PdfWriter

from .common import ABOUT, CONTENTS, FONT_DIR, FUNDED, NOTICE, PAGE, Styler, doc_date
from .plan import Spec
from .sources import Block, Source


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


def pdf_table(pdf: FPDF, rows: list[list[str]], style: Styler, font: str = "Serif") -> None:
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
        pdf_table(pdf, block.rows, style)
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
    pdf_metadata(pdf, source, spec)
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


def pdf_metadata(pdf: FPDF, source: Source, spec: Spec) -> None:
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
