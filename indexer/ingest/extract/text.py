"""Plain text and Markdown. The encoding is detected, never assumed: old minutes saved on
Bulgarian or Greek Windows machines are cp1251 / cp1253, not UTF-8."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ...errors import EmptyDocument, ExtractionError
from ...models import Extracted, ExtractOptions

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
#: Each pattern with what replaces it, and characters one of which every match of it has
#: (its substitution is skipped, as it would change nothing, on a page without them).
_MD_MARKUP = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1", ("](",)),  # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1", ("](",)),  # links → link text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), "", ("#",)),  # heading marks
    (re.compile(r"^\s{0,3}>\s?", re.M), "", (">",)),  # block quotes
    (re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M), "", ("---",)),  # rules
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2", ("**", "__")),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1", ("*",)),
    (re.compile(r"`([^`]*)`"), r"\1", ("`",)),
]


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text of unknown encoding: BOM, then the declared charset, then strict UTF-8,
    then statistical detection."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw.decode(name), name
    candidates = [declared] if declared else []
    candidates.append("utf-8")
    for name in candidates:
        try:
            return raw.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes  # rarely needed, and slow to load

    best = from_bytes(raw).best()
    if best is None:
        raise ExtractionError("binary data: the text encoding could not be recognised")
    return str(best), best.encoding


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and value.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    if "date" in meta:
        meta["created"] = meta.pop("date")
    if "organisation" in meta:
        meta.setdefault("author", meta["organisation"])
    return meta, text[match.end() :]


def strip_markdown(text: str) -> str:
    for pattern, repl, needed in _MD_MARKUP:
        if any(chars in text for chars in needed):
            text = pattern.sub(repl, text)
    return text


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ExtractionError("binary file with a text extension; it cannot be read as text")
    text, encoding = decode_bytes(raw)
    meta: dict[str, str] = {}
    warnings = []
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        warnings.append(f"read as {encoding}")
    fmt = "txt"
    if path.suffix.lower() in (".md", ".markdown"):
        fmt = "md"
        meta, text = _front_matter(text)
        heading = _MD_HEADING.search(text)
        if heading and "title" not in meta:
            meta["heading"] = heading.group(1).strip()
    # Form feeds are how plain-text exports mark pages. Markdown is stripped page by page: its
    # patterns match white space, and a form feed taken with a heading mark would join pages.
    pages = [p.strip() for p in text.split("\f")]
    if fmt == "md":
        pages = [strip_markdown(p).strip() for p in pages]
    if not any(pages):
        raise EmptyDocument("the file contains only white space")
    if len(pages) > max_pages:
        warnings.append(f"only the first {max_pages} of {len(pages)} pages were read")
        pages = pages[:max_pages]
    return Extracted(format=fmt, pages=pages, meta=meta, warnings=warnings)
