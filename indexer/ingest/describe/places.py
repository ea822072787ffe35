"""The places a document names, and the countries it is about.

Place names are read as names: capitalised words (or the words of a line in capitals), up to
four of them ("Castelo Branco", "Viana do Castelo"), looked up in the gazetteer. A name that is
also an ordinary word of the document ("Most", "porto"), a word inside a quoted brand name
("Фондация „Мост към общността“") or a stop word is not a place. A name several places share
goes to the one in a country the document names, else in the knowledge base's own countries,
else the largest.

Countries are then weighed by where their places and names stand (`zones`): the title and the
top of the first page count most, a passing mention in the body least. A document about three
or more countries alike, or about the European Union itself, is EU-level.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath

from ...models import SourceFile, Value
from ...text.taxonomy import Taxonomy
from ...text.terms import fold, is_stop
from .dates import months
from .gazetteer import DENSE, Place, gazetteer, name_key, word_key
from .zones import WHERE, Zone

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: Lower-case words that may stand inside a place name.
_JOINERS = frozenset({"de", "do", "da", "dos", "das", "del", "on", "upon", "na", "of", "the"})
_QUOTED = re.compile(r"„[^“”\"\n]{1,80}[“”\"]|“[^”\n]{1,80}”|\"[^\"\n]{1,80}\"|«[^»\n]{1,80}»")
MAX_WORDS = 4
#: Words beside which a capitalised name is still a place: kinds of places and the bodies
#: that govern them ("Община Габрово", "Galway County Council", "Δήμος Λεμεσού").
_PLACE_WORDS_TEXT = (
    "county city council municipality region district province borough town village "
    "община област град общината областта регион "
    "δήμος δήμου δήμο περιφέρεια περιφέρειας πόλη νομός νομού "
    "câmara município concelho distrito região cidade freguesia"
)
_PLACE_WORDS = frozenset(fold(w) for w in _PLACE_WORDS_TEXT.split())
#: A place needs this much weight to be listed (one mention in the title or on the first
#: page, or three in the text).
PLACE_WEIGHT = 3.0
MAX_PLACES = 8
#: Countries need this much weight to be inferred at all.
COUNTRY_WEIGHT = 3.0
#: A second country is named beside the first when it weighs nearly as much.
SECOND = 0.8
#: A country named in a document written in its own language is more likely its subject.
LANGUAGE_PRIOR = 1.5


@dataclass
class Found:
    """One place (or country) with the weight of its mentions and how it was written."""

    weight: float = 0.0
    forms: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, weight: float, form: str, zone: str) -> None:
        self.weight += weight
        self.forms[form].append(zone)

    def evidence(self) -> str:
        parts = []
        for form, where in list(self.forms.items())[:2]:
            counts = {w: where.count(w) for w in dict.fromkeys(where)}
            said = ", ".join(f"{WHERE[w]} ×{n}" if n > 1 else WHERE[w] for w, n in counts.items())
            parts.append(f"{form} ({said})")
        return "; ".join(parts)


@dataclass
class Candidate:
    zone: Zone
    tokens: list[re.Match[str]]
    index: int  # of its first word among the tokens
    words: int
    surface: str
    key: str

    @property
    def start(self) -> int:
        return self.tokens[self.index].start()

    @property
    def end(self) -> int:
        return self.tokens[self.index + self.words - 1].end()


def _beside_a_name(text: str, tokens: list[re.Match[str]], i: int, n: int) -> bool:
    """Whether the words i..i+n stand next to another capitalised word on their line, as in a
    person's name ("Ana Ferreira", "Елена Маринова") or another name ("União Europeia",
    "Social Enterprise Network"), unless that word is a kind of place or a place's body, or
    the line is all in capitals (a letterhead)."""
    for j, gap in ((i - 1, (i - 1, i)), (i + n, (i + n - 1, i + n))):
        if not 0 <= j < len(tokens):
            continue
        between = text[tokens[gap[0]].end() : tokens[gap[1]].start()]
        other = tokens[j].group()
        if between.strip() or "\n" in between or not other[0].isupper():
            continue
        if fold(other) in _PLACE_WORDS or (other.isupper() and tokens[i].group().isupper()):
            continue
        return True
    return False


def _opens(text: str, tokens: list[re.Match[str]], i: int) -> bool:
    """Whether a word opens a sentence that goes on in small letters ("Nada mais havendo"):
    its capital says nothing about it being a name."""
    before = text[: tokens[i].start()].rstrip(" \t")
    if before and before[-1] not in ".!?:\n":
        return False
    if i + 1 >= len(tokens):
        return False
    after = tokens[i + 1]
    return after.group()[0].islower() and not text[tokens[i].end() : after.start()].strip()


def _candidates(zone: Zone) -> list[Candidate]:
    """Every run of up to four capitalised words (small joining words inside), as lookup keys:
    cheap, so the document's every name can be looked up; the finer tests of `_plausible`
    are made only on the names the gazetteer knows."""
    text = zone.names_text
    tokens = list(_TOKEN.finditer(text))
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    keys: dict[int, str] = {}
    out: list[Candidate] = []
    for i, token in enumerate(tokens):
        if not token.group()[0].isupper() or any(a <= token.start() < b for a, b in quoted):
            continue
        for n in range(1, MAX_WORDS + 1):
            if i + n > len(tokens):
                break
            last = tokens[i + n - 1]
            if n > 1:
                gap = text[tokens[i + n - 2].end() : last.start()]
                if gap.strip(" -") or "\n" in gap:
                    break
                if not last.group()[0].isupper():
                    if last.group().casefold() in _JOINERS:
                        continue
                    break
            for j in range(i, i + n):
                if j not in keys:
                    keys[j] = word_key(tokens[j].group())
            key = " ".join(keys[j] for j in range(i, i + n))
            out.append(Candidate(zone, tokens, i, n, text[token.start() : last.end()], key))
    return out


def _written_small(word: str, text: str) -> bool:
    """Whether the text also writes the word in small letters: an ordinary word, then."""
    small = word.lower()
    return small != word and re.search(rf"(?<!\w){re.escape(small)}(?!\w)", text) is not None


def _plausible(c: Candidate) -> bool:
    """Whether a name the gazetteer knows is a place here, not a month, an ordinary word, a
    sentence's first word or part of another name."""
    word = c.tokens[c.index].group()
    if c.words == 1:
        text = c.zone.names_text
        if fold(word) in months() or is_stop(word) or _written_small(word, text):
            return False
        if _opens(text, c.tokens, c.index):
            return False
    return c.zone.name == "name" or not _beside_a_name(
        c.zone.names_text, c.tokens, c.index, c.words
    )


def _choose(places: list[Place], key: str, named: set[str]) -> Place:
    """The place a name most likely means: in a country the document names; then the larger,
    a town of the knowledge base's own countries counting as thirty times its size."""

    def rank(p: Place) -> tuple[bool, float]:
        size = math.log10(max(p.population, 1)) + (1.5 if p.country in DENSE else 0.0)
        return (p.country in named, size + (0.3 if name_key(p.name) == key else 0.0))

    return max(places, key=rank)


@dataclass
class PlaceMentions:
    """What the gazetteer found: places (towns, regions) and countries, with their weights."""

    places: dict[tuple[str, str], Found]
    countries: dict[str, Found]


def find_places(zones: list[Zone]) -> PlaceMentions:
    # Where its author sits is not what a document is about: the author's zone is left out.
    candidates = [c for z in zones if z.name != "author" for c in _candidates(z)]
    known = gazetteer().lookup(c.key for c in candidates)
    hits = [c for c in candidates if c.key in known]
    hits = [c for c in hits if _plausible(c)]
    # The longest name at each position: "Castelo Branco", not "Castelo" and "Branco". Zones
    # in the document's order, so places of equal weight are listed alike in every run.
    order = {id(z): i for i, z in enumerate(zones)}
    hits.sort(key=lambda c: (order[id(c.zone)], c.start, -c.words))
    chosen: list[Candidate] = []
    for c in hits:
        if chosen and chosen[-1].zone is c.zone and c.start < chosen[-1].end:
            continue
        chosen.append(c)
    named = {p.country for c in chosen for p in known[c.key] if p.kind == "country"}
    places: dict[tuple[str, str], Found] = defaultdict(Found)
    countries: dict[str, Found] = defaultdict(Found)
    for c in chosen:
        place = _choose(known[c.key], c.key, named)
        if place.kind == "country":
            countries[place.country].add(c.zone.weight, c.surface, c.zone.name)
        else:
            places[(place.name, place.country)].add(c.zone.weight, c.surface, c.zone.name)
    return PlaceMentions(dict(places), dict(countries))


def _damped(found: Found) -> float:
    """Body mentions count less the more there are of them: a report names its subject often,
    but a comparison names many countries often too."""
    body = sum(w == "body" for where in found.forms.values() for w in where)
    rest = found.weight - body
    return rest + (math.sqrt(body) * 2 if body else 0.0)


def infer_places(mentions: PlaceMentions) -> Value | None:
    ranked = sorted(mentions.places.items(), key=lambda kv: -kv[1].weight)
    chosen = [(k, f) for k, f in ranked if f.weight >= PLACE_WEIGHT][:MAX_PLACES]
    if not chosen:
        return None
    return Value(
        [name for (name, _), _ in chosen],
        "inferred",
        [f"{name}, {country}: {f.evidence()}" for (name, country), f in chosen],
    )


def _taxonomy_countries(zones: list[Zone], taxonomy: Taxonomy) -> dict[str, Found]:
    """The knowledge base's own countries and the EU, by their names and adjectives in any
    inflected form (the taxonomy's terms, matched on stems)."""
    found: dict[str, Found] = defaultdict(Found)
    for zone in zones:
        if zone.name == "author":
            continue
        counted = taxonomy.country_matcher.count(zone.stream)
        for code, mention in counted.items():
            for form, n in mention.forms:
                for _ in range(n):
                    found[code].add(zone.weight, form, zone.name)
    return found


def country_of_folder(source: SourceFile, taxonomy: Taxonomy) -> Value | None:
    """The country a folder is named after (``bulgaria/``, ``κύπρος/``): editors who sort
    files by country say so for every file in it."""
    folder = taxonomy.country_of_folder(PurePosixPath(source.path).parts[:-1])
    if not folder:
        return None
    code, part = folder
    return Value([code], "inferred", [f"folder {part}/"])


@cache
def official_languages(code: str) -> tuple[str, ...]:
    from babel.languages import get_official_languages

    return tuple(get_official_languages(code, de_facto=True))


def infer_countries(zones: list[Zone], taxonomy: Taxonomy, mentions: PlaceMentions) -> Value | None:
    """Countries the document is about, from its places and country names by where they
    stand; several countries alike, or the EU named as much as any, make it EU-level."""
    language = zones[0].language if zones else "und"
    own = _taxonomy_countries(zones, taxonomy)
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    for code, f in own.items():
        scores[code] += _damped(f)
        evidence[code].append(f.evidence())
    for code, f in mentions.countries.items():
        if code not in own and code not in taxonomy.countries:
            scores[code] += _damped(f)
            evidence[code].append(f.evidence())
    for (name, code), f in mentions.places.items():
        scores[code] += _damped(f)
        evidence[code].append(f"{name}: {f.evidence()}")
    for code in list(scores):
        if language in official_languages(code):
            scores[code] += LANGUAGE_PRIOR
    eu = scores.pop("EU", 0.0)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top = ranked[0][1] if ranked else 0.0
    significant = [c for c, s in ranked if s >= max(0.3 * top, 2.0)]
    if len(significant) >= 3 or (eu >= COUNTRY_WEIGHT and eu >= top):
        chosen = ["EU"]
        why = [f"EU: {e}" for e in evidence["EU"][:1]] + [
            f"{c}: {evidence[c][0]}" for c in significant[:4]
        ]
        return Value(chosen, "inferred", why)
    if top < COUNTRY_WEIGHT:
        return None
    chosen = [ranked[0][0]]
    if len(ranked) > 1 and ranked[1][1] >= SECOND * top:
        chosen.append(ranked[1][0])
    return Value(chosen, "inferred", [f"{c}: {'; '.join(evidence[c][:3])}" for c in chosen])
