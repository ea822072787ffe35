"""What the word-level caches keep while a long document is indexed: a bounded number of
words, whatever the document's vocabulary (each indexing worker holds these caches for the
whole run)."""

import random

from indexer.text import document_terms, terms
from indexer.text.document_terms import analyse_document


def invented_words(count: int, letters: str, seed: int) -> list[str]:
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(5, 10))))
    return sorted(words)


def test_the_word_caches_keep_a_bounded_number_of_words_of_a_large_vocabulary():
    latin = invented_words(9_000, "abcdefghijklmnoprstuv", 1)
    cyrillic = invented_words(9_000, "абвгдежзиклмнопрстуф", 2)
    pages = [("en", " ".join(latin)), ("pt", " ".join(latin[:2_000])), (None, " ".join(cyrillic))]
    found = analyse_document(pages, "A long glossary")
    assert len(found.vocabulary) >= 18_000  # every word was indexed
    for cached in (terms.fold, terms.surface_term, terms.term, terms.dictionary_lemma):
        assert cached.cache_info().currsize <= 8_192, cached
    # Each distinct word's terms, kept for the documents that follow (20,000 here).
    assert document_terms._index_terms.cache_info().currsize <= 16_384
