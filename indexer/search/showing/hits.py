"""The hits on screen: each with the pages it matched on, snippets of its best pages (the best
first, see ``pages``), why it matched and its other language versions. Done only for the
documents on the page.

Pages come from positions: every text field shares one tokenizer, the record stores where each
page starts, and the positions of the query's terms in a document map to its pages.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from whoosh.searching import Searcher

from ...languages import latin_language
from ...models import Page
from ...store.catalog import Catalog
from ...store.schema import LANGUAGE_FIELDS, SEPARATOR
from ...text.furniture import body_text, outside
from ...text.glossary import Glossary
from ..contract import DocumentSummary, Hit, PageHit, Snippet, Version, Why
from ..finding.positions import POSITIONAL_FIELDS, Positions, positions, words_by_page
from ..finding.snapshot import Snapshot
from ..ordering import shown_pages
from ..ordering.pages import (
    evidence,
    matched_pages,
    query_words,
    rank_pages,
    rerank,
    useful_terms,
)
from ..ordering.shown_pages import Wanted
from ..queries.query import ParsedQuery
from .snippets import Highlighter, group_terms

if TYPE_CHECKING:
    from ..finding.matched import Matched

SNIPPET_PAGES = 3
#: Best-scored pages read to find the best ones that are not a contents or index page.
CANDIDATE_PAGES = SNIPPET_PAGES + 2
_FIELD_LANGUAGE = {f: lang for lang, f in LANGUAGE_FIELDS.items()}


def _split(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v for v in str(value).split(SEPARATOR) if v]


def summary(stored: dict[str, Any]) -> DocumentSummary:
    """A document's listing fields from its stored record."""
    data = stored.get("data") or {}
    year = stored.get("year")
    return {
        "id": stored["id"],
        "path": stored["path"],
        "title": stored.get("title") or stored["path"],
        "language": data.get("language", "und"),
        "languages": list(data.get("languages", [])),  # a copy: records are shared
        "country": _split(stored.get("country")),
        "topic": _split(stored.get("topic")),
        "type": stored.get("type") or "other",
        "year": int(year) if year and 1900 < int(year) < 2200 else None,
        "organisation": _split(stored.get("organisation")),
        "place": _split(stored.get("place")),
        "format": stored.get("format"),
        "page_count": stored.get("pages") or 0,
        "work": stored.get("work") or None,
        "added": stored.get("added") or None,
    }


def hit_dict(stored: dict[str, Any], score: float | None) -> Hit:
    """A hit before its pages and snippets are known (exports stop here)."""
    # mypy asks a ** item to hold Hit's optional keys too ("why", "versions"), which a
    # DocumentSummary never has; they are optional, so the dict is a Hit as it is.
    return {
        **summary(stored),  # type: ignore[typeddict-item]  # optional keys: see above
        "score": round(score, 4) if score is not None else None,
        "pages": [],
        "page_hits": [],
        "best_page": None,
        "snippets": [],
    }


def version(stored: dict[str, Any]) -> Version:
    """Another language version of a document, as hits and document pages list it."""
    data = stored.get("data") or {}
    return {"id": stored["id"], "title": stored["title"], "language": data.get("language", "und")}


def query_terms(searcher: Searcher, parsed: ParsedQuery) -> dict[str, set[str]]:
    """The index terms of a query that exist, per field (for positions and highlighting)."""
    if parsed.is_everything:
        return {}
    # Query.existing_terms() reuses its ``fieldname`` argument as a loop variable and so skips
    # every field after the first; collect the terms here instead.
    reader = searcher.reader()
    pairs = set()
    for leaf in parsed.query.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname in POSITIONAL_FIELDS or fieldname in ("title", "meta_text"):
                key = text if isinstance(text, bytes) else str(text).encode("utf-8")
                if (fieldname, key) in reader:
                    pairs.add((fieldname, key))
    return group_terms(useful_terms(pairs))


def body_positions(found: Positions, data: dict[str, Any]) -> Positions:
    """The positions of the query's terms outside running headers, footers and page numbers:
    what pages with hits, page ranking and snippets go by. All of them when the query matched
    nothing else (the document is found by its running title alone)."""
    furniture = [(a, b) for a, b in data.get("furniture") or ()]
    if not furniture:
        return found
    body = {key: outside(at, furniture) for key, at in found.items()}
    return body if any(body.values()) else found


def page_hit_list(counts: dict[int, int]) -> list[PageHit]:
    return [{"page": p, "hits": n} for p, n in sorted(counts.items())]


def page_texts(catalog: Catalog, sha256: str | None, pages: list[int]) -> dict[int, Page]:
    if not sha256 or not pages:
        return {}
    return {p.number: p for p in catalog.pages(sha256, pages)}


def snippets(
    texts: dict[int, Page], pages: list[int], html: Callable[[int, str], Markup]
) -> list[Snippet]:
    """Snippets of the given pages in the given order, ``html`` making each page's (from its
    number and text). Each says the language of its page, for screen readers."""
    return [
        {
            "page": number,
            "html": str(html(number, texts[number].text)),
            "language": texts[number].language or "und",
        }
        for number in pages
        if number in texts
    ]


def analysed(
    marker: Highlighter, texts: dict[int, Page], at: dict[int, list[int]], languages: list[str]
) -> Callable[[int, str], Markup]:
    """Snippets marked by analysing the page's words, as the index analysed them: for pages
    shown one at a time (a document's page), where no positions are at hand."""

    def html(number: int, text: str) -> Markup:
        page = texts[number]
        latin = latin_language(page.languages, languages)
        return marker.snippet(text, at=at.get(number, ()), latin=latin, hide=page.furniture)

    return html


def best_pages(
    catalog: Catalog,
    sha256: str | None,
    found: Positions,
    starts: list[int],
    limit: int,
    expansions: Collection[tuple[str, str]] = (),
) -> tuple[list[int], dict[int, Page]]:
    """The ``limit`` best pages for the query, best first, and the text of those pages.

    Only the best few pages by the positions' evidence are read; those whose headings hold the
    words count more, and a contents or index page among them keeps a part of its score and
    usually falls behind the page it points to (``pages.rerank``).
    """
    ranked = rank_pages(found, starts, expansions)
    candidates = ranked[: max(limit, CANDIDATE_PAGES)]
    texts = page_texts(catalog, sha256, [p for p, _ in candidates])
    bodies = {n: body_text(p.text, p.furniture) for n, p in texts.items()}
    reread = rerank(candidates, bodies, found, starts, expansions)
    order = [p for p, _ in reread][:limit]
    return order, texts


def why(found: Positions, parsed: ParsedQuery, glossary: Glossary, lang: str) -> Why:
    """Which languages matched, whether by exact form, and which expansions did it."""
    languages: set[str] = set()
    concepts: dict[str, set[str]] = {}
    exact = codes = False
    typed_languages: set[str] = set()
    for fieldname, text in found:
        concept = parsed.expansion_terms.get((fieldname, text))
        if fieldname in _FIELD_LANGUAGE:
            fl = _FIELD_LANGUAGE[fieldname]
            languages.add(fl)
            if concept:
                concepts.setdefault(concept, set()).add(fl)
            else:
                typed_languages.add(fl)
        elif fieldname == "ident":
            codes = True
        elif fieldname == "text" and not concept:
            exact = True
    return {
        "languages": sorted(languages),
        "typed": bool(typed_languages) or exact or codes,
        "exact": exact,
        "codes": codes,
        "expansions": [
            {"concept": c, "label": glossary.label(c, lang), "languages": sorted(langs)}
            for c, langs in sorted(concepts.items())  # not the order positions were read in
            if not langs <= typed_languages
        ],
    }


def placed(
    marker: Highlighter,
    texts: dict[int, Page],
    words: dict[int, list[int]],
    at: dict[int, list[int]],
    checkpoints: dict[int, list[int]],
) -> Callable[[int, str], Markup]:
    """Snippets marked where the index says the query's words stand (``words``: each page's
    word numbers; ``checkpoints``: each page's, ``Records.page_checkpoints``): the hits on
    screen, whose positions are read anyway for their pages. A page's running headers and
    footers are left out, as ``analysed`` leaves them out."""

    def html(number: int, text: str) -> Markup:
        page = checkpoints.get(number, ())
        hide = texts[number].furniture
        return marker.placed(text, words.get(number, ()), at.get(number, ()), page, hide)

    return html


def build_hits(
    snapshot: Snapshot,
    catalog: Catalog,
    glossary: Glossary,
    match: Matched,
    ranked: list[tuple[int, float]],
    lang: str,
) -> list[Hit]:
    """Hit dicts for the documents on screen, in the given order, of what ``match`` matched.

    What a hit shows of its document comes from the index's ``hit`` column (``records``), the
    pages' texts from one read of the catalog for every hit (``shown_pages``), and the marks of
    the snippets from the positions already read for the pages (``Highlighter.placed``).
    """
    if not ranked:
        return []
    parsed, direct = match.parsed, match.direct
    searcher, table, records = snapshot.searcher, snapshot.table, snapshot.records
    terms = query_terms(searcher, parsed)
    marker = Highlighter(terms)
    docnums = [d for d, _ in ranked]
    found = positions(searcher, terms, docnums, having=snapshot.terms.get)
    marked = _marked(searcher, terms, docnums, found)
    shown = [records.get(d) for d in docnums]
    starts = [(s.get("data") or {}).get("page_starts") or [0] for s in shown]
    bodies = [
        body_positions(found.get(d, {}), s.get("data") or {})
        for d, s in zip(docnums, shown, strict=True)
    ]
    expansions = parsed.expansion_terms.keys()
    # Each document's words once for ranking its pages, re-ranking them and counting hits.
    each_words = [query_words(body, expansions) for body in bodies]
    wanted = [
        Wanted((s.get("data") or {}).get("sha256") or "", body, first, records.outline(d), mine)
        for d, s, body, first, mine in zip(docnums, shown, bodies, starts, each_words, strict=True)
    ]
    memory: shown_pages.PageMemory = snapshot.cached("shown pages", shown_pages.PageMemory)
    chosen = shown_pages.best_pages(
        catalog, memory, wanted, (SNIPPET_PAGES, CANDIDATE_PAGES), expansions
    )
    translations = table.translations
    out = []
    for (docnum, score), stored, first, body, mine, (order, texts) in zip(
        ranked, shown, starts, bodies, each_words, chosen, strict=True
    ):
        hit = hit_dict(stored, score)
        counts = matched_pages(body, first, expansions, mine)
        hit["pages"] = sorted(counts)
        hit["page_hits"] = page_hit_list(counts)
        hit["why"] = why(found.get(docnum, {}), parsed, glossary, lang)
        others = translations.get(docnum, ())
        source = next((d for d in others if direct >> d & 1), None)
        if not direct >> docnum & 1 and source is not None and not parsed.is_everything:
            hit["why"]["version_of"] = version(records.get(source))
        hit["versions"] = sorted(
            (version(records.get(other)) for other in others), key=lambda v: v["language"]
        )
        hit["best_page"] = order[0] if order else None
        on_screen = [p for p in order if p in texts]
        at = words_by_page(evidence(body, expansions), first, on_screen)
        words = words_by_page(marked.get(docnum, {}), first, on_screen)
        checkpoints = records.page_checkpoints(docnum, on_screen) if on_screen else {}
        html = placed(marker, texts, words, at, checkpoints)
        hit["snippets"] = snippets(texts, order, html)
        out.append(hit)
    return out


def _marked(
    searcher: Searcher, terms: dict[str, set[str]], docnums: list[int], found: dict[int, Positions]
) -> dict[int, Positions]:
    """Where the words the snippets mark stand in each document: every term's positions but the
    codes' (those are found in the text), and the title's and metadata's terms where the
    exact-form field has them (the highlighter marks those too)."""
    extra = (terms.get("title", set()) | terms.get("meta_text", set())) - terms.get("text", set())
    more = positions(searcher, {"text": extra}, docnums, ("text",)) if extra else {}
    out: dict[int, Positions] = {}
    for docnum in docnums:
        words = {key: at for key, at in found.get(docnum, {}).items() if key[0] != "ident"}
        words.update(more.get(docnum, {}))
        out[docnum] = words
    return out
