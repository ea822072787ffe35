"""A file's text as the index takes it: extract (with OCR) → bound → normalise → detect.

This is the half of the pipeline that reads a document, and so the work an extraction worker
does (`extract_file`); the main process never calls it itself (see `workers`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Protocol

from ...models import Analysed, Extracted, ExtractOptions
from ...text.detect import detect
from ...text.furniture import mark_furniture
from ...text.normalize import normalise
from ..extract import extract


class FileLimits(Protocol):
    """What reading one file needs of a run's limits (`workers.Limits` is one)."""

    @property
    def max_pages(self) -> int: ...

    @property
    def max_chars(self) -> int: ...

    @property
    def options(self) -> ExtractOptions | None: ...


def process_file(
    path: Path, max_pages: int, max_chars: int = 0, options: ExtractOptions | None = None
) -> Analysed:
    """The whole per-file half of the pipeline: extract (with OCR) → bound → normalise → detect,
    and the running headers and footers recognised."""
    return mark_furniture(
        detect(normalise(bound_text(extract(path, max_pages, options), max_chars)))
    )


def bound_text(extracted: Extracted, max_chars: int) -> Extracted:
    """At most ``max_chars`` characters of text (0: no limit), cut at a page or a word.

    A document's text is analysed, indexed and highlighted as a whole; a 50 MB text file would
    take minutes and gigabytes for every later search that touches it. What is left out is
    said in a warning on the file.
    """
    total = sum(len(p) for p in extracted.pages)
    if max_chars <= 0 or total <= max_chars:
        return extracted
    kept: list[str] = []
    budget = max_chars
    for page in extracted.pages:
        if len(page) <= budget:
            kept.append(page)
            budget -= len(page)
            continue
        cut = page[:budget]
        space = max(cut.rfind(" "), cut.rfind("\n"))
        kept.append(cut[:space] if space > budget // 2 else cut)
        break
    while len(kept) > 1 and not kept[-1].strip():
        kept.pop()
    warning = (
        f"text longer than the limit of {max_chars:,} characters: the first "
        f"{sum(len(p) for p in kept):,} of {total:,} characters were indexed "
        f"(pages 1–{len(kept)} of {len(extracted.pages)})"
    )
    return replace(extracted, pages=kept, warnings=[*extracted.warnings, warning])


def extract_file(path: str | Path, limits: FileLimits) -> Analysed:
    """A file's text under a run's limits (see `process_file`): the default work of a worker,
    and what a worker preparing a document does when the text is not cached."""
    return process_file(Path(path), limits.max_pages, limits.max_chars, limits.options)
