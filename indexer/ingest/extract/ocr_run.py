"""OCR of the pictures of one file within its time budget: which packs read each picture
(every configured one for the first, then those its script and language call for), what was
read, and the record of it kept with the extraction and shown on the document page.

Scanned PDF pages and picture files are read the same way through it.
"""

from __future__ import annotations

import time
from typing import Any

from PIL import Image

from ...models import ExtractOptions
from . import ocr


class OcrRun:
    """Pictures read one after another by Tesseract, within ``options.ocr_seconds``."""

    def __init__(self, options: ExtractOptions) -> None:
        self.options = options
        self.started = time.monotonic()
        self.languages = list(options.ocr_languages)
        self.packs = ocr.packs_for(self.languages)  # raises OcrUnavailable
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
        left = self.time_left()
        if left <= 1:
            self.skipped += 1
            return None
        try:
            result = ocr.read(picture, self.packs, timeout=left)
        except ocr.OcrUnavailable:
            raise
        except RuntimeError as err:  # pytesseract's timeout
            if "timeout" not in str(err).lower():
                raise
            self.skipped += 1
            return None
        self.used.add(result.packs)
        if result.words:
            self.read.append(number)
            self.confidences.append((result.confidence, result.words))
            if len(self.read) == 1:
                self.packs = ocr.packs_for(ocr.languages_of(result.text, self.languages))
        return result

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
