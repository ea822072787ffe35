"""OCR of the pictures of one file within its time budget: which packs read each picture
(every configured one for the first, then those its script and language call for; a later
page those packs read far worse than the first is read again with every pack, so an annex in
another script is not turned into look-alike letters), what was read, and the record of it kept
with the extraction and shown on the document page.

Scanned PDF pages and picture files are read the same way through it.
"""

from __future__ import annotations

import time
from typing import Any

from PIL import Image

from ...models import ExtractOptions
from . import ocr

#: A later page read with the narrowed packs is read again with every pack when its confidence
#: is below this, or this far below the first page's: a page in another script read with the
#: wrong packs comes out near 65-70, a clean one in the right script above 90.
REREAD_BELOW = 80.0
REREAD_DROP = 10.0
#: Re-reads that found nothing better before the document is taken to be a poor scan, whose
#: pages are then kept as the narrowed packs read them (each re-read costs a whole page).
FRUITLESS_REREADS = 2


class OcrRun:
    """Pictures read one after another by Tesseract, within ``options.ocr_seconds``."""

    def __init__(self, options: ExtractOptions) -> None:
        self.options = options
        self.started = time.monotonic()
        self.languages = list(options.ocr_languages)
        self.every_pack = ocr.packs_for(self.languages)  # raises OcrUnavailable
        self.packs = self.every_pack
        self.fruitless = 0
        self.read: list[int] = []
        self.confidences: list[tuple[float, int]] = []
        self.used: set[str] = set()
        self.skipped = 0

    def time_left(self) -> float:
        """Seconds left for OCR; a picture is not begun with one second or less."""
        return self.options.ocr_seconds - (time.monotonic() - self.started)

    def page(self, number: int, picture: Image.Image) -> ocr.OcrPage | None:
        """Page ``number`` read from its picture; None when the time ran out (counted as
        skipped). Tesseract failing otherwise raises."""
        result = self._read(picture, self.packs)
        if result is None:
            self.skipped += 1
            return None
        if self._worth_reading_again(result):
            again = self._read(picture, self.every_pack)
            if again is not None and again.confidence > result.confidence:
                self.used.add(result.packs)
                result = again
                self._follow(again)
            else:
                self.fruitless += 1
        self.used.add(result.packs)
        if result.words:
            self.read.append(number)
            self.confidences.append((result.confidence, result.words))
            if len(self.read) == 1:
                self._follow(result)
        return result

    def _follow(self, result: ocr.OcrPage) -> None:
        """The packs for the pages after: those the script and language read here call for."""
        self.packs = ocr.packs_for(ocr.languages_of(result.text, self.languages))

    def _read(self, picture: Image.Image, packs: str) -> ocr.OcrPage | None:
        """The page read with ``packs``; None when no time is left or Tesseract timed out."""
        left = self.time_left()
        if left <= 1:
            return None
        try:
            return ocr.read(picture, packs, timeout=left)
        except ocr.OcrUnavailable:
            raise
        except RuntimeError as err:  # pytesseract's timeout
            if "timeout" not in str(err).lower():
                raise
            return None

    def _worth_reading_again(self, result: ocr.OcrPage) -> bool:
        """Whether a page read with the packs the first page chose looks like another script
        read with the wrong ones (and a re-read has not already failed to help twice)."""
        if not self.confidences or self.packs == self.every_pack:
            return False
        if self.fruitless >= FRUITLESS_REREADS:
            return False
        first = self.confidences[0][0]  # the first page read, with every pack
        expected = min(REREAD_BELOW, first - REREAD_DROP)
        return not result.words or result.confidence < expected

    def record(self) -> dict[str, Any]:
        """What OCR did, as kept with the extraction."""
        words = sum(n for _, n in self.confidences)
        return {
            "engine": f"Tesseract {ocr.engine_version()}",
            "pages": self.read,
            "confidence": round(sum(c * n for c, n in self.confidences) / max(words, 1), 1),
            "words": words,
            "languages": sorted({p for combo in self.used for p in combo.split("+")}),
            "seconds": round(time.monotonic() - self.started, 1),
        }
