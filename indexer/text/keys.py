"""Words as language-tagged stems ("bg:социалн"), the form in which topic, country and glossary
terms are compared with a document's or a query's words, so any inflected form of a listed
term counts."""

from __future__ import annotations

from functools import lru_cache

from ..languages import LATIN, indexed_languages, script_of, term_language
from .terms import WORD, term

Key = str  # "lang:term"


@lru_cache(maxsize=65_536)
def word_key(word: str, latin: str | None) -> Key | None:
    """The language-tagged stem of one word; ``latin`` is the language of the page's
    Latin-script words. Numbers are kept as they are; words of other scripts have no key.
    Cached: a document's words are mostly forms it has used before."""
    lang = term_language(script_of(word), latin)
    if lang is None:
        return f"num:{word}" if word.isdigit() else None
    t = term(lang, word)
    return f"{lang}:{t}" if t else None


def phrase_keys(phrase: str, lang: str) -> tuple[Key, ...]:
    """The keys of a listed term written in ``lang``."""
    latin = lang if lang in indexed_languages(LATIN) else None
    keys = (word_key(w, latin) for w in WORD.findall(phrase))
    return tuple(k for k in keys if k)
