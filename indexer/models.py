"""The records that flow between pipeline stages.

Each stage is a plain function from one of these to the next
(``SourceFile → Extracted → Analysed → Document``), which keeps stages testable on their own and
lets the extraction half run in worker processes: everything here pickles.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .languages import INDEX_LANGUAGES

#: Metadata fields that are facets (multi-valued ones hold lists).
FACETS: tuple[str, ...] = (
    "country",
    "topic",
    "language",
    "type",
    "year",
    "organisation",
    "place",
)
MULTI_VALUED: frozenset[str] = frozenset({"country", "topic", "language", "organisation", "place"})


def document_id(root_name: str, path: str) -> str:
    """Stable id from the root folder's name and the relative path.

    Stable across machines and rebuilds (the absolute location of the folder does not matter),
    so links to documents survive a reinstall.
    """
    return hashlib.blake2b(f"{root_name}/{path}".encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class SourceFile:
    """A file found under one of the roots."""

    root: Path
    path: str  # POSIX, relative to root
    size: int
    mtime_ns: int
    sha256: str

    @property
    def abspath(self) -> Path:
        return self.root / self.path

    @property
    def suffix(self) -> str:
        return Path(self.path).suffix.lower()

    @property
    def id(self) -> str:
        return document_id(self.root.name, self.path)


@dataclass(frozen=True)
class ExtractOptions:
    """How far extraction may go, the same for every file of a run (it pickles to workers)."""

    #: Read image-only pages with OCR when Tesseract is installed.
    ocr: bool = True
    #: Language packs for a scan whose script is not known yet (its first page is read with
    #: all of them; later pages with those that suit the script found).
    ocr_languages: tuple[str, ...] = INDEX_LANGUAGES
    #: Seconds of OCR per file; image pages after that stay unread, with a warning.
    ocr_seconds: float = 90.0


@dataclass
class Extracted:
    """Raw text per page plus the metadata embedded in the file.

    ``meta`` holds the file's own metadata as strings, and under ``"text"`` a record of how the
    text was obtained (text layer, OCR with its confidence, repaired encoding), which is kept
    with the cached extraction and shown on the document page.
    """

    format: str
    pages: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Page:
    number: int  # 1-based
    text: str
    language: str = "und"
    #: Languages found on the page, dominant first (a page may mix scripts).
    languages: list[str] = field(default_factory=list)
    #: Character ranges [start, end) of the text that are running headers, footers and page
    #: numbers (``text.furniture``): text of the page, but no evidence of what it is about.
    furniture: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Analysed:
    """Normalised pages with their languages: everything extraction can tell about a file."""

    format: str
    pages: list[Page]
    language: str
    languages: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def char_count(self) -> int:
        return sum(len(p.text) for p in self.pages)


@dataclass
class Value:
    """A metadata value and where it came from, so editors can see why a facet says what it says."""

    value: Any
    source: str  # "manifest" | "correction" | "embedded" | "inferred" | "file"
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Document:
    """One file ready for the catalog and the index."""

    id: str
    root: str  # absolute root folder (kept in the catalog only, never shown)
    path: str
    sha256: str
    size: int
    mtime_ns: int
    format: str
    language: str
    languages: list[str]
    pages: list[Page]
    meta: dict[str, Value]
    warnings: list[str] = field(default_factory=list)

    def get(self, key: str, default: Any = None) -> Any:
        v = self.meta.get(key)
        return default if v is None else v.value

    @property
    def title(self) -> str:
        return self.get("title") or Path(self.path).stem

    def facet_values(self, facet: str) -> list[str]:
        """The values a facet counts for this document, always as a list of strings."""
        if facet == "language":
            return list(self.languages) or [self.language]
        v = self.get(facet)
        if v is None or v == "":
            return []
        if isinstance(v, list | tuple):
            return [str(x) for x in v if str(x)]
        return [str(v)]
