"""A query as parsed and bounded for one snapshot, and the documents it matches: what retrieval
finds, and what ranking and the hits on screen read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..contract import Fallback, Transliteration
from ..queries.query import ParsedQuery
from .docsets import DocSet


@dataclass
class Matched:
    """A query as parsed and bounded for one snapshot, and the documents it matches."""

    parsed: ParsedQuery
    channels: list[DocSet]  # matching each channel (typed words, each language's expansion)
    direct: DocSet  # matching the query itself (any channel)
    matched: DocSet  # and, with all languages on, their other language versions
    fallback: Fallback | None
    partial: bool
    suggestion: str | None = None
    #: Words also searched in another alphabet, as the reader is told.
    transliterated: list[Transliteration] = field(default_factory=list)
