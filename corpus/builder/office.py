"""Word and OpenDocument working papers."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt
from odf import teletype
from odf.dc import Creator, Date, Description, Language, Subject, Title
from odf.meta import CreationDate, InitialCreator, Keyword
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P

from .common import NOTICE, doc_date
from .plan import Spec
from .sources import Source


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
