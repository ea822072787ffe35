"""A multilingual glossary of the field's key concepts, for searching across languages.

Many reports exist in only one language. When a query names a concept ("плащане според
резултатите"), the search also looks for the concept's terms in the other languages ("payment by
results", "pagamento por resultados", "πληρωμή βάσει αποτελεσμάτων"). Concepts are recognised after
stemming, so any inflected form of a listed term counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..languages import indexed_languages, script_of
from .keys import phrase_keys
from .terms import WORD, fold, stopwords, term


@dataclass(frozen=True)
class ConceptMatch:
    concept: str
    start: int  # character offsets in the query text
    end: int
    text: str
    language: str  # language of the words as typed


def _query_words(text: str) -> list[tuple[set[str], int, int, str]]:
    """Candidate stem keys of each non-stop word of a query, with its span."""
    out = []
    for m in WORD.finditer(text):
        word = m.group(0)
        langs = indexed_languages(script_of(word))
        if not langs:
            out.append(({f"num:{word}"}, m.start(), m.end(), ""))
            continue
        if any(fold(word) in stopwords(lang) for lang in langs):
            continue
        keys = {f"{lang}:{t}" for lang in langs if (t := term(lang, word))}
        out.append((keys, m.start(), m.end(), langs[0]))
    return out


class Glossary:
    def __init__(self, data: dict[str, Any]) -> None:
        self.concepts: dict[str, dict[str, list[str]]] = data["concepts"]
        self._sequences: list[tuple[tuple[str, ...], str, str]] = []
        for concept, terms in self.concepts.items():
            for lang, phrases in terms.items():
                for phrase in phrases:
                    keys = phrase_keys(phrase, lang)
                    if keys:
                        self._sequences.append((keys, concept, lang))
        # Longest sequences first, so "social impact bond" wins over "social impact".
        self._sequences.sort(key=lambda s: -len(s[0]))
        # The sequences by their first word's key, each list in the order above: a word is
        # compared only with the sequences that can start at it (a query word was compared
        # with each of some 250, a millisecond per search).
        self._starting: dict[str, list[int]] = {}
        for number, (keys, _, _) in enumerate(self._sequences):
            self._starting.setdefault(keys[0], []).append(number)

    def find(self, text: str) -> list[ConceptMatch]:
        """Non-overlapping concepts named in ``text``, longest match first, left to right."""
        words = _query_words(text)
        found: list[ConceptMatch] = []
        i = 0
        while i < len(words):
            match = None
            starting = sorted(n for key in words[i][0] for n in self._starting.get(key, ()))
            for number in starting:
                keys, concept, lang = self._sequences[number]
                n = len(keys)
                if i + n <= len(words) and all(keys[j] in words[i + j][0] for j in range(n)):
                    match = (n, concept, lang)
                    break
            if match:
                n, concept, lang = match
                start, end = words[i][1], words[i + n - 1][2]
                found.append(ConceptMatch(concept, start, end, text[start:end], lang))
                i += n
            else:
                i += 1
        return found

    def equivalents(self, concept: str, typed_language: str | None = None) -> dict[str, list[str]]:
        """The concept's terms per language, the typed language left out."""
        return {
            lang: terms
            for lang, terms in self.concepts.get(concept, {}).items()
            if lang != typed_language
        }

    def label(self, concept: str, lang: str = "en") -> str:
        terms = self.concepts.get(concept, {})
        return (terms.get(lang) or terms.get("en") or [concept])[0]


@cache
def load_glossary() -> Glossary:
    text = resources.files("indexer.data").joinpath("glossary.json").read_text("utf-8")
    return Glossary(json.loads(text))


__all__ = ["ConceptMatch", "Glossary", "load_glossary"]
