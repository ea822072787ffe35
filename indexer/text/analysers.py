"""The Whoosh analysers of the index's text fields, one per kind of field.

One tokenizer for every field, so that a word has the same position in each of them: positions
are what the index uses to tell on which page a query matched. Each language field keeps only the
words of its language — Cyrillic words go to Bulgarian, Greek to Greek, Latin-script words to the
language detected for their page — so English stemming never touches Portuguese and vice versa.
Pages announce their Latin-script language with an in-band marker (``\\ue000en\\ue001``) that the
tokenizer consumes without advancing the position. How each word becomes a term is `terms`'
business; the language-neutral field keeps every word case- and accent-folded but unstemmed:
exact forms score there on top of the stemmed match.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Analyzer, Token

from ..languages import LATIN, OTHER, accepts, indexed_languages, script_of, term_language
from .identifiers import IDENTIFIER, identifier_key
from .numbers import number_words
from .terms import TOKEN_OR_MARK, WORD, fold, vocabulary_forms, word_terms


# ---------------------------------------------------------------------------------------------
# Whoosh analyzers
# ---------------------------------------------------------------------------------------------
@dataclass
class _Run:
    """One call of an analyser: the token it reuses for every term, and what to fill in."""

    token: Token
    positions: bool
    chars: bool
    start_pos: int
    start_char: int

    def emit(self, text: str, original: str, pos: int, start: int, end: int) -> Token:
        token = self.token
        token.text = text
        token.original = original
        token.boost = 1.0
        token.stopped = False
        if self.positions:
            token.pos = pos
        if self.chars:
            token.startchar = self.start_char + start
            token.endchar = self.start_char + end
        return token


class _Base(Analyzer):
    """Shared tokenizer loop; subclasses decide which words a field keeps and how."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(self.__dict__.items()))))

    def keep(self, script: str, latin_language: str | None) -> bool:
        raise NotImplementedError

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        raise NotImplementedError

    def __call__(  # noqa: PLR0913 - the arguments Whoosh calls every analyser with
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        run = _Run(token, positions, chars, start_pos, start_char)
        if tokenize:
            yield from self.tokens(value, run, index=mode == "index")
            return
        # Prefix and wildcard text: only folding applies, and only exact-form fields use it.
        text = self.untokenized(value)
        if text:
            yield run.emit(text, value, start_pos, 0, len(value))

    def tokens(self, value: str, run: _Run, index: bool) -> Iterator[Token]:
        """The field's tokens of a text: its words, each analysed as the field wants."""
        latin_language: str | None = "*"
        pos = run.start_pos
        numbers = number_words(value, index)
        for match in TOKEN_OR_MARK.finditer(value):
            marker = match.group(1)
            if marker is not None:
                latin_language = marker or None
                continue
            word = match.group(0)
            script = script_of(word)
            if self.keep(script, latin_language if index else "*"):
                terms = numbers.get(match.start())
                if terms is None:
                    terms = self.terms(word, script, latin_language if index else "*", index)
                for text in terms:
                    yield run.emit(text, word, pos, match.start(), match.end())
            pos += 1

    def untokenized(self, value: str) -> str:
        # Prefix and fuzzy text: the query builder keeps such queries on exact-form fields only,
        # but every field must give the parser a token or it fails.
        return fold(value)


class FoldingAnalyzer(_Base):
    """Language-neutral field: every word, folded, not stemmed."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return True

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return word_terms(None, word, split=index)


class LanguageAnalyzer(_Base):
    """Stemmed field of one language: only that language's words."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def keep(self, script: str, latin_language: str | None) -> bool:
        return accepts(self.lang, script, latin_language)

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return word_terms(self.lang, word, split=index)


class MultiStemAnalyzer(_Base):
    """Titles: each word stemmed for its script; Latin words for both en and pt at query time."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return script != OTHER

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        if script == LATIN and latin_language in ("*", None):
            langs = list(indexed_languages(LATIN))
        else:
            langs = [lang] if (lang := term_language(script, latin_language)) else []
        out: list[str] = []
        for lang in langs:
            for t in word_terms(lang, word, split=index):
                tagged = f"{lang}:{t}"
                if tagged not in out:
                    out.append(tagged)
        return out


class IdentifierAnalyzer(_Base):
    """Codes as single terms, positioned at the word where they start."""

    def tokens(self, value: str, run: _Run, index: bool) -> Iterator[Token]:
        starts = [m.start() for m in WORD.finditer(value)] if run.positions else []
        for match in IDENTIFIER.finditer(value):
            pos = run.start_pos + max(0, bisect_right(starts, match.start()) - 1)
            code = match.group(0)
            yield run.emit(identifier_key(code), code, pos, match.start(), match.end())

    def untokenized(self, value: str) -> str:
        # A prefix query is one code as typed.
        return identifier_key(value)


class VocabularyAnalyzer(_Base):
    """Lower-cased words with their accents, for spelling suggestions and autocomplete."""

    def keep(self, script: str, latin_language: str | None) -> bool:
        return script != OTHER

    def terms(self, word: str, script: str, latin_language: str | None, index: bool) -> list[str]:
        return vocabulary_forms(word)

    def untokenized(self, value: str) -> str:
        return value.lower()
