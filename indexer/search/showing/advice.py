"""What a reader can change when a search finds nothing, and only what would help.

A search finds nothing after the fallback to any word has had its turn. What is then said
depends on why, worked out from the index rather than guessed:

- ``filters``: the words find documents, the chosen filters leave none (with how many the
  words find without them);
- ``spelling``: words that no document has (the "did you mean" beside them, if any);
- ``fewer_words``: the query as a whole finds nothing although some of its words do on their
  own — a phrase that is not there as such, an exclusion or a field that leaves nothing;
  without such words, the general advice to use fewer or more general words;
- ``other_language``: with "all languages" off, how many documents it would find; with it
  on, the languages the documents are in, when words no document has matched no concept.

The engine gives the kinds with their data (the contract's ``Advice``); the web app says
them in the interface language and links each to the changed search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...text.terms import WORD, is_stop
from ..contract import Advice, AdviceKind, Mode
from ..finding.snapshot import Snapshot
from ..request import SearchRequest

#: The documents a text finds as a query (``mode``, ``expand``), counted without filters.
Count = Callable[[str, Mode, bool], int]
#: Words looked up one by one to tell the known from the unknown.
MAX_WORDS = 12


def advice(kind: AdviceKind, words: list[str] | None = None, found: int | None = None) -> Advice:
    return {"kind": kind, "words": words or [], "languages": [], "found": found}


def when_nothing_found(
    snapshot: Snapshot,
    request: SearchRequest,
    understood: dict[str, Any],
    matched: int,
    count: Count,
) -> list[Advice]:
    """The changes that would find something, for a search that found nothing.

    ``matched`` is what the words found before the filters; ``count`` counts what another
    query finds.
    """
    out: list[Advice] = []
    if request.selected() and matched:
        out.append(advice("filters", found=matched))
    if not request.q or matched:
        return out
    words = _words(understood)
    unknown = [w for w in words if count(w, "all", False) == 0]
    known = [w for w in words if w not in unknown and not is_stop(w)]
    if unknown:
        out.append(advice("spelling", unknown))
    if known or not unknown:
        out.append(advice("fewer_words", known))
    out += _other_language(snapshot, request, understood, count, bool(unknown))
    return out


def _words(understood: dict[str, Any]) -> list[str]:
    """The query's words to look up: its words, the words of its phrases, its codes and its
    fields (country:XX is as unknown as a misspelt word)."""
    found: list[str] = []
    for text in (*understood.get("words", ()), *understood.get("phrases", ())):
        found += WORD.findall(text)
    found += understood.get("codes", [])
    found += [f"{f['field']}:{f['value']}" for f in understood.get("fields", ())]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def _other_language(
    snapshot: Snapshot,
    request: SearchRequest,
    understood: dict[str, Any],
    count: Count,
    unknown: bool,
) -> list[Advice]:
    """All languages, if they find something; else, for words no document has and that
    matched no concept, the languages the documents are in."""
    if not request.expand:
        found = count(request.q, request.mode, True)
        return [advice("other_language", found=found)] if found else []
    languages = sorted(
        value
        for value, bits in snapshot.table.values.get("language", {}).items()
        if bits & snapshot.table.live
    )
    if not unknown or understood.get("concepts") or len(languages) < 2:
        return []
    other: Advice = advice("other_language")
    other["languages"] = languages
    return [other]
