"""The text a reader typed, made safe for the query parser.

The parser has readings of its own that a reader does not mean: it takes the brackets of
"COM(2021) 778" for grouping, drops the plus of "ESF+", and its plus/minus plugin splits
"peer-learning" into "peer NOT learning". So before parsing, codes become placeholder words
and the signs in front of words become operators. The query, the expansion, the spelling
suggestions and the transliterations all read the typed text this way.
"""

from __future__ import annotations

import re

from ..text.identifiers import IDENTIFIER
from ..text.terms import fold

_QUOTED = re.compile(r'"[^"]*"')
_MINUS = re.compile(r'(^|[\s(])-(?=[\w"(])')
_PLUS = re.compile(r'(^|[\s(])\+(?=[\w"(])')


def signs_to_operators(text: str) -> str:
    """``-word`` → ``NOT word``, ``+word`` → ``word`` (every word is required anyway).

    Done here rather than with the parser's plus/minus plugin, which also splits hyphenated
    words such as "peer-learning" into "peer NOT learning".
    """
    return _PLUS.sub(r"\1", _MINUS.sub(r"\1NOT ", text))


class Codes(list[str]):
    """Codes taken out of a text before parsing, and the placeholder words that stand for them.

    The parser would read the brackets of "COM(2021) 778" as grouping and drop the plus of
    "ESF+", so each code becomes one plain word first. The placeholder's letters are chosen so
    that they occur nowhere in the text, even after case and accent folding: what a reader
    types can never be taken for a placeholder.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        stem, folded = "qqcode", fold(text)
        while stem in folded:
            stem = "q" + stem
        self.stem = stem
        self.pattern = re.compile(rf"{stem}(\d+)qq")

    @classmethod
    def protect(cls, text: str) -> tuple[str, Codes]:
        """The text with every code outside quotes replaced by a placeholder word."""
        codes = cls(text)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

        def repl(m: re.Match[str]) -> str:
            if any(a <= m.start() < b for a, b in quoted):
                return m.group(0)
            codes.append(m.group(0))
            return f" {codes.stem}{len(codes) - 1}qq "

        return IDENTIFIER.sub(repl, text).strip(), codes

    def code_in(self, text: str) -> str | None:
        """The code a placeholder in ``text`` stands for."""
        m = self.pattern.search(text)
        return self[int(m.group(1))] if m else None

    def ids_in(self, text: str) -> set[str]:
        return set(self.pattern.findall(text))

    def without(self, text: str) -> str:
        return self.pattern.sub(" ", text)

    def restore(self, text: str) -> str:
        return self.pattern.sub(lambda m: self[int(m.group(1))], text)
