"""The glossary finds the concepts a query names as a scan of every listed term would: the
longest first, left to right, none overlapping."""

from __future__ import annotations

import random

from indexer.text.glossary import ConceptMatch, Glossary, _query_words, load_glossary
from tests.typed_text import QUERIES


def scanned(glossary: Glossary, text: str) -> list[ConceptMatch]:
    """Every listed term tried at every word, longest first."""
    words = _query_words(text)
    found: list[ConceptMatch] = []
    i = 0
    while i < len(words):
        for keys, concept, lang in glossary._sequences:
            n = len(keys)
            if i + n <= len(words) and all(keys[j] in words[i + j][0] for j in range(n)):
                start, end = words[i][1], words[i + n - 1][2]
                found.append(ConceptMatch(concept, start, end, text[start:end], lang))
                i += n
                break
        else:
            i += 1
    return found


def _texts(glossary: Glossary) -> list[str]:
    """The glossary's own terms alone, inflected, side by side and among other words; and the
    query set."""
    rng = random.Random(11)
    terms = [t for forms in glossary.concepts.values() for ts in forms.values() for t in ts]
    texts = list(terms)
    texts += [f"{t}s" for t in terms] + [t.upper() for t in terms]
    for _ in range(400):
        a, b = rng.sample(terms, 2)
        texts.append(f"{a} {b}")
        texts.append(f"the {a} of {b} and more")
        cut = a.split()
        texts.append(" ".join(cut[: max(1, len(cut) - 1)] + b.split()[:2]))
    return texts + QUERIES


def test_concepts_found_as_a_scan_of_every_term_finds_them():
    glossary = load_glossary()
    named = 0
    for text in _texts(glossary):
        found = glossary.find(text)
        assert found == scanned(glossary, text), text
        named += len(found)
    assert named > 1000


def test_the_longer_of_two_terms_starting_alike_is_found():
    glossary = Glossary(
        {
            "concepts": {
                "impact": {"en": ["social impact"]},
                "bond": {"en": ["social impact bond"]},
                "bonds": {"en": ["bonds"]},
            }
        }
    )
    found = glossary.find("a social impact bond, then social impact investment, and bonds")
    assert [m.concept for m in found] == ["bond", "impact", "bonds"]
    assert found == scanned(
        glossary, "a social impact bond, then social impact investment, and bonds"
    )
