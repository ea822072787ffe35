"""Makes the files of the labelled set of undescribed documents (`undescribed_samples`), and
the second set: the bundled corpus with its manifest and folder names taken away.

    python -m bench.undescribed_build OUT            # the labelled set, into OUT
    python -m bench.undescribed_build OUT --corpus   # the corpus, flattened, without manifest

Each file is made the way the tools that make such files make them: PDFs with the heading in
large type and small print above and below it, office files from their libraries' own templates
(a Word file keeps python-docx's template properties when the sample asks for it), scans as
pictures of pages with no text layer, web pages with a site title in ``<title>``.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
from fpdf import FPDF
from odf.dc import Title as OdfTitle
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style
from odf.text import H, P
from PIL import Image, ImageDraw, ImageFont

from bench.undescribed_samples import SAMPLES, Sample, Truth

ROOT = Path(__file__).resolve().parent.parent

FONTS = Path("/usr/share/fonts/truetype/dejavu")
CORPUS = ROOT / "corpus"


def _lines(page: str) -> list[tuple[str, str]]:
    """(kind, text) of each line: heading, sub, small or body."""
    out = []
    for line in page.split("\n"):
        if line.startswith("# "):
            out.append(("heading", line[2:]))
        elif line.startswith("## "):
            out.append(("sub", line[3:]))
        elif line.startswith("~ "):
            out.append(("small", line[2:]))
        else:
            out.append(("body", line))
    return out


def _when(value: object) -> datetime | None:
    return value.replace(tzinfo=UTC) if isinstance(value, datetime) else None


def make_pdf(sample: Sample, path: Path, slides: bool = False) -> None:
    pdf = FPDF(orientation="L" if slides else "P", format="A4")
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    title = sample.meta.get("title")
    if isinstance(title, str):
        pdf.set_title(title)
    pdf.set_creator("Writer")
    if isinstance(sample.meta.get("producer"), str):
        pdf.set_producer(str(sample.meta["producer"]))
    created = _when(sample.meta.get("created"))
    if created:
        pdf.set_creation_date(created)
    sizes = {"heading": 28 if slides else 20, "sub": 20 if slides else 13, "small": 8}
    body = 16 if slides else 10.5
    for page in sample.pages:
        pdf.add_page()
        for kind, text in _lines(page):
            size = sizes.get(kind, body)
            pdf.set_font("DejaVu", style="B" if kind in ("heading", "sub") else "", size=size)
            pdf.set_text_color(90 if kind == "small" else 0)
            pdf.multi_cell(0, size * 0.5, text)
            pdf.ln(size * 0.25)
    pdf.output(str(path))


def make_scan(sample: Sample, path: Path) -> None:
    """Each page a greyscale picture at 150 dpi, no text layer, as a scanner makes it."""
    pdf = FPDF(format="A4")
    fonts = {
        "heading": ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 40),
        "sub": ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 30),
        "small": ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 22),
        "body": ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 26),
    }
    for page in sample.pages:
        image = Image.new("L", (1240, 1754), 250)
        draw = ImageDraw.Draw(image)
        y = 110
        for kind, text in _lines(page):
            font = fonts[kind]
            for line in _wrap(draw, text, font, 1040):
                draw.text((100, y), line, fill=20, font=font)
                y += int(font.size * 1.45)
            y += 10
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210, h=297)
    pdf.output(str(path))


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int
) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        probe = f"{line} {word}".strip()
        if draw.textlength(probe, font=font) > width and line:
            lines.append(line)
            line = word
        else:
            line = probe
    return [*lines, line] if line else lines or [""]


def make_docx(sample: Sample, path: Path) -> None:
    document = docx.Document()
    for number, page in enumerate(sample.pages):
        if number:
            document.add_page_break()
        for kind, text in _lines(page):
            if kind == "heading":
                document.add_heading(text, level=0)
            elif kind == "sub":
                document.add_heading(text, level=1)
            else:
                document.add_paragraph(text)
    props = document.core_properties
    if not sample.meta.get("template"):
        props.author, props.comments = "", ""
        created = _when(sample.meta.get("created")) or datetime.now(UTC)
        props.created = props.modified = created
    if isinstance(sample.meta.get("title"), str):
        props.title = str(sample.meta["title"])
    document.save(str(path))


def make_odt(sample: Sample, path: Path) -> None:
    doc = OpenDocumentText()
    breaker = Style(name="PageBreak", family="paragraph")
    breaker.addElement(ParagraphProperties(breakbefore="page"))
    doc.automaticstyles.addElement(breaker)
    for number, page in enumerate(sample.pages):
        for i, (kind, text) in enumerate(_lines(page)):
            style = {"stylename": breaker} if number and i == 0 else {}
            if kind in ("heading", "sub"):
                doc.text.addElement(H(outlinelevel=1 if kind == "heading" else 2, text=text))
            else:
                doc.text.addElement(P(text=text, **style))
    if isinstance(sample.meta.get("title"), str):
        doc.meta.addElement(OdfTitle(text=str(sample.meta["title"])))
    doc.save(str(path))


def make_markdown(sample: Sample, path: Path) -> None:
    pages = [
        "\n\n".join(
            f"{'#' if k == 'heading' else '##'} {t}" if k in ("heading", "sub") else t
            for k, t in _lines(page)
        )
        for page in sample.pages
    ]
    path.write_text("\n\f\n".join(pages) + "\n", sample.encoding)


def make_html(sample: Sample, path: Path) -> None:
    from html import escape

    parts = []
    for page in sample.pages:
        for kind, text in _lines(page):
            tag = {"heading": "h1", "sub": "h2", "small": "small"}.get(kind, "p")
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    title = sample.meta.get("title")
    head = f"<title>{escape(str(title))}</title>" if isinstance(title, str) else ""
    html = (
        f'<!doctype html><html lang="{sample.truth.language}"><head><meta charset="utf-8">'
        f"{head}</head><body><nav><a href='/'>⌂</a> <a href='/news'>…</a></nav>"
        f"<main>{''.join(parts)}</main><footer>© 2024</footer></body></html>"
    )
    path.write_text(html, "utf-8")


def make_text(sample: Sample, path: Path) -> None:
    path.write_bytes("\n\n".join(sample.pages).encode(sample.encoding))


MAKERS = {
    "pdf": make_pdf,
    "slides": lambda s, p: make_pdf(s, p, slides=True),
    "scan": make_scan,
    "docx": make_docx,
    "odt": make_odt,
    "md": make_markdown,
    "html": make_html,
    "txt": make_text,
}


def build(out: Path) -> dict[str, Truth]:
    """Write every sample into ``out``; their truth by file name."""
    out.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        MAKERS[sample.form](sample, out / sample.name)
    return {s.name: s.truth for s in SAMPLES}


@dataclass(frozen=True)
class CorpusTruth:
    """What the corpus's manifest says of a file (None or empty: the manifest is silent)."""

    title: str
    year: int | None
    country: tuple[str, ...]
    type: str
    language: str
    organisations: tuple[str, ...]


def build_corpus(out: Path) -> dict[str, CorpusTruth]:
    """The bundled corpus's described files in one flat folder, with no manifest; their truth
    from the manifest (titles from the documents' sources when the manifest leaves them)."""
    from corpus.builder.sources import parse_source
    from indexer.text.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, CorpusTruth] = {}
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            source = CORPUS / row["path"]
            name = Path(row["path"]).name
            shutil.copy2(source, out / name)
            md = (CORPUS / "sources" / row["path"]).with_suffix(".md")
            title = row["title"] or (parse_source(md).title if md.is_file() else "")
            split = [x.strip() for x in row["country"].split(";") if x.strip()]
            truth[name] = CorpusTruth(
                title=title,
                year=int(row["year"]) if row["year"].strip() else None,
                country=tuple(taxonomy.normalise("country", c)[0] for c in split),
                type=taxonomy.normalise("type", row["type"])[0] if row["type"] else "",
                language=row["language"],
                organisations=tuple(x.strip() for x in row["organisation"].split(";") if x.strip()),
            )
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", action="store_true", help="the flattened corpus instead")
    args = parser.parse_args()
    made = build_corpus(args.out) if args.corpus else build(args.out)
    print(f"{len(made)} files in {args.out}")


if __name__ == "__main__":
    main()
