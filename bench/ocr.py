"""OCR of scans: words read correctly and seconds per page, with every language pack against
the packs chosen for the script, on generated scans in the four languages and on the corpus's
scanned minutes.

    python -m bench.ocr [--rounds 2]

Each generated scan is a page image of a known sample text (DejaVu Serif, 11 pt at 200 dpi,
as an office scanner makes it), so "words" is the share of the text's distinct words Tesseract
read exactly. The corpus scan has no ground truth here beyond its source text, which is used the
same way. Variants alternate page by page; times are medians of the rounds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import textwrap
import time
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from indexer.ingest.extract import ocr
from indexer.ingest.extract.pdf import rendering

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = {
    "en": "Social innovation ecosystems in early-stage member states need a national competence "
    "centre. The centre connects social enterprises, managing authorities and investors, and "
    "helps innovators prepare for scaling with support from the European Social Fund.",
    "bg": "Социалните иновации в България се нуждаят от национален център за компетентност. "
    "Центърът свързва социалните предприятия, управляващите органи и инвеститорите и подпомага "
    "иноваторите при скалирането на техните решения.",
    "el": "Οι κοινωνικές καινοτομίες στην Κύπρο χρειάζονται ένα εθνικό κέντρο ικανοτήτων. Το "
    "κέντρο συνδέει τις κοινωνικές επιχειρήσεις, τις διαχειριστικές αρχές και τους επενδυτές "
    "και στηρίζει την κλιμάκωση των λύσεων.",
    "pt": "As inovações sociais em Portugal precisam de um centro nacional de competências. O "
    "centro liga as empresas sociais, as autoridades de gestão e os investidores e apoia a "
    "escala das soluções com financiamento europeu.",
}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
_WORD = re.compile(r"\w{3,}")


def words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def make_scan(text: str, target: Path) -> Path:
    font = ImageFont.truetype(str(FONT), 30)
    image = Image.new("L", (1654, 2339), 250)
    draw = ImageDraw.Draw(image)
    y = 140
    for paragraph in [text] * 4:
        for line in textwrap.wrap(paragraph, 80):
            draw.text((140, y), line, fill=25, font=font)
            y += 46
        y += 46
    pdf = FPDF(format="A4")
    pdf.add_page()
    path = target.with_suffix(".png")
    image.save(path)
    pdf.image(str(path), x=0, y=0, w=210, h=297)
    pdf.output(str(target))
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    if ocr.engine_version() is None:
        print("Tesseract is not installed: " + ocr.INSTALL_HINT)
        return 0
    every = ocr.packs_for(SAMPLES)
    print(f"Tesseract {ocr.engine_version()}, packs {every}\n")
    head = f"{'packs':16} {'words':>6} {'s/page':>7}"
    print(f"{'scan':10} {head}   {head}")
    with tempfile.TemporaryDirectory(prefix="kb-ocr-") as tmp:
        cases = {
            lang: (make_scan(text, Path(tmp) / f"{lang}.pdf"), text)
            for lang, text in SAMPLES.items()
        }
        corpus = ROOT / "corpus" / "cyprus" / "signed-minutes-scan.pdf"
        source = ROOT / "corpus" / "sources" / "cyprus" / "signed-minutes-scan.md"
        if corpus.is_file() and source.is_file():
            cases["corpus-el"] = (corpus, source.read_text("utf-8"))
        for name, (path, truth) in cases.items():
            document = rendering.open_pdf(path)
            page = document[0]
            dpi = max(200.0, rendering.image_dpi(page) or 200.0)
            image = rendering.render(page, dpi=dpi, grayscale=True)
            chosen = ocr.packs_for(ocr.languages_of(truth, list(SAMPLES)))
            row = [f"{name:10}"]
            for packs in (every, chosen):
                times: list[float] = []
                for _ in range(args.rounds):
                    started = time.perf_counter()
                    result = ocr.read(image, packs)
                    times.append(time.perf_counter() - started)
                read, known = words(result.text), words(truth)
                # The corpus scan's source text runs on to its second page: there the share of
                # the words read that are right is measured, not the share of the source read.
                found = len(read & known) / max(len(read if name == "corpus-el" else known), 1)
                row.append(f"{packs:16} {found:6.3f} {statistics.median(times):7.2f}")
            print("   ".join(row), flush=True)
            page.close()
            document.close()
    print(
        "\nwords: for the generated scans the share of the text's words read; for corpus-el "
        "the share of the words read that are in its source"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
