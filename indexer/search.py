"""Searching the index: ranked hits with the pages they matched on, snippets, and facets.

Facets are disjunctive (as Solr's tag/exclude): the counts of one facet are computed as if its
own selection were removed, so a reader who picked "Bulgaria" still sees how many documents
"Cyprus" would add. They are counted in one pass over the documents the words match, reading
each document's facet values from the index's columns (cached per index version).

Every function returns plain dicts in the shape of the JSON contract; the CLI prints them and
the web app renders them as HTML or JSON.
"""

from __future__ import annotations

import copy
import threading
import time
from bisect import bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.searching import Searcher

from . import store
from .analysis import WORD
from .catalog import Catalog
from .config import Settings
from .errors import NotFound, QueryError
from .glossary import Glossary, load_glossary
from .query import ParsedQuery, QueryBuilder
from .schema import FACET_FIELDS, LANGUAGE_FIELDS, SEPARATOR
from .snippets import Highlighter, group_terms
from .taxonomy import Taxonomy, load_taxonomy

SORTS = ("relevance", "newest", "oldest", "title", "added")
RECENT_QUERIES = 128
UNDATED = 10_000  # sorts after every real year
MAX_PER_PAGE = 100
SNIPPET_PAGES = 3
POSITIONAL_FIELDS = ("text", "ident", *LANGUAGE_FIELDS.values())
_FIELD_LANGUAGE = {f: lang for lang, f in LANGUAGE_FIELDS.items()}

# Below 5,000 documents Whoosh unions the clauses of an OR through an array of 2,048 slots
# that it clears for every node; the knowledge base's queries have dozens of such nodes (one
# per word and field), and a tree of unions, which Whoosh uses itself for larger indexes, is
# about a fifth faster here.
wq.Or.matcher_type = wq.Or.DEFAULT_MATCHER
#: BM25 parameters. Records are whole documents, from a one-page news item to a forty-page
#: report; the default length normalisation (b = 0.75) lets short notes that mention a term
#: twice outrank the report that is about it, and a higher k1 lets repeated use of a term
#: (a report about it) count for more. Chosen on corpus/queries.csv; see docs/benchmarks.md.
RANK_B = 0.5
RANK_K1 = 2.0


@dataclass
class SearchRequest:
    """Everything that selects a result page; the URL of a search page holds exactly this."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    mode: str = "all"
    expand: bool = True

    def validate(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of: {', '.join(SORTS)}")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1:
            raise QueryError("page must be 1 or more")
        if self.page * self.per_page > 100_000:
            raise QueryError("page is too far; narrow the search instead")
        for facet in self.filters:
            if facet not in FACET_FIELDS:
                raise QueryError(f"unknown filter {facet!r}; use one of {', '.join(FACET_FIELDS)}")


class FacetValues:
    """Facet values of every document of one index version, by document number."""

    def __init__(self, searcher: Searcher) -> None:
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.values: dict[str, list[tuple[str, ...]]] = {}
        for name in FACET_FIELDS:
            column = [()] * self.size  # type: list[tuple[str, ...]]
            if reader.has_column(name):
                cr = reader.column_reader(name)
                for docnum in range(self.size):
                    try:
                        raw = cr[docnum]
                    except IndexError:  # trailing documents without a value in a segment
                        continue
                    if name == "year":
                        column[docnum] = (str(raw),) if raw and 1900 < int(raw) < 2200 else ()
                    elif raw:
                        text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
                        column[docnum] = tuple(v for v in text.split(SEPARATOR) if v)
            self.values[name] = column
        # Language versions of one work, for cross-language search.
        self.translations: dict[int, list[int]] = {}
        if reader.has_column("work"):
            cr = reader.column_reader("work")
            members: dict[str, list[int]] = {}
            for docnum in reader.all_doc_ids():
                try:
                    raw = cr[docnum]
                except IndexError:
                    continue
                work = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw or "")
                if work:
                    members.setdefault(work, []).append(docnum)
            for group in members.values():
                for docnum in group:
                    others = [d for d in group if d != docnum]
                    if others:
                        self.translations[docnum] = others


#: A parsed query, the documents it matches, and whether it fell back to "any word".
_Parsed = tuple[ParsedQuery, set[int], str | None]


@dataclass
class _State:
    """Per-thread handles: Whoosh searchers and SQLite connections must not be shared."""

    index_dir: Path | None
    searcher: Searcher | None
    facets: FacetValues | None
    catalog: Catalog


class SearchEngine:
    """Read side of the knowledge base. One per process; safe to use from many threads."""

    def __init__(
        self,
        settings: Settings,
        taxonomy: Taxonomy | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.settings = settings
        self.taxonomy = taxonomy or load_taxonomy()
        self.glossary = glossary or load_glossary()
        self._local = threading.local()
        # Shared by the threads: parsed queries and their scores hold no searcher.
        self._recent: OrderedDict[tuple[str, str, bool], _Parsed] = OrderedDict()
        self._recent_version: tuple[Path | None, int] | None = None
        self._recent_lock = threading.Lock()

    # Handles --------------------------------------------------------------------------------
    def _state(self) -> _State:
        state: _State | None = getattr(self._local, "state", None)
        if state is None:
            state = _State(None, None, None, Catalog(self.settings.catalog_path))
            self._local.state = state
        current = store.current_dir(self.settings)
        if current == state.index_dir and state.searcher is not None:
            try:
                fresh = state.searcher.refresh()
            except (TypeError, FileNotFoundError):  # empty index, or a commit racing the read
                fresh = None
            if fresh is None:
                state.searcher = None
            elif fresh is not state.searcher:
                state.searcher = fresh
                state.facets = None
        if current != state.index_dir or state.searcher is None:
            if state.searcher is not None:
                state.searcher.close()
            ix = store.open_index(self.settings) if current else None
            state.index_dir = current
            state.searcher = (
                ix.searcher(weighting=scoring.BM25F(B=RANK_B, K1=RANK_K1))
                if ix is not None
                else None
            )
            state.facets = None
        if state.searcher is not None and state.facets is None:
            state.facets = FacetValues(state.searcher)
        return state

    def _parsed(self, state: _State, request: SearchRequest) -> _Parsed:
        """The request's words parsed and matched, from the recent queries when there.

        A facet click, another page or another sort re-uses the parsing and scoring done for
        the same words. Entries hold document numbers, so they are valid for one version of
        the index only; the key says which, and a new version empties the list.
        """
        assert state.searcher is not None
        version = (state.index_dir, state.searcher.reader().generation())
        key = (request.q, request.mode, request.expand)
        with self._recent_lock:
            if self._recent_version != version:
                self._recent.clear()
                self._recent_version = version
            found = self._recent.get(key)
            if found is not None:
                self._recent.move_to_end(key)
                return found
        found = self._parse(state.searcher, self.builder(state.searcher), request)
        with self._recent_lock:
            if self._recent_version == version:
                self._recent[key] = found
                if len(self._recent) > RECENT_QUERIES:
                    self._recent.popitem(last=False)
        return found

    def catalog(self) -> Catalog:
        return self._state().catalog

    def builder(self, searcher: Searcher) -> QueryBuilder:
        return QueryBuilder(searcher.schema, self.taxonomy, self.glossary)

    def close(self) -> None:
        state: _State | None = getattr(self._local, "state", None)
        if state is not None:
            if state.searcher is not None:
                state.searcher.close()
            state.catalog.close()
            self._local.state = None

    # Search ---------------------------------------------------------------------------------
    def search(self, request: SearchRequest, lang: str = "en") -> dict[str, Any]:
        started = time.perf_counter()
        request.validate()
        state = self._state()
        empty = {
            "query": request.q,
            "total": 0,
            "page": request.page,
            "per_page": request.per_page,
            "took_ms": 0.0,
            "hits": [],
            "facets": {f: [] for f in FACET_FIELDS},
            "suggestion": None,
            "sort": request.sort,
            "mode": request.mode,
            "fallback": None,
            "understood": {},
            "expand": request.expand,
        }
        if state.searcher is None or state.facets is None:
            empty["notice"] = "The index is empty: no documents have been indexed yet."
            return empty
        searcher, facets = state.searcher, state.facets
        builder = self.builder(searcher)
        parsed, matched, fallback = self._parsed(state, request)
        selected = {f: set(v) for f, v in request.filters.items() if v}
        counts, allowed = _count_facets(matched, facets, selected)
        start = (request.page - 1) * request.per_page
        order = self._order(searcher, parsed, allowed, request, lang)
        hits = order[start : start + request.per_page]
        hit_dicts = self._hits(state, parsed, hits, lang)
        suggestion = None
        if len(allowed) < 3 and request.q and not parsed.is_everything:
            suggestion = self._suggest(searcher, builder, request, len(matched))
        return {
            **empty,
            "total": len(allowed),
            "hits": hit_dicts,
            "facets": self._facet_lists(counts, selected, lang),
            "suggestion": suggestion,
            "fallback": fallback,
            "understood": copy.deepcopy(parsed.understood),
            "took_ms": round((time.perf_counter() - started) * 1000, 2),
        }

    def _parse(self, searcher: Searcher, builder: QueryBuilder, request: SearchRequest) -> _Parsed:
        """The query, the documents it matches, and whether it fell back to "any word".

        The fallback is decided on the words as typed: when no document has all of them, the
        reader is better served by documents with most of them than by translations only.
        """
        parsed = builder.build(request.q, request.mode, request.expand)
        matched = self._matching(searcher, parsed)
        if request.mode != "all" or not parsed.plain or len(WORD.findall(request.q)) < 2:
            return parsed, self._with_translations(parsed, matched, request), None
        if _scored(searcher, parsed, parsed.channels[0]):
            return parsed, self._with_translations(parsed, matched, request), None
        any_words = builder.build(request.q, "any", request.expand)
        any_matched = self._matching(searcher, any_words)
        if not any_matched:
            return parsed, self._with_translations(parsed, matched, request), None
        return any_words, self._with_translations(any_words, any_matched, request), "any"

    def _with_translations(
        self, parsed: ParsedQuery, matched: set[int], request: SearchRequest
    ) -> set[int]:
        """With cross-language search on, the other language versions of every matching
        document match too: they are the same report."""
        facets = self._state().facets
        if not request.expand or parsed.is_everything or facets is None:
            return matched
        extra = {t for d in matched for t in facets.translations.get(d, ())}
        return matched | extra

    @staticmethod
    def _matching(searcher: Searcher, parsed: ParsedQuery) -> set[int]:
        if parsed.is_everything:
            return set(searcher.reader().all_doc_ids())
        return set().union(*(_scored(searcher, parsed, q) for q in parsed.channels))

    @staticmethod
    def _sortedby(sort: str, parsed: ParsedQuery) -> Any:
        """Whoosh sort facets for a sort name; None means by relevance."""
        if sort == "relevance" and parsed.is_everything:
            sort = "newest"
        if sort == "newest":
            return [
                sorting.FieldFacet("year", reverse=True),
                sorting.FieldFacet("added", reverse=True),
            ]
        if sort == "oldest":
            # Undated documents (year 0) last, as they are with "newest".
            dated_first = sorting.TranslateFacet(
                lambda year: year or UNDATED, sorting.FieldFacet("year")
            )
            return [dated_first, sorting.FieldFacet("sort_title")]
        if sort == "title":
            return sorting.FieldFacet("sort_title")
        if sort == "added":
            return [sorting.FieldFacet("added", reverse=True), sorting.FieldFacet("sort_title")]
        return None

    def _order(
        self,
        searcher: Searcher,
        parsed: ParsedQuery,
        allowed: set[int],
        request: SearchRequest,
        lang: str,
    ) -> list[tuple[int, float]]:
        """Every allowed document in result order, with its score.

        The facet filter is applied here rather than through Whoosh's ``filter=``, which drops
        documents for some query shapes (an AND NOT over several segments).
        """
        if not allowed:
            return []
        facets = self._state().facets
        sortedby = self._sortedby(request.sort, parsed)
        if sortedby is not None:
            # Sorted over every document, then filtered: the allowed ones include other
            # language versions of matches, which the query itself does not match.
            results = searcher.search(wq.Every(), limit=None, sortedby=sortedby, terms=False)
            return [(hit.docnum, 0.0) for hit in results if hit.docnum in allowed]
        translations = facets.translations if facets is not None and request.expand else {}
        if not translations and len(parsed.channels) == 1:
            scores = _scored(searcher, parsed, parsed.query)
            ranked = sorted(
                ((d, s) for d, s in scores.items() if d in allowed), key=lambda x: (-x[1], x[0])
            )
        else:
            own, *expansions = (_normalised(_scored(searcher, parsed, q)) for q in parsed.channels)
            ranked = _fused(own, expansions, translations, allowed)
        words = parsed.understood.get("words") or parsed.understood.get("phrases")
        if parsed.codes and not words and facets is not None:
            # A query of codes alone ("COM(2021) 778") says nothing of the reader's language,
            # and every language version cites the code alike: the version in the interface
            # language takes the place of the best-scored version of its work.
            score = dict(ranked)
            languages = facets.values["language"]
            for docnum, value in ranked:
                versions = [v for v in translations.get(docnum, ()) if v in score]
                if lang in languages[docnum] and versions:
                    score[docnum] = max(value, *(score[v] + 1e-6 for v in versions))
            ranked = [(d, score[d]) for d, _ in ranked]
            ranked.sort(key=lambda x: -x[1])
        return ranked

    def iter_hits(self, request: SearchRequest, lang: str = "en") -> Iterator[dict[str, Any]]:
        """Every document the request selects, in order, without snippets: for exports.

        The first document is looked up before this returns, so a bad query raises here and
        not in the middle of a streamed response.
        """
        request.validate()
        state = self._state()
        if state.searcher is None or state.facets is None:
            return iter(())
        searcher, facets = state.searcher, state.facets
        parsed, matched, _ = self._parsed(state, request)
        selected = {f: set(v) for f, v in request.filters.items() if v}
        _, allowed = _count_facets(matched, facets, selected)
        if not allowed:
            return iter(())
        order = self._order(searcher, parsed, allowed, request, lang)

        def generate() -> Iterator[dict[str, Any]]:
            for docnum, score in order:
                yield _hit_dict(searcher.stored_fields(docnum), score)

        return generate()

    # Hits -----------------------------------------------------------------------------------
    def _hits(
        self, state: _State, parsed: ParsedQuery, hits: list[tuple[int, float]], lang: str
    ) -> list[dict[str, Any]]:
        searcher = state.searcher
        assert searcher is not None
        if not hits:
            return []
        terms = self._query_terms(searcher, parsed)
        marker = Highlighter(terms)
        positions = _positions(searcher, terms, [d for d, _ in hits])
        translations = state.facets.translations if state.facets is not None else {}
        direct = (
            self._matching(searcher, parsed)
            if any(d in translations for d, _ in hits) and not parsed.is_everything
            else set()
        )
        out = []
        for docnum, score in hits:
            stored = searcher.stored_fields(docnum)
            data = stored.get("data") or {}
            page_hits = _page_hits(positions.get(docnum, {}), data.get("page_starts") or [0])
            hit = _hit_dict(stored, score)
            hit["pages"] = sorted(page_hits)
            hit["page_hits"] = [{"page": p, "hits": n} for p, n in sorted(page_hits.items())]
            hit["why"] = self._why(positions.get(docnum, {}), parsed, lang)
            source = next((d for d in translations.get(docnum, ()) if d in direct), None)
            if docnum not in direct and source is not None:
                hit["why"]["version_of"] = _version(searcher.stored_fields(source))
            hit["versions"] = [
                _version(searcher.stored_fields(other)) for other in translations.get(docnum, ())
            ]
            hit["versions"].sort(key=lambda v: v["language"])
            best = sorted(page_hits, key=lambda p: (-page_hits[p], p))[:SNIPPET_PAGES]
            hit["snippets"] = self._snippets(state.catalog, data.get("sha256"), best, marker)
            out.append(hit)
        return out

    @staticmethod
    def _query_terms(searcher: Searcher, parsed: ParsedQuery) -> dict[str, set[str]]:
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
        return group_terms(pairs)

    @staticmethod
    def _snippets(
        catalog: Catalog, sha256: str | None, pages: list[int], marker: Highlighter
    ) -> list[dict[str, Any]]:
        if not sha256 or not pages:
            return []
        texts = {p.number: p.text for p in catalog.pages(sha256, pages)}
        return [
            {"page": number, "html": str(marker.snippet(texts[number]))}
            for number in sorted(pages)
            if number in texts
        ]

    def _why(
        self, matched: dict[tuple[str, str], list[int]], parsed: ParsedQuery, lang: str
    ) -> dict[str, Any]:
        """Which languages matched, whether by exact form, and which expansions did it."""
        languages: set[str] = set()
        concepts: dict[str, set[str]] = {}
        exact = codes = False
        typed_languages: set[str] = set()
        for (fieldname, text), _pos in matched.items():
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
        expansions = [
            {"concept": c, "label": self.glossary.label(c, lang), "languages": sorted(langs)}
            for c, langs in concepts.items()
            if not langs <= typed_languages
        ]
        return {
            "languages": sorted(languages),
            "typed": bool(typed_languages) or exact or codes,
            "exact": exact,
            "codes": codes,
            "expansions": expansions,
        }

    # Facets ---------------------------------------------------------------------------------
    def _facet_lists(
        self, counts: dict[str, Counter[str]], selected: dict[str, set[str]], lang: str
    ) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for facet in FACET_FIELDS:
            values = dict(counts.get(facet, {}))
            for value in selected.get(facet, ()):
                values.setdefault(value, 0)
            items = [
                {
                    "value": value,
                    "label": self.taxonomy.label(facet, value, lang),
                    "count": n,
                    "selected": value in selected.get(facet, ()),
                }
                for value, n in values.items()
            ]
            if facet == "year":
                items.sort(key=lambda i: i["value"], reverse=True)
            else:
                items.sort(key=lambda i: (-i["count"], i["label"].casefold()))
            out[facet] = items
        return out

    def facets(self, lang: str = "en") -> dict[str, list[dict[str, Any]]]:
        """Counts over the whole knowledge base (home page, /api/facets)."""
        state = self._state()
        if state.searcher is None or state.facets is None:
            return {f: [] for f in FACET_FIELDS}
        matched = set(state.searcher.reader().all_doc_ids())
        counts, _ = _count_facets(matched, state.facets, {})
        return self._facet_lists(counts, {}, lang)

    # Suggestions ----------------------------------------------------------------------------
    def _suggest(
        self, searcher: Searcher, builder: QueryBuilder, request: SearchRequest, found: int
    ) -> str | None:
        corrector = searcher.corrector("vocab")
        reader = searcher.reader()
        changed = False
        pieces = []
        last = 0
        for m in WORD.finditer(request.q):
            word = m.group(0)
            lower = word.lower()
            pieces.append(request.q[last : m.start()])
            last = m.end()
            if len(lower) > 3 and reader.doc_frequency("vocab", lower) == 0:
                options = corrector.suggest(lower, limit=1, maxdist=2, prefix=1)
                if options:
                    pieces.append(options[0])
                    changed = True
                    continue
            pieces.append(word)
        pieces.append(request.q[last:])
        if not changed:
            return None
        proposal = "".join(pieces)
        try:
            better = self._matching(searcher, builder.build(proposal, "all", request.expand))
        except QueryError:
            return None
        return proposal if len(better) > found else None

    def autocomplete(self, prefix: str, limit: int = 8) -> list[dict[str, Any]]:
        """Index words and document titles starting with ``prefix`` (most frequent first)."""
        prefix = prefix.strip().lower()
        state = self._state()
        if len(prefix) < 2 or state.searcher is None:
            return []
        reader = state.searcher.reader()
        last_space = prefix.rfind(" ")
        head, tail = prefix[: last_space + 1], prefix[last_space + 1 :]
        words: list[tuple[int, str]] = []
        if len(tail) >= 2:
            for term in reader.expand_prefix("vocab", tail):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                words.append((reader.doc_frequency("vocab", text), text))
                if len(words) > 400:
                    break
        words.sort(key=lambda x: (-x[0], x[1]))
        out: list[dict[str, Any]] = [
            {"kind": "term", "text": head + w, "documents": n} for n, w in words[:limit]
        ]
        titles = []
        for docnum in state.searcher.docs_for_query(wq.Prefix("title", _fold_last(prefix))):
            stored = state.searcher.stored_fields(docnum)
            titles.append({"kind": "title", "text": stored["title"], "id": stored["id"]})
            if len(titles) >= 3:
                break
        return titles + out[: max(0, limit - len(titles))]

    # Documents --------------------------------------------------------------------------------
    def documents(self, lang: str = "en") -> list[dict[str, Any]]:
        state = self._state()
        if state.searcher is None:
            return []
        reader = state.searcher.reader()
        docs = [_hit_dict(reader.stored_fields(d), None) for d in reader.all_doc_ids()]
        for d in docs:
            d.pop("score", None)
        docs.sort(key=lambda d: d["path"])
        return docs

    def document(
        self,
        doc_id: str,
        q: str = "",
        page: int | None = None,
        lang: str = "en",
        expand: bool = True,
    ) -> dict[str, Any]:
        """Everything the document page shows: metadata with sources, the hits of ``q`` page by
        page, the text of one page (``page``, else the first page with a hit), other language
        versions and related documents."""
        state = self._state()
        searcher = state.searcher
        if searcher is None:
            raise NotFound(f"no document {doc_id!r}")
        docnum = searcher.document_number(id=doc_id)
        row = state.catalog.file(doc_id)
        if docnum is None or row is None or row.status != "indexed":
            raise NotFound(f"no document {doc_id!r}")
        stored = searcher.stored_fields(docnum)
        data = stored.get("data") or {}
        result = _hit_dict(stored, None)
        result.pop("score", None)
        result["metadata"] = {
            key: {**value.to_dict(), "label": _value_label(self.taxonomy, key, value.value, lang)}
            for key, value in row.meta.items()
        }
        result["page_languages"] = data.get("page_languages", [])
        result["size"] = row.size
        result["warnings"] = row.warnings
        result["added"] = stored.get("added")
        result["page_hits"] = []
        result["snippets"] = []
        result["understood"] = {}
        if q.strip():
            builder = self.builder(searcher)
            parsed = builder.build(q, "all", expand)
            if not set(searcher.docs_for_query(parsed.query)) & {docnum}:
                parsed = builder.build(q, "any", expand)
            terms = self._query_terms(searcher, parsed)
            positions = _positions(searcher, terms, [docnum]).get(docnum, {})
            page_hits = _page_hits(positions, data.get("page_starts") or [0])
            result["page_hits"] = [{"page": p, "hits": n} for p, n in sorted(page_hits.items())]
            result["snippets"] = self._snippets(
                state.catalog, row.sha256, sorted(page_hits)[:50], Highlighter(terms)
            )
            result["why"] = self._why(positions, parsed, lang)
            result["understood"] = parsed.understood
        else:
            terms = {}
        pages_total = max(row.pages or 0, 1)
        if page is None:
            page = result["page_hits"][0]["page"] if result["page_hits"] else 1
        if not 1 <= page <= pages_total:
            raise QueryError(f"page must be between 1 and {pages_total}")
        found = state.catalog.pages(row.sha256, [page])
        text = found[0].text if found else ""
        result["page"] = {
            "number": page,
            "text": text,
            "language": found[0].language if found else "und",
            "html": str(Highlighter(terms).page(text)) if terms else None,
        }
        result["versions"] = self._versions(searcher, stored, docnum)
        result["related"] = self._related(state, docnum, row.sha256, result["versions"])
        return result

    def highlighter(self, q: str, expand: bool = True) -> Highlighter:
        """What marks the words of ``q`` in any text (a page image's text layer, for one)."""
        state = self._state()
        if state.searcher is None or not q.strip():
            return Highlighter({})
        parsed = self.builder(state.searcher).build(q, "any", expand)
        return Highlighter(self._query_terms(state.searcher, parsed))

    def _versions(self, searcher: Searcher, stored: dict, docnum: int) -> list[dict[str, Any]]:
        work = stored.get("work")
        if not work:
            return []
        out = [
            _version(searcher.stored_fields(other))
            for other in searcher.docs_for_query(wq.Term("work", work))
            if other != docnum
        ]
        return sorted(out, key=lambda v: v["language"])

    def _related(
        self, state: _State, docnum: int, sha256: str, versions: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        searcher = state.searcher
        assert searcher is not None
        text = " ".join(p.text for p in state.catalog.pages(sha256))[:30000]
        if not text.strip():
            return []
        skip = {docnum} | {searcher.document_number(id=v["id"]) for v in versions}
        results = searcher.more_like(docnum, "text", text=text, top=len(skip) + 5, numterms=12)
        out = []
        for hit in results:
            if hit.docnum in skip:
                continue
            s = hit.fields()
            out.append(
                {
                    "id": s["id"],
                    "title": s["title"],
                    "language": (s.get("data") or {}).get("language", "und"),
                }
            )
            if len(out) == 5:
                break
        return out


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _fold_last(prefix: str) -> str:
    from .analysis import fold

    return fold(prefix.split()[-1]) if prefix.split() else ""


def _value_label(taxonomy: Taxonomy, key: str, value: Any, lang: str) -> Any:
    if key in ("country", "topic", "type", "language"):
        if isinstance(value, list):
            return [taxonomy.label(key, str(v), lang) for v in value]
        return taxonomy.label(key, str(value), lang)
    return value


def _split(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [v for v in str(value).split(SEPARATOR) if v]


def _version(stored: dict[str, Any]) -> dict[str, Any]:
    """Another language version of a document, as hits and document pages list it."""
    data = stored.get("data") or {}
    return {"id": stored["id"], "title": stored["title"], "language": data.get("language", "und")}


def _hit_dict(stored: dict[str, Any], score: float | None) -> dict[str, Any]:
    data = stored.get("data") or {}
    year = stored.get("year")
    return {
        "id": stored["id"],
        "path": stored["path"],
        "title": stored.get("title") or stored["path"],
        "score": round(score, 4) if score is not None else None,
        "language": data.get("language", "und"),
        "languages": data.get("languages", []),
        "country": _split(stored.get("country")),
        "topic": _split(stored.get("topic")),
        "type": stored.get("type") or "other",
        "year": int(year) if year and 1900 < int(year) < 2200 else None,
        "organisation": _split(stored.get("organisation")),
        "format": stored.get("format"),
        "page_count": stored.get("pages") or 0,
        "work": stored.get("work") or None,
        "pages": [],
        "snippets": [],
    }


#: Weights of the evidence from other languages, each scaled so the best document of its
#: channel has 1.0: the glossary concepts' terms in another language, and being another
#: language version of a document that matches the words as typed.
EXPANSION_WEIGHT = 0.45
TRANSLATION_WEIGHT = 0.4
#: Evidence from other languages alone never counts for more than this, so a document that
#: matches the words as typed well stays above one found only through another language.
CROSS_LANGUAGE_CAP = 0.7


def _scored(searcher: Searcher, parsed: ParsedQuery, query: Any) -> dict[int, float]:
    """BM25 score of every document ``query`` matches, computed once per parsed query."""
    key = id(query)
    if key not in parsed.scores:
        results = searcher.search(query, limit=None, terms=False)
        parsed.scores[key] = {hit.docnum: float(hit.score) for hit in results}
    return parsed.scores[key]


def _normalised(scores: dict[int, float]) -> dict[int, float]:
    top = max(scores.values(), default=0.0) or 1.0
    return {d: s / top for d, s in scores.items()}


def _fused(
    own: dict[int, float],
    expansions: list[dict[int, float]],
    translations: dict[int, list[int]],
    allowed: set[int],
) -> list[tuple[int, float]]:
    """Rank by the stronger of two kinds of evidence: the words as typed, or other languages.

    BM25 scores are not comparable across languages (a term that is rare among the few Greek
    documents outscores a frequent English one), so each query's scores are scaled by its own
    best match. The two kinds are not added: a document that matches the typed words and,
    in its other-language sections, their translation too says the same thing twice, and
    would otherwise outrank the document that is only about the typed words. Glossary terms
    and being a version of a matching report are independent signs, so those two add up.
    """

    expanded: dict[int, float] = {}
    for scores in expansions:
        for docnum, value in scores.items():
            expanded[docnum] = max(expanded.get(docnum, 0.0), value)
    lifted: dict[int, float] = {}
    for docnum, value in own.items():
        for other in translations.get(docnum, ()):
            lifted[other] = max(lifted.get(other, 0.0), value)
    ranked = []
    for docnum in allowed:
        cross = EXPANSION_WEIGHT * expanded.get(docnum, 0.0)
        cross += TRANSLATION_WEIGHT * lifted.get(docnum, 0.0)
        typed_score = own.get(docnum, 0.0)
        score = max(typed_score, min(CROSS_LANGUAGE_CAP, cross))
        ranked.append((docnum, round(score, 6), typed_score))
    ranked.sort(key=lambda x: (-x[1], -x[2], x[0]))
    return [(d, s) for d, s, _ in ranked]


def _count_facets(
    matched: set[int], facets: FacetValues, selected: dict[str, set[str]]
) -> tuple[dict[str, Counter[str]], set[int]]:
    """Disjunctive counts: each facet counted over documents passing every *other* facet."""
    counts: dict[str, Counter[str]] = {f: Counter() for f in FACET_FIELDS}
    allowed: set[int] = set()
    active = [f for f in FACET_FIELDS if selected.get(f)]
    columns = facets.values
    for docnum in matched:
        if docnum >= facets.size:
            continue
        failing = None
        fails = 0
        for f in active:
            if not selected[f].intersection(columns[f][docnum]):
                fails += 1
                failing = f
                if fails > 1:
                    break
        if fails == 0:
            allowed.add(docnum)
            for f in FACET_FIELDS:
                counts[f].update(columns[f][docnum])
        elif fails == 1 and failing is not None:
            counts[failing].update(columns[failing][docnum])
    return counts, allowed


def _positions(
    searcher: Searcher, terms: dict[str, set[str]], docnums: list[int]
) -> dict[int, dict[tuple[str, str], list[int]]]:
    """Positions of every query term in each of the given documents (one matcher per term)."""
    out: dict[int, dict[tuple[str, str], list[int]]] = {d: {} for d in docnums}
    ordered = sorted(docnums)
    for fieldname in POSITIONAL_FIELDS:
        for text in terms.get(fieldname, ()):
            try:
                matcher = searcher.postings(fieldname, text)
            except Exception:  # term vanished with a concurrent commit
                continue
            for docnum in ordered:
                if not matcher.is_active():
                    break
                if matcher.id() < docnum:
                    matcher.skip_to(docnum)
                if matcher.is_active() and matcher.id() == docnum:
                    out[docnum][(fieldname, text)] = list(matcher.value_as("positions"))
    return out


def _page_hits(positions: dict[tuple[str, str], list[int]], starts: list[int]) -> dict[int, int]:
    """Matches per page; a word matched in several fields (exact and stemmed) counts once."""
    distinct = {pos for found in positions.values() for pos in found}
    pages: Counter[int] = Counter(max(1, bisect_right(starts, pos)) for pos in distinct)
    return dict(pages)
