"""Pages of picture files (.png, .jpg, .tiff) in the rendering process: the picture itself
(a TIFF's frame) is the page's preview, turned upright as the camera recorded, and its words,
where the searched ones are marked, are those OCR reads on it, as for a scanned PDF page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from .images import FORMATS, frame, open_picture
from .pdf.rendering import PageLayout

#: The formats whose pages have pictures: PDF, and the pictures themselves.
PICTURED = frozenset({"pdf", *FORMATS.values()})


def is_picture(path: Path) -> bool:
    return path.suffix.lower() in FORMATS


def answer(request: dict[str, Any], image_format: str) -> None:
    """Make what ``request`` asks of a picture file's page: its picture ``image`` pixels wide,
    or its layout (the words OCR reads with the packs ``ocr``; none without them)."""
    from .pdf.previews import picture_layout

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
                    frame(picture, number - 1), request["ocr"], page.width, page.height
                )
            else:
                found = PageLayout("", [], page.width, page.height)
            text = json.dumps(found.to_dict(), ensure_ascii=False)
            Path(request["out"]).write_text(text, "utf-8")
