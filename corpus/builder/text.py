"""Web pages, Markdown and plain text (one in the old Windows Cyrillic code page)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .common import NOTICE, doc_date
from .plan import Spec
from .sources import Source


def build_html(source: Source, spec: Spec, target: Path) -> None:
    body: list[str] = []
    for block in source.blocks:
        if block.kind in ("h1", "h2", "h3"):
            level = int(block.kind[1]) + 1
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif block.kind == "p":
            body.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "box":
            body.append(f"<blockquote><p>{escape(block.text)}</p></blockquote>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{escape(i)}</li>" for i in block.items)
            start = f' start="{block.start}"' if block.kind == "ol" and block.start != 1 else ""
            body.append(f"<{block.kind}{start}>{items}</{block.kind}>")
        elif block.kind == "table":
            head, *rows = block.rows
            th = "".join(f"<th>{escape(c)}</th>" for c in head)
            trs = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows
            )
            body.append(f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>")
    date = doc_date(source.meta).strftime("%Y-%m-%d")
    page = f"""<!DOCTYPE html>
<html lang="{spec.lang}">
<head>
<meta charset="{spec.encoding}">
<title>{escape(source.title)} | FUSE</title>
<meta name="author" content="{escape(source.meta.get("organisation", ""))}">
<meta name="description" content="{escape(NOTICE[spec.lang])}">
<meta property="article:published_time" content="{date}">
<style>body{{font-family:sans-serif;max-width:46em;margin:auto}}nav a{{margin-right:1em}}</style>
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<header><nav><a href="/">Home</a><a href="/news">News</a><a href="/about">About</a></nav></header>
<main><article>
<h1>{escape(source.title)}</h1>
<p class="meta">{escape(source.meta.get("organisation", ""))} · {date}</p>
{chr(10).join(body)}
</article></main>
<footer><p>{escape(NOTICE[spec.lang])}</p></footer>
</body>
</html>
"""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(page.encode(spec.encoding))


def _plain_lines(source: Source) -> list[str]:
    lines: list[str] = []
    for block in source.blocks:
        if block.kind in ("h1", "h2", "h3"):
            lines += ["", block.text.upper() if block.kind == "h1" else block.text, ""]
        elif block.kind in ("p", "box"):
            lines += [block.text, ""]
        elif block.kind in ("ul", "ol"):
            lines += [
                ("- " if block.kind == "ul" else f"{n}. ") + item
                for n, item in enumerate(block.items, start=block.start)
            ] + [""]
        elif block.kind == "table":
            lines += ["\t".join(row) for row in block.rows] + [""]
    return lines


def build_txt(source: Source, spec: Spec, target: Path) -> None:
    lines = [source.title, source.meta.get("organisation", ""), source.meta.get("date", ""), ""]
    lines += [*_plain_lines(source), "", NOTICE[spec.lang], ""]
    text = "\r\n".join(lines) if spec.encoding == "cp1251" else "\n".join(lines)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode(spec.encoding))


def build_md(source: Source, spec: Spec, target: Path) -> None:
    text = spec.source.read_text("utf-8").rstrip() + f"\n\n---\n\n*{NOTICE[spec.lang]}*\n"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
