"""The organisations a document names: those of the taxonomy's list under any of their names,
and any other by the forms organisations' names take in the four languages — a word that says
what kind of body it is, followed by its name ("Фондация „…“", "Сдружение …", "Δήμος …",
"Associação …", "Câmara Municipal de …", "Ministry of …") or preceded by it ("… City Council",
"… Foundation", "… Trust").

An organisation counts when it is named where documents name their authors and hosts — the
title, the top of the first page, the last lines — or named again in the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache

from ...models import Page, Value
from ...text.taxonomy import Taxonomy, literal_stream
from ...text.terms import fold
from .zones import WHERE, Zone

#: Words that begin an organisation's name, by language (one pattern; case-insensitive).
_KIND_FIRST = (
    # Bulgarian
    "фондация|сдружение|асоциация|община|областна администрация|министерство|агенция|"
    "университет|кооперация|читалище|федерация|съюз|камара|"
    # Greek
    "δήμος|σύλλογος|σύνδεσμος|ίδρυμα|υπουργείο|υφυπουργείο|πανεπιστήμιο|οργανισμός|"
    "περιφέρεια|κοινωνική συνεταιριστική επιχείρηση|επιμελητήριο|"
    "δήμου|συλλόγου|συνδέσμου|ιδρύματος|υπουργείου|υφυπουργείου|πανεπιστημίου|οργανισμού|"
    "περιφέρειας|επιμελητηρίου|"
    # Portuguese
    "associação|fundação|cooperativa|câmara municipal|município|instituto|ministério|"
    "universidade|agência|federação|confederação|santa casa da misericórdia|junta de freguesia|"
    # English
    "ministry|department|university|agency"
)
#: Words that end an organisation's name (English names put the kind last).
_KIND_LAST = (
    "council|foundation|trust|association|network|institute|agency|partnership|society|"
    "cooperative|co-operative|commission|authority|ltd|clg|federation|chamber"
)
#: Greek names of a kind in the genitive ("εκπρόσωποι του Συνδέσμου …") given as they are
#: named: in the nominative.
_NOMINATIVE = {
    "δημου": "Δήμος",
    "συλλογου": "Σύλλογος",
    "συνδεσμου": "Σύνδεσμος",
    "ιδρυματος": "Ίδρυμα",
    "υπουργειου": "Υπουργείο",
    "υφυπουργειου": "Υφυπουργείο",
    "πανεπιστημιου": "Πανεπιστήμιο",
    "οργανισμου": "Οργανισμός",
    "περιφερειας": "Περιφέρεια",
    "επιμελητηριου": "Επιμελητήριο",
}
_CAP = r"(?:[A-ZÀ-ÞА-ЯΑ-ΩΆ-Ώ][\w'’&-]*|[A-Z&]{2,})"
#: Lower-case words that may join the words of a name.
_JOIN = (
    r"(?:за|на|и|по|към|в|de|da|do|das|dos|e|para|o|a|of|for|and|the|"
    r"της|του|των|και|για|στη|στην)"
)
_QUOTE = r"(?:„[^“”\"\n]{2,80}[“”\"]|\"[^\"\n]{2,80}\"|“[^”\n]{2,80}”|«[^»\n]{2,80}»)"
#: Up to five words of a name after its kind, joined by at most two small words at a time.
_NAME_AFTER = rf"(?:\s+{_QUOTE}|(?:\s+(?:{_JOIN}\s+){{0,2}}{_CAP}){{1,6}})"
MAX_ORGANISATIONS = 6
#: Weight an organisation needs: named once where authors are named, or twice in the text.
NEEDED = 2.0


def _unaccented(words: str) -> str:
    """The alternatives and their forms without accents (as names in capitals are written)."""
    options = words.split("|")
    return "|".join(dict.fromkeys(options + [fold(o) for o in options]))


@cache
def _kinds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(_unaccented(_KIND_FIRST).split("|")), tuple(_KIND_LAST.split("|"))


@cache
def _patterns(
    firsts: tuple[str, ...], lasts: tuple[str, ...]
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The name patterns for the kinds a text holds (long alternatives are slow to try at
    every position; a text names few kinds of organisation)."""
    first = last = None
    if firsts:
        kinds = "|".join(firsts)
        first = re.compile(rf"(?<!\w)(?i:{kinds})(?:\s+(?:{_JOIN}\s+)?{_QUOTE}|{_NAME_AFTER})")
    if lasts:
        kinds = "|".join(lasts)
        last = re.compile(rf"(?<![\w.])(?:{_CAP}\s+){{1,5}}(?i:{kinds})(?!\w)")
    return first, last


def _patterns_for(text: str) -> list[tuple[re.Pattern[str], bool]]:
    """The patterns to run on a text, each with whether its kind comes last."""
    lowered = text.casefold()
    firsts, lasts = _kinds()
    first, last = _patterns(
        tuple(k for k in firsts if k.casefold() in lowered),
        tuple(k for k in lasts if k.casefold() in lowered),
    )
    return [(p, p is last) for p in (first, last) if p is not None]


def _tidy(name: str) -> str:
    name = " ".join(name.split()).strip(" ,.;:-–")
    first, _, rest = name.partition(" ")
    nominative = _NOMINATIVE.get(fold(first))
    if nominative:
        name = f"{nominative.upper() if first.isupper() else nominative} {rest}"
    return name


def _key(name: str) -> str:
    return " ".join(fold(w) for w in re.findall(r"\w+", name))


def _named(zones: list[Zone]) -> dict[str, tuple[float, dict[str, int], list[str]]]:
    """Names found by their form: key → (weight, surface forms, zones)."""
    found: dict[str, tuple[float, dict[str, int], list[str]]] = {}
    for zone in zones:
        for pattern, last in _patterns_for(zone.names_text):
            for m in pattern.finditer(zone.names_text):
                name = _tidy(m.group())
                words = re.findall(r"\w+", name)
                if len(words) < 2 or len(name) > 120:
                    continue
                if last and words[0].lower() in ("the", "a", "an", "our", "this"):
                    name = name.split(" ", 1)[1]
                key = _key(name)
                weight, forms, where = found.get(key, (0.0, {}, []))
                forms[name] = forms.get(name, 0) + 1
                found[key] = (weight + zone.weight, forms, [*where, zone.name])
    return found


@cache
def _listed_names(taxonomy: Taxonomy) -> tuple[str, ...]:
    """Every name of the taxonomy's organisations, in small letters: a text naming none of
    them is not matched word by word."""
    return tuple(v.casefold() for name, vs in taxonomy.organisations.items() for v in [name, *vs])


#: Around each listed name found past the part of the body read for names: the characters
#: kept on either side, and the passages kept at most.
AROUND = 80
PASSAGES = 40


def _listed_text(zone: Zone, folded: str, names: tuple[str, ...]) -> str:
    """Where a zone is read for the taxonomy's organisations: the part read for names, and past
    it (a long body) the passages around each listed name — a partner named only on page 30 is
    still named, and the rest of a long report is not read word by word. ``folded``: the
    zone's text casefolded."""
    head = zone.names_text
    rest = zone.text[len(head) :]
    if not rest or len(folded) != len(zone.text):  # lengths changed: offsets would not hold
        return head
    low = folded[len(head) :]
    spans: list[tuple[int, int]] = []
    for name in names:
        at = low.find(name)
        while at != -1 and len(spans) < PASSAGES:
            spans.append((max(0, at - AROUND), at + len(name) + AROUND))
            at = low.find(name, at + len(name))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # one passage where names are near: a mention counted once
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return "\n".join([head, *(rest[a:b] for a, b in merged)])


def _listed(zones: list[Zone], taxonomy: Taxonomy) -> dict[str, tuple[float, list[str]]]:
    """The taxonomy's organisations, under any of their names."""
    found: dict[str, tuple[float, list[str]]] = {}
    names = _listed_names(taxonomy)
    folded = [z.text.casefold() for z in zones]
    if not any(v in text for text in folded for v in names):
        return found
    for zone, text in zip(zones, folded, strict=True):
        page = Page(0, _listed_text(zone, text, names))
        counted = taxonomy.organisation_matcher.count(literal_stream([page]))
        for name, mention in counted.items():
            # A name, not the same words in a sentence ("a centre for social innovation").
            named = sum(n for form, n in mention.forms if form != form.lower())
            if named:
                weight, where = found.get(name, (0.0, []))
                found[name] = (weight + zone.weight * named, [*where, zone.name])
    return found


def infer_organisations(zones: list[Zone], taxonomy: Taxonomy) -> Value | None:
    scored: list[tuple[float, str, str]] = []
    listed = _listed(zones, taxonomy)
    aliases = {fold(v): name for name, vs in taxonomy.organisations.items() for v in [name, *vs]}
    for name, (weight, where) in listed.items():
        scored.append((weight, name, _where(where)))
    for key, (weight, forms, where) in _named(zones).items():
        surface = max(forms, key=lambda f: (not f.isupper(), forms[f]))
        canonical = aliases.get(fold(surface))
        if canonical in listed or any(_key(n) in key for n in listed):
            continue  # already counted under its listed name
        scored.append((weight, surface, _where(where)))
    chosen = sorted((s for s in scored if s[0] >= NEEDED), key=lambda s: -s[0])
    names: list[str] = []
    evidence: list[str] = []
    for _, name, said in chosen:
        if any(_key(name) in _key(n) for n in names):
            continue
        names.append(name)
        evidence.append(f"{name} ({said})")
        if len(names) == MAX_ORGANISATIONS:
            break
    if not names:
        return None
    return Value(names, "inferred", evidence)


def _where(zones: list[str]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for z in zones:
        counts[z] += 1
    return ", ".join(f"{WHERE[z]} ×{n}" if n > 1 else WHERE[z] for z, n in counts.items())
