"""Which of a word's senses the rest of the query means, judged by the documents that use them.

A dictionary's order of senses is the same in every query: "διαμέρισμα" is first a district,
"храна" first something to feed. The other words of the query say which sense is meant, and the
collection says which senses go with which words: documents of the target language that have
one sense of a word have the other words' translations more often than that language's
documents in general, and documents that have another sense do not. So each sense gets a lift:
over the query's other units, how much more often its documents have some translation of that
unit than documents of the language do, shrunk towards no lift when few documents have the
sense (one document that happens to have two words proves nothing).

This reorders only what the dictionaries and the collection already allow (``senses.choose``
keeps its candidates); it adds no translation of its own.
"""

from __future__ import annotations

from ..search.finding.docsets import DocSet
from .senses import Evidence

#: Documents of "no lift" a sense's own documents are weighed against: with few documents of
#: its own, a sense's co-occurrence stays near that of the language's documents in general.
PRIOR_DOCUMENTS = 2.0


def lifts(
    lang: str, candidates: list[list[str]], context: list[list[str]], evidence: Evidence
) -> list[list[float]]:
    """For each candidate translation of each unit (texts in ``lang``), its lift: the mean,
    over the query's other units whose ``context`` translations some document of ``lang``
    has, of (the share of the candidate's documents having one of them) minus (the share of
    all ``lang`` documents having one). A unit with fewer than two candidates has nothing to
    reorder and gets zeros."""
    zeros = [[0.0] * len(texts) for texts in candidates]
    if all(len(texts) < 2 for texts in candidates) or len(candidates) < 2:
        return zeros  # nothing to reorder, or nothing to reorder it by
    language = evidence.language_documents(lang)
    everywhere = language.bit_count()
    if not everywhere:
        return zeros
    having: list[DocSet] = []
    for texts in context:
        union: DocSet = 0
        for text in texts:
            union |= evidence.documents(lang, text)
        having.append(union)
    base = [(h & language).bit_count() / everywhere for h in having]
    out: list[list[float]] = []
    for i, texts in enumerate(candidates):
        others = [k for k, h in enumerate(having) if k != i and h]
        if len(texts) < 2 or not others:
            out.append(zeros[i])
            continue
        row = []
        for text in texts:
            found = evidence.documents(lang, text)
            own = found.bit_count()
            total = 0.0
            for k in others:
                shared = (found & having[k]).bit_count()
                share = (shared + PRIOR_DOCUMENTS * base[k]) / (own + PRIOR_DOCUMENTS)
                total += share - base[k]
            row.append(total / len(others))
        out.append(row)
    return out


__all__ = ["PRIOR_DOCUMENTS", "lifts"]
