"""Format registry: one module per format, picked by file extension.

Adding a format is one module with an ``extract(path, max_pages, options) -> Extracted`` function
(or a package exposing it, when reading the format takes several steps, as ``pdf/`` does)
and one line in ``EXTRACTORS``, which names the module and its function: a module is imported
when the first file of its format is read. The readers' libraries (a workbook reader, a PDF
parser, an XML toolkit) take tens of megabytes and a good part of a second to load, and most
processes need none or one of them: the process that writes the index reads no file at all,
and a worker given only text files never needs a PDF parser. ``options`` (OCR on or off, its
languages and time) matter to PDF only for now. Every extractor raises an ``ExtractionError``
subclass with a sentence an editor can act on; anything else it raises is turned into one by
the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import EmptyDocument, UnsupportedFormat
from ...models import Extracted, ExtractOptions
from ...text.properties import without_boilerplate

if TYPE_CHECKING:
    from ...config import Settings

Extractor = Callable[[Path, int, ExtractOptions | None], Extracted]

#: Pictures, read by OCR, and the format each suffix records.
PICTURE_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff"}
#: Each suffix's reader: the module of this package and its function.
EXTRACTORS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "extract"),
    ".docx": ("docx", "extract"),
    ".odt": ("odt", "extract"),
    ".xlsx": ("sheets", "extract_xlsx"),
    ".ods": ("sheets", "extract_ods"),
    ".html": ("html", "extract"),
    ".htm": ("html", "extract"),
    ".txt": ("text", "extract"),
    ".eml": ("eml", "extract"),
    ".md": ("text", "extract"),
    ".markdown": ("text", "extract"),
    **dict.fromkeys(PICTURE_FORMATS, ("images", "extract")),
}

#: What to tell editors about formats we recognise but do not read.
_HINTS = {
    ".doc": "Word 97-2003 documents are not supported; save it as .docx or PDF",
    ".xls": "Excel 97-2003 workbooks are not supported; save it as .xlsx or .ods",
    ".ppt": "PowerPoint 97-2003 files are not supported; save it as PDF",
    ".pptx": "presentations are indexed as PDF; export it as PDF",
    ".rtf": "RTF is not supported; save it as .docx, .odt or PDF",
    ".zip": "archives are not unpacked; extract the documents into the folder",
}

SUPPORTED_SUFFIXES = frozenset(EXTRACTORS)


#: Share of a file's time limit that OCR may use; the rest is for reading and analysis.
OCR_SHARE_OF_TIMEOUT = 0.75


def options_from(settings: Settings) -> ExtractOptions:
    """The extraction options a run's settings ask for."""
    return ExtractOptions(
        ocr=settings.ocr,
        ocr_languages=tuple(settings.ocr_languages),
        ocr_seconds=settings.file_timeout * OCR_SHARE_OF_TIMEOUT,
    )


def extractor(module: str, function: str) -> Extractor:
    """A format's reader, its module imported on first use."""
    found: Extractor = getattr(import_module(f"{__name__}.{module}"), function)
    return found


def extract(path: Path, max_pages: int = 3000, options: ExtractOptions | None = None) -> Extracted:
    """Extract text and embedded metadata from one file."""
    suffix = path.suffix.lower()
    reader = EXTRACTORS.get(suffix)
    if reader is None:
        hint = _HINTS.get(suffix, "this file type is not indexed")
        raise UnsupportedFormat(f"unsupported format {suffix or '(no extension)'}: {hint}")
    if path.stat().st_size == 0:
        raise EmptyDocument("empty file (0 bytes)")
    found = extractor(*reader)(path, max_pages, options)
    found.meta = without_boilerplate(found.meta)
    return found


__all__ = ["EXTRACTORS", "SUPPORTED_SUFFIXES", "extract", "options_from"]
