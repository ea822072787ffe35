"""Which of a dictionary's translations a query word means here, judged by the collection.

A dictionary lists every sense of a word, and its first sense is often not the one this field
uses: Greek "ταμείο" is first a cash desk, here a fund. Three things say which senses count,
in this order:

1. the glossary: a translation among the words the glossary gives for a concept the typed word
   belongs to is the field's own term;
2. the collection's translated works: where a report exists in both languages, the versions of
   the documents that have the typed word should have its translation. A sense that none of
   them has, while another sense is there, is not what this collection means;
3. the dictionaries themselves: how much of the word's entries a translation is (a sense given
   in sense after sense, not a rare first one), how much of what it translates back to the
   word is (a word that many headwords give is rarely the one meant), and whether it is the
   same word in another alphabet; and whether the collection has the translation at all (a
   sense no document in that language uses cannot find anything).

Statistics mined from the aligned works alone make poor translations (any frequent word of
the versions looks like one), but they are good at choosing among a dictionary's senses, which
is all they do here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

from ..languages import script_of, script_of_language
from ..lru import Lru
from ..search.finding.docsets import DocSet, members
from ..search.finding.facets import FacetTable
from ..search.finding.matching import TermSets
from ..search.queries.transliterate import to_latin
from ..store.schema import LANGUAGE_FIELDS
from ..text.glossary import Glossary
from ..text.keys import phrase_keys
from ..text.terms import WORD, fold, term
from .freedict import Candidate, alike

#: Translations kept per word and language, at most, and looked at (in the dictionary's order).
KEEP = 3
MAX_CANDIDATES = 8
#: A translation is kept when it scores at least this share of the best one.
KEEP_SHARE = 0.5
#: Aligned works needed before their evidence can reject a sense.
MIN_ALIGNED = 2
#: How much more often than versions in general the translated versions must have a sense for
#: the works to vouch for it; a sense they do not vouch for is dropped when another one is.
#: (Versions that are not translations of each other vouch for nothing, and drop nothing.)
MIN_LIFT = 0.2
#: How much a glossary agreement and the aligned works count against the dictionary's order.
GLOSSARY_WEIGHT = 2.0
WORKS_WEIGHT = 1.0
#: What a translation written like the typed word (read in Latin letters) counts: as much as
#: the likeliest sense (``cognate``).
COGNATE_WEIGHT = 1.0
#: Agreements of a typed word and a translation, and sets of translated versions, that a
#: generation keeps (the most recently asked for).
REMEMBERED_AGREEMENTS = 4096
REMEMBERED_VERSIONS = 1024
#: The sets of documents of translations a generation keeps, in bits (a bit per document of
#: the index, up to the last that has the translation): 2 MB.
REMEMBERED_DOCUMENT_BITS = 16 * 2**20


@dataclass(frozen=True)
class Sense:
    """A translation chosen for a word, with its weight (the best one has 1.0) and source."""

    text: str
    weight: float
    via: str
    #: The third language's word it was reached through, if any (``Candidate.through``).
    through: str = ""


class Evidence:
    """What one index generation says about words: which documents of a language have them, and
    which versions of the translated works. Made once per generation; shared by threads."""

    def __init__(self, terms: TermSets, table: FacetTable) -> None:
        self.terms = terms
        self.table = table
        languages = table.values.get("language", {})
        self._language = {lang: languages.get(lang, 0) for lang in LANGUAGE_FIELDS}
        translated = 0
        for docnum in table.translations:
            translated |= 1 << docnum
        self._translated = translated
        self._agreements: Lru[tuple[str, ...], tuple[float, float] | None]
        self._agreements = Lru.counted(REMEMBERED_AGREEMENTS)
        self._versions_of: Lru[tuple[str, ...], DocSet] = Lru.counted(REMEMBERED_VERSIONS)
        self._documents: Lru[tuple[str, str], DocSet] = Lru(REMEMBERED_DOCUMENT_BITS, _bits)

    def documents(self, lang: str, text: str) -> DocSet:
        """Documents whose ``lang`` words include every word of ``text`` (any form),
        remembered: each query asks for its words' senses again (``context``)."""
        return self._documents.get_or_make((lang, text), partial(self._documents_of, lang, text))

    def _documents_of(self, lang: str, text: str) -> DocSet:
        field = LANGUAGE_FIELDS.get(lang)
        found: DocSet | None = None
        for word in WORD.findall(text):
            if script_of(word) == script_of_language(lang) and field is not None:
                t = term(lang, word)
                if t is None:
                    continue
                bits = self.terms.get(field, t)
            else:
                bits = self.terms.get("text", fold(word))
            found = bits if found is None else found & bits
            if not found:
                return 0
        return found or 0

    def used(self, lang: str, text: str) -> bool:
        """Whether documents of ``lang`` have every word of ``text`` (each somewhere), read
        from the index's term lists (a term is listed when a document has it), without
        decoding their postings or even their document frequencies."""
        field = LANGUAGE_FIELDS.get(lang)
        reader = self.terms.postings.searcher.reader()
        words = 0  # a translation made of stop words ("се") finds nothing of its own
        for word in WORD.findall(text):
            if script_of(word) == script_of_language(lang) and field is not None:
                t = term(lang, word)
                if t is None:
                    continue
                if (field, t) not in reader:
                    return False
            elif ("text", fold(word)) not in reader:
                return False
            words += 1
        return words > 0

    def language_documents(self, lang: str) -> DocSet:
        """The documents of a language, as the language facet has them."""
        return self._language.get(lang, 0)

    def count(self, lang: str, text: str) -> int:
        return self.documents(lang, text).bit_count()

    def agreement(
        self, source: str, typed: str, target: str, translation: str
    ) -> tuple[float, float] | None:
        """The share of the ``target`` versions of ``source`` documents having ``typed`` that
        have ``translation``, beside the share of all ``target`` versions that have it (a
        frequent word is in most versions whatever the typed word); None when fewer than
        ``MIN_ALIGNED`` such versions exist."""
        key = (source, typed, target, translation)
        return self._agreements.get_or_make(
            key, lambda: self._agreement(source, typed, target, translation)
        )

    def _agreement(
        self, source: str, typed: str, target: str, translation: str
    ) -> tuple[float, float] | None:
        versions = self._versions(source, typed, target)
        if versions.bit_count() < MIN_ALIGNED:
            return None
        having = self.documents(target, translation)
        every = self._versions(source, "", target)
        share = (having & versions).bit_count() / versions.bit_count()
        base = (having & every).bit_count() / every.bit_count() if every else 0.0
        return (share, base)

    def _versions(self, source: str, typed: str, target: str) -> DocSet:
        """Versions in ``target`` of the ``source`` documents that have ``typed`` (of every
        ``source`` document when ``typed`` is empty), as a set of documents."""
        return self._versions_of.get_or_make(
            (source, typed, target), lambda: self._versions_in(source, typed, target)
        )

    def _versions_in(self, source: str, typed: str, target: str) -> DocSet:
        having = self._translated & self._language[source]
        if typed:
            having &= self.documents(source, typed)
        wanted = self._language.get(target, 0)
        out = 0
        for d in members(having):
            for v in self.table.translations.get(d, ()):
                out |= 1 << v
        out &= wanted
        return out


def _bits(found: DocSet) -> int:
    """What a set of documents weighs in memory, near enough."""
    return max(found.bit_length(), 64)


def cognate(typed: str, translation: str) -> bool:
    """Whether a translation is written like the typed word, both read in Latin letters: the
    field's words are mostly shared across these languages ("пакет", "πακέτο", "package";
    "енергия", "energy"), so among the senses a dictionary lists, the one that is the same
    word is the likeliest ("πακέτο", not "ανδρισμός", which one edition also gives)."""
    a, b = to_latin(typed), to_latin(translation)
    return " " not in a and " " not in b and alike(a, b)


@lru_cache(maxsize=8192)
def glossary_words(glossary: Glossary, source: str, typed: str, target: str) -> frozenset[str]:
    """Keys of the ``target`` words the glossary uses in concepts whose ``source`` terms have
    the typed word: the field's own translations of it. Kept: a glossary does not change
    while a process runs."""
    wanted = set(phrase_keys(typed, source))
    by_key = _glossary_keys(glossary, source, target)
    return frozenset().union(*(by_key.get(k, ()) for k in wanted))


def warm_glossary(glossary: Glossary) -> None:
    """The glossary's translations between every two languages made now (``_glossary_keys``),
    before a server's worker takes requests, instead of by its first searches."""
    for source in LANGUAGE_FIELDS:
        for target in LANGUAGE_FIELDS:
            if source != target:
                _glossary_keys(glossary, source, target)


@lru_cache(maxsize=32)
def _glossary_keys(glossary: Glossary, source: str, target: str) -> dict[str, frozenset[str]]:
    """For each key of a word of the glossary's ``source`` terms, the keys of the ``target``
    terms of the concepts it is in: every concept looked at once per pair of languages, not
    once per typed word."""
    out: dict[str, set[str]] = {}
    for terms in glossary.concepts.values():
        targets = {k for phrase in terms.get(target, ()) for k in phrase_keys(phrase, target)}
        for phrase in terms.get(source, ()):
            for k in phrase_keys(phrase, source):
                out.setdefault(k, set()).update(targets)
    return {k: frozenset(v) for k, v in out.items()}


def choose(
    candidates: list[Candidate],
    source: str,
    typed: str,
    target: str,
    evidence: Evidence,
    glossary: Glossary,
) -> list[Sense]:
    """The translations worth searching for, best first, each weighted against the best.

    A translation scores how likely the dictionaries make it (``Candidate.likelihood``; the
    likeliest 1), plus ``COGNATE_WEIGHT`` when it is the typed word in another alphabet, plus
    ``GLOSSARY_WEIGHT`` when the glossary uses it for a concept of the typed word, plus
    ``WORKS_WEIGHT`` times how much more often the translated versions have it than versions
    in general do. When the aligned works clearly vouch for some translations (``MIN_LIFT``),
    the others are dropped: in this collection, that is not what the word means.
    """
    hints = glossary_words(glossary, source, typed, target)
    usable = [
        c
        for c in candidates
        if not c.text.startswith("-") and not c.text.endswith("-") and evidence.used(target, c.text)
    ][:MAX_CANDIDATES]  # an affix, or a word no document in that language uses, finds nothing
    scored: list[tuple[float, bool, Candidate]] = []
    most = max((c.likelihood for c in usable), default=0.0) or 1.0
    for c in usable:
        score = c.likelihood / most + COGNATE_WEIGHT * cognate(typed, c.text)
        keys = set(phrase_keys(c.text, target))
        in_glossary = bool(keys) and keys <= hints
        score += GLOSSARY_WEIGHT * in_glossary
        # One translation needs no choosing: the works are asked only among several.
        agreement = evidence.agreement(source, typed, target, c.text) if len(usable) > 1 else None
        seen = True
        if agreement is not None:
            share, base = agreement
            score += WORKS_WEIGHT * (share - base)
            seen = share - base >= MIN_LIFT or in_glossary
        scored.append((score, seen, c))
    if any(seen for _, seen, _ in scored):
        scored = [x for x in scored if x[1]]
    if not scored:
        return []
    scored.sort(key=lambda x: -x[0])
    best = max(scored[0][0], 1e-9)
    return [Sense(c.text, max(s, 0.0) / best, c.via, c.through) for s, _, c in scored]


__all__ = ["Evidence", "Sense", "choose", "glossary_words", "warm_glossary"]
