"""The read side's one entry point: search, documents, facets and suggestions.

Each call takes one snapshot of the index (``snapshot``) and works only on it. A search then
runs in four steps, each in its own module: the words are parsed (``query``) and their
documents found as a set (``matching``, driven by ``retrieval``); facets are counted from that
set (``facets``); only the documents that can reach the page are ranked (``ranking``, put in
the request's order by ``retrieval``); and only the hits on screen get their pages, snippets
and reasons (``hits``).
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Settings
from ..errors import NotFound
from ..lru import Lru
from ..store.catalog import Catalog
from ..store.schema import FACET_FIELDS
from ..text.glossary import Glossary, load_glossary
from ..text.lemmas import table as lemma_table
from ..text.taxonomy import Taxonomy, load_taxonomy
from ..text.terms import fold, surface_term
from ..translation.freedict import Dictionaries, installed_dictionaries
from ..translation.senses import Evidence, warm_glossary
from ..translation.structured import Translator
from .contract import DocumentList, DocumentPage, DocumentSummary, FacetValue, Hit, SearchResult
from .finding import facets
from .finding.matching import SEARCH_BUDGET, Budget, bounded
from .finding.segment_arrays import missing_files, write_files
from .finding.snapshot import Snapshot, Snapshots
from .long_lived import settle
from .queries.query import QueryBuilder
from .request import SearchRequest
from .retrieval import counter, match, order
from .showing import advice, documents, hits
from .showing.snippets import Highlighter, compile_patterns
from .suggesting import suggest
from .suggesting.beginnings import STEADY, Ahead

#: An export lists every result; it may take longer than one page of them.
EXPORT_BUDGET = 10.0
#: Completions offered for what is typed in the search box.
AUTOCOMPLETE_LIMIT = 8
#: Autocomplete answers a generation keeps (each a few hundred bytes).
REMEMBERED_COMPLETIONS = 2048
#: Bytes of the catalog a reading thread maps into memory (address space, not memory used).
CATALOG_MAP_BYTES = 1 << 30
NOTICE_EMPTY = "The index is empty: no documents have been indexed yet."
NOTICE_PARTIAL = (
    "This search took too long and was stopped early: the results may be incomplete. "
    "A more specific query (fewer wildcards or fuzzy words) gives complete results."
)


class SearchEngine:
    """Read side of the knowledge base. One per process; safe to use from many threads."""

    def __init__(
        self,
        settings: Settings,
        taxonomy: Taxonomy | None = None,
        glossary: Glossary | None = None,
        budget: float = SEARCH_BUDGET,
    ) -> None:
        self.settings = settings
        #: CPU seconds one search may take before it returns what it found so far.
        self.budget = budget
        self.taxonomy = taxonomy or load_taxonomy()
        self.glossary = glossary or load_glossary()
        #: The bilingual dictionaries installed (none: the glossary alone crosses languages).
        self.dictionaries: Dictionaries = installed_dictionaries(
            settings.dictionaries, settings.cache
        )
        # Their lookup tables are made once per machine, in the background: a search that needs
        # one meanwhile waits for it without spending its own time budget.
        threading.Thread(target=self.dictionaries.warm, daemon=True).start()
        self.snapshots = Snapshots(settings)
        self._local = threading.local()
        #: Topic and type ids shaped like words ("payment-by-results"): never offered as words.
        self._ids = frozenset(i for i in (*self.taxonomy.topics, *self.taxonomy.types) if "-" in i)
        #: Whether each generation's short beginnings are completed ahead (``warm`` says so:
        #: an engine that serves many readers; a one-off search has no use for them).
        self._ahead = False

    # Handles ----------------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        """This thread's connection to the catalog (SQLite connections are not shared)."""
        found: Catalog | None = getattr(self._local, "catalog", None)
        if found is None:
            found = Catalog(self.settings.catalog_path)
            # Pages are read through a memory map: looking a page up then costs no copy and no
            # system call per database page (half the time of reading the hits' page texts).
            found.map_pages(CATALOG_MAP_BYTES)
            self._local.catalog = found
        return found

    def builder(self, snapshot: Snapshot) -> QueryBuilder:
        """The query builder of a generation (its parsers are made once, then reused); its
        translations choose senses by this generation's documents."""

        def make() -> QueryBuilder:
            lemma_table(fold, surface_term)  # made here on a machine that has none yet
            evidence = Evidence(snapshot.terms, snapshot.table)
            reader = snapshot.searcher.reader()
            translator = Translator(self.dictionaries, self.glossary, evidence, reader, snapshot)
            return QueryBuilder(snapshot.searcher.schema, self.taxonomy, self.glossary, translator)

        built: QueryBuilder = snapshot.cached("builder", make)
        return built

    def warm(self, languages: Iterable[str] = ("en",), beginnings_now: bool = True) -> None:
        """Open the current index generation and make what every request needs (a server's
        worker does this before it takes requests; later generations are warmed when opened),
        and the facets' labels in each of the reader's ``languages`` (country and language
        names are read from locale data on their first use).

        From here on, every generation's short beginnings are completed ahead
        (``suggesting/beginnings.py``): the current one's before this returns, or with
        ``beginnings_now`` false in the background (a server's worker then answers at once;
        until they are ready, a beginning is completed when asked, as before), later ones in
        the background when a completion is asked once they have stood a while (``STEADY``).
        What is made by then is kept out of the garbage collector's passes from then on
        (``long_lived``)."""
        lemma_table(fold, surface_term)
        self.dictionaries.warm()  # waits for the tables being made in the background, if so
        self.dictionaries.read_in()
        warm_glossary(self.glossary)
        compile_patterns()
        with self.snapshots.use() as snapshot:
            if snapshot is not None:
                self.builder(snapshot)
                self._posting_files(snapshot, now=beginnings_now)
        for lang in languages:
            self.facets(lang)
        self._ahead = True
        if beginnings_now:
            self._complete_beginnings()
        else:
            threading.Thread(target=self._complete_beginnings, daemon=True).start()
        settle()

    def close(self) -> None:
        """Close the searcher and this thread's catalog connection (other threads' close when
        those threads end: a SQLite connection may only be closed by its own thread)."""
        self.snapshots.close()
        catalog: Catalog | None = getattr(self._local, "catalog", None)
        if catalog is not None:
            catalog.close()
        self._local = threading.local()

    # Search -----------------------------------------------------------------------------------
    def search(self, request: SearchRequest, lang: str = "en") -> SearchResult:
        started = time.perf_counter()
        request.validate()
        with self.snapshots.use() as snapshot:
            result = _empty(request)
            if snapshot is None:
                self.catalog()  # a data folder that can hold no catalog is the problem to report
                result["notice"] = NOTICE_EMPTY
                return result
            key = _result_key(request, lang)
            kept: bytes | None = snapshot.remembered(key)
            if kept is not None:  # the same request again: a page and its JSON twin, a reload
                answer: SearchResult = pickle.loads(kept)
                answer["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
                return answer
            builder = self.builder(snapshot)
            if self._ahead and "posting files" not in snapshot.extras and _steady(snapshot):
                # A new generation that has stood a while: its segments' arrays files now.
                self._posting_files(snapshot, now=False)
            # The budget starts now: opening a generation and making its query builder is
            # done once for every request after, not charged to the first one (which on a
            # slow machine would otherwise run out of time before matching a single word).
            budget = Budget(self.budget)
            found = match(snapshot, builder, request, budget)
            selected = request.selected()
            counts, allowed = facets.count(snapshot.table, found.matched, selected)
            ranked = order(snapshot, found, allowed, request, lang, request.end, budget)
            shown = hits.build_hits(
                snapshot,
                self.catalog(),
                self.glossary,
                found,
                ranked[request.start : request.end],
                lang,
            )
            result["total"] = allowed.bit_count()
            result["hits"] = shown
            result["facets"] = facets.facet_lists(counts, selected, self.taxonomy, lang)
            result["suggestion"] = found.suggestion
            result["fallback"] = found.fallback
            result["understood"] = _copy(found.parsed.understood)
            result["transliterated"] = list(found.transliterated)
            if not result["total"]:
                result["advice"] = advice.when_nothing_found(
                    snapshot,
                    request,
                    found.parsed.understood,
                    found.matched.bit_count(),
                    counter(snapshot, builder, budget),
                )
            if found.partial or budget.exceeded:
                result["partial"] = True
                result["notice"] = NOTICE_PARTIAL
            else:
                snapshot.remember(key, pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
            result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
            return result

    def iter_hits(self, request: SearchRequest, lang: str = "en") -> Iterator[Hit]:
        """Every document the request selects, in order, without snippets: for exports.

        The documents are ranked before this returns, so a bad query raises here and not in
        the middle of a streamed response.
        """
        request.validate()
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                return iter(())
            builder = self.builder(snapshot)
            budget = Budget(EXPORT_BUDGET)  # from here, as in `search`
            found = match(snapshot, builder, request, budget)
            _, allowed = facets.count(snapshot.table, found.matched, request.selected())
            total = allowed.bit_count()
            ranked = order(snapshot, found, allowed, request, lang, total, budget)
            stored = [(snapshot.records.get(docnum), score) for docnum, score in ranked]
        return (hits.hit_dict(fields, score) for fields, score in stored)

    # Facets, suggestions, documents ---------------------------------------------------------
    def facets(self, lang: str = "en") -> dict[str, list[FacetValue]]:
        """Counts over the whole knowledge base (home page, /api/facets)."""
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                return {f: [] for f in FACET_FIELDS}
            counts, _ = facets.count(snapshot.table, snapshot.table.live, {})
            return facets.facet_lists(counts, {}, self.taxonomy, lang)

    def autocomplete(self, prefix: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict[str, Any]]:
        """Document titles and index words completing the last word of ``prefix`` in the
        context of the words before it (see ``suggest.autocomplete``)."""
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                return []
            ahead = self._beginnings(snapshot)
            table = ahead.table
            if table is not None:
                kept_ahead = table.answer(prefix, limit, self._ids)
                if kept_ahead is not None:
                    return kept_ahead
            elif self._ahead and not ahead.started and _steady(snapshot):
                # A new generation that has stood a while: its beginnings now.
                threading.Thread(target=self._complete_beginnings, daemon=True).start()
            # Readers type the same beginnings ("soc", "social", "social e"): each generation
            # keeps its recent answers, handed out as copies (callers may change them).
            kept: Lru[tuple[str, int], bytes] = snapshot.cached(
                "completions", lambda: Lru.counted(REMEMBERED_COMPLETIONS)
            )
            answer = kept.get_or_make(
                (prefix, limit), lambda: self._completions(snapshot, prefix, limit)
            )
            completions: list[dict[str, Any]] = pickle.loads(answer)
            return completions

    def _posting_files(self, snapshot: Snapshot, now: bool) -> None:
        """The arrays files of the generation's segments that have none yet
        (``store/posting_arrays.py``), once per generation: written here before this returns
        (``now``), else by a child process while this one answers."""
        with snapshot.lock:
            if "posting files" in snapshot.extras:
                return
            snapshot.extras["posting files"] = True
        missing = missing_files(snapshot.searcher)
        if not missing:
            return
        if now:
            write_files(snapshot.searcher, missing)
        else:
            threading.Thread(
                target=write_files, args=(snapshot.searcher, missing, True), daemon=True
            ).start()

    @staticmethod
    def _beginnings(snapshot: Snapshot) -> Ahead:
        """The generation's short beginnings completed ahead, once they are."""
        ahead: Ahead = snapshot.cached("beginnings", Ahead)
        return ahead

    def _complete_beginnings(self) -> None:
        """The current generation's short beginnings completed (or read back from the server's
        process that completes them), unless that is done or under way already."""
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                return
            ahead = self._beginnings(snapshot)
            if ahead.start():
                ahead.prepare(snapshot, AUTOCOMPLETE_LIMIT, self._ids)

    def _completions(self, snapshot: Snapshot, prefix: str, limit: int) -> bytes:
        """The completions of ``prefix`` as a pickle; one the server's other process worked
        out for this generation is read back, not worked out again (a new beginning costs
        the first process that meets it milliseconds; typing readers meet many)."""
        found = snapshot.from_other_processes("completions", (prefix, limit))
        if isinstance(found, bytes):
            return found
        answer = pickle.dumps(suggest.autocomplete(snapshot, prefix, limit, self._ids))
        snapshot.for_other_processes("completions", (prefix, limit), answer)
        return answer

    def documents(self, lang: str = "en") -> list[DocumentSummary]:
        """Every document, ordered by path."""
        with self.snapshots.use() as snapshot:
            return documents.every_document(snapshot) if snapshot else []

    def documents_page(self, page: int = 1, per_page: int = 100) -> DocumentList:
        """One page of every document, in a stable order (by path)."""
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                return {"total": 0, "page": page, "per_page": per_page, "documents": []}
            return documents.listing(snapshot, page, per_page)

    def document(
        self,
        doc_id: str,
        q: str = "",
        page: int | None = None,
        lang: str = "en",
        expand: bool = True,
    ) -> DocumentPage:
        with self.snapshots.use() as snapshot:
            if snapshot is None:
                raise NotFound(f"no document {doc_id!r}")
            return documents.document_page(
                snapshot,
                self.catalog(),
                self.builder(snapshot),
                (self.taxonomy, self.glossary),
                documents.Wanted(doc_id, q, page, lang, expand),
            )

    def highlighter(self, q: str, expand: bool = True) -> Highlighter:
        """What marks the words of ``q`` in any text (a page picture's text layer, for one)."""
        with self.snapshots.use() as snapshot:
            if snapshot is None or not q.strip():
                return Highlighter({})
            parsed = self.builder(snapshot).build(q, "any", expand)
            parsed.query = bounded(snapshot.searcher, parsed.query, Budget())
            return Highlighter(hits.query_terms(snapshot.searcher, parsed))

    def version(self) -> str | None:
        """The index generation a request would read now (for health checks and caches)."""
        with self.snapshots.use() as snapshot:
            return snapshot.version if snapshot else None


def _result_key(request: SearchRequest, lang: str) -> tuple[Any, ...]:
    """Everything a search's answer depends on besides the index generation: every field of
    the request (a field added later is part of the key without anyone remembering it)."""
    filters = tuple(sorted((f, tuple(sorted(v))) for f, v in request.selected().items()))
    values = tuple(
        (f.name, filters if f.name == "filters" else getattr(request, f.name))
        for f in dataclasses.fields(request)
    )
    return ("result", values, lang)


def _empty(request: SearchRequest) -> SearchResult:
    return {
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
        "transliterated": [],
        "advice": [],
    }


def _copy(understood: dict[str, Any]) -> dict[str, Any]:
    """A copy callers may change: the parsed query is shared by the recent-queries cache."""
    return copy.deepcopy(understood)


def _steady(snapshot: Snapshot) -> bool:
    """Whether a generation has stood long enough to complete its beginnings ahead (not one
    of the many a running index build commits in turn)."""
    return time.monotonic() - snapshot.opened >= STEADY
