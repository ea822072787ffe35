"""Atom feeds of searches: the newest documents matching a search, for any feed reader.

A feed is the search page's own result (same words, same filters) in the order documents were
added, written as Atom (RFC 4287) with the standard library. Entry ids are the documents'
addresses, which do not change, so a reader is told of each document once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from indexer import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
#: Entries in one feed: the newest documents; readers poll again for later ones.
ENTRIES = 30


def _timestamp(seconds: int | None) -> str:
    when = datetime.fromtimestamp(seconds, UTC) if seconds else datetime(1970, 1, 1, tzinfo=UTC)
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; what XML cannot hold is left out of its text and attributes (the
    standard library would write it and make the whole feed unreadable)."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def atom(
    title: str,
    subtitle: str,
    self_url: str,
    page_url: str,
    author: str,
    lang: str,
    entries: list[dict[str, Any]],
) -> bytes:
    """An Atom document. Each entry: ``url``, ``title``, ``added``, ``language``, ``summary``
    (plain text) and ``categories`` (labels)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "id", self_url)
    newest = max((e["added"] or 0 for e in entries), default=0)
    _add(feed, "updated", _timestamp(newest))
    _add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(feed, "author"), "name", author)
    for entry in entries:
        item = _add(feed, "entry")
        title_element = _add(item, "title", entry["title"])
        if entry.get("language") not in (None, "und"):
            title_element.set("{http://www.w3.org/XML/1998/namespace}lang", entry["language"])
        _add(item, "id", entry["url"])
        _add(item, "updated", _timestamp(entry["added"]))
        _add(item, "link", rel="alternate", type="text/html", href=entry["url"])
        _add(item, "summary", entry["summary"])
        for label in entry.get("categories", ()):
            _add(item, "category", term=label)
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document
