"""Document pages and listings: metadata with its sources, where a query matched page by page,
the text of one page, other language versions and related documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from ...errors import NotFound, PageNotFound, QueryError
from ...languages import latin_language
from ...store.catalog import Catalog
from ...text.glossary import Glossary
from ...text.properties import DESCRIPTIVE, is_boilerplate
from ...text.taxonomy import Taxonomy
from ..contract import DocumentList, DocumentPage, DocumentSummary, Related, Version
from ..finding.matching import Budget, bounded, matching
from ..finding.positions import positions, words_by_page
from ..finding.snapshot import Snapshot
from ..ordering.pages import evidence, matched_pages
from ..queries.query import ParsedQuery, QueryBuilder
from ..queries.transliterate import IndexWords, with_readings
from . import hits
from .snippets import Highlighter

SNIPPET_PAGES_ON_DOCUMENT = 50
RELATED = 5


def value_label(taxonomy: Taxonomy, key: str, value: Any, lang: str) -> Any:
    if key in ("country", "topic", "type", "language"):
        if isinstance(value, list):
            return [taxonomy.label(key, str(v), lang) for v in value]
        return taxonomy.label(key, str(value), lang)
    return value


def listing(snapshot: Snapshot, page: int, per_page: int) -> DocumentList:
    """One page of every document, ordered by path (stable across pages and requests)."""
    order = snapshot.documents_by_path()
    start = (page - 1) * per_page
    records = snapshot.records
    return {
        "total": len(order),
        "page": page,
        "per_page": per_page,
        "documents": [hits.summary(records.get(d)) for d in order[start : start + per_page]],
    }


def every_document(snapshot: Snapshot) -> list[DocumentSummary]:
    return [hits.summary(snapshot.records.get(d)) for d in snapshot.documents_by_path()]


@dataclass(frozen=True)
class Wanted:
    """What a document page asks for: the document, the query whose hits it shows, the page to
    open (None: the one that answers the query best), the reader's language, and whether the
    query's concepts in other languages count."""

    doc_id: str
    q: str = ""
    page: int | None = None
    lang: str = "en"
    expand: bool = True


def document_page(
    snapshot: Snapshot,
    catalog: Catalog,
    builder: QueryBuilder,
    vocabularies: tuple[Taxonomy, Glossary],
    wanted: Wanted,
) -> DocumentPage:
    """Everything the document page shows: metadata with sources, the hits of ``q`` page by
    page, the text of one page (``page``, else the first page with a hit), other language
    versions and related documents."""
    taxonomy, glossary = vocabularies
    doc_id, q, page, lang, expand = (
        wanted.doc_id,
        wanted.q,
        wanted.page,
        wanted.lang,
        wanted.expand,
    )
    searcher = snapshot.searcher
    docnum = searcher.document_number(id=doc_id)
    row = catalog.file(doc_id)
    if docnum is None or row is None or row.status != "indexed":
        raise NotFound(f"no document {doc_id!r}")
    stored = searcher.stored_fields(docnum)
    data = stored.get("data") or {}
    result: dict[str, Any] = dict(hits.summary(stored))
    result["metadata"] = {
        key: {**value.to_dict(), "label": value_label(taxonomy, key, value.value, lang)}
        for key, value in row.meta.items()
        # A program's default property kept from a file read before it was recognised.
        if not (value.source == "embedded" and key in DESCRIPTIVE and is_boilerplate(value.value))
    }
    result["page_languages"] = data.get("page_languages", [])
    result["size"] = row.size
    result["warnings"] = row.warnings
    result["page_hits"] = []
    result["best_page"] = None
    result["snippets"] = []
    result["understood"] = {}
    terms: dict[str, set[str]] = {}
    if q.strip():
        budget = Budget()
        parsed = _matching_query(snapshot, builder, q, docnum, expand, budget)
        terms = hits.query_terms(searcher, parsed)
        everywhere = positions(searcher, terms, [docnum]).get(docnum, {})
        found = hits.body_positions(everywhere, data)
        starts = data.get("page_starts") or [0]
        expansions = parsed.expansion_terms.keys()
        counts = matched_pages(found, starts, expansions)
        result["page_hits"] = hits.page_hit_list(counts)
        order, texts = hits.best_pages(
            catalog, row.sha256, found, starts, SNIPPET_PAGES_ON_DOCUMENT, expansions
        )
        result["best_page"] = order[0] if order else None
        at = words_by_page(evidence(found, expansions), starts)
        marker = hits.analysed(Highlighter(terms), texts, at, data.get("languages", []))
        result["snippets"] = hits.snippets(texts, order, marker)
        result["why"] = hits.why(everywhere, parsed, glossary, lang)
        result["understood"] = parsed.understood
    pages_total = max(row.pages or 0, 1)
    if page is None:
        page = result["best_page"] or 1
    if not 1 <= page <= pages_total:
        raise PageNotFound(f"the document has no page {page}: its pages are 1 to {pages_total}")
    text_of = catalog.pages(row.sha256, [page])
    text = text_of[0].text if text_of else ""
    latin = latin_language(text_of[0].languages if text_of else [], data.get("languages", []))
    result["page"] = {
        "number": page,
        "text": text,
        "language": text_of[0].language if text_of else "und",
        "html": str(Highlighter(terms).page(text, latin)) if terms else None,
    }
    result["versions"] = versions(snapshot, stored, docnum)
    result["related"] = related(snapshot, catalog, docnum, row.sha256, result["versions"])
    return result  # type: ignore[return-value]  # filled key by key, as DocumentPage declares


def _matching_query(
    snapshot: Snapshot, builder: QueryBuilder, q: str, docnum: int, expand: bool, budget: Budget
) -> ParsedQuery:
    """The query as it found this document: all the words, else any of them, else read in the
    other alphabets (as the search did when the words as typed found little)."""
    searcher = snapshot.searcher

    def finds(parsed: ParsedQuery) -> bool:
        parsed.query = bounded(searcher, parsed.query, budget)
        return bool(matching(searcher, snapshot.terms, parsed.query, budget) >> docnum & 1)

    parsed = builder.build(q, "all", expand)
    if finds(parsed):
        return parsed
    parsed = builder.build(q, "any", expand)
    if finds(parsed):
        return parsed
    text, said = with_readings(q, IndexWords(searcher.reader()))
    if said:
        try:
            read = builder.build(text, "any", expand)
        except QueryError:
            return parsed
        if finds(read):
            return read
    return parsed


def versions(snapshot: Snapshot, stored: dict[str, Any], docnum: int) -> list[Version]:
    searcher = snapshot.searcher
    work = stored.get("work")
    if not work:
        return []
    out = [
        hits.version(snapshot.records.get(other))
        for other in searcher.docs_for_query(wq.Term("work", work))
        if other != docnum
    ]
    return sorted(out, key=lambda v: v["language"])


def related(
    snapshot: Snapshot, catalog: Catalog, docnum: int, sha256: str, versions: list[Version]
) -> list[Related]:
    """Documents sharing the most distinctive words of this one (its versions left out)."""
    searcher = snapshot.searcher
    text = " ".join(p.text for p in catalog.pages(sha256))[:30000]
    if not text.strip():
        return []
    skip = {docnum} | {searcher.document_number(id=v["id"]) for v in versions}
    results = searcher.more_like(docnum, "text", text=text, top=len(skip) + RELATED, numterms=12)
    out: list[Related] = []
    for hit in results:
        if hit.docnum in skip:
            continue
        s = hit.fields()
        language = (s.get("data") or {}).get("language", "und")
        out.append({"id": s["id"], "title": s["title"], "language": language})
        if len(out) == RELATED:
            break
    return out
