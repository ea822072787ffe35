"""Text layer quality and speed: word recall against poppler's pdftotext, and pages per second,
for pypdf, PDFium (pypdfium2) and the indexer's own extraction (PDFium, OCR, repair, NFC).

    python -m bench.pdf_text [--folder /usr/share/doc] [--max-pages 150] [--pdf FILE ...]
                             [--no-generated] [--verbose]

The PDFs are the ones Debian's documentation packages put on this machine (``*.pdf`` and
``*.pdf.gz`` under the folder, links followed, duplicates once); none is kept in the project,
and without them the benchmark says so and exits. TeX Live's documentation is left out. Install
a few packages to have some, e.g.:

    apt-get install --no-install-recommends r-doc-pdf lilypond-doc-pdf-pt python-reportlab-doc \\
        gri-pdf-doc auto-multiple-choice-doc-pdf why3-doc-pdf freefem-doc camlidl-doc

and for Cyrillic and Greek text (Russian, Ukrainian, Bulgarian, Serbian, Greek):

    apt-get install --no-install-recommends debian-refcard debian-faq-ru debian-history \\
        debmake-doc instead-doc-ru maint-guide-ru packaging-tutorial installation-guide-amd64 \\
        debian-edu-doc-legacy-uk ubuntu-packaging-guide-pdf-ru ubuntu-packaging-guide-pdf-uk

Besides those, the PDFs the tests make (`generated_pdfs`: 8-bit Cyrillic and Greek fonts without
a Unicode map, accents set apart, TeX ligature bytes, running headers), whose truth is the text
they were made from.

Truth is ``pdftotext`` (poppler-utils); where pdftotext itself reads a font without a Unicode
map as Latin-1 look-alikes, its text is decoded with the code page the document's own words
show before it counts as truth. Every text is tokenised alike: NFKC, case folded, words of two
or more letters; in the truth, a word broken by a hyphen at a line end is joined, and counts as
found either whole or as its two halves (a compound that keeps its hyphen). Recall is the share
of pdftotext's distinct words of a document that the extractor also produced; "rare" counts
only the words that occur once in the document, the ones a reader searches for and finds
nowhere else. "Findable" is what a reader typing the word finds: the truth's words (the index's
tokenizer, letters only) folded as search folds them, against the terms the index makes of the
extractor's text (its words and their parts). For the indexer, the report also says which
documents are still in a legacy encoding after repair and which got another language than the
one their file name or their making says (among the document's languages: a partly translated
manual is rightly English and Russian). Times are per variant over the same pages, in one
process, alternating per document; normalisation's processor time is also given apart.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader

from indexer.ingest.extract import pdf as pdf_extractor
from indexer.models import ExtractOptions
from indexer.text.detect import detect
from indexer.text.normalize import normalise
from indexer.text.terms import WORD, fold

try:  # running headers and footers (absent from earlier versions)
    from indexer.text.furniture import find_furniture
except ImportError:  # pragma: no cover - measuring an earlier version
    find_furniture = None

try:  # the parts of glued tokens are indexed too (absent from earlier versions)
    from indexer.text.terms import word_forms
except ImportError:  # pragma: no cover - measuring an earlier version

    def word_forms(word: str, split: bool = True) -> list[str]:
        return [word, *[p for p in word.split("-") if p]] if "-" in word else [word]


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


def truth_pages(path: Path, pages: int) -> list[str]:
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


@dataclass
class _Normalised:
    """What the indexer variant made of the last document, for the checks after timing."""

    extracted: Any = None
    cpu: float = 0.0


LAST = _Normalised()


def with_indexer(path: Path, pages: int) -> list[str]:
    extracted = pdf_extractor.extract(path, pages, ExtractOptions())
    cpu = time.process_time()
    normalised = normalise(extracted)
    if find_furniture is not None:
        find_furniture(normalised.pages)
    LAST.cpu, LAST.extracted = time.process_time() - cpu, normalised
    return list(normalised.pages)


VARIANTS = {"pypdf": with_pypdf, "pdfium": with_pdfium, "indexer": with_indexer}


def findable_terms(pages: list[str]) -> set[str]:
    """The folded terms the index makes of a text: each word and its parts."""
    return {fold(f) for page in pages for w in WORD.findall(page) for f in word_forms(w)}


def typeable_words(pages: list[str]) -> tuple[Counter[str], dict[str, tuple[str, str]]]:
    """The words of the truth a reader can type (letters only), folded as search folds them;
    a word broken at a line end joined, with its halves."""
    halves: dict[str, tuple[str, str]] = {}

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        halves[fold(left + right)] = (fold(left), fold(right))
        return left + right

    found: Counter[str] = Counter()
    for page in pages:
        text = _HYPHEN_BREAK.sub(join, unicodedata.normalize("NFKC", page))
        for word in WORD.findall(text):
            letters = sum(ch.isalpha() for ch in word)
            if letters >= 2 and not any(ch.isdigit() for ch in word):
                found[fold(word)] += 1
    return found, halves


@dataclass
class Tally:
    found: int = 0
    total: int = 0
    rare_found: int = 0
    rare_total: int = 0
    typed_found: int = 0
    typed_total: int = 0
    typed_rare_found: int = 0
    typed_rare_total: int = 0
    documents: int = 0
    pages: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    failed: list[str] = field(default_factory=list)

    def add(self, truth: Truth, got: list[str], pages: int, wall: float, cpu: float) -> float:
        """Add one document; its recall."""
        words_got = {w for page in got for w in words(page)}

        def found(word: str) -> bool:
            return word in words_got or (
                word in truth.halves and all(h in words_got for h in truth.halves[word])
            )

        hits = sum(1 for w in truth.words if found(w))
        self.found += hits
        self.total += len(truth.words)
        rare = [w for w, n in truth.words.items() if n == 1]
        self.rare_found += sum(1 for w in rare if found(w))
        self.rare_total += len(rare)
        terms = findable_terms(got)

        def findable(word: str) -> bool:
            return word in terms or (
                word in truth.typed_halves and all(h in terms for h in truth.typed_halves[word])
            )

        self.typed_found += sum(1 for w in truth.typed if findable(w))
        self.typed_total += len(truth.typed)
        rare = [w for w, n in truth.typed.items() if n == 1]
        self.typed_rare_found += sum(1 for w in rare if findable(w))
        self.typed_rare_total += len(rare)
        self.documents += 1
        self.pages += pages
        self.wall += wall
        self.cpu += cpu
        return hits / max(len(truth.words), 1)


@dataclass
class Truth:
    words: Counter[str]
    halves: dict[str, tuple[str, str]]
    typed: Counter[str]
    typed_halves: dict[str, tuple[str, str]]
    #: The language the file's name or its making says, if it says one.
    language: str | None = None
    #: The code page pdftotext's text was decoded with (a font without a Unicode map).
    legacy: str | None = None

    @classmethod
    def of(cls, pages: list[str], language: str | None) -> Truth:
        pages, legacy = decoded_truth(pages)
        expected: Counter[str] = Counter()
        halves: dict[str, tuple[str, str]] = {}
        for page in pages:
            page_words, page_halves = truth_words(page)
            expected.update(page_words)
            halves.update(page_halves)
        typed, typed_halves = typeable_words(pages)
        return cls(expected, halves, typed, typed_halves, language, legacy)

    @property
    def cyrillic_or_greek(self) -> bool:
        letters = sum(len(w) * n for w, n in self.words.items())
        other = sum(
            len(w) * n
            for w, n in self.words.items()
            if "\u0370" <= w[0] <= "\u04ff" or "\u1f00" <= w[0] <= "\u1fff"
        )
        return other >= 0.3 * max(letters, 1)


#: Beyond this share of accented Latin-1 letters (À–ÿ) among its letters, a text is still in a
#: legacy encoding: Portuguese, the most accented of the Latin-script languages here, has
#: about 5 %. Measured on the text alone, whatever version of the indexer made it.
LEGACY_SHARE = 0.3
_LETTER = re.compile(r"[^\W\d_]")
_LATIN1_LETTER = re.compile(r"(?=[^\W\d_])[\u00c0-\u00ff]")


def latin1_share(pages: list[str]) -> float:
    letters = sum(len(_LETTER.findall(page)) for page in pages)
    return sum(len(_LATIN1_LETTER.findall(page)) for page in pages) / max(letters, 1)


#: Frequent words that only the right code page gives (the benchmark's own decision, so that
#: the truth is the same whichever version of the indexer is measured).
_COMMON = {
    "cp1251": {"и", "в", "на", "не", "что", "с", "по", "для", "это", "как", "за", "от", "да"},
    "cp1253": {"και", "το", "να", "της", "την", "του", "η", "ο", "σε", "για", "με", "των"},
}


def _decode(text: str, codepage: str) -> str:
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1252").decode(codepage))
        except (UnicodeEncodeError, UnicodeDecodeError):
            try:
                out.append(ch.encode("latin-1").decode(codepage))
            except (UnicodeEncodeError, UnicodeDecodeError):
                out.append(ch)
    return "".join(out)


def decoded_truth(pages: list[str]) -> tuple[list[str], str | None]:
    """pdftotext's pages, decoded when they are Latin-1 look-alikes of a legacy code page."""
    if latin1_share(pages) <= LEGACY_SHARE:
        return pages, None
    best, best_pages, best_hits = None, pages, 0
    for codepage, common in _COMMON.items():
        decoded = [_decode(page, codepage) for page in pages]
        hits = sum(1 for page in decoded for w in page.lower().split() if w in common)
        if hits > best_hits:
            best, best_pages, best_hits = codepage, decoded, hits
    return best_pages, best


#: A language code in a file's name or folder: "install.ru.pdf", "refcard-el-a4", "ru/".
_NAMED_LANGUAGE = re.compile(r"(?:^|[/._-])(bg|el|en|pt|ru|uk|sr|mk|fr|de|es|it)(?=[/._-]|$)")


def named_language(path: Path) -> str | None:
    found = _NAMED_LANGUAGE.findall(str(path).lower())
    return found[-1] if found else None


@dataclass
class Checks:
    """The indexer's text after repair: legacy encodings left, languages."""

    legacy_left: list[str] = field(default_factory=list)
    decoded: list[str] = field(default_factory=list)
    languages_right: int = 0
    languages_checked: int = 0
    wrong_language: list[str] = field(default_factory=list)
    normalise_cpu: float = 0.0

    def add(self, name: str, truth: Truth) -> None:
        extracted = LAST.extracted
        self.normalise_cpu += LAST.cpu
        if extracted is None:
            return
        share = latin1_share(list(extracted.pages))
        if share > LEGACY_SHARE:
            self.legacy_left.append(f"{name} ({share:.0%} of its letters are Latin-1 accented)")
        repair = (extracted.meta.get("text") or {}).get("encoding_repair")
        if repair:
            self.decoded.append(f"{name} ({repair['codepage']})")
        if truth.language is None:
            return
        analysed = detect(extracted)
        self.languages_checked += 1
        if truth.language in analysed.languages:
            self.languages_right += 1
        else:
            found = ", ".join(analysed.languages) or "none"
            self.wrong_language.append(f"{name}: {found}, expected {truth.language}")


def _documents(args: argparse.Namespace, tmp: Path) -> list[tuple[str, Path, int, Truth]]:
    """(group, path, pages, truth) of every document measured."""
    out: list[tuple[str, Path, int, Truth]] = []
    for path in args.pdf or find_pdfs(args.folder, tmp):
        try:
            count = min(len(pdfium.PdfDocument(str(path))), args.max_pages)
        except Exception as err:
            print(f"skipped {path.name}: {err}")
            continue
        truth = Truth.of(truth_pages(path, count), named_language(path))
        if truth.words:
            out.append(("real", path, count, truth))
    if args.generated:
        from bench.generated_pdfs import generated

        folder = tmp / "generated"
        for made in generated(folder):
            out.append(
                ("generated", made.path, len(made.pages), Truth.of(made.pages, made.language))
            )
    return out


def _report(title: str, tallies: dict[str, Tally]) -> None:
    some = next(iter(tallies.values()))
    print(f"\n{title}: {some.documents} PDFs, {some.pages} pages")
    print(
        f"{'':10} {'recall':>8} {'rare':>8} {'findable':>9} {'rare f.':>8} {'pages/s':>9} "
        f"{'CPU pages/s':>12}"
    )
    for name, t in tallies.items():
        print(
            f"{name:10} {t.found / max(t.total, 1):8.4f} "
            f"{t.rare_found / max(t.rare_total, 1):8.4f} "
            f"{t.typed_found / max(t.typed_total, 1):9.4f} "
            f"{t.typed_rare_found / max(t.typed_rare_total, 1):8.4f} "
            f"{t.pages / max(t.wall, 1e-9):9.1f} {t.pages / max(t.cpu, 1e-9):12.1f}"
        )
        for failure in t.failed:
            print(f"    failed: {failure}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folder", type=Path, default=Path("/usr/share/doc"))
    ap.add_argument("--pdf", type=Path, nargs="*", help="these PDFs instead of the folder's")
    ap.add_argument("--max-pages", type=int, default=150, help="pages read per document")
    ap.add_argument("--no-generated", dest="generated", action="store_false", help="real PDFs only")
    ap.add_argument("--verbose", action="store_true", help="one line per document")
    args = ap.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext not found: apt-get install poppler-utils")
        return 0
    with tempfile.TemporaryDirectory(prefix="kb-pdf-text-") as tmp:
        documents = _documents(args, Path(tmp))
        if not any(group == "real" for group, *_ in documents):
            print(f"no PDFs under {args.folder}: install a few documentation packages (see --help)")
        groups = {"real": "Real PDFs", "cyrillic/greek": "  of them in Cyrillic or Greek"}
        groups["generated"] = "PDFs as the tests make them"
        tallies = {g: {name: Tally() for name in VARIANTS} for g in groups}
        checks = {g: Checks() for g in groups}
        for group, path, count, truth in documents:
            line = [f"{path.name[:44]:44} {count:4}p"]
            mine = [group] + (
                ["cyrillic/greek"] if group == "real" and truth.cyrillic_or_greek else []
            )
            for name, extract in VARIANTS.items():
                LAST.extracted = None
                wall, cpu = time.perf_counter(), time.process_time()
                try:
                    pages = extract(path, count)
                except Exception as err:
                    for g in mine:
                        tallies[g][name].failed.append(f"{path.name}: {type(err).__name__}: {err}")
                    pages = []
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                for g in mine:
                    recall = tallies[g][name].add(truth, pages, count, wall, cpu)
                line.append(f"{name} {recall:.4f}")
            for g in mine:
                checks[g].add(path.name, truth)
            if args.verbose:
                print("  ".join(line), flush=True)
        for group, title in groups.items():
            if not tallies[group]["indexer"].documents:
                continue
            _report(title, tallies[group])
            check = checks[group]
            print(
                f"indexer: normalisation {check.normalise_cpu:.2f} CPU s; legacy encodings "
                f"decoded in {len(check.decoded)}, left in {len(check.legacy_left)}; language "
                f"right {check.languages_right} of {check.languages_checked} named"
            )
            for name in check.decoded:
                print(f"    decoded: {name}")
            for name in check.legacy_left:
                print(f"    still legacy: {name}")
            for name in check.wrong_language:
                print(f"    language: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
