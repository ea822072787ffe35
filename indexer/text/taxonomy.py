"""Topics, document types, countries and organisations, with labels and signal words in
English, Bulgarian, Greek and Portuguese (data in ``data/taxonomy.json``).

Signal words are compared after the same stemming the index uses, so "социалните предприятия"
in a text matches the listed "социално предприятие", and "κοινωνικών επιχειρήσεων" matches
"κοινωνική επιχείρηση". Country and language names come from CLDR (through Babel), so every
interface language gets correct names without a hand-made list.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from ..languages import INDEX_LANGUAGES, latin_language
from ..models import Page
from ..translated import translated
from .keys import Key, look_up_keys_ahead, phrase_keys, word_key
from .taxonomy_file import taxonomy_bytes
from .terms import WORD, fold


@dataclass(frozen=True)
class Mention:
    """Words that triggered a tag, for showing the evidence."""

    count: int
    forms: tuple[tuple[str, int], ...]

    def evidence(self, limit: int = 4) -> list[str]:
        return [f"{form} ×{n}" if n > 1 else form for form, n in self.forms[:limit]]


@dataclass
class Matcher:
    """Counts occurrences of many multi-word terms in one pass over a document."""

    by_first: dict[Key, list[tuple[tuple[Key, ...], str]]] = field(default_factory=dict)

    def add(self, keys: tuple[Key, ...], label: str) -> None:
        if keys:
            self.by_first.setdefault(keys[0], []).append((keys, label))

    def count(self, stream: list[tuple[Key, str]]) -> dict[str, Mention]:
        hits: dict[str, Counter[str]] = defaultdict(Counter)
        keys = [k for k, _ in stream]
        for i, key in enumerate(keys):
            for seq, label in self.by_first.get(key, ()):
                if tuple(keys[i : i + len(seq)]) == seq:
                    surface = " ".join(s for _, s in stream[i : i + len(seq)])
                    hits[label][surface] += 1
        return {
            label: Mention(sum(c.values()), tuple(c.most_common())) for label, c in hits.items()
        }


#: Words of a text from which their dictionary entries are fetched at once, before their keys
#: are made (`keys.look_up_keys_ahead`): a fetch costs a query per table, about what the
#: words of a title would cost one by one.
LOOKED_UP_AHEAD = 50


def stream_of(pages: Iterable[Page], document_languages: list[str]) -> list[tuple[Key, str]]:
    """The document as (language-tagged stem, surface word) pairs, stop words dropped."""
    out: list[tuple[Key, str]] = []
    for page in pages:
        latin = latin_language(page.languages, document_languages)
        words = WORD.findall(page.text)
        if len(words) >= LOOKED_UP_AHEAD:
            look_up_keys_ahead(set(words), latin)
        for word in words:
            key = word_key(word, latin)
            if key:
                out.append((key, word))
    return out


#: Distinct values `Taxonomy.normalise` remembers.
_NORMALISED_KEPT = 4_096

#: One topic, type or country of the taxonomy file: labels and terms per language, and more.
Entry = dict[str, Any]


def _label(entry: Entry, lang: str) -> str:
    labels: dict[str, str] = entry["labels"]
    return labels.get(lang) or labels["en"]


class Taxonomy:
    """Read-only view of the taxonomy file with compiled matchers."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.version = hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()[:12]
        self.topics: dict[str, Entry] = data["topics"]
        self.types: dict[str, Entry] = data["types"]
        self.type_order: list[str] = data["type_order"]
        self.countries: dict[str, Entry] = data["countries"]
        self.organisations: dict[str, list[str]] = data["organisations"]
        #: What editors typed, normalised (see `normalise`).
        self._normalised: dict[tuple[str, str], tuple[str, bool]] = {}

    # Matchers need the stemmers' dictionaries (a second or two to load): built on first use,
    # so a run with nothing to describe never pays for them.
    @cached_property
    def topic_matcher(self) -> Matcher:
        return self._matcher(self.topics)

    @cached_property
    def type_matcher(self) -> Matcher:
        return self._matcher(self.types)

    @cached_property
    def cue_matcher(self) -> Matcher:
        """Words that show a type without naming it ("Присъстваха" in minutes)."""
        return self._matcher({t: {"terms": e.get("cues", {})} for t, e in self.types.items()})

    @cached_property
    def country_matcher(self) -> Matcher:
        return self._matcher(self.countries)

    @cached_property
    def organisation_matcher(self) -> Matcher:
        matcher = Matcher()
        for name, variants in self.organisations.items():
            for variant in variants:
                matcher.add(_literal_keys(variant), name)
        return matcher

    def countries_named(self, text: str) -> frozenset[str]:
        """The countries of the taxonomy a short text (a query) names, in any form of their
        names and adjectives: its Latin-script words read as each Latin-script language, as
        a query says nothing of which one it is written in."""
        words = WORD.findall(text)
        named: set[str] = set()
        for latin in INDEX_LANGUAGES:
            stream = [(k, w) for w in words if (k := word_key(w, latin))]
            named.update(self.country_matcher.count(stream))
        return frozenset(named)

    @cached_property
    def _aliases(self) -> dict[str, dict[str, str]]:
        return self._build_aliases()

    @cached_property
    def _country_names(self) -> dict[str, str]:
        """Each country's name in every index language (CLDR's, through Babel), for what the
        taxonomy's own names miss: loading the locales costs a run with an ordinary manifest
        a tenth of a second for nothing."""
        return {
            fold(country_name(code, lang)): code
            for code in self.countries
            for lang in INDEX_LANGUAGES
        }

    @staticmethod
    def _matcher(entries: dict[str, Entry]) -> Matcher:
        matcher = Matcher()
        for ident, entry in entries.items():
            for lang, terms in entry.get("terms", {}).items():
                for t in terms:
                    matcher.add(phrase_keys(t, lang), ident)
        return matcher

    # Labels ---------------------------------------------------------------------------------
    def topic_label(self, topic: str, lang: str = "en") -> str:
        entry = self.topics.get(topic)
        if not entry:
            return topic
        return _label(entry, lang)

    def type_label(self, doc_type: str, lang: str = "en") -> str:
        entry = self.types.get(doc_type)
        if not entry:
            return doc_type.replace("-", " ").capitalize()
        return _label(entry, lang)

    def label(self, facet: str, value: str, lang: str = "en") -> str:
        if facet == "topic":
            return self.topic_label(value, lang)
        if facet == "type":
            return self.type_label(value, lang)
        if facet == "country":
            return country_name(value, lang)
        if facet == "language":
            return language_name(value, lang)
        return value

    # Normalising what editors type in the manifest ----------------------------------------------
    def _build_aliases(self) -> dict[str, dict[str, str]]:
        aliases: dict[str, dict[str, str]] = {
            "country": {},
            "topic": {},
            "type": {},
            "organisation": {},
        }
        for name, variants in self.organisations.items():
            for variant in [name, *variants]:
                aliases["organisation"][fold(variant)] = name
        for code, entry in self.countries.items():
            names = [code, *entry.get("folders", [])]
            for terms in entry["terms"].values():
                names += terms
            for name in names:
                aliases["country"][fold(name)] = code
        for facet, entries in (("topic", self.topics), ("type", self.types)):
            for ident, entry in entries.items():
                aliases[facet][fold(ident)] = ident
                aliases[facet][fold(ident.replace("-", " "))] = ident
                for label in entry["labels"].values():
                    aliases[facet][fold(label)] = ident
        return aliases

    def normalise(self, facet: str, value: str) -> tuple[str, bool]:
        """Canonical value for what an editor typed, and whether it was recognised.

        Remembered: every run checks every row of every manifest, and the same few countries,
        topics and types come back row after row (a few thousand distinct values at most are
        kept; free text beyond them is normalised each time)."""
        known = self._normalised.get((facet, value))
        if known is None:
            known = self._normalise(facet, value)
            if len(self._normalised) < _NORMALISED_KEPT:
                self._normalised[facet, value] = known
        return known

    def _normalise(self, facet: str, value: str) -> tuple[str, bool]:
        table = self._aliases.get(facet)
        if table is None:
            return value.strip(), True
        key = fold(value.strip())
        if key in table:
            return table[key], True
        if facet == "country" and key in self._country_names:
            return self._country_names[key], True
        if facet == "country" and re.fullmatch(r"[A-Za-z]{2}", value.strip()):
            return value.strip().upper(), True
        # An organisation missing from the taxonomy is still a valid value.
        return value.strip(), facet == "organisation"

    def country_of_folder(self, parts: Iterable[str]) -> tuple[str, str] | None:
        for part in parts:
            key = fold(part)
            for code, entry in self.countries.items():
                if key in (fold(f) for f in entry.get("folders", [])):
                    return code, part
        return None


def _literal_keys(name: str) -> tuple[Key, ...]:
    """Organisation names are matched as folded words, not stems (they are proper names)."""
    return tuple(f"lit:{fold(w)}" for w in WORD.findall(name))


def literal_stream(pages: Iterable[Page]) -> list[tuple[Key, str]]:
    return [(f"lit:{fold(w)}", w) for page in pages for w in WORD.findall(page.text)]


@cache
def country_name(code: str, lang: str = "en") -> str:
    if code == "EU":
        return translated("European Union", lang)
    from babel import Locale  # CLDR's names, loaded by the pages that show them

    try:
        return str(Locale.parse(lang).territories.get(code.upper(), code))
    except (ValueError, TypeError):
        return code


@cache
def language_name(code: str, lang: str = "en") -> str:
    if code == "und":
        return translated("Undetermined", lang)
    from babel import Locale

    try:
        name = str(Locale.parse(lang).languages.get(code, code))
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:]


@cache
def load_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy(json.loads(taxonomy_bytes(path).decode("utf-8")))


def iter_terms(taxonomy: Taxonomy) -> Iterator[tuple[str, str, str]]:
    """(topic, language, term) triples, for documentation and tests."""
    for topic, entry in taxonomy.topics.items():
        for lang, terms in entry["terms"].items():
            for t in terms:
                yield topic, lang, t
