"""Words as language-tagged stems ("bg:социалн"), the form in which topic, country and glossary
terms are compared with a document's or a query's words, so any inflected form of a listed
term counts."""

from __future__ import annotations

from functools import lru_cache

from ..languages import LATIN, indexed_languages, script_of, term_language
from .terms import WORD, look_up_ahead, term

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


#: Words whose dictionary entries were fetched ahead, by the Latin-script language they were
#: read in (`look_up_keys_ahead`), at most `AHEAD_KEPT` for each: a document's words are
#: mostly words of earlier documents, which `word_key` keeps, and are not fetched again.
AHEAD_KEPT = 65_536
_ahead: dict[str | None, set[str]] = {}


def look_up_keys_ahead(words: set[str], latin: str | None) -> None:
    """Fetch at once what the keys of many words (``latin`` as in `word_key`) need of the
    dictionary (`terms.look_up_ahead`): a document's words, before their keys are made one
    by one. Only the words not fetched ahead before are: the others' keys are mostly kept
    (when not, they are looked up one by one, as without looking ahead)."""
    seen = _ahead.setdefault(latin, set())
    new = words - seen
    if not new:
        return
    if len(seen) + len(new) > AHEAD_KEPT:
        seen.clear()
    seen |= new
    pairs = ((term_language(script_of(word), latin), word) for word in new)
    look_up_ahead((lang, word) for lang, word in pairs if lang is not None)


def phrase_keys(phrase: str, lang: str) -> tuple[Key, ...]:
    """The keys of a listed term written in ``lang``."""
    latin = lang if lang in indexed_languages(LATIN) else None
    keys = (word_key(w, latin) for w in WORD.findall(phrase))
    return tuple(k for k in keys if k)
