"""Sense choice's remembered look-ups give what looking afresh gives."""

from __future__ import annotations

from itertools import permutations

import indexer.search  # noqa: F401  # the read side first, as the engine imports senses
from indexer.languages import INDEX_LANGUAGES
from indexer.text.glossary import load_glossary
from indexer.text.keys import phrase_keys
from indexer.text.terms import WORD
from indexer.translation.senses import glossary_words


def _plain_glossary_words(glossary, source, typed, target):
    """Every concept looked at for the typed word: those with a ``source`` term sharing a key
    with it give the keys of their ``target`` terms."""
    wanted = set(phrase_keys(typed, source))
    out: set[str] = set()
    for terms in glossary.concepts.values():
        if any(wanted & set(phrase_keys(p, source)) for p in terms.get(source, ())):
            for phrase in terms.get(target, ()):
                out.update(phrase_keys(phrase, target))
    return frozenset(out)


def test_glossary_words_equal_a_look_at_every_concept():
    glossary = load_glossary()
    compared = found = 0
    for source, target in permutations(INDEX_LANGUAGES, 2):
        typed = {
            word
            for terms in glossary.concepts.values()
            for phrase in terms.get(source, ())
            for word in WORD.findall(phrase)
        }
        typed |= {"", "the", "unlisted", "и", "και", "de"}
        for word in sorted(typed):
            plain = _plain_glossary_words(glossary, source, word, target)
            assert glossary_words(glossary, source, word, target) == plain, (source, word)
            compared += 1
            found += bool(plain)
    assert compared > 500 and found > 300
