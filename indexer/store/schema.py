"""The one Whoosh schema, and how a `Document` becomes an index record.

Full-text fields (one stemmed field per language, one folded exact-form field, titles and codes)
all share the tokenizer of `analysis`, so a word's position is the same in each of them; the
record stores where each page starts, and that turns match positions into page numbers.
Facet fields are sortable columns holding the values joined by newlines, which is what facet
counting reads.

The fields that hold the whole text (`text`, `text_<lang>`, `ident`, `vocab`) are given their
terms ready-made, from one pass over the document's words (`analysis.analyse_document`), instead
of each re-tokenising the text; queries still go through each field's analyser, which yields the
same terms.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import numpy as np
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from ..languages import INDEX_LANGUAGES, latin_language
from ..models import Document
from ..text.analysers import (
    FoldingAnalyzer,
    IdentifierAnalyzer,
    LanguageAnalyzer,
    MultiStemAnalyzer,
    VocabularyAnalyzer,
)
from ..text.document_terms import analyse_document
from ..text.furniture import word_ranges
from ..text.page_outline import outline_value
from ..text.terms import fold, page_marker
from .packed_positions import PackedPositions, packed_many

# A change to the fields or their analysers is a new layout: bump `layout.SCHEMA_VERSION`.
FACET_FIELDS = ("country", "topic", "language", "type", "year", "organisation", "place")
#: Facets that hold several values per document.
LIST_FACETS = ("country", "topic", "language", "organisation", "place")
LANGUAGE_FIELDS = {lang: f"text_{lang}" for lang in INDEX_LANGUAGES}
#: Fields given ready-made terms by `index_record`.
BODY_FIELDS = ("text", "ident", "vocab", *LANGUAGE_FIELDS.values())
SEPARATOR = "\n"
#: The stored fields a hit or a listing shows, kept again in the ``hit`` column as one JSON
#: value: read for the hits on screen without unpickling and decompressing the whole stored
#: record (``search/finding/records.py``).
HIT_FIELDS = (
    "id",
    "path",
    "title",
    "country",
    "topic",
    "language",
    "organisation",
    "place",
    "type",
    "year",
    "work",
    "format",
    "pages",
    "added",
)
#: Of the stored ``data``: what hits need besides (the text's hash, where each page starts and
#: which word positions are running headers and footers).
HIT_DATA = ("sha256", "page_starts", "furniture", "languages", "language")


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


Posting = tuple[bytes, int, float, bytes]


class Encoded:
    """A document's postings in one field, as Whoosh stores them, column by column: each
    term (in the order of its bytes), its frequency and its encoded positions (or frequency);
    a posting's weight is its frequency times ``boost``. Made where the document is analysed
    (an extraction worker), so the process that writes the index only adds them. Columns, not
    a tuple per posting: the writer takes a field's postings in a few calls, and the result
    crosses between processes as a few arrays and lists instead of thousands of tuples."""

    __slots__ = ("boost", "freqs", "terms", "values")

    def __init__(
        self, terms: list[bytes], freqs: array[int], values: list[bytes], boost: float
    ) -> None:
        self.terms = terms
        self.freqs = freqs
        self.values = values
        self.boost = boost

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Posting]:
        """``(term, frequency, weight, encoded value)``, as Whoosh's fields give them."""
        boost = self.boost
        for term, freq, value in zip(self.terms, self.freqs, self.values, strict=True):
            yield term, freq, freq * boost, value

    def weights(self) -> array[float]:
        """Each posting's weight (its frequency times the boost, as Whoosh computes it)."""
        return array("d", (np.frombuffer(self.freqs, _FREQ) * self.boost).tobytes())

    def __reduce__(self) -> tuple[Any, ...]:
        return (Encoded, (self.terms, self.freqs, self.values, self.boost))


#: The frequencies' array type (`Encoded.freqs`), and numpy's name for it.
_FREQ_CODE = "I"
_FREQ = np.dtype(f"u{array(_FREQ_CODE).itemsize}")


class BodyText(TEXT):
    """A text field that also accepts its terms ready-made: ``{term: positions}`` (or
    ``{term: count}`` without positions), as `analysis.analyse_document` gives them, or
    already `Encoded`.

    Whoosh asks a field for ``(term, frequency, weight, encoded value)`` of a document; for a
    string this analyses it, as TEXT does (queries and short fields), for ready-made terms it
    only encodes them, with the same bytes the analyser's tokens would have given.
    """

    format: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.format, Positions):  # phrases are read from many postings at once
            self.format = PackedPositions(field_boost=self.format.field_boost)

    def encode(self, postings: dict[str, list[int]] | dict[str, int]) -> Encoded:
        """The postings in the order of their terms (as bytes, the order of the characters):
        the writer sorts the postings of many documents together, and a document that comes
        in order is one run it merges, not thousands of postings it sorts one by one."""
        fmt = self.format
        boost = fmt.field_boost
        if isinstance(fmt, Positions):
            # (Strings sort as their UTF-8 bytes do, and far faster than pairs with them.)
            positioned = cast(dict[str, list[int]], postings)
            words = sorted(positioned)
            places = list(map(positioned.__getitem__, words))
            return Encoded(
                [word.encode() for word in words],
                array(_FREQ_CODE, map(len, places)),
                packed_many(places),
                boost,
            )
        counted = cast(dict[str, list[int] | int], postings)
        words = sorted(counted)
        counts = [n if isinstance(n, int) else len(n) for n in map(counted.__getitem__, words)]
        return Encoded(
            [word.encode() for word in words],
            array(_FREQ_CODE, counts),
            list(map(pack_uint, counts)),
            float(boost),
        )

    def index(self, value: Any, **kwargs: Any) -> Iterator[Posting]:
        if isinstance(value, Encoded):
            yield from value
        elif isinstance(value, dict):
            yield from self.encode(value)
        else:
            yield from super().index(value, **kwargs)


def build_schema() -> Schema:
    folding = FoldingAnalyzer()
    fields: dict[str, Any] = {
        "id": ID(stored=True, unique=True),
        "path": ID(stored=True),
        "title": TEXT(analyzer=folding, stored=True, field_boost=WEIGHTS.title),
        "title_stem": TEXT(analyzer=MultiStemAnalyzer(), field_boost=WEIGHTS.title_stem),
        "text": BodyText(analyzer=folding, field_boost=WEIGHTS.text),
        "ident": BodyText(analyzer=IdentifierAnalyzer(), field_boost=WEIGHTS.ident),
        "meta_text": TEXT(analyzer=folding, field_boost=WEIGHTS.meta_text),
        "vocab": BodyText(analyzer=VocabularyAnalyzer(), phrase=False),
        "type": ID(stored=True, sortable=True),
        "year": NUMERIC(int, stored=True, sortable=True, signed=False, default=0),
        "work": ID(stored=True, sortable=True),
        "format": ID(stored=True),
        "pages": NUMERIC(int, stored=True),
        "added": NUMERIC(int, bits=64, stored=True, sortable=True),
        "sort_title": ID(sortable=True),
        "data": STORED(),
        "hit": COLUMN(VarBytesColumn()),
        "checkpoints": COLUMN(VarBytesColumn()),
        "outline": COLUMN(VarBytesColumn()),
    }
    for name in LIST_FACETS:
        fields[name] = KEYWORD(stored=True, sortable=True, scorable=False)
    for lang, name in LANGUAGE_FIELDS.items():
        fields[name] = BodyText(analyzer=LanguageAnalyzer(lang), field_boost=WEIGHTS.stemmed)
    return Schema(**fields)


@cache
def _body_fields() -> dict[str, BodyText]:
    schema = build_schema()
    return {name: schema[name] for name in BODY_FIELDS}


def index_record(doc: Document, added: float) -> dict[str, Any]:
    """Field values for one document (its text fields analysed and encoded)."""
    title = doc.title
    terms = analyse_document(
        ((latin_language(page.languages, doc.languages), page.text) for page in doc.pages), title
    )
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
        "text": terms.folded,
        "ident": terms.identifiers,
        "meta_text": " ".join(w for w in meta_words if w),
        "vocab": terms.vocabulary,
        "format": doc.format,
        "pages": len(doc.pages),
        "added": int(added),
        "sort_title": fold(title),
        "work": str(doc.get("work") or ""),
        "data": {
            "sha256": doc.sha256,
            "page_starts": terms.page_starts,
            "furniture": word_ranges(
                [p.text for p in doc.pages], [p.furniture for p in doc.pages], terms.page_starts
            ),
            "languages": list(doc.languages),
            "language": doc.language,
            "page_languages": [p.language for p in doc.pages],
        },
    }
    for lang, name in LANGUAGE_FIELDS.items():
        record[name] = terms.stemmed[lang]
    for name in LIST_FACETS:
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
    record["hit"] = hit_value(record)
    record["checkpoints"] = checkpoint_value(terms.checkpoints)
    record["outline"] = outline_value(doc.pages)
    for name, field in _body_fields().items():
        record[name] = field.encode(record[name])
    return record


def checkpoint_value(pages: list[list[int]]) -> bytes:
    """The ``checkpoints`` column's value: little-endian 32-bit numbers, the number of pages,
    where each page's checkpoints start among them (and where the last ends), then every
    page's checkpoints (``DocumentTerms.checkpoints``) one after the other."""
    starts = [0]
    for ends in pages:
        starts.append(starts[-1] + len(ends))
    numbers = [len(pages), *starts, *(end for ends in pages for end in ends)]
    return np.asarray(numbers, "<u4").tobytes()


def hit_value(record: dict[str, Any]) -> bytes:
    """The ``hit`` column's value: the stored fields hits show, as the stored record has them."""
    shown = {
        name: record.get(f"_stored_{name}", record[name]) for name in HIT_FIELDS if name in record
    }
    shown["data"] = {name: record["data"][name] for name in HIT_DATA}
    return json.dumps(shown, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def postings_of(record: dict[str, Any]) -> int:
    """About how many postings a record adds to the index: what commits are measured in."""
    return sum(len(record[name]) for name in BODY_FIELDS if name in record) + len(record)
