"""Pictures (.png, .jpg, .tiff): a photographed page or a scan saved as an image is read by
OCR, one page per picture (a multi-page TIFF, as scanners write, one page per frame); the
picture itself is the page's preview.

A photo taken with a phone is turned upright as its camera recorded; a small picture is
enlarged to the size Tesseract reads best. Without OCR (turned off, or Tesseract missing), the
file is recorded with what it needs, as a scanned PDF is.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from ...errors import EmptyDocument, ExtractionError, NeedsOcr
from ...models import Extracted, ExtractOptions
from . import PICTURE_FORMATS as FORMATS
from . import ocr
from .ocr_run import OcrRun

#: Pictures larger than this many pixels are refused (a decompression bomb, not a page).
MAX_PIXELS = 80_000_000
#: A picture narrower than this is enlarged before OCR (about an A4 page at 200 dpi).
MIN_OCR_WIDTH = 1600


def open_picture(path: Path) -> Image.Image:
    """The picture, checked to be one and of a sane size; a clear error otherwise."""
    try:
        picture = Image.open(path)
        picture.size  # noqa: B018 - the header is read here
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise ExtractionError(f"damaged or not a picture: {err}") from err
    width, height = picture.size
    if width * height > MAX_PIXELS:
        picture.close()
        raise ExtractionError(
            f"the picture is too large to read ({width}×{height} pixels; at most "
            f"{MAX_PIXELS // 1_000_000} million)"
        )
    return picture


def frame(picture: Image.Image, index: int) -> Image.Image:
    """One frame of a picture, upright, in grey levels, wide enough for OCR."""
    picture.seek(index)
    page = ImageOps.exif_transpose(picture.convert("RGB")).convert("L")
    if page.width < MIN_OCR_WIDTH:
        scale = MIN_OCR_WIDTH / page.width
        page = page.resize((MIN_OCR_WIDTH, round(page.height * scale)), Image.Resampling.LANCZOS)
    return page


def _why_not(options: ExtractOptions) -> str:
    """Why OCR cannot read the picture, or "" when it can."""
    if not options.ocr:
        return "OCR is turned off (KB_OCR=0)"
    if ocr.engine_version() is None:
        return ocr.INSTALL_HINT
    return ""


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    options = options or ExtractOptions()
    fmt = FORMATS.get(path.suffix.lower(), "image")
    with open_picture(path) as picture:
        frames = getattr(picture, "n_frames", 1)
        reason = _why_not(options)
        if reason:
            raise NeedsOcr(f"a picture has no text layer; needs OCR to be searched: {reason}")
        texts: list[str] = []
        try:
            run = OcrRun(options)
            for index in range(min(frames, max_pages)):
                result = run.page(index + 1, frame(picture, index))
                texts.append(result.text if result else "")
        except ocr.OcrUnavailable as err:
            raise NeedsOcr(f"a picture has no text layer; needs OCR: {err}") from err
        except OSError as err:  # a truncated file fails when its pixels are read
            raise ExtractionError(f"damaged picture: {err}") from err
    warnings = []
    if frames > max_pages:
        warnings.append(f"only the first {max_pages} of {frames} pages were read")
    if not run.read:
        if run.skipped:
            raise ExtractionError(
                f"OCR of the picture did not finish within {options.ocr_seconds:g} s; raise "
                "KB_FILE_TIMEOUT or split the file"
            )
        raise EmptyDocument("no text: OCR found no words in the picture")
    if run.skipped:
        warnings.append(
            f"OCR stopped after {options.ocr_seconds:g} s: {run.skipped} page(s) not read"
        )
    info = run.record()
    warnings.append(f"text read by OCR (mean confidence {info['confidence']:g} %)")
    meta = {"text": {"layer": "none", "ocr": info}}
    return Extracted(format=fmt, pages=texts, meta=meta, warnings=warnings)
