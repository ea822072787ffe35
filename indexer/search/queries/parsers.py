"""Whoosh's query parsers with a cheaper first pass: the same tagged nodes, fewer regex calls;
and their plugins' taggers and filters made once, not on every parse.

Whoosh tags a query by trying every tagger of its plugins (about sixteen regular expressions:
operators, quotes, brackets, fields, wildcards, boosts, spaces) at one character after another,
each attempt a Python call; the words between the tags are what no tagger matched. A query of
two words costs some 200 attempts, and a request parses its text three or four times (the
query, the words as typed, their proximity): tagging was most of parsing.

Here each tagger's regular expression searches for its next match once, from where tagging
stands, and the cursor jumps to the nearest of them; a tagger is asked again only once the
cursor has passed the place it found. A regular expression matches at a place whatever the
place a search started from (a look-behind sees the text before it; ``^`` is the text's start
either way), so the taggers are tried at exactly the places Whoosh tries them where one can
match, in the same order, and the same nodes come out. A tagger of another kind (one that
matches otherwise than by its regular expression) leaves the parser to Whoosh's own pass.
"""

from __future__ import annotations

from typing import Any

from whoosh import qparser
from whoosh.qparser import syntax
from whoosh.qparser.plugins import MultifieldPlugin
from whoosh.qparser.taggers import RegexTagger


class _Tagging:
    """The cheaper tagging pass, mixed into one of Whoosh's parser classes."""

    plugins: list[Any]
    _kept: dict[str, tuple[tuple[int, ...], list[Any]]]
    _plain: tuple[list[Any], bool]  # the taggers, and whether each matches by its expression

    def taggers(self) -> list[Any]:
        """The plugins' taggers in priority order, made once for the plugins the parser has
        (Whoosh makes and sorts them again on every parse)."""
        return self._made_once("taggers")

    def filters(self) -> list[Any]:
        """The plugins' filters in priority order, made once likewise."""
        return self._made_once("filters")

    def _made_once(self, kind: str) -> list[Any]:
        kept: dict[str, tuple[tuple[int, ...], list[Any]]] = self.__dict__.setdefault("_kept", {})
        key = tuple(map(id, self.plugins))
        found = kept.get(kind)
        if found is None or found[0] != key:
            found = (key, list(getattr(super(), kind)()))
            kept[kind] = found
        return found[1]

    def tag(self, text: str, pos: int = 0, debug: bool = False) -> Any:
        taggers = self.taggers()
        plain = self.__dict__.get("_plain")
        if plain is None or plain[0] is not taggers:
            each = (
                isinstance(t, RegexTagger) and type(t).match is RegexTagger.match for t in taggers
            )
            plain = self._plain = (taggers, all(each))
        if debug or not plain[1]:
            return super().tag(text, pos, debug)  # type: ignore[misc]  # Whoosh's parser
        end = len(text)
        found = [t.expr.search(text, pos) for t in taggers]
        stack: list[Any] = []
        prev = pos
        while pos < end:
            for i, match in enumerate(found):
                if match is not None and match.start() < pos:
                    found[i] = taggers[i].expr.search(text, pos)
            pos = min((m.start() for m in found if m is not None), default=end)
            if pos >= end:
                break
            node = None
            for tagger, match in zip(taggers, found, strict=True):
                if match is None or match.start() != pos:
                    continue
                node = tagger.create(self, match)
                if node is not None:
                    node = node.set_range(match.start(), match.end())
                    if node.endchar <= pos:
                        raise ValueError(f"Token {tagger!r} did not move cursor forward.")
                    if prev < pos:
                        stack.append(_word(text, prev, pos))
                    stack.append(node)
                    prev = pos = node.endchar
                    break
            if node is None:
                pos += 1  # every tagger matching here declined: on to the next place
        if prev < end:
            stack.append(_word(text, prev, end))
        return self.group(stack)  # type: ignore[attr-defined]  # Whoosh's parser


def _word(text: str, start: int, end: int) -> Any:
    """The text between two tags, as Whoosh makes it."""
    node = syntax.WordNode(text[start:end])
    node.startchar = start
    node.endchar = end
    return node


class QueryParser(_Tagging, qparser.QueryParser):
    """Whoosh's ``QueryParser``, tagging as above."""


def MultifieldParser(  # named as Whoosh's, which it stands for
    fieldnames: list[str], schema: Any, **kwargs: Any
) -> QueryParser:
    """Whoosh's ``MultifieldParser`` (a parser whose plain words go to several fields), tagging
    as above."""
    parser = QueryParser(None, schema, **kwargs)
    parser.add_plugin(MultifieldPlugin(fieldnames))
    return parser
