"""The one Whoosh schema, and how a `Document` becomes an index record.

Full-text fields (one stemmed field per language, one folded exact-form field, titles and codes)
all share the tokenizer of `analysis`, so a word's position is the same in each of them; the
record stores where each page starts, and that turns match positions into page numbers.
Facet fields are sortable columns holding the values joined by newlines, which is what facet
counting reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import (
    FoldingAnalyzer,
    IdentifierAnalyzer,
    LanguageAnalyzer,
    MultiStemAnalyzer,
    VocabularyAnalyzer,
    count_words,
    fold,
    page_marker,
)
from .config import INDEX_LANGUAGES
from .models import Document

SCHEMA_VERSION = 3
FACET_FIELDS = ("country", "topic", "language", "type", "year", "organisation")
LANGUAGE_FIELDS = {lang: f"text_{lang}" for lang in INDEX_LANGUAGES}
SEPARATOR = "\n"
_LATIN_LANGUAGES = {"en", "pt", "fr", "de", "es", "it", "ga", "nl", "ro", "pl", "cs", "sk"}


@dataclass(frozen=True)
class FieldWeights:
    """Field boosts: exact forms and titles above stemmed body text."""

    title: float = 3.0
    title_stem: float = 2.0
    text: float = 1.5
    ident: float = 2.0
    meta_text: float = 1.0
    stemmed: float = 1.0


WEIGHTS = FieldWeights()


def build_schema() -> Schema:
    folding = FoldingAnalyzer()
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True),
        "path": ID(stored=True),
        "title": TEXT(analyzer=folding, stored=True, field_boost=WEIGHTS.title),
        "title_stem": TEXT(analyzer=MultiStemAnalyzer(), field_boost=WEIGHTS.title_stem),
        "text": TEXT(analyzer=folding, field_boost=WEIGHTS.text),
        "ident": TEXT(analyzer=IdentifierAnalyzer(), field_boost=WEIGHTS.ident),
        "meta_text": TEXT(analyzer=folding, field_boost=WEIGHTS.meta_text),
        "vocab": TEXT(analyzer=VocabularyAnalyzer(), phrase=False),
        "type": ID(stored=True, sortable=True),
        "year": NUMERIC(int, stored=True, sortable=True, signed=False, default=0),
        "work": ID(stored=True, sortable=True),
        "format": ID(stored=True),
        "pages": NUMERIC(int, stored=True),
        "added": NUMERIC(int, bits=64, stored=True, sortable=True),
        "sort_title": ID(sortable=True),
        "data": STORED(),
    }
    for name in ("country", "topic", "language", "organisation"):
        fields[name] = KEYWORD(stored=True, sortable=True, scorable=False)
    for lang, name in LANGUAGE_FIELDS.items():
        fields[name] = TEXT(analyzer=LanguageAnalyzer(lang), field_boost=WEIGHTS.stemmed)
    return Schema(**fields)


def latin_language(page_languages: list[str], document_languages: list[str]) -> str | None:
    """Which language the Latin-script words of a page are in."""
    for lang in [*page_languages, *document_languages]:
        if lang in _LATIN_LANGUAGES:
            return lang
    return None


def body_text(doc: Document) -> tuple[str, list[int]]:
    """All pages as one string with language markers, and the word position where each starts."""
    parts: list[str] = []
    starts: list[int] = []
    position = 0
    for page in doc.pages:
        starts.append(position)
        parts.append(page_marker(latin_language(page.languages, doc.languages)))
        parts.append(page.text)
        parts.append("\n\n")
        position += count_words(page.text)
    return "".join(parts), starts


def index_record(doc: Document, added: float) -> dict[str, Any]:
    """Field values for one document."""
    body, starts = body_text(doc)
    title = doc.title
    marker = page_marker(latin_language([doc.language], doc.languages))
    facets = {f: doc.facet_values(f) for f in FACET_FIELDS}
    meta_words = [
        str(doc.get(k) or "")
        for k in ("organisation", "author", "subject", "keywords", "description")
    ]
    meta_words.append(doc.path.replace("/", " ").replace("_", " "))
    record: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "title": title,
        "title_stem": marker + title,
        "text": body,
        "ident": body + "\n" + title,
        "meta_text": " ".join(w for w in meta_words if w),
        "vocab": title + "\n" + body,
        "format": doc.format,
        "pages": len(doc.pages),
        "added": int(added),
        "sort_title": fold(title),
        "work": str(doc.get("work") or ""),
        "data": {
            "sha256": doc.sha256,
            "page_starts": starts,
            "languages": list(doc.languages),
            "language": doc.language,
            "page_languages": [p.language for p in doc.pages],
        },
    }
    for name in LANGUAGE_FIELDS.values():
        record[name] = body
    for name in ("country", "topic", "language", "organisation"):
        values = facets[name]
        if values:
            record[name] = values
            record[f"_stored_{name}"] = SEPARATOR.join(values)
    if facets["type"]:
        record["type"] = facets["type"][0]
    # Always written, 0 when unknown: Whoosh cannot read a numeric column in a segment where
    # no document has a value, so a first file without a date followed by a dated one would
    # break sorting and facets.
    known = facets["year"] and str(facets["year"][0]).isdigit()
    record["year"] = int(facets["year"][0]) if known else 0
    return record
