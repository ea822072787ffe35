"""From what a reader types to a Whoosh query, and an account of how it was understood.

Syntax: words (all must match by default), "phrases", OR, NOT or -word, field:value
(title, country, topic, type, year, language, organisation, place, named in any interface
language), prefix*, fuzzy~. Each word is analysed for every language the index holds, so an
inflected form finds the other forms in any document. The typed text is read first (``typed``):
codes such as "ESF+", "COM(2021) 778" or "2021/1060" are recognised — the parser would otherwise
read the brackets as grouping and drop the plus — punctuation that is not syntax is taken out
("Ireland?" is not a wildcard, "economy:" not a field) and numbers are put in one form. With
cross-language search on, concepts from the glossary are also searched in their other-language
terms, with a lower weight than the words as typed (``expansion``). What the reader is told of
how the query was understood is put together in ``explanation``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import ID, Schema

from ...errors import QueryError
from ...lru import Lru
from ...store.schema import LANGUAGE_FIELDS
from ...text.glossary import Glossary
from ...text.identifiers import identifier_key
from ...text.taxonomy import Taxonomy
from ...text.terms import WORD, fold, is_stop
from ...translation.structured import Translator
from ..contract import Mode
from ..finding.matching import MAX_FUZZY_DISTANCE, MIN_WILDCARD_PREFIX, literal_prefix
from ..request import year_span
from . import parsers
from .expansion import Groups, expand
from .explanation import explain
from .fields import language_code
from .optional_words import optional_stop_words
from .typed import Codes, prepared

MAX_QUERY_CHARS = 500
MAX_TERMS = 40
FUZZY_BOOST = 0.5
#: Words typed together count extra where they stand within this many positions of each other.
PROXIMITY_SLOP = 3
#: Translated words' queries kept per query builder (one builder per index generation).
REMEMBERED_NEAR = 20_000
_UNKNOWN: Any = object()
PROXIMITY_BOOST = 0.5
PROXIMITY_FIELDS = ("text", *LANGUAGE_FIELDS.values())
TEXT_FIELDS = ("title", "title_stem", "text", *LANGUAGE_FIELDS.values(), "meta_text")
EXACT_FIELDS = {"title", "text", "meta_text"}
FACET_QUERY_FIELDS = ("country", "topic", "type", "year", "language", "organisation", "place")
_NOT_PLAIN = re.compile(r'[":*?~^]|(^|\s)[-+]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


@dataclass
class ParsedQuery:
    """The query to run and what the reader should see about it."""

    text: str
    query: wq.Query
    mode: Mode
    codes: list[str] = field(default_factory=list)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    #: (field, term) → concept id, for terms that only an expansion added
    expansion_terms: dict[tuple[str, str], str] = field(default_factory=dict)
    #: The query as typed and, with cross-language search, the concept-expanded one; ``query``
    #: matches either. Ranking scores them separately and merges (see ranking.py).
    typed: wq.Query | None = None
    expanded: dict[str, wq.Query] = field(default_factory=dict)  # language → query
    #: Per language, the expanded channel's groups (each scored by its best alternative) and
    #: the share of the query's units it has.
    groups: dict[str, Groups] = field(default_factory=dict)
    coverage: dict[str, float] = field(default_factory=dict)
    #: Only words (and codes): no operators, quotes, fields or wildcards.
    plain: bool = True
    understood: dict[str, Any] = field(default_factory=dict)
    #: The typed words within a few positions of each other: re-ranks the best matches.
    near: wq.Query | None = None
    #: Read as "any word" because no document has every word (not because the reader asked):
    #: the words are likely those of a subject written about in other languages.
    relaxed: bool = False
    #: The countries of the taxonomy the typed words name ("Ирландия", "Cypriot", "Lisboa"):
    #: a document about one of them is about the query's place (``ranking``).
    countries: frozenset[str] = frozenset()

    @property
    def channels(self) -> list[wq.Query]:
        """The queries ranked separately: as typed, and each language's expansion."""
        if self.typed is None:
            return [self.query]
        return [self.typed, *self.expanded.values()]

    @property
    def is_everything(self) -> bool:
        return isinstance(self.query, wq.Every)


class QueryBuilder:
    """Builds queries against one schema; holds no per-request state, so one serves every
    request of an index generation."""

    def __init__(
        self,
        schema: Schema,
        taxonomy: Taxonomy,
        glossary: Glossary,
        translator: Translator | None = None,
    ) -> None:
        self.schema = schema
        self.taxonomy = taxonomy
        self.glossary = glossary
        self.translator = translator
        self._parsers: dict[tuple[str, tuple[str, ...]], qparser.QueryParser] = {}
        #: The query of each translated word or phrase, by (text, language): parsing it is the
        #: same work every time the word is translated, by every query that has it. Kept for
        #: the builder's generation, at most ``REMEMBERED_NEAR`` of them.
        self._near_queries: Lru[tuple[str, str], wq.Query | None]
        self._near_queries = Lru.counted(REMEMBERED_NEAR)

    # Parsers ----------------------------------------------------------------------------------
    def _parser(self, mode: Mode, fields: tuple[str, ...] = TEXT_FIELDS) -> qparser.QueryParser:
        """A parser per mode and fields, made once: parsing keeps no state in the parser."""
        key = (mode, fields)
        parser = self._parsers.get(key)
        if parser is None:
            group = qparser.AndGroup if mode == "all" else qparser.OrGroup
            schema = _years_as_words(self.schema)
            parser = _with_syntax(parsers.MultifieldParser(list(fields), schema, group=group))
            self._parsers[key] = parser
        return parser

    def _parse(self, protected: str, codes: Codes, mode: Mode) -> wq.Query:
        """A protected text parsed and rewritten, as the expansion parses glossary terms."""
        return self._rewrite(self._parser(mode).parse(protected), codes)

    # Entry point ------------------------------------------------------------------------------
    def build(
        self, text: str, mode: Mode = "all", expand: bool = True, translate: str | None = None
    ) -> ParsedQuery:
        """The query of ``text``; ``translate`` is the text to translate when it is not the
        text itself (the words as read in another alphabet)."""
        text = (text or "").strip()
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is too long (over {MAX_QUERY_CHARS} characters)")
        if not text.strip("*"):  # nothing, or every document asked for with a star
            return ParsedQuery("", wq.Every(), mode, understood={"text": "", "all": True})
        protected, codes = prepared(text)
        if not protected:
            raise QueryError("the query has no searchable words (only stop words or symbols)")
        try:
            parsed = self._parser(mode).parse(protected)
        except Exception as err:  # the parser has corner cases of its own; never a 500
            raise QueryError(
                f"the query could not be understood ({type(err).__name__}); "
                "check quotes, brackets and operators"
            ) from err
        user = self._rewrite(parsed, codes)
        if user is wq.NullQuery:
            raise QueryError("the query has no searchable words (only stop words or symbols)")
        if sum(1 for _ in user.leaves()) > MAX_TERMS * len(TEXT_FIELDS):
            raise QueryError(f"the query has too many words (more than {MAX_TERMS})")
        if mode == "all":
            user = optional_stop_words(user)
        result = ParsedQuery(codes.restore(protected), user, mode, codes=list(codes))
        result.plain = not _NOT_PLAIN.search(codes.without(protected))
        result.countries = self.taxonomy.countries_named(codes.without(protected))
        result.understood = explain(_plain_parser(mode).parse(protected), codes, mode)
        if result.plain:
            result.near = self._proximity(codes.without(protected))
        # Phrases are translated too: quotes say how to match the words typed, not what they mean.
        unquoted = protected.replace('"', " ")
        if expand and (translate or not _NOT_PLAIN.search(codes.without(unquoted))):
            function = self._expand(result, translate or codes.restore(unquoted))
            if function and result.near is not None:
                # A function word the stop list misses ("sobre") says nothing of where the
                # subject stands: the typed words' passage is measured without it.
                result.near = self._proximity(codes.without(protected), function)
        result.understood["concepts"] = result.concepts
        return result

    def _expand(self, result: ParsedQuery, words: str) -> frozenset[str]:
        """The query's units in the other languages, added as channels of their own; the
        typed words the translation found to be function words."""
        if self.translator is None:
            return frozenset()
        translation = self.translator.translate(words)
        expansion = expand(translation, result.mode, result.query, self._parse, self._near)
        result.concepts = expansion.concepts
        result.expansion_terms = expansion.terms
        if expansion.queries:
            result.expanded = expansion.queries
            result.groups = expansion.groups
            result.coverage = expansion.coverage
            result.typed = result.query
            result.query = wq.Or([result.query, *result.expanded.values()])
        return translation.function

    def _near(self, text: str, lang: str) -> wq.Query | None:
        """Words of another language searched in that language's field (and its words in
        titles): one word as itself, several as a phrase within a few positions, in order
        (stop words are not indexed there). Remembered: the queries are never changed in
        place, only wrapped or copied, so one may serve every query that has the word."""
        return self._near_queries.get_or_make((text, lang), lambda: self._near_parsed(text, lang))

    def _near_parsed(self, text: str, lang: str) -> wq.Query | None:
        words = [w for w in WORD.findall(text) if not is_stop(w)]
        field = LANGUAGE_FIELDS.get(lang)
        if not words or field is None:
            return None
        if len(words) == 1:
            q = self._parser("all", ("title_stem", field)).parse(words[0])
        else:
            q = self._parser("all", (field,)).parse('"' + " ".join(words) + f'"~{PROXIMITY_SLOP}')
        return None if q is wq.NullQuery else q

    # Proximity --------------------------------------------------------------------------------
    def _proximity(self, text: str, skip: frozenset[str] = frozenset()) -> wq.Query | None:
        """Documents where the words stand close together, as typed, score higher.

        Scores are for whole documents, so a long report that has every word somewhere would
        otherwise tie with the one that speaks of exactly this ("National Social Enterprise
        Policy"). The words are matched within a few positions of each other, in order, in
        each analysed field, so inflected forms count too. Words in ``skip`` (lower case) are
        left out.
        """
        words = [w for w in WORD.findall(text) if not is_stop(w) and w.lower() not in skip]
        if len(words) < 2:
            return None
        phrase = '"' + " ".join(words) + f'"~{PROXIMITY_SLOP}'
        near = self._parser("all", PROXIMITY_FIELDS).parse(phrase)
        return None if near is wq.NullQuery else near

    # Codes ------------------------------------------------------------------------------------
    def _code_query(self, code: str) -> wq.Query:
        """The code as one term, or its words in sequence ("COM (2021) 778" printed loosely).

        A one-word code matches only as a code: "ESF+" must not find the older "ESF".
        """
        ident = wq.Term("ident", identifier_key(code), boost=2.0)
        words = [fold(w) for w in WORD.findall(code)]
        if len(words) < 2:
            return ident
        return wq.Or([ident, wq.Phrase("text", words)])

    # Rewriting the parsed tree ------------------------------------------------------------------
    def _rewrite(self, q: wq.Query, codes: Codes) -> wq.Query:
        if q.is_leaf():
            return self._rewrite_leaf(q, codes)
        texts = [str(getattr(leaf, "text", "")) for leaf in q.leaves()]
        ids = set().union(*(codes.ids_in(t) for t in texts)) if texts else set()
        if len(ids) == 1 and all(codes.ids_in(t) for t in texts):
            # One code spread over every text field by the parser: replace the whole group.
            return self._code_query(codes[int(ids.pop())])
        if isinstance(q, wq.Not):
            return wq.Not(self._rewrite(q.query, codes), boost=q.boost)
        if isinstance(q, wq.compound.BinaryQuery):
            a, b = self._rewrite(q.a, codes), self._rewrite(q.b, codes)
            if a is wq.NullQuery:
                return wq.NullQuery
            return a if b is wq.NullQuery else type(q)(a, b)
        if isinstance(q, wq.compound.CompoundQuery):
            children = [self._rewrite(c, codes) for c in q.subqueries]
            children = [c for c in children if c is not wq.NullQuery]
            if isinstance(q, wq.Or):
                return _exclusions_apart(children, q.boost)
            return type(q)(children, boost=q.boost) if children else wq.NullQuery
        if isinstance(q, wq.wrappers.WrappingQuery):
            return q.apply(lambda c: self._rewrite(c, codes))
        return q

    def _rewrite_leaf(self, q: wq.Query, codes: Codes) -> wq.Query:
        fieldname = q.field()
        text = str(getattr(q, "text", ""))
        code = codes.code_in(text)
        if code is not None:
            return self._code_query(code)
        if isinstance(q, wq.Prefix | wq.Wildcard | wq.Regex):
            # Checked on every field, before the exact-field rule drops the others, so that
            # "(*a*)" is refused like "*a*", whatever surrounds it.
            if len(literal_prefix(text)) < MIN_WILDCARD_PREFIX:
                raise QueryError(
                    f"put at least {MIN_WILDCARD_PREFIX} letters before * or ? "
                    "(a word cannot start with them)"
                )
            return q if fieldname in EXACT_FIELDS else wq.NullQuery
        if isinstance(q, wq.FuzzyTerm):
            if fieldname not in EXACT_FIELDS:
                return wq.NullQuery
            q.boost = FUZZY_BOOST
            q.maxdist = min(q.maxdist, MAX_FUZZY_DISTANCE)
            q.prefixlength = max(q.prefixlength, 1)
            return q
        if fieldname == "year" and isinstance(q, wq.Term):
            return _years(text, q.boost)
        if fieldname in FACET_QUERY_FIELDS and isinstance(q, wq.Term):
            canonical, _ = self.taxonomy.normalise(fieldname, text)
            if fieldname == "language":
                canonical = language_code(text)
            return wq.Term(fieldname, canonical, boost=q.boost)
        return q


def _exclusions_apart(children: list[wq.Query], boost: float) -> wq.Query:
    """Alternatives with the excluded words kept out of every one of them.

    "social NOT economy" read as any word ("any" mode, or the fallback to it) would otherwise
    be "social, or anything without economy": an exclusion is never an alternative.
    """
    if not children:
        return wq.NullQuery
    kept = [c for c in children if not isinstance(c, wq.Not)]
    excluded = [c.query for c in children if isinstance(c, wq.Not)]
    if not kept or not excluded:
        return wq.Or(children, boost=boost)
    alternatives = kept[0] if len(kept) == 1 else wq.Or(kept, boost=boost)
    return wq.AndNot(alternatives, excluded[0] if len(excluded) == 1 else wq.Or(excluded))


def _years_as_words(schema: Schema) -> Schema:
    """The schema as the parser should see it: "year:2021-2023" is read as the reader's text
    (the numeric field would turn it into bytes, or into nothing), then made a range."""
    parsing = schema.copy()
    parsing.remove("year")
    parsing.add("year", ID())
    return parsing


def _years(value: str, boost: float) -> wq.Query:
    """year:2021, year:2021-2023, year:2021-, year:undated — as the year filter reads them."""
    span = year_span(value)
    if span is None:  # undated: written as 0 (a range from 0 would be read as open)
        return wq.Term("year", 0, boost=boost)
    return wq.NumericRange("year", span[0], span[1], boost=boost)


def _with_syntax(parser: qparser.QueryParser) -> qparser.QueryParser:
    """The syntax every parser here reads — fuzzy~ words, no [a TO b] ranges — so the query
    the reader is told of is read like the one that runs. Field names in the interface
    languages are put in the product's own names before parsing (``typed``)."""
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.RangePlugin)
    return parser


@cache
def _plain_parser(mode: Mode) -> qparser.QueryParser:
    """A parser without a schema: its tree holds the words as typed, before per-language
    analysis, which is what the reader is told. Made once per mode, as ``_parser``'s are."""
    group = qparser.AndGroup if mode == "all" else qparser.OrGroup
    return _with_syntax(parsers.QueryParser("text", None, group=group))
