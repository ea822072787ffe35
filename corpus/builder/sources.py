"""The text sources: a small Markdown dialect with front matter, read into blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Block:
    kind: str  # h1 h2 h3 p ul ol table box
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    start: int = 1  # first number of a numbered list (lists may continue under a new heading)


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[Block]

    @property
    def title(self) -> str:
        return self.meta["title"]


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` lines between the two ``---`` lines, and the text after them."""
    meta: dict[str, str] = {}
    m = re.match(r"---\s*\n(.*?)\n---\s*\n", text, re.S)
    if not m:
        return meta, text
    for line in m.group(1).splitlines():
        key, _, value = line.partition(":")
        if value.strip():
            meta[key.strip()] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def _add_row(blocks: list[Block], stripped: str, in_paragraph: bool) -> None:
    """A table row, unless it is the line under the header."""
    cells = [c.strip() for c in stripped.strip("|").split("|")]
    if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
        return
    if blocks and blocks[-1].kind == "table" and not in_paragraph:
        blocks[-1].rows.append(cells)
    else:
        blocks.append(Block("table", rows=[cells]))


def _add_item(blocks: list[Block], kind: str, item: str, stripped: str) -> None:
    """A list item: the next of the list before it, or the first of a new list."""
    if blocks and blocks[-1].kind == kind:
        blocks[-1].items.append(item)
        return
    digits = re.match(r"\d+", stripped) if kind == "ol" else None
    blocks.append(Block(kind, items=[item], start=int(digits.group(0)) if digits else 1))


def parse_source(path: Path) -> Source:
    meta, text = _front_matter(path.read_text("utf-8"))
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        heading = re.match(r"(#{1,3})\s+(.*)", stripped)
        bullet = re.match(r"[-*]\s+(.*)", stripped)
        number = re.match(r"\d+[.)]\s+(.*)", stripped)
        if heading:
            flush()
            blocks.append(Block(f"h{len(heading.group(1))}", heading.group(2).strip()))
        elif stripped.startswith("|"):
            flush()
            _add_row(blocks, stripped, bool(paragraph))
        elif stripped.startswith(">"):
            flush()
            body = stripped.lstrip("> ").strip()
            if blocks and blocks[-1].kind == "box":
                blocks[-1].text += " " + body
            else:
                blocks.append(Block("box", body))
        elif bullet:
            flush()
            _add_item(blocks, "ul", bullet.group(1), stripped)
        elif number:
            flush()
            _add_item(blocks, "ol", number.group(1), stripped)
        else:
            if blocks and blocks[-1].kind in ("ul", "ol") and raw.startswith(("  ", "\t")):
                blocks[-1].items[-1] += " " + stripped
            else:
                paragraph.append(stripped)
    flush()
    return Source(meta, blocks)
