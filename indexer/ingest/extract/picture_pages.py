"""Pages of picture files (.png, .jpg, .tiff) in the rendering process: the picture itself
(a TIFF's frame) is the page's preview, turned upright as the camera recorded, and its words,
where the searched ones are marked, are those OCR reads on it, as for a scanned PDF page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from . import PICTURE_FORMATS as FORMATS
from .images import frame, open_picture
from .pdf.rendering import MAX_LAYOUT_CHARS, PageLayout, Word

#: The formats whose pages have pictures: PDF, and the pictures themselves.
PICTURED = frozenset({"pdf", *FORMATS.values()})


def is_picture(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def answer(request: dict[str, Any], image_format: str, ocr_seconds: float) -> None:
    """Make what ``request`` asks of a picture file's page: its picture ``image`` pixels wide,
    or its layout (the words OCR reads with the packs ``ocr`` within ``ocr_seconds``; none
    without them)."""
    with open_picture(Path(request["file"])) as picture:
        number = int(request["page"])
        if not 1 <= number <= getattr(picture, "n_frames", 1):
            raise ValueError(f"no page {number}")
        picture.seek(number - 1)
        page = ImageOps.exif_transpose(picture.convert("RGB"))
        if request.get("image"):
            width = int(request["image"])
            height = max(1, round(page.height * width / page.width))
            shown = page.resize((width, height), Image.Resampling.LANCZOS)
            shown.save(request["out"], format=image_format, quality=80, method=4)
        if request.get("layout"):
            if request.get("ocr"):
                found = picture_layout(
                    frame(picture, number - 1),
                    request["ocr"],
                    page.width,
                    page.height,
                    ocr_seconds,
                )
            else:
                found = PageLayout("", [], page.width, page.height)
            text = json.dumps(found.to_dict(), ensure_ascii=False)
            Path(request["out"]).write_text(text, "utf-8")


def picture_layout(
    picture: Any, packs: str, page_w: float, page_h: float, seconds: float
) -> PageLayout:
    """The words Tesseract reads on a picture of a page, each with its box as a share of the
    picture's size, for a page of ``page_w`` × ``page_h``, read within ``seconds``."""
    from . import ocr

    width, height = picture.size
    result = ocr.read(picture, packs, timeout=seconds)
    text = ""
    words: list[Word] = []
    for word, left, top, right, bottom in result.boxes:
        start = len(text) + (1 if text else 0)
        if start + len(word) > MAX_LAYOUT_CHARS:
            break
        text = f"{text} {word}" if text else word
        box = (left / width, top / height, right / width, bottom / height)
        words.append(
            (
                start,
                len(text),
                round(box[0], 4),
                round(box[1], 4),
                round(box[2], 4),
                round(box[3], 4),
            )
        )
    return PageLayout(text, words, page_w, page_h, complete=len(words) == len(result.boxes))
