"""The type of a document, from the words that name it and the shape it has.

A title that says "Протокол", "Πρακτικά", "Ata" or "Minutes" names its type; so does the top
of the first page ("Аналитична записка", "Policy brief · May 2022"). Other words show a type
without naming it — "Присъстваха", "Παρόντες", "Presentes", "Apologies" in minutes; "Dear …",
"Yours sincerely" in a letter — and count for less. The shape adds its own: many short pages
are slides; lines of questions or tick boxes make a questionnaire. The words of each type, in
the four languages, are the taxonomy's ``terms`` (naming) and ``cues`` (showing).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ...models import Analysed, Page, Value
from ...text.taxonomy import Taxonomy, stream_of
from .zones import WHERE, Zone

#: What a naming word is worth in the title, the file name, a short line at the top of the
#: first page ("Доклад", "Policy brief · May 2022"), the rest of the first page and the last
#: lines; what a showing word is worth. Each word counts once, up to `_CAP` words per type
#: and zone.
_NAMES = {"title": 6, "name": 4, "author": 0, "label": 3, "head": 0.5, "body": 0, "tail": 0.5}
_SHOWS = {"title": 1.5, "name": 0, "author": 0, "label": 1.5, "head": 1.5, "body": 0, "tail": 1}
#: A line of the first page this short is a label, a subtitle or a heading.
_LABEL_WORDS = 8
_CAP = 3
NEEDED = 2.0
_QUESTION = re.compile(r"\?\s*$|^\s*(?:\[\s?\]|☐|□)", re.M)


def _shape(analysed: Analysed) -> dict[str, tuple[float, str]]:
    """Types the document's shape suggests, with what was seen."""
    out: dict[str, tuple[float, str]] = {}
    pages = analysed.pages
    words = [len(p.text.split()) for p in pages]
    if len(pages) >= 3 and sum(words) / len(pages) < 70:
        out["presentation"] = (4.0, f"{len(pages)} pages of about {sum(words) // len(pages)} words")
    questions = sum(len(_QUESTION.findall(p.text)) for p in pages[:3])
    if questions >= 4:
        out["tool"] = (3.0, f"{questions} questions or tick boxes")
    if analysed.format == "html" and sum(words) < 600:
        out["news"] = (1.0, "a short web page")
    return out


def _parts(zone: Zone) -> list[tuple[str, list[tuple[str, str]]]]:
    """The zone's words to match; the first page split into its short lines and the rest."""
    if zone.name != "head":
        return [(zone.name, zone.stream)]
    lines = zone.text.split("\n")
    short = "\n".join(line for line in lines if len(line.split()) <= _LABEL_WORDS)
    long = "\n".join(line for line in lines if len(line.split()) > _LABEL_WORDS)
    return [
        (name, stream_of([Page(0, text, zone.language, zone.languages)], zone.languages))
        for name, text in (("label", short), ("head", long))
        if text.strip()
    ]


def infer_type(analysed: Analysed, zones: list[Zone], taxonomy: Taxonomy) -> Value:
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    for zone in zones:
        for part, stream in _parts(zone):
            where = WHERE["head" if part == "label" else part]
            for matcher, worth in ((taxonomy.type_matcher, _NAMES), (taxonomy.cue_matcher, _SHOWS)):
                if not worth[part]:
                    continue
                for doc_type, mention in matcher.count(stream).items():
                    distinct = mention.forms[:_CAP]
                    scores[doc_type] += worth[part] * len(distinct)
                    evidence[doc_type] += [f"{form} ({where})" for form, _ in distinct]
    for doc_type, (weight, seen) in _shape(analysed).items():
        scores[doc_type] += weight
        evidence[doc_type].append(seen)
    order = [*taxonomy.type_order, "other"]
    ranked = sorted(scores, key=lambda t: (-scores[t], order.index(t) if t in order else 99))
    if not ranked or scores[ranked[0]] < NEEDED:
        return Value("other", "inferred", ["no word or shape of a known type"])
    best = ranked[0]
    return Value(best, "inferred", evidence[best][:4])
