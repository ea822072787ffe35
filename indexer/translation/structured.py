"""Structured query translation: each typed word becomes a group of its equivalents in every
other language, and the group counts as one word.

A query is read left to right into units: a concept of the glossary (the field's own terms, the
first authority), a phrase a dictionary lists ("mother tongue"), a word, a name, a number or a
code. Each unit becomes, per other language, a group of alternatives — the glossary's terms, the
senses the collection confirms (``senses``), the name in the other alphabet — and ranking scores
a group by its best alternative, so a word with ten senses weighs what a word with one does.
Numbers and codes are the same in every language; names are read in the other alphabets by the
official schemes and found when the index has the reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Protocol

from whoosh.reading import IndexReader

from ..languages import CYRILLIC, GREEK, INDEX_LANGUAGES, LATIN, script_of
from ..lru import Lru
from ..search.queries.transliterate import IndexWords, readings
from ..search.queries.typed import Codes
from ..text.glossary import Glossary
from ..text.numbers import CURRENCIES, query_numbers
from ..text.terms import WORD, fold, lemma, stopwords
from . import currencies, english, portuguese
from .context import lifts
from .freedict import Candidate, Dictionaries, key
from .senses import KEEP, KEEP_SHARE, Evidence, choose

#: Longest phrase looked up in the dictionaries, in words.
MAX_PHRASE = 4
#: Words and phrases whose chosen senses a generation keeps, at most.
REMEMBERED_SENSES = 50_000
#: What a translation reached through a third language counts, against a direct one's 1.0:
#: two dictionaries' senses compound, and the middle word may carry a sense the typed word
#: lacks, so it is a weaker witness of what the typed word means.
THROUGH_WEIGHT = 0.7
#: A Latin word without a translation is read in the other alphabets also in a form with up to
#: this many letters more, when it has at least this many letters (a short word's inflected
#: readings are too often other words).
READING_ENDINGS = 2
MIN_READ_WITH_ENDINGS = 6
#: What the rest of the query's vouching for a sense counts (``context.lifts``), against the
#: dictionaries' and the collection's choice, whose best sense scores 1.
CONTEXT_WEIGHT = 1.0
_SCRIPT_LANGUAGE = {CYRILLIC: "bg", GREEK: "el"}
#: A listed word standing for a word as its family (``Translator._of_family``) is at most this
#: many letters shorter than the word's longest form.
FAMILY_SHORTER = 1
#: A word whose English senses are function words for this share of their likelihood is one
#: itself; its first senses (in the dictionaries' order) are the ones weighed.
FUNCTION_SHARE = 0.8
FUNCTION_SENSES = 8
_PORTUGUESE_LETTERS = set("ãõçâêôàáéíóú")
_CURRENCY_CODES = frozenset(CURRENCIES.values())


@dataclass(frozen=True)
class Alternative:
    """One way a unit is written in another language."""

    text: str
    weight: float  #: the best alternative of a group has 1.0
    source: str  #: "glossary", "dictionary", "reading" (another alphabet) or "same" (as typed)
    #: The word of a third language a dictionary translation went through ("" for none).
    through: str = ""


@dataclass
class Group:
    """A unit of the query and its alternatives per other language."""

    typed: str
    kind: str  #: "concept", "phrase", "word", "name", "number", "currency" or "code"
    concept: str = ""  #: the glossary concept, for a concept
    alternatives: dict[str, list[Alternative]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How a hit names what matched: the concept, or the typed word."""
        return self.concept or self.typed


@dataclass
class Translation:
    """A query's units, the language they were typed in, and the codes taken out of it."""

    language: str
    groups: list[Group]
    codes: Codes
    #: Typed words (lower case) left out as function words the stop lists miss.
    function: frozenset[str] = frozenset()

    def targets(self) -> list[str]:
        """The languages at least one unit crosses into (numbers and codes alone do not)."""
        found = {
            lang
            for g in self.groups
            if g.kind not in ("number", "code")
            for lang, alts in g.alternatives.items()
            if alts
        }
        return [lang for lang in INDEX_LANGUAGES if lang in found]


class OtherProcesses(Protocol):
    """What the other processes of a server worked out for the same index generation (a
    snapshot's shared memory; nothing outside a server)."""

    def from_other_processes(self, kind: str, key: Any) -> Any: ...

    def for_other_processes(self, kind: str, key: Any, value: Any) -> None: ...


class Translator:
    """Translates queries for one index generation (the senses depend on its documents)."""

    def __init__(
        self,
        dictionaries: Dictionaries,
        glossary: Glossary,
        evidence: Evidence,
        reader: IndexReader | None = None,
        others: OtherProcesses | None = None,
    ) -> None:
        self.dictionaries = dictionaries
        self.glossary = glossary
        self.evidence = evidence
        self.reader = reader
        #: The senses the server's other processes chose for this generation: choosing reads
        #: the collection's evidence (a millisecond a word), reading a choice back does not.
        self.others = others
        self.words: IndexWords | None = None
        #: The senses chosen for each word or phrase form, by (forms, from, into): the same for
        #: every query of this generation (a word recurs from query to query, and choosing
        #: reads the collection's evidence).
        self._chosen: Lru[tuple[tuple[str, ...], str, str], tuple[Alternative, ...]]
        self._chosen = Lru.counted(REMEMBERED_SENSES)
        self._known: Lru[tuple[str, str], bool] = Lru.counted(REMEMBERED_SENSES)
        self._function: Lru[tuple[str, str], bool] = Lru.counted(REMEMBERED_SENSES)
        self._listed_word: Lru[tuple[str, str], bool] = Lru.counted(REMEMBERED_SENSES)
        #: The readings of each name in the other alphabets that the index has.
        self._read: Lru[str, list[tuple[str, str]]] = Lru.counted(REMEMBERED_SENSES)

    def translate(self, text: str) -> Translation:
        """The query's units and their equivalents in every other language."""
        # The index's words, asked for the readings of names, with a cache for this query only.
        self.words = IndexWords(self.reader) if self.reader is not None else None
        protected, codes = Codes.protect(text)
        # A number as the index has it, whichever way it was grouped: "960 000", "960,000" and
        # "960.000" are one unit, "960000", the same in every language.
        protected = query_numbers(protected)
        tokens = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(protected)]
        source = self.language([w for w, _, _ in tokens if not codes.ids_in(w)])
        concepts = {m.start: m for m in self.glossary.find(protected)}
        groups: list[Group] = []
        function: set[str] = set()
        i = 0
        while i < len(tokens):
            word, start, _ = tokens[i]
            match = concepts.get(start)
            if match is not None:
                groups.append(self._concept(match.concept, match.text, match.language, source))
                while i < len(tokens) and tokens[i][1] < match.end:
                    i += 1
                continue
            if codes.ids_in(word):
                code = codes.code_in(word) or word
                groups.append(self._same(code, "code", source))
            elif (currency := currencies.currency(word)) is not None:
                groups.append(_currency(word, currency, source))
            elif _number(word):
                groups.append(self._same(word, "number", source))
            elif _function_word(word, source):
                pass
            elif self._function_like(word, source):
                function.add(word.lower())
            else:
                phrase = self._phrase(tokens, i, codes, concepts, source)
                if phrase is not None:
                    group, used = phrase
                    groups.append(group)
                    i += used
                    continue
                groups.append(self._word(word, source))
            i += 1
        for lang in _others(source):
            _in_context(groups, lang, self.evidence)
        return Translation(source, groups, codes, frozenset(function))

    # The language typed ---------------------------------------------------------------------
    def language(self, words: list[str]) -> str:
        """The language of the query's words: Cyrillic is Bulgarian and Greek is Greek; Latin
        letters are English or Portuguese by their stop words, letters and dictionary entries,
        then by the documents that use them."""
        scripts = [script_of(w) for w in words if any(c.isalpha() for c in w)]
        for script in (CYRILLIC, GREEK):
            if scripts and scripts.count(script) * 2 >= len(scripts):
                return _SCRIPT_LANGUAGE[script]
        score = 0.0
        for word in (w for w in words if script_of(w) == LATIN):
            folded = fold(word)
            score += 2 * ((folded in stopwords("en")) - (folded in stopwords("pt")))
            score -= 2 * bool(_PORTUGUESE_LETTERS & set(word.lower()))
            score += self._knows(word, "en") - self._knows(word, "pt")
        if score == 0:
            en = sum(self.evidence.count("en", w) for w in words)
            pt = sum(self.evidence.count("pt", w) for w in words)
            score = en - pt
        return "pt" if score < 0 else "en"

    def is_word(self, word: str) -> bool:
        """Whether a dictionary of the word's language (either Latin-script one for Latin
        letters) lists it, as typed or in a base form: a word of another language the
        documents happen not to use, not a slip of the keyboard."""
        script = script_of(word)
        languages = [_SCRIPT_LANGUAGE[script]] if script in _SCRIPT_LANGUAGE else ["en", "pt"]
        return any(self._knows(form, lang) for lang in languages for form in _forms(word, lang))

    def _function_like(self, word: str, lang: str) -> bool:
        """Whether a word's English senses are mostly function words (``FUNCTION_SHARE`` of
        their likelihood): a preposition or conjunction the stop lists miss ("sobre": over,
        above, about), whose other senses are noise ("завършен", by "over"). Such a word is
        no unit of the query to translate."""
        if word[:1].isupper():
            return False  # a name or a month ("May"), not a modal verb
        if lang == "en":
            return fold(word) in english.function_words()
        return self._function.get_or_make(
            (word.lower(), lang), lambda: self._mostly_function(word, lang)
        )

    def _mostly_function(self, word: str, lang: str) -> bool:
        function = english.function_words()
        for form in _forms(word, lang):
            senses = self.dictionaries.translate(form, lang, "en")[:FUNCTION_SENSES]
            if senses:
                total = sum(c.likelihood for c in senses)
                empty = sum(c.likelihood for c in senses if _function_sense(c.text, function))
                return total > 0 and empty >= FUNCTION_SHARE * total
        return False

    def _lists(self, forms: list[str], lang: str) -> bool:
        """Whether a dictionary has any of ``forms`` as a word of ``lang`` (``Dictionaries.lists``),
        remembered like the senses."""
        return any(
            self._listed_word.get_or_make((f, lang), partial(self.dictionaries.lists, f, lang))
            for f in forms
        )

    def _knows(self, word: str, lang: str) -> bool:
        """Whether a dictionary from ``lang`` has the word (remembered like the senses)."""
        return self._known.get_or_make((word, lang), lambda: self.dictionaries.knows(word, lang))

    # Units ----------------------------------------------------------------------------------
    def _same(self, text: str, kind: str, source: str) -> Group:
        """A number or a code: written alike in every language."""
        group = Group(text, kind)
        for lang in _others(source):
            group.alternatives[lang] = [Alternative(text, 1.0, "same")]
        return group

    def _concept(self, concept: str, typed: str, typed_language: str, source: str) -> Group:
        group = Group(typed, "concept", concept)
        equivalents = self.glossary.equivalents(concept, typed_language)
        for lang in _others(source):
            terms = equivalents.get(lang, [])
            group.alternatives[lang] = [Alternative(t, 1.0, "glossary") for t in terms]
        return group

    def _phrase(
        self,
        tokens: list[tuple[str, int, int]],
        i: int,
        codes: Codes,
        concepts: Mapping[int, object],
        source: str,
    ) -> tuple[Group, int] | None:
        """The longest run of words from ``i`` that a dictionary lists as one headword."""
        for n in range(min(MAX_PHRASE, len(tokens) - i), 1, -1):
            run = tokens[i : i + n]
            if any(codes.ids_in(w) or (k and s in concepts) for k, (w, s, _) in enumerate(run)):
                continue
            words = [w for w, _, _ in run]
            if fold(words[-1]) in stopwords(source):
                continue
            group = Group(" ".join(words), "phrase")
            found = False
            for lang in _others(source):
                senses = self._senses(self._phrase_forms(words, source), source, lang)
                group.alternatives[lang] = senses
                found = found or bool(senses)
            if found:
                return group, n
        return None

    def _phrase_forms(self, words: list[str], lang: str) -> list[str]:
        """A phrase as typed, with its last word in its base forms, and with every word in
        its base form."""
        last = _forms(words[-1], lang)
        out = [" ".join([*words[:-1], form]).lower() for form in last]
        out.append(" ".join(self._base(w, lang) for w in words))
        return list(dict.fromkeys(out))

    def _base(self, word: str, lang: str) -> str:
        """A word's base form: its lemma; in English, the first of its forms a dictionary
        lists (the word itself when none is)."""
        forms = _forms(word, lang)
        if lang != "en":
            return forms[-1]
        return next((f for f in forms if self._knows(f, lang)), forms[0])

    def _word(self, word: str, source: str) -> Group:
        script = script_of(word)
        own = _language_of(word, source)
        group = Group(word, "word")
        for lang in _others(source):
            group.alternatives[lang] = (
                self._senses(_forms(word, own), own, lang) if own != lang else []
            )
        missing = [lang for lang, alts in group.alternatives.items() if not alts]
        if word[:1].isupper() or missing or own != source:
            self._readings(group, word, script)
        return group

    def _senses(self, forms: list[str], source: str, target: str) -> list[Alternative]:
        """The senses of the first of ``forms`` that a dictionary has and the collection uses —
        or, when none has any, of the listed word that begins like one of them (an inflection
        no dictionary lists) — as alternatives (a new list: callers add readings to it)."""
        wanted = (tuple(forms), source, target)
        return list(self._chosen.get_or_make(wanted, lambda: self._chosen_by_any(wanted)))

    def _chosen_by_any(self, wanted: tuple[tuple[str, ...], str, str]) -> tuple[Alternative, ...]:
        """The senses of ``wanted`` (forms, from, into) another process of the server chose,
        or else chosen here and kept for the others."""
        if self.others is not None:
            found: tuple[Alternative, ...] | None
            found = self.others.from_other_processes("senses", wanted)
            if found is not None:
                return found
        forms, source, target = wanted
        chosen = self._choose(list(forms), source, target)
        if self.others is not None:
            self.others.for_other_processes("senses", wanted, chosen)
        return chosen

    def _choose(self, forms: list[str], source: str, target: str) -> tuple[Alternative, ...]:
        found = self._listed(forms, source, target)
        # English has its rules' base forms among ``forms`` already: a listed word that merely
        # begins the same is another word there ("part" is not "partner").
        bases: list[str] = []
        if not found and source != "en" and not self._lists(forms, source):
            # A word no dictionary lists, as typed or as its lemma: an inflection they lack,
            # whose base form may be a headword the index reads as the same term. (A listed
            # word is not taken for another word's inflection: "riscos" is "risco", a risk, not
            # "riscar", to cross out, which shares its stem.)
            bases = [f for form in forms for f in self.dictionaries.same_term(form, source)]
            bases = [f for f in dict.fromkeys(bases) if f not in forms]
            found = self._listed(bases, source, target)
        # Else the listed word it begins like, for a word the source language's own dictionary
        # into ``target`` does not define in any form: one it defines, though by words no
        # document uses, is no inflection of another ("crianças", whose lemma is "criança", is
        # not "criar"). (Entries read backwards say only what else a word may stand for.)
        given = not found and any(
            _own_entry(c) for f in forms for c in self.dictionaries.translate(f, source, target)
        )
        for form in forms if not found and source != "en" and not given else ():
            begun = self.dictionaries.base_forms(form, source)
            bases += begun
            found = self._listed(begun, source, target)
            if found:
                break
        # A word the dictionaries joining the two languages lack (or whose senses no document
        # uses) may be in those of a third language, to and from which they have it.
        found = found or self._through_any([*forms, *bases], source, target)
        if found or not given or source == "en":
            return found
        # A word its own dictionary defines, though by words no document uses in any way the
        # dictionaries reach, would cross into nothing: the listed word it begins like, of its
        # family though maybe not its inflection ("επιχειρηματικά", business as an adjective,
        # whose only Bulgarian sense is "предприемчив", by "επιχειρηματίας", an entrepreneur),
        # stands for it as a weaker witness, as a third language's word does.
        family = [f for form in forms for f in self.dictionaries.base_forms(form, source)]
        family = [f for f in dict.fromkeys(family) if self._of_family(f, forms, source)]
        for word in family:
            found = self._listed([word], source, target) or self._through_any(
                [word], source, target
            )
            if found:
                # The hit's explanation names the word it went by, as for a third language's.
                weaker = min(found[0].weight, THROUGH_WEIGHT) / (found[0].weight or 1.0)
                return tuple(
                    replace(a, weight=a.weight * weaker, through=a.through or word) for a in found
                )
        return ()

    def _of_family(self, word: str, forms: list[str], lang: str) -> bool:
        """Whether a listed word that ``forms`` begin like may stand for them as their family:
        a word with an ending of its own in place of theirs, about as long as their longest
        form ("επιχειρηματίας" for "επιχειρηματικός"), not a shorter word they merely begin
        with ("γιατί", why, in "γιατρός", a doctor), and no function word."""
        if key(word) in map(key, forms) or len(word) < max(map(len, forms)) - FAMILY_SHORTER:
            return False
        return not _function_word(word, lang) and not self._function_like(word, lang)

    def _through_any(self, forms: list[str], source: str, target: str) -> tuple[Alternative, ...]:
        """The senses of the first of ``forms`` that a third language's dictionaries give and
        the collection uses (``Dictionaries.through``)."""
        for form in dict.fromkeys(forms):
            found_through = self.dictionaries.through(form, source, target)
            candidates = self._filtered(found_through, form, target)
            found = self._chosen_of(candidates, form, source, target)
            if found:
                return found
        return ()

    def _listed(self, forms: list[str], source: str, target: str) -> tuple[Alternative, ...]:
        # A form that only the other direction's entries give ("δείκτες", which English–Greek
        # gives for the hands of a clock) comes after a form the source language's own
        # dictionary lists (its lemma "δείκτης": index, indicator, pointer): that dictionary
        # says what the word means, the reversed entries only what else it may stand for.
        # Forms are looked up in order until one has its own entry, the others kept for after.
        later: list[tuple[str, list[Candidate]]] = []
        for form in forms:
            candidates = self._lookup(form, source, target)
            if not any(_own_entry(c) for c in candidates):
                later.append((form, candidates))
                continue
            chosen = self._chosen_of(candidates, form, source, target)
            if chosen:  # else no document has any of its senses: the next form may
                return chosen
        for form, candidates in later:
            chosen = self._chosen_of(candidates, form, source, target)
            if chosen:
                return chosen
        return ()

    def _chosen_of(
        self, candidates: list[Candidate], form: str, source: str, target: str
    ) -> tuple[Alternative, ...]:
        if not candidates:
            return ()
        # Every usable sense is kept here, best first: which of them are searched for depends on
        # the rest of the query (``_in_context``).
        chosen = choose(candidates, source, form, target, self.evidence, self.glossary)
        # A translation by way of a third language is a weaker one, whether the direct
        # dictionaries lack the word or no dictionary joins the two languages.
        return tuple(
            Alternative(
                s.text, s.weight * (THROUGH_WEIGHT if s.through else 1.0), "dictionary", s.through
            )
            for s in chosen
        )

    def _lookup(self, form: str, source: str, target: str) -> list[Candidate]:
        """A form's translations; a Portuguese form's with those of its other spellings across
        the 1990 agreement (``portuguese``), and a Portuguese translation that no document
        has in the spelling the dictionary gives written in the one the collection uses;
        English function words left out."""
        found = self.dictionaries.translate(form, source, target)
        if source == "pt":
            for other in portuguese.spellings(form):
                found += self.dictionaries.translate(other, source, target)
        return self._filtered(found, form, target)

    def _filtered(self, found: list[Candidate], form: str, target: str) -> list[Candidate]:
        """A form's translations as ``_lookup`` keeps them."""
        if target == "pt":
            found = [self._respelled(c) for c in found]
        elif target == "en":
            # A modal or a preposition is never what a word of a subject means ("forças":
            # force, strength, not "might"), and it is in every English document.
            function = english.function_words()
            found = [c for c in found if not _function_sense(c.text, function)]
            # A singular whose plural is irregular stands for both ("child", "children"): the
            # index's stemmer joins only regular forms.
            found = [
                f
                for c in found
                for f in [c, *(replace(c, text=p) for p in english.plurals(c.text))]
            ]
        if " " not in form.strip():
            found = [_without_trailing_function_words(c, target) for c in found]
        unique: dict[str, Candidate] = {}
        for c in found:
            unique.setdefault(key(c.text), c)
        return list(unique.values())

    def _respelled(self, candidate: Candidate) -> Candidate:
        """A Portuguese one-word translation in the other spelling the documents use, when
        they do not use the dictionary's."""
        text = candidate.text
        if " " in text or self.evidence.used("pt", text):
            return candidate
        other = next((s for s in portuguese.spellings(text) if self.evidence.used("pt", s)), None)
        return candidate if other is None else replace(candidate, text=other)

    def _readings(self, group: Group, word: str, script: str) -> None:
        """A name: its readings in the other alphabets that the index has, and, for a
        capitalised word in Latin letters, the word as typed."""
        words = self.words
        if words is None:
            return
        group.kind = "name" if not any(group.alternatives.values()) else group.kind
        found = self._read.get_or_make(word, lambda: _read_in(word, script, words))
        if script == LATIN and word[:1].isupper():
            # A capitalised word without a translation is taken for a name, written alike in
            # the other Latin-script language; a lower-case one is a word the dictionaries lack.
            for lang, alts in group.alternatives.items():
                if lang in ("en", "pt") and not alts:
                    alts.append(Alternative(word, 1.0, "same"))
        for reading_language, reading in found:
            targets = ("en", "pt") if reading_language == "latin" else (reading_language,)
            for lang in targets:
                known = group.alternatives.get(lang)
                if known is not None and all(a.text != reading for a in known):
                    known.append(Alternative(reading, 1.0, "reading"))


def _in_context(groups: list[Group], lang: str, evidence: Evidence) -> None:
    """Each word's and phrase's dictionary senses in ``lang`` reordered by how well they go
    with the other units' translations (``context.lifts``), then cut to the ``KEEP`` best that
    score ``KEEP_SHARE`` of the best one. The best keeps its weight (a sense reached through a
    third language stays at ``THROUGH_WEIGHT``); readings and other alternatives stay."""
    pools: list[list[Alternative]] = []
    for g in groups:
        alts = g.alternatives.get(lang, [])
        pool = [a for a in alts if a.source == "dictionary"] if g.kind in _SENSED else []
        pools.append(pool)
    cut = [_cut(pool, [a.weight for a in pool]) for pool in pools]
    context = [
        [a.text for a in kept]
        if g.kind in _SENSED
        else [a.text for a in g.alternatives.get(lang, [])]
        for g, kept in zip(groups, cut, strict=True)
    ]
    lifted = lifts(lang, [[a.text for a in pool] for pool in pools], context, evidence)
    for g, pool, kept, lift in zip(groups, pools, cut, lifted, strict=True):
        if not pool:
            continue
        top = max(a.weight for a in pool) or 1.0
        scores = [a.weight / top + CONTEXT_WEIGHT * x for a, x in zip(pool, lift, strict=True)]
        if any(lift):
            kept = _cut(pool, scores, top)
        rest = [a for a in g.alternatives[lang] if a.source != "dictionary"]
        g.alternatives[lang] = [*kept, *rest]


#: Units whose dictionary senses are a choice among several.
_SENSED = ("word", "phrase")


def _cut(
    pool: list[Alternative], scores: list[float], top: float | None = None
) -> list[Alternative]:
    """The ``KEEP`` best of ``pool`` by ``scores`` that score ``KEEP_SHARE`` of the best, each
    weighted by its share of the best score (times ``top``, the best's weight, when given)."""
    if not pool:
        return []
    ranked = sorted(zip(scores, range(len(pool)), strict=True), key=lambda x: (-x[0], x[1]))
    best = max(ranked[0][0], 1e-9)
    out = []
    for score, n in ranked[:KEEP]:
        if score < KEEP_SHARE * best:
            break
        a = pool[n]
        weight = a.weight if top is None else top * max(score, 0.0) / best
        out.append(replace(a, weight=weight))
    return out


def _read_in(word: str, script: str, words: IndexWords) -> list[tuple[str, str]]:
    """A name's readings in the other alphabets that the index has."""
    # A word of another language (not a name) is read in the forms the index has with an
    # ending more ("microcredit": "микрокредити"); a name as written.
    endings = READING_ENDINGS if len(word) >= MIN_READ_WITH_ENDINGS else 0
    found = readings(word, words, endings=endings)
    if script in (CYRILLIC, GREEK):
        # Bulgarian and Greek write each other's names through their Latin spelling.
        for _, latin in list(found):
            found += [(lang, r) for lang, r in readings(latin, words) if lang != "latin"]
    return found


def _currency(word: str, code: str, source: str) -> Group:
    """A currency's name or code: in every other language its name there and its code, which
    the index has beside an amount written with the sign ("€960,000")."""
    group = Group(word, "currency")
    for lang in _others(source):
        named = [Alternative(name, 1.0, "dictionary") for name in currencies.names(code, lang)]
        group.alternatives[lang] = [*named, Alternative(code, 1.0, "same")]
    return group


def _number(word: str) -> bool:
    """A number, or the currency code the index puts beside an amount ("1500 eur")."""
    digits = any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)
    return digits or word.lower() in _CURRENCY_CODES


def _function_sense(text: str, function: frozenset[str]) -> bool:
    """Whether an English translation is made of function words only (a capitalised one is a
    name or a month: "May")."""
    return not text[:1].isupper() and set(text.lower().split()) <= function


def _own_entry(candidate: Candidate) -> bool:
    """Whether a translation comes from the source language's own dictionary, not from the
    other direction's entries read backwards nor through English."""
    return "reversed" not in candidate.via and "+" not in candidate.via


def _without_trailing_function_words(candidate: Candidate, target: str) -> Candidate:
    """A translation of one word without the function words that end it: dictionaries give
    a word with the preposition or particle its use takes ("change for", "compete against",
    "antes de", "трябва да"), and as a phrase the translation would find only that use."""
    words = candidate.text.split()
    function = english.function_words() if target == "en" else stopwords(target)
    while len(words) > 1 and fold(words[-1]) in function:
        words.pop()
    text = " ".join(words)
    return candidate if text == candidate.text else replace(candidate, text=text)


def _function_word(word: str, source: str) -> bool:
    """A stop word of the query's language or of the word's own, or a word of one or two
    letters (articles and prepositions that some stop lists miss: "с", "τη")."""
    letters = sum(c.isalpha() for c in word)
    if letters <= 2:
        return True
    folded = fold(word)
    return folded in stopwords(source) or folded in stopwords(_language_of(word, source))


def _others(source: str) -> list[str]:
    return [lang for lang in INDEX_LANGUAGES if lang != source]


def _language_of(word: str, source: str) -> str:
    """A word's own language: its script's for Cyrillic and Greek, else the query's."""
    return _SCRIPT_LANGUAGE.get(script_of(word), source if source in ("en", "pt") else "en")


def _forms(word: str, lang: str) -> list[str]:
    """Forms of a word to look up in a dictionary: as typed and its lemma; for English, which
    has no lemma table, the base forms and spellings its rules allow (``english.forms``)."""
    lower = word.lower()
    if lang == "en":
        return list(english.forms(lower))
    return list(dict.fromkeys([lower, lemma(lang, lower)]))


__all__ = ["Alternative", "Group", "Translation", "Translator"]
