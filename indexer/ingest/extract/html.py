"""HTML pages saved from websites: visible text of the main content plus <title> and <meta>."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ...errors import EmptyDocument
from ...models import Extracted, ExtractOptions
from .text import decode_bytes

_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "form", "button", "select"}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "br",
    "hr",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "figcaption",
    "td",
    "th",
}
_META_KEYS = {
    "author": "author",
    "description": "description",
    "keywords": "keywords",
    "dc.title": "title",
    "dc.creator": "author",
    "dc.date": "created",
    "dc.language": "language",
    "article:published_time": "created",
    "og:title": "title",
    "date": "created",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self.h1: list[str] = []
        self._skip = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.meta["language"] = a["lang"]
        elif tag == "meta":
            key = (a.get("name") or a.get("property") or "").lower()
            if key in _META_KEYS and a.get("content"):
                self.meta.setdefault(_META_KEYS[key], a["content"].strip())
        elif tag in _SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)
            if self._in_h1:
                self.h1.append(data)


def visible_text(markup: str) -> tuple[str, _TextParser]:
    """The text a browser shows of an HTML page (one blank line at most between blocks), and
    the parser that read it, holding the page's title and properties."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    body = re.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(parser.parts)).strip()
    return re.sub(r"\n{2,}", "\n\n", body), parser


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    raw = path.read_bytes()
    declared = _CHARSET.search(raw[:4096])
    text, _ = decode_bytes(raw, declared.group(1).decode("ascii") if declared else None)
    body, parser = visible_text(text)
    if not body:
        raise EmptyDocument("the HTML page has no visible text")
    meta = dict(parser.meta)
    title = " ".join("".join(parser.title).split())
    if title:
        meta.setdefault("title", title)
    heading = " ".join("".join(parser.h1).split())
    if heading:
        meta["heading"] = heading
    return Extracted(format="html", pages=[body], meta=meta)
