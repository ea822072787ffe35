"""From what a reader types to a Whoosh query, and an account of how it was understood.

Syntax: words (all must match by default), "phrases", OR, NOT or -word, field:value
(title, country, topic, type, year, language, organisation), prefix*, fuzzy~. Each word is
analysed for every language the index holds, so an inflected form finds the other forms in any
document. Codes such as "ESF+", "COM(2021) 778" or "2021/1060" are recognised before parsing —
the parser would otherwise read the brackets as grouping and drop the plus. With cross-language
search on, concepts from the glossary are also searched in their other-language terms, with a
lower weight than the words as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema

from ..errors import QueryError
from ..ingest.describe.taxonomy import Taxonomy
from ..store.schema import LANGUAGE_FIELDS
from ..text.glossary import Glossary
from ..text.identifiers import IDENTIFIER, identifier_key
from ..text.languages import INDEX_LANGUAGES
from ..text.terms import WORD, fold, stopwords
from .matching import MAX_FUZZY_DISTANCE, MIN_WILDCARD_PREFIX, literal_prefix

MAX_QUERY_CHARS = 500
MAX_TERMS = 40
FUZZY_BOOST = 0.5
#: Words typed together count extra where they stand within this many positions of each other.
PROXIMITY_SLOP = 3
PROXIMITY_BOOST = 0.5
PROXIMITY_FIELDS = ("text", *LANGUAGE_FIELDS.values())
TEXT_FIELDS = ("title", "title_stem", "text", *LANGUAGE_FIELDS.values(), "meta_text")
EXACT_FIELDS = {"title", "text", "meta_text"}
FACET_QUERY_FIELDS = ("country", "topic", "type", "year", "language", "organisation")
_ALIASES = {
    "language": ["lang", "език", "γλώσσα", "idioma", "lingua"],
    "country": ["държава", "χώρα", "país", "pais"],
    "topic": ["тема", "θέμα", "tema"],
    "type": ["тип", "τύπος", "tipo"],
    "year": ["година", "έτος", "ano"],
    "organisation": ["org", "organization", "организация", "οργανισμός", "organização"],
    "title": ["заглавие", "τίτλος", "título", "titulo"],
}
_QUOTED = re.compile(r'"[^"]*"')
_NOT_PLAIN = re.compile(r'[":*?~^]|(^|\s)[-+]|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b')


def _is_stop(word: str) -> bool:
    folded = fold(word)
    return any(folded in stopwords(lang) for lang in INDEX_LANGUAGES)


_MINUS = re.compile(r'(^|[\s(])-(?=[\w"(])')
_PLUS = re.compile(r'(^|[\s(])\+(?=[\w"(])')


def _signs_to_operators(text: str) -> str:
    """``-word`` → ``NOT word``, ``+word`` → ``word`` (every word is required anyway).

    Done here rather than with the parser's plus/minus plugin, which also splits hyphenated
    words such as "peer-learning" into "peer NOT learning".
    """
    return _PLUS.sub(r"\1", _MINUS.sub(r"\1NOT ", text))


class Codes(list[str]):
    """Codes taken out of a text before parsing, and the placeholder words that stand for them.

    The parser would read the brackets of "COM(2021) 778" as grouping and drop the plus of
    "ESF+", so each code becomes one plain word first. The placeholder's letters are chosen so
    that they occur nowhere in the text, even after case and accent folding: what a reader
    types can never be taken for a placeholder.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        stem, folded = "qqcode", fold(text)
        while stem in folded:
            stem = "q" + stem
        self.stem = stem
        self.pattern = re.compile(rf"{stem}(\d+)qq")

    @classmethod
    def protect(cls, text: str) -> tuple[str, Codes]:
        """The text with every code outside quotes replaced by a placeholder word."""
        codes = cls(text)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

        def repl(m: re.Match[str]) -> str:
            if any(a <= m.start() < b for a, b in quoted):
                return m.group(0)
            codes.append(m.group(0))
            return f" {codes.stem}{len(codes) - 1}qq "

        return IDENTIFIER.sub(repl, text).strip(), codes

    def code_in(self, text: str) -> str | None:
        """The code a placeholder in ``text`` stands for."""
        m = self.pattern.search(text)
        return self[int(m.group(1))] if m else None

    def ids_in(self, text: str) -> set[str]:
        return set(self.pattern.findall(text))

    def without(self, text: str) -> str:
        return self.pattern.sub(" ", text)

    def restore(self, text: str) -> str:
        return self.pattern.sub(lambda m: self[int(m.group(1))], text)


@dataclass
class ParsedQuery:
    """The query to run and what the reader should see about it."""

    text: str
    query: wq.Query
    mode: str
    codes: list[str] = field(default_factory=list)
    concepts: list[dict[str, Any]] = field(default_factory=list)
    #: (field, term) → concept id, for terms that only an expansion added
    expansion_terms: dict[tuple[str, str], str] = field(default_factory=dict)
    #: The query as typed and, with cross-language search, the concept-expanded one; ``query``
    #: matches either. Ranking scores them separately and merges (see ranking.py).
    typed: wq.Query | None = None
    expanded: dict[str, wq.Query] = field(default_factory=dict)  # language → query
    #: Only words (and codes): no operators, quotes, fields or wildcards.
    plain: bool = True
    understood: dict[str, Any] = field(default_factory=dict)
    #: The typed words within a few positions of each other: re-ranks the best matches.
    near: wq.Query | None = None

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

    def __init__(self, schema: Schema, taxonomy: Taxonomy, glossary: Glossary) -> None:
        self.schema = schema
        self.taxonomy = taxonomy
        self.glossary = glossary
        self._parsers: dict[tuple[str, tuple[str, ...]], qparser.QueryParser] = {}

    # Parsers ----------------------------------------------------------------------------------
    def _parser(self, mode: str, fields: tuple[str, ...] = TEXT_FIELDS) -> qparser.QueryParser:
        """A parser per mode and fields, made once: parsing keeps no state in the parser."""
        key = (mode, fields)
        parser = self._parsers.get(key)
        if parser is None:
            group = qparser.AndGroup if mode == "all" else qparser.OrGroup
            parser = qparser.MultifieldParser(list(fields), self.schema, group=group)
            parser.add_plugin(qparser.FuzzyTermPlugin())
            parser.add_plugin(qparser.FieldAliasPlugin(_ALIASES))
            parser.remove_plugin_class(qparser.RangePlugin)
            self._parsers[key] = parser
        return parser

    # Entry point ------------------------------------------------------------------------------
    def build(self, text: str, mode: str = "all", expand: bool = True) -> ParsedQuery:
        text = (text or "").strip()
        if mode not in ("all", "any"):
            raise QueryError("mode must be 'all' or 'any'")
        if len(text) > MAX_QUERY_CHARS:
            raise QueryError(f"the query is too long (over {MAX_QUERY_CHARS} characters)")
        if not text:
            return ParsedQuery("", wq.Every(), mode, understood={"text": "", "all": True})
        protected, codes = Codes.protect(_signs_to_operators(text))
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
        result = ParsedQuery(text, user, mode, codes=list(codes))
        result.plain = not _NOT_PLAIN.search(codes.without(protected))
        result.understood = self._explain(protected, codes, mode)
        if result.plain:
            result.near = self._proximity(codes.without(protected))
        if expand and result.plain:
            self._expand(result, protected)
        result.understood["concepts"] = result.concepts
        return result

    # Proximity --------------------------------------------------------------------------------
    def _proximity(self, text: str) -> wq.Query | None:
        """Documents where the words stand close together, as typed, score higher.

        Scores are for whole documents, so a long report that has every word somewhere would
        otherwise tie with the one that speaks of exactly this ("National Social Enterprise
        Policy"). The words are matched within a few positions of each other, in order, in
        each analysed field, so inflected forms count too.
        """
        words = [w for w in WORD.findall(text) if not _is_stop(w)]
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
        if fieldname in FACET_QUERY_FIELDS and isinstance(q, wq.Term):
            canonical, _ = self.taxonomy.normalise(fieldname, text)
            if fieldname == "language":
                canonical = text.lower()
            return wq.Term(fieldname, canonical, boost=q.boost)
        return q

    # Explanation --------------------------------------------------------------------------------
    def _explain(self, protected: str, codes: Codes, mode: str) -> dict[str, Any]:
        """What the reader typed, as the parser understood it (before per-language analysis)."""
        group = qparser.AndGroup if mode == "all" else qparser.OrGroup
        simple = qparser.QueryParser("text", None, group=group)
        simple.add_plugin(qparser.FuzzyTermPlugin())
        simple.add_plugin(qparser.FieldAliasPlugin(_ALIASES))
        simple.remove_plugin_class(qparser.RangePlugin)
        tree = simple.parse(protected)
        out: dict[str, Any] = {
            "mode": mode,
            "words": [],
            "phrases": [],
            "excluded": [],
            "prefixes": [],
            "fuzzy": [],
            "fields": [],
            "codes": list(codes),
            "alternatives": False,
        }

        def walk(node: wq.Query, negated: bool = False) -> None:
            if isinstance(node, wq.Not):
                walk(node.query, True)
                return
            if isinstance(node, wq.Or) and mode == "all":
                out["alternatives"] = True
            if isinstance(node, wq.AndNot):
                walk(node.a, negated)
                walk(node.b, True)
                return
            if not node.is_leaf():
                for child in node.children():
                    walk(child, negated)
                return
            fieldname = node.field()
            if isinstance(node, wq.Phrase):
                text = " ".join(node.words)
            else:
                text = codes.restore(str(getattr(node, "text", "")))
            if not text or codes.ids_in(text):
                return
            if negated:
                out["excluded"].append(text)
            elif fieldname not in (None, "text"):
                out["fields"].append({"field": fieldname, "value": text})
            elif isinstance(node, wq.Phrase):
                out["phrases"].append(text)
            elif isinstance(node, wq.Prefix):
                out["prefixes"].append(text + "*")
            elif isinstance(node, wq.FuzzyTerm):
                out["fuzzy"].append(text + "~")
            elif text not in codes:
                out["words"].append(text)

        walk(tree)
        out["text"] = str(tree)
        return out

    # Cross-language expansion -------------------------------------------------------------------
    def _expand(self, result: ParsedQuery, protected: str) -> None:
        """Add the concepts' terms in the other languages as a second query.

        The expansion is made only when glossary concepts cover at least half of the query's
        words: a query is translated when it can be, not when one word of it happens to be a
        concept. Words outside the concepts (names, numbers) then only raise the score of
        documents that contain them, since documents in other languages cannot.
        """
        raw = result.text
        matches = self.glossary.find(raw)
        words = [w for w in WORD.findall(raw) if not _is_stop(w)]
        covered = sum(1 for m in matches for w in WORD.findall(m.text) if not _is_stop(w))
        if not matches or covered * 2 < len(words):
            return
        parser = self._parser(result.mode)
        units: dict[str, list[tuple[str, wq.Query]]] = {}
        leftovers: list[wq.Query] = []
        cursor = 0
        for match in matches:
            leftovers += self._leftover_units(raw[cursor : match.start], parser)
            cursor = match.end
            equivalents = self.glossary.equivalents(match.concept, match.language)
            shown: dict[str, str] = {}
            for lang, terms in equivalents.items():
                alternatives: list[wq.Query] = []
                for term_text in terms:
                    protected_term, term_codes = Codes.protect(term_text)
                    eq = self._rewrite(self._parser("all").parse(protected_term), term_codes)
                    if eq is not wq.NullQuery:
                        alternatives.append(eq)
                        shown.setdefault(lang, term_text)
                if alternatives:
                    units.setdefault(lang, []).append((match.concept, wq.Or(alternatives)))
            result.concepts.append(
                {
                    "concept": match.concept,
                    "typed": match.text,
                    "language": match.language,
                    "equivalents": shown,
                }
            )
        leftovers += self._leftover_units(raw[cursor:], parser)
        typed = {(f, str(t)) for f, t in result.query.iter_all_terms(phrases=True)}
        concepts = {m.concept for m in matches}
        for lang, lang_units in units.items():
            # A language takes part only if the glossary translates every concept into it.
            if {c for c, _ in lang_units} != concepts:
                continue
            queries = [q for _, q in lang_units]
            combined: wq.Query = wq.And(queries) if result.mode == "all" else wq.Or(queries)
            if leftovers:
                combined = wq.AndMaybe(combined, wq.Or(leftovers))
            result.expanded[lang] = combined
            for concept, unit in lang_units:
                for fieldname, term_text in unit.iter_all_terms(phrases=True):
                    key = (fieldname, str(term_text))
                    if key not in typed:
                        result.expansion_terms.setdefault(key, concept)
        if result.expanded:
            result.typed = result.query
            result.query = wq.Or([result.query, *result.expanded.values()])

    def _leftover_units(self, segment: str, parser: qparser.QueryParser) -> list[wq.Query]:
        protected, seg_codes = Codes.protect(segment)
        units = []
        for word in protected.split():
            q = self._rewrite(parser.parse(word), seg_codes)
            if q is not wq.NullQuery:
                units.append(q)
        return units
