"""Text layer quality and speed: word recall against poppler's pdftotext, and pages per second,
for pypdf, PDFium (pypdfium2) and the indexer's own extraction (PDFium, OCR, repair, NFC).

    python bench/pdf_text.py [--folder /usr/share/doc] [--max-pages 150] [--pdf FILE ...]

The PDFs are the ones Debian's documentation packages put on this machine (``*.pdf`` and
``*.pdf.gz`` under the folder, links followed, duplicates once); none is kept in the project,
and without them the benchmark says so and exits. TeX Live's documentation is left out. Install
a few packages to have some, e.g.:

    apt-get install --no-install-recommends r-doc-pdf lilypond-doc-pdf-pt python-reportlab-doc \\
        gri-pdf-doc auto-multiple-choice-doc-pdf why3-doc-pdf freefem-doc camlidl-doc

Truth is ``pdftotext`` (poppler-utils). Every text is tokenised alike: NFKC, case folded, words
of two or more letters; in the truth, a word broken by a hyphen at a line end is joined, and
counts as found either whole or as its two halves (a compound that keeps its hyphen). Recall
is the share of pdftotext's distinct words of a document that the extractor also produced;
"rare" counts only the words that occur once in the document, the ones a reader searches for
and finds nowhere else. Times are per variant over the same pages, in one process, alternating
per document.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from indexer.ingest.extract import pdf as pdf_extractor  # noqa: E402
from indexer.ingest.models import ExtractOptions  # noqa: E402
from indexer.text.normalize import normalise  # noqa: E402

_WORD = re.compile(r"[^\W\d_]{2,}")
_HYPHEN_BREAK = re.compile(r"([^\W\d_]+)[-\u00ad]\s*\n\s*([^\W\d_]+)")


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def truth_words(text: str) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """pdftotext's words, with a word broken at a line end by a hyphen joined; such a word
    also counts as found when both halves are (it was a real hyphenated compound)."""
    text = unicodedata.normalize("NFKC", text)
    halves: dict[str, tuple[str, str]] = {}

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        halves[(left + right).casefold()] = (left.casefold(), right.casefold())
        return left + right

    text = _HYPHEN_BREAK.sub(join, text)
    return [w.casefold() for w in _WORD.findall(text)], halves


def find_pdfs(folder: Path, target: Path) -> list[Path]:
    """Every distinct PDF under ``folder`` (gzipped ones unpacked into ``target``)."""
    seen: set[str] = set()
    found = []
    for path in sorted(folder.rglob("*")):
        name = path.name
        if not (name.endswith(".pdf") or name.endswith(".pdf.gz")):
            continue
        if any("texlive" in part or part.startswith("texmf") for part in path.parts):
            continue  # TeX Live's documentation is kept for an independent check
        try:
            real = path.resolve(strict=True)
            if not real.is_file() or real.stat().st_size < 2000:
                continue
            data = real.read_bytes()
            if name.endswith(".gz"):
                data = gzip.decompress(data)
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        if not data.startswith(b"%PDF"):
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        if name.endswith(".gz") or real != path.resolve():
            copy = target / f"{digest[:8]}-{name.removesuffix('.gz')}"
            copy.write_bytes(data)
            found.append(copy)
        else:
            found.append(real)
    return found


def truth(path: Path, pages: int) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", "-f", "1", "-l", str(pages), str(path), "-"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return out.split("\f")[:pages]


def with_pypdf(path: Path, pages: int) -> list[str]:
    reader = PdfReader(str(path))
    return [reader.pages[i].extract_text() or "" for i in range(pages)]


def with_pdfium(path: Path, pages: int) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(pages):
            page = document[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


def with_indexer(path: Path, pages: int) -> list[str]:
    return normalise(pdf_extractor.extract(path, pages, ExtractOptions())).pages


VARIANTS = {"pypdf": with_pypdf, "pdfium": with_pdfium, "indexer": with_indexer}


@dataclass
class Tally:
    found: int = 0
    total: int = 0
    rare_found: int = 0
    rare_total: int = 0
    pages: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    failed: list[str] = field(default_factory=list)

    def add(
        self,
        expected: Counter[str],
        halves: dict[str, tuple[str, str]],
        got: set[str],
        pages: int,
        wall: float,
        cpu: float,
    ) -> None:
        def found(word: str) -> bool:
            return word in got or (word in halves and all(h in got for h in halves[word]))

        self.found += sum(1 for w in expected if found(w))
        self.total += len(expected)
        rare = [w for w, n in expected.items() if n == 1]
        self.rare_found += sum(1 for w in rare if found(w))
        self.rare_total += len(rare)
        self.pages += pages
        self.wall += wall
        self.cpu += cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, default=Path("/usr/share/doc"))
    ap.add_argument("--pdf", type=Path, nargs="*", help="these PDFs instead of the folder's")
    ap.add_argument("--max-pages", type=int, default=150, help="pages read per document")
    ap.add_argument("--verbose", action="store_true", help="one line per document")
    args = ap.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext not found: apt-get install poppler-utils")
        return 0
    with tempfile.TemporaryDirectory(prefix="kb-pdf-text-") as tmp:
        pdfs = args.pdf or find_pdfs(args.folder, Path(tmp))
        if not pdfs:
            print(f"no PDFs under {args.folder}: install a few documentation packages (see --help)")
            return 0
        tallies = {name: Tally() for name in VARIANTS}
        for path in pdfs:
            try:
                count = min(len(pdfium.PdfDocument(str(path))), args.max_pages)
            except Exception as err:
                print(f"skipped {path.name}: {err}")
                continue
            expected: Counter[str] = Counter()
            halves: dict[str, tuple[str, str]] = {}
            for page in truth(path, count):
                page_words, page_halves = truth_words(page)
                expected.update(page_words)
                halves.update(page_halves)
            if not expected:
                continue
            line = [f"{path.name[:44]:44} {count:4}p"]
            for name, extract in VARIANTS.items():
                wall, cpu = time.perf_counter(), time.process_time()
                try:
                    pages = extract(path, count)
                except Exception as err:
                    tallies[name].failed.append(f"{path.name}: {type(err).__name__}: {err}")
                    pages = []
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                got = {w for page in pages for w in words(page)}
                before = tallies[name].found, tallies[name].total
                tallies[name].add(expected, halves, got, count, wall, cpu)
                recall = (tallies[name].found - before[0]) / (tallies[name].total - before[1])
                line.append(f"{name} {recall:.4f}")
            if args.verbose:
                print("  ".join(line), flush=True)
        pages = tallies["pdfium"].pages
        print(f"\n{len(pdfs)} PDFs, {pages} pages (at most {args.max_pages} of each)")
        print(f"{'':10} {'recall':>8} {'rare':>8} {'pages/s':>9} {'CPU pages/s':>12}")
        for name, t in tallies.items():
            print(
                f"{name:10} {t.found / max(t.total, 1):8.4f} "
                f"{t.rare_found / max(t.rare_total, 1):8.4f} "
                f"{t.pages / max(t.wall, 1e-9):9.1f} {t.pages / max(t.cpu, 1e-9):12.1f}"
            )
            for failure in t.failed:
                print(f"    failed: {failure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
