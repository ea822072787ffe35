"""Cross-language expansion: a query's units searched in every other language, one channel per
language, built from its structured translation (``indexer.translation``).

Each unit of the query — a glossary concept, a phrase or word a dictionary translates, a name
read in another alphabet, a number or a code — is one group of alternatives in each language
it crosses into. A channel requires its groups as the typed words are required (all of them,
or any in "any word" mode), and ranking scores each group by its best alternative
(``translation.scoring``). A multi-word alternative must stand as a phrase, its words near each
other and in order, in that language's field: "социално предприятие" is not found by any
document that has "социално" somewhere and "предприятие" somewhere else. Every alternative goes
through the same parsing and rewriting as typed words, so an inflected form or a code in it is
searched as it would be typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from ...translation.structured import Alternative, Group, Translation
from ..contract import Mode
from .typed import Codes

#: The parsed and rewritten query of a protected text, its codes, in a mode.
Parse = Callable[[str, Codes, Mode], wq.Query]
#: A word or phrase of a language searched in that language's fields (a phrase as its words
#: near each other, in order).
Near = Callable[[str, str], wq.Query | None]
#: One channel's groups: each a list of (query, weight) alternatives, scored by the best.
Groups = list[list[tuple[wq.Query, float]]]
#: A language's channel is built only if its groups cover more than this share of the units:
#: most of the query must cross, or a two-word query would find every document that has a
#: translation of one of its words. A query read as any word (no document has all its words)
#: is searched in every language any of its words crosses into, as it is in its own: there a
#: document with one of the words is what the reader gets in every language.
MIN_COVERAGE = 0.5
#: From this many groups, a channel of "all words" matches the documents that have all of them
#: but one: a word that the other language leaves out ("young people" is "jovens"), says in
#: words of its own, or that a dictionary translates by another sense does not hide a document
#: that has the rest. A document missing one scores less by the groups' scores; with fewer
#: groups, one missing would leave a single word.
ALL_BUT_ONE_FROM = 3


@dataclass
class Expansion:
    """What the translation adds to a query (all empty when it adds nothing)."""

    #: Each unit translated, as typed, with its first alternative shown per language.
    concepts: list[dict[str, Any]] = field(default_factory=list)
    queries: dict[str, wq.Query] = field(default_factory=dict)  # language → query
    groups: dict[str, Groups] = field(default_factory=dict)  # language → its groups
    #: language → share of the query's units its channel has
    coverage: dict[str, float] = field(default_factory=dict)
    #: (field, term) → what it translates, for terms that only the expansion added
    terms: dict[tuple[str, str], str] = field(default_factory=dict)


def expand(
    translation: Translation, mode: Mode, typed: wq.Query, parse: Parse, near: Near
) -> Expansion:
    """One channel per language the query's units cross into."""
    expansion = Expansion()
    units = translation.groups
    if not units:
        return expansion
    typed_terms = {(f, str(t)) for f, t in typed.iter_all_terms(phrases=True)}
    for lang in translation.targets():
        groups: Groups = []
        labelled: list[tuple[str, wq.Query]] = []
        parts: list[wq.Query] = []
        optional: list[wq.Query] = []
        for group in units:
            parsed = _parsed(group.alternatives.get(lang, []), lang, translation.codes, parse, near)
            if parsed:
                groups.append([(q, a.weight) for a, q in parsed])
                labelled += [(_label(group, a), q) for a, q in parsed if a.source != "same"]
                part = (
                    wq.DisjunctionMax([q for _, q in parsed]) if len(parsed) > 1 else parsed[0][1]
                )
                weak = all(a.through for a, _ in parsed)
                (optional if weak else parts).append(part)
        coverage = len(groups) / len(units)
        if coverage <= (MIN_COVERAGE if mode == "all" else 0):
            continue
        expansion.queries[lang] = _channel(parts, mode, optional)
        expansion.groups[lang] = groups
        expansion.coverage[lang] = coverage
        for label, q in labelled:
            for fieldname, term_text in q.iter_all_terms(phrases=True):
                key = (fieldname, str(term_text))
                if key not in typed_terms:
                    expansion.terms.setdefault(key, label)
    expansion.concepts = _told(translation, set(expansion.queries))
    return expansion


def _channel(parts: list[wq.Query], mode: Mode, optional: list[wq.Query] | None = None) -> wq.Query:
    """A language's channel: any of its groups, or every one (all but one, from
    ``ALL_BUT_ONE_FROM`` groups). The ``optional`` groups, translated only by way of a third
    language, add to a document's score but are not required while others are: such a
    translation is often another word than the one the documents use, and requiring it would
    hide a document that has the rest of the query."""
    optional = optional or []
    if mode != "all":
        return wq.Or(parts + optional)
    if not parts:
        parts, optional = optional, []
    if len(parts) < ALL_BUT_ONE_FROM:
        required: wq.Query = wq.And(parts) if len(parts) > 1 else parts[0]
    else:
        required = wq.Or([wq.And(parts[:i] + parts[i + 1 :]) for i in range(len(parts))])
    if not optional:
        return required
    return wq.AndMaybe(required, wq.Or(optional) if len(optional) > 1 else optional[0])


def _parsed(
    alternatives: list[Alternative], lang: str, codes: Codes, parse: Parse, near: Near
) -> list[tuple[Alternative, wq.Query]]:
    """Each alternative's query: a translation in its language's fields (several words as a
    phrase), a name, number or code as typed words are parsed."""
    out: list[tuple[Alternative, wq.Query]] = []
    for alt in alternatives:
        protected, alt_codes = Codes.protect(alt.text)
        q: wq.Query | None
        if alt.source in ("glossary", "dictionary") and not len(alt_codes):
            q = near(protected, lang)
        else:
            q = parse(protected, alt_codes if len(alt_codes) else codes, "all")
        if q is not None and q is not wq.NullQuery:
            out.append((alt, q))
    return out


def _label(group: Group, alternative: Alternative) -> str:
    """What a hit says it was found through: the glossary's concept, or "typed → translation",
    or "typed → word → translation" for one made through a third language's word."""
    if group.concept:
        return group.concept
    if alternative.through:
        return f"{group.typed} → {alternative.through} → {alternative.text}"
    return f"{group.typed} → {alternative.text}"


def _told(translation: Translation, languages: set[str]) -> list[dict[str, Any]]:
    """The units and their first alternative in each language searched, as the reader is told."""
    told = []
    for group in translation.groups:
        shown = {
            lang: alts[0].text
            for lang, alts in group.alternatives.items()
            if lang in languages and alts and alts[0].source != "same"
        }
        if shown:
            told.append(
                {
                    "concept": group.concept or group.typed,
                    "typed": group.typed,
                    "language": translation.language,
                    "equivalents": shown,
                    "source": _source(group),
                }
            )
    return told


def _source(group: Group) -> str:
    if group.concept:
        return "glossary"
    sources = {a.source for alts in group.alternatives.values() for a in alts}
    return "dictionary" if "dictionary" in sources else "reading"
