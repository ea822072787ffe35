"""Documents made of pictures: a slide deck and a scanned page without a text layer."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageDraw, ImageFont

from .common import FONT_DIR, NOTICE, Styler, doc_date
from .pdf import ReportPDF, pdf_metadata, pdf_table
from .plan import Spec
from .sources import Block, Source


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
    pdf_metadata(pdf, source, spec)
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
            pdf_table(pdf, block.rows, Styler(Spec("", "en")), font="Sans")
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
