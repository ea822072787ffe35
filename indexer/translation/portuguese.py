"""The other spellings of a Portuguese word, before and after the 1990 spelling agreement.

The agreement dropped the consonants that are not pronounced before "ç" and "t": "acção"
became "ação", "direcção" "direção", "projecto" "projeto", "óptimo" "ótimo", "actividade"
"atividade". Readers type the new spelling; the bilingual dictionaries were mostly edited in
the old one, and documents written before the change (or in a country that kept some of these
letters) use it too. A word either way finds no entry, or a translation no document has, where
the other spelling would. So both directions are tried: a silent "c" or "p" put back before a
"ç" or "t" after a vowel, and taken out where it stands. Most of these guesses are no words at
all: the caller keeps those a dictionary lists or the collection uses.
"""

from __future__ import annotations

from functools import lru_cache

#: Vowels after which the agreement dropped a silent consonant.
_VOWELS = set("aeiouáéíóúâêôãõà")
#: Consonants that were dropped, and the letters they stood before.
_DROPPED = ("c", "p")
_BEFORE = ("ç", "t")
#: Other spellings tried per word, at most (a long word has many places to guess at).
MOST = 6


@lru_cache(maxsize=4096)
def spellings(word: str) -> tuple[str, ...]:
    """The word's other spellings across the agreement (in lower case), the word itself left
    out: first those with a silent consonant taken out, then those with one put back."""
    lower = word.lower()
    out: list[str] = []
    for i in range(1, len(lower) - 1):
        if lower[i] in _DROPPED and lower[i + 1] in _BEFORE and lower[i - 1] in _VOWELS:
            out.append(lower[:i] + lower[i + 1 :])
    if len(out) > 1:  # every silent consonant taken out at once: "actividade" has one only
        whole = lower
        for dropped in _DROPPED:
            for before in _BEFORE:
                whole = _drop(whole, dropped, before)
        out.append(whole)
    for i in range(1, len(lower)):
        if lower[i] in _BEFORE and lower[i - 1] in _VOWELS:
            out += [lower[:i] + c + lower[i:] for c in _DROPPED]
    return tuple(s for s in dict.fromkeys(out) if s != lower)[:MOST]


def _drop(word: str, dropped: str, before: str) -> str:
    """``word`` with ``dropped`` taken out wherever it stands after a vowel and before
    ``before``."""
    out = []
    for i, c in enumerate(word):
        follows = 0 < i < len(word) - 1 and word[i - 1] in _VOWELS and word[i + 1] == before
        if not (c == dropped and follows):
            out.append(c)
    return "".join(out)


__all__ = ["MOST", "spellings"]
