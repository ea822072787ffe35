"""Regenerate every document of the sample corpus from the text sources in ``sources/``.

    python -m corpus.build            # all documents
    python -m corpus.build strategic  # only outputs whose path contains "strategic"

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

import sys

from corpus.builder.common import HERE
from corpus.builder.office import build_docx, build_odt
from corpus.builder.pdf import build_pdf
from corpus.builder.pictures import build_scan, build_slides
from corpus.builder.plan import PLAN
from corpus.builder.readme import write_readme
from corpus.builder.sources import parse_source
from corpus.builder.text import build_html, build_md, build_txt

#: One builder per output format (the package ``builder/`` holds one module per kind).
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
