"""The fast path of a search gives the answer of the straightforward one, on the same index.

The hits on screen read what they show from the index's ``hit`` column, which pages are
contents pages and their headings from its ``outline`` column, the texts of the pages shown in
one read for all hits, and place their snippets' marks from positions. Done the straightforward way — every stored record unpickled, each hit's candidate
pages read on their own, every excerpt's words analysed again — the hits must come out the
same, field for field, whatever the rules of page choice and snippets are. The bundled corpus
(long reports in four languages, contents pages, codes, language versions) and its judged
queries are the ground, with typed variants of them.
"""

from __future__ import annotations

import csv
import dataclasses
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq
from whoosh.qparser import QueryParser

from indexer.languages import script_of, script_of_language
from indexer.search import SearchEngine, SearchRequest
from indexer.search.finding import facets, matching
from indexer.search.finding.matching import Budget
from indexer.search.finding.positions import (
    in_order_within,
    positions,
    words_by_page,
)
from indexer.search.finding.records import Records
from indexer.search.ordering import ranking
from indexer.search.ordering.pages import evidence, headings, is_contents, matched_pages
from indexer.search.queries.query import QueryBuilder
from indexer.search.retrieval import match, order
from indexer.search.showing import hits as hit_parts
from indexer.search.showing.hits import CANDIDATE_PAGES, SNIPPET_PAGES
from indexer.search.showing.snippets import Highlighter
from indexer.store.schema import LANGUAGE_FIELDS
from indexer.text.furniture import body_text
from indexer.text.terms import WORD, fold, term
from indexer.translation.senses import Evidence
from indexer.translation.structured import Translator
from tests.factories import CORPUS

TYPED = [
    '"social enterprise"',
    "social*",
    "inovacao~1",
    "ESF+",
    "COM(2021) 778",
    "social OR innovation",
    "social NOT bonds",
    "title:FUSE",
    "competence centres",
    "социални предприятия",
    "κοινωνική οικονομία",
]


def _queries() -> list[str]:
    with (CORPUS / "queries.csv").open(encoding="utf-8") as fh:
        judged = [row["query"] for row in csv.DictReader(fh)]
    with (CORPUS / "page-queries.csv").open(encoding="utf-8") as fh:
        pages = [row["query"] for row in csv.DictReader(fh)]
    return judged[::4] + pages + TYPED


REQUESTS = [SearchRequest(q=q) for q in _queries()] + [
    SearchRequest(q="social innovation", page=2),
    SearchRequest(q="social innovation", filters={"country": ["BG"]}),
    SearchRequest(q="payment by results", sort="newest"),
    SearchRequest(q="impact bonds", mode="any", expand=False),
    SearchRequest(q=""),
]


def straightforward(engine: SearchEngine, request: SearchRequest, lang: str) -> list[Any]:
    """The hits of ``request`` built the plain way: stored records, each hit's candidate pages
    read on their own and re-ranked from their text, snippets marked by analysing their words
    with the running headers and footers blanked."""
    with engine.snapshots.use() as snapshot:
        assert snapshot is not None
        searcher, catalog = snapshot.searcher, engine.catalog()
        found = match(snapshot, engine.builder(snapshot), request, Budget())
        _, allowed = facets.count(snapshot.table, found.matched, request.selected())
        ranked = order(snapshot, found, allowed, request, lang, request.end, Budget())
        ranked = ranked[request.start : request.end]
        parsed = found.parsed
        terms = hit_parts.query_terms(searcher, parsed)
        marker = Highlighter(terms)
        where = positions(searcher, terms, [d for d, _ in ranked])
        expansions = parsed.expansion_terms.keys()
        out = []
        for docnum, score in ranked:
            stored = searcher.stored_fields(docnum)
            data = stored["data"]
            hit: dict[str, Any] = dict(hit_parts.hit_dict(stored, score))
            everywhere, starts = where.get(docnum, {}), data["page_starts"]
            mine = hit_parts.body_positions(everywhere, data)
            counts = matched_pages(mine, starts, expansions)
            hit["pages"] = sorted(counts)
            hit["page_hits"] = hit_parts.page_hit_list(counts)
            hit["why"] = hit_parts.why(everywhere, parsed, engine.glossary, lang)
            others = snapshot.table.translations.get(docnum, ())
            source = next((d for d in others if found.direct >> d & 1), None)
            if not found.direct >> docnum & 1 and source is not None and not parsed.is_everything:
                hit["why"]["version_of"] = hit_parts.version(searcher.stored_fields(source))
            hit["versions"] = sorted(
                (hit_parts.version(searcher.stored_fields(o)) for o in others),
                key=lambda v: v["language"],
            )
            pages, texts = hit_parts.best_pages(
                catalog, data["sha256"], mine, starts, SNIPPET_PAGES, expansions
            )
            hit["best_page"] = pages[0] if pages else None
            at = words_by_page(evidence(mine, expansions), starts)
            html = hit_parts.analysed(marker, texts, at, data["languages"])
            hit["snippets"] = hit_parts.snippets(texts, pages, html)
            out.append(hit)
        return out


def plain_proximity(postings, sets, near, docnums, read=None):
    """The proximity bonus the straightforward way: every phrase word's positions read in every
    document of the window, each document checked (whatever was read before)."""
    if near is None or not docnums:
        return {}
    phrases = [q for q in near.leaves() if isinstance(q, wq.Phrase) and len(q.words) > 1]
    terms: dict[str, set[str]] = {}
    for phrase in phrases:
        terms.setdefault(phrase.fieldname, set()).update(phrase.words)
    found = positions(postings.searcher, terms, docnums, tuple(terms))
    bonus: dict[int, float] = {}
    for phrase in phrases:
        field, words = phrase.fieldname, phrase.words
        close = []
        for d in docnums:
            sequence = [found[d].get((field, w), []) for w in words]
            if all(sequence) and in_order_within(sequence, phrase.slop):
                close.append(d)
        if close:
            scores = np.sum([postings.term(field, w, phrase.boost) for w in words], axis=0)
            for docnum in close:
                bonus[docnum] = bonus.get(docnum, 0.0) + float(scores[docnum])
    return bonus


def plain_order(engine, request, lang):
    """The first documents of ``request`` ranked the straightforward way: nothing remembered
    from earlier requests, every candidate of a phrase confirmed one by one, the proximity of
    the words read in every document of the window."""
    with engine.snapshots.use() as snapshot:
        found = match(snapshot, engine.builder(snapshot), request, Budget())
        _, allowed = facets.count(snapshot.table, found.matched, request.selected())
        if not allowed or request.sort != "relevance" or found.parsed.is_everything:
            return order(snapshot, found, allowed, request, lang, request.end, Budget())
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ranking, "proximity", plain_proximity)
            patch.setattr(matching, "FEW_CANDIDATES", 10**9)
            again = matching.matching  # the phrase matches, confirmed one by one
            channels = [
                again(snapshot.searcher, snapshot.terms, q, Budget()) for q in found.parsed.channels
            ]
            assert channels == found.channels, request
            again_found = dataclasses.replace(found, channels=channels)
            ranked = ranking.by_relevance(
                snapshot, again_found, allowed, request.end, request.expand, Budget()
            )
        return ranking.prefer_interface_language(
            ranked, snapshot.table, found.parsed, lang, request.expand
        )


@pytest.fixture(scope="module")
def engine(corpus_engine):
    return corpus_engine


def test_candidate_pages_are_read_beyond_the_pages_shown():
    assert CANDIDATE_PAGES > SNIPPET_PAGES


@pytest.mark.parametrize("lang", ["en", "bg"])
def test_hits_on_screen_equal_the_straightforward_ones(engine, lang):
    compared = 0
    for request in REQUESTS:
        for _ in range(2):  # a second time: contents pages and recent matches remembered
            fast = engine.search(request, lang=lang)["hits"]
            plain = straightforward(engine, request, lang)
            assert [dict(h) for h in fast] == plain, request
            compared += len(fast)
    assert compared > 300


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_rankings_equal_the_straightforward_ones(engine, lang):
    compared = 0
    for request in REQUESTS:
        fast = engine.search(request, lang=lang)
        with engine.snapshots.use() as snapshot:
            found = match(snapshot, engine.builder(snapshot), request, Budget())
            _, allowed = facets.count(snapshot.table, found.matched, request.selected())
            ranked = order(snapshot, found, allowed, request, lang, request.end, Budget())
            shown = [snapshot.records.get(d)["id"] for d, _ in ranked[request.start : request.end]]
        plain = plain_order(engine, request, lang)
        assert ranked == plain, request
        assert [h["id"] for h in fast["hits"]] == shown
        compared += len(plain)
    assert compared > 300


def test_shown_fields_equal_the_stored_records(engine):
    with engine.snapshots.use() as snapshot:
        searcher = snapshot.searcher
        records = Records(searcher)
        for docnum in searcher.reader().all_doc_ids():
            stored = searcher.stored_fields(docnum)
            assert hit_parts.summary(records.get(docnum)) == hit_parts.summary(stored)
            shown = records.get(docnum)["data"]
            assert shown["page_starts"] == stored["data"]["page_starts"]
            assert shown["furniture"] == [list(r) for r in stored["data"]["furniture"]]


def test_outlines_equal_what_the_page_texts_tell(engine):
    """Which pages are contents pages, and their headings, as the index keeps them, equal what
    page choice tells from the catalog's texts (without running headers and footers)."""
    told = headed = 0
    with engine.snapshots.use() as snapshot:
        catalog, records = engine.catalog(), snapshot.records
        for docnum in snapshot.searcher.reader().all_doc_ids():
            data = snapshot.searcher.stored_fields(docnum)["data"]
            outline = records.outline(docnum)
            pages = catalog.pages(data["sha256"])
            assert [p.number for p in pages] == list(range(1, len(pages) + 1))
            for page in pages:
                body = body_text(page.text, page.furniture)
                assert outline.contents(page.number) == is_contents(body), page.number
                assert list(outline.headings(page.number)) == headings(body), page.number
                told += is_contents(body)
                headed += bool(headings(body))
            assert not outline.contents(len(pages) + 1) and not outline.headings(len(pages) + 1)
    assert told >= 3 and headed >= 50


def _plain_used(reader, lang, text):
    """Every word of ``text`` with a document frequency in ``lang``'s field (or, for a word
    in another script, the exact-form field)."""
    field = LANGUAGE_FIELDS[lang]
    for word in WORD.findall(text):
        if script_of(word) == script_of_language(lang):
            t = term(lang, word)
            if t is not None and not reader.doc_frequency(field, t):
                return False
        elif not reader.doc_frequency("text", fold(word)):
            return False
    return True


def test_senses_used_are_those_with_document_frequencies(engine):
    phrases = [q for q in _queries() if q not in TYPED] + TYPED
    phrases += ["zzqx", "social zzqx", "fund", "fundo", "ταμείο", "фонд", "Λεμεσό", "COM 2021"]
    used = 0
    with engine.snapshots.use() as snapshot:
        evidence = Evidence(snapshot.terms, snapshot.table)
        reader = snapshot.searcher.reader()
        for lang in LANGUAGE_FIELDS:
            for text in phrases:
                expected = _plain_used(reader, lang, text)
                assert evidence.used(lang, text) == expected, (lang, text)
                used += expected
    assert 20 < used < len(phrases) * len(LANGUAGE_FIELDS)


def _fresh_builder(engine, snapshot):
    """A query builder that remembers nothing yet, as a new generation's."""
    evidence = Evidence(snapshot.terms, snapshot.table)
    reader = snapshot.searcher.reader()
    translator = Translator(engine.dictionaries, engine.glossary, evidence, reader)
    return QueryBuilder(snapshot.searcher.schema, engine.taxonomy, engine.glossary, translator)


def test_queries_with_remembered_translations_equal_the_fresh_ones(engine):
    compared = 0
    with engine.snapshots.use() as snapshot:
        kept = engine.builder(snapshot)
        for request in REQUESTS:
            if not request.q:
                continue
            for _ in range(2):  # the second time every translated word is remembered
                remembered = kept.build(request.q, request.mode, request.expand)
                fresh = _fresh_builder(engine, snapshot).build(
                    request.q, request.mode, request.expand
                )
                assert remembered.query == fresh.query, request
                assert remembered.expanded == fresh.expanded, request
                compared += len(fresh.expanded)
    assert compared > 50


def test_a_translated_word_is_parsed_once_per_generation(engine, monkeypatch):
    parsed: list[str] = []
    original = QueryParser.parse

    def counting(self, text, *args, **kwargs):
        parsed.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(QueryParser, "parse", counting)
    with engine.snapshots.use() as snapshot:
        builder = _fresh_builder(engine, snapshot)
        assert builder.build("social enterprise").expanded  # translated, into other languages
        first = len(parsed)
        builder.build("social enterprise")
        again = len(parsed) - first
    # The words as typed are parsed again (as typed, for proximity, as explained); their
    # translations are not.
    assert 0 < again < first
