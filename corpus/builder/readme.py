"""The corpus README: what each document is, and how the corpus is built."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from .common import HERE
from .plan import PLAN, Spec
from .sources import parse_source

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
  return in the top five (used by `tests/indexer/search/test_relevance.py` and
  `bench/relevance.py`);
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
python -m corpus.build                 # all documents, then this README
python -m corpus.build strategic/      # only outputs whose path contains "strategic/"
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
    from indexer.ingest.extract import extract

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
