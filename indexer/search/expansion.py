"""Cross-language expansion: a query's glossary concepts searched in their other languages.

Many reports exist in one language only. When the glossary names the concepts a query speaks
of, one extra query per other language is built from the concepts' terms there; ranking
scores it apart from the words as typed and with a lower weight (see ranking.py). Every term
goes through the same parsing and rewriting as typed words, so an inflected form or a code in
a glossary term is searched as it would be typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from ..text.glossary import ConceptMatch, Glossary
from ..text.terms import WORD, is_stop
from .typed import Codes

#: The parsed and rewritten query of a protected text, its codes, in a mode ("all" or "any").
Parse = Callable[[str, Codes, str], wq.Query]


@dataclass
class Expansion:
    """What the glossary adds to a query (all empty when it adds nothing)."""

    #: Each concept named, as typed, with its terms shown in the other languages.
    concepts: list[dict[str, Any]] = field(default_factory=list)
    queries: dict[str, wq.Query] = field(default_factory=dict)  # language → query
    #: (field, term) → concept id, for terms that only the expansion added
    terms: dict[tuple[str, str], str] = field(default_factory=dict)


def expand(text: str, mode: str, typed: wq.Query, glossary: Glossary, parse: Parse) -> Expansion:
    """The concepts' terms in the other languages, one query per language.

    The expansion is made only when glossary concepts cover at least half of the query's
    words: a query is translated when it can be, not when one word of it happens to be a
    concept. Words outside the concepts (names, numbers) then only raise the score of
    documents that contain them, since documents in other languages cannot.
    """
    expansion = Expansion()
    matches = glossary.find(text)
    words = [w for w in WORD.findall(text) if not is_stop(w)]
    covered = sum(1 for m in matches for w in WORD.findall(m.text) if not is_stop(w))
    if not matches or covered * 2 < len(words):
        return expansion
    units: dict[str, list[tuple[str, wq.Query]]] = {}
    leftovers: list[wq.Query] = []
    cursor = 0
    for match in matches:
        leftovers += _leftover_units(text[cursor : match.start], mode, parse)
        cursor = match.end
        translated, shown = _translations(match, glossary, parse)
        for lang, query in translated.items():
            units.setdefault(lang, []).append((match.concept, query))
        expansion.concepts.append(
            {
                "concept": match.concept,
                "typed": match.text,
                "language": match.language,
                "equivalents": shown,
            }
        )
    leftovers += _leftover_units(text[cursor:], mode, parse)
    typed_terms = {(f, str(t)) for f, t in typed.iter_all_terms(phrases=True)}
    concepts = {m.concept for m in matches}
    for lang, lang_units in units.items():
        # A language takes part only if the glossary translates every concept into it.
        if {c for c, _ in lang_units} != concepts:
            continue
        queries = [q for _, q in lang_units]
        combined: wq.Query = wq.And(queries) if mode == "all" else wq.Or(queries)
        if leftovers:
            combined = wq.AndMaybe(combined, wq.Or(leftovers))
        expansion.queries[lang] = combined
        for concept, unit in lang_units:
            for fieldname, term_text in unit.iter_all_terms(phrases=True):
                key = (fieldname, str(term_text))
                if key not in typed_terms:
                    expansion.terms.setdefault(key, concept)
    return expansion


def _translations(
    match: ConceptMatch, glossary: Glossary, parse: Parse
) -> tuple[dict[str, wq.Query], dict[str, str]]:
    """Per other language, a query for any of the concept's terms, and the first term shown."""
    queries: dict[str, wq.Query] = {}
    shown: dict[str, str] = {}
    for lang, terms in glossary.equivalents(match.concept, match.language).items():
        alternatives: list[wq.Query] = []
        for term_text in terms:
            protected, codes = Codes.protect(term_text)
            eq = parse(protected, codes, "all")
            if eq is not wq.NullQuery:
                alternatives.append(eq)
                shown.setdefault(lang, term_text)
        if alternatives:
            queries[lang] = wq.Or(alternatives)
    return queries, shown


def _leftover_units(segment: str, mode: str, parse: Parse) -> list[wq.Query]:
    """The words between concepts, each as its own query."""
    protected, codes = Codes.protect(segment)
    units = []
    for word in protected.split():
        q = parse(word, codes, mode)
        if q is not wq.NullQuery:
            units.append(q)
    return units
