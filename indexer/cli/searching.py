"""``kb search``, ``kb list`` and ``kb status``: reading the index, as the web app's search,
document list and admin page do, printed for people (or as the same JSON with ``--json``)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from ..config import Settings
from ..search import SORTS, SearchEngine, SearchRequest
from ..search.contract import LIST_FIELDS, Advice, SearchResult
from ..search.request import as_sort
from ..status import status_dict
from ..store.schema import FACET_FIELDS
from .output import print_json

_Decorated = TypeVar("_Decorated", bound=Callable[..., Any])


def _facet_option(name: str) -> Callable[[_Decorated], _Decorated]:
    return click.option(
        f"--{name}",
        f"{name}_values",
        multiple=True,
        help=f"Only documents with this {name} (repeat: any of them).",
    )


@dataclass(frozen=True)
class SearchOptions:
    """What ``kb search`` is asked, one field per argument and option that selects results."""

    query: str
    sort: str
    page: int
    per_page: int
    any_word: bool
    no_expand: bool
    year_from: int | None
    year_to: int | None
    country_values: tuple[str, ...]
    topic_values: tuple[str, ...]
    language_values: tuple[str, ...]
    type_values: tuple[str, ...]
    year_values: tuple[str, ...]
    organisation_values: tuple[str, ...]
    place_values: tuple[str, ...]

    def request(self) -> SearchRequest:
        filters = {
            name: list(values)
            for name in FACET_FIELDS
            if (values := getattr(self, f"{name}_values", ()))
        }
        if self.year_from or self.year_to:
            filters.setdefault("year", []).append(f"{self.year_from or ''}-{self.year_to or ''}")
        return SearchRequest(
            q=self.query,
            filters=filters,
            sort=as_sort(self.sort),
            page=self.page,
            per_page=self.per_page,
            mode="any" if self.any_word else "all",
            expand=not self.no_expand,
        )


@click.command("search")
@click.argument("query", required=False, default="")
@_facet_option("country")
@_facet_option("topic")
@_facet_option("language")
@_facet_option("type")
@click.option(
    "--year",
    "year_values",
    multiple=True,
    help="Only documents of this year, range (2021-2023, 2021-, -2023) or 'undated' "
    "(repeat: any of them).",
)
@click.option("--year-from", type=int, help="Only documents of this year or later.")
@click.option("--year-to", type=int, help="Only documents of this year or earlier.")
@_facet_option("organisation")
@_facet_option("place")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--any", "any_word", is_flag=True, help="Match any word instead of all words.")
@click.option("--no-expand", is_flag=True, help="Do not search concept terms in other languages.")
@click.option("--lang", default="en", show_default=True, help="Language of facet labels.")
@click.option("--json", "as_json", is_flag=True, help="Print the search JSON.")
@click.pass_obj
def search_cmd(settings: Settings, /, lang: str, as_json: bool, **options: Any) -> None:
    """Search the index. Filters combine with OR within a facet and AND across facets."""
    request = SearchOptions(**options).request()
    engine = SearchEngine(settings)
    try:
        result = engine.search(request, lang=lang)
    finally:
        engine.close()
    if as_json:
        print_json(result)
        return
    _print_results(result)


def _plain(html: str) -> str:
    text = re.sub(r"</?mark>", "**", html)
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", '"')
        .replace("&#39;", "'")
    )


def _print_results(result: SearchResult) -> None:
    if result.get("notice"):
        click.echo(result["notice"])
    total = result["total"]
    line = f"{total} document(s) in {result['took_ms']:.0f} ms"
    if result.get("fallback") == "any":
        line += " (no document has all the words; showing documents with any of them)"
    click.echo(line)
    if result.get("suggestion"):
        click.echo(f"Did you mean: {result['suggestion']}")
    if result.get("transliterated"):
        readings = ", ".join(f"{t['typed']} as {t['reading']}" for t in result["transliterated"])
        click.echo(f"Also searched in the other alphabet: {readings}")
    first = (result["page"] - 1) * result["per_page"]
    for n, hit in enumerate(result["hits"], start=first + 1):
        meta = " · ".join(
            str(x)
            for x in (
                hit["type"],
                ",".join(hit["country"]),
                ",".join(hit["languages"]),
                hit["year"],
            )
            if x
        )
        click.echo(f"\n{n}. {hit['title']}\n   {hit['path']}  [{meta}]")
        if hit["pages"]:
            click.echo("   pages: " + ", ".join(str(p) for p in hit["pages"][:20]))
        if hit.get("best_page"):
            click.echo(f"   best match on p. {hit['best_page']}")
        for s in hit["snippets"]:
            click.echo(f"   p. {s['page']}: {_plain(s['html'])}")
    for advice in result.get("advice", []):
        click.echo(_advice_line(advice))
    if total:
        click.echo("")
        for facet, values in result["facets"].items():
            if values:
                shown = ", ".join(f"{v['label']} ({v['count']})" for v in values[:8])
                click.echo(f"{facet}: {shown}")


def _advice_line(advice: Advice) -> str:
    """What to change when nothing was found, as the web page says it (in English)."""
    words, found = ", ".join(advice["words"]), advice["found"]
    lines = {
        "filters": f"Without the filters: {found} document(s).",
        "spelling": f"No document has: {words}. Check the spelling.",
        "fewer_words": f"Fewer words: {words} find(s) documents alone."
        if words
        else "Use fewer or more general words.",
        "other_language": f"All languages (without --no-expand): {found} document(s)."
        if found
        else f"The documents are in {', '.join(advice['languages'])}: try another language.",
    }
    return lines.get(advice["kind"], advice["kind"])


@click.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def list_cmd(settings: Settings, as_json: bool) -> None:
    """Every indexed document."""
    engine = SearchEngine(settings)
    try:
        docs = engine.documents()
    finally:
        engine.close()
    if as_json:
        print_json([_listed(d) for d in docs])
        return
    for d in docs:
        click.echo(
            f"{d['id']}  {d['path']}  [{','.join(d['languages'])}] "
            f"{d['type']} {d['year'] or ''} {d['page_count']}p  {d['title']}"
        )
    click.echo(f"{len(docs)} document(s)")


def _listed(doc: Mapping[str, object]) -> dict[str, object]:
    """A document as ``kb list --json`` gives it: the page count under the name "pages"."""
    return {k: doc[k] for k in LIST_FIELDS if k != "page_count"} | {"pages": doc["page_count"]}


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def status_cmd(settings: Settings, as_json: bool) -> None:
    """Counts, data folder, index size, last run and files that failed."""
    status = status_dict(settings)
    if as_json:
        print_json(status)
        return
    c = status["counts"]
    click.echo(f"data folder: {status['home']}")
    click.echo(
        f"documents:   {c['indexed']} indexed ({status['pages']} pages), "
        f"{c['failed']} failed, {c['removed']} removed"
    )
    click.echo(f"index:       {status['index_size'] / 1e6:.1f} MB")
    if status["index_outdated"]:
        click.echo("             written by an earlier version: `kb index` rebuilds it")
    last = status["last_run"]
    if last:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last["finished"]))
        click.echo(
            f"last run:    {when}: {last.get('added', 0)} added, "
            f"{last.get('updated', 0)} updated, {last.get('removed', 0)} removed, "
            f"{last.get('failed', 0)} failed in {last.get('seconds', 0):.2f} s"
        )
    _dictionaries(status["dictionaries"])
    _ocr(status["ocr"])
    for f in status["failed"]:
        click.echo(f"failed:      {f['path']}: {f['reason']}")
    for m in status["manifest"]:
        line = f" (line {m['line']})" if m["line"] else ""
        click.echo(f"manifest:    {m['path']}{line}: {m['problem']}")
    for d in status["duplicates"]:
        click.echo(f"duplicate:   {d['path']} is a copy of {d['copy_of']}")


def _dictionaries(found: Mapping[str, Any]) -> None:
    """Which languages the dictionaries join, and what installing the missing ones adds."""
    installed = found["installed"]
    how = {(d["from"], d["to"]): d["how"] for d in found["directions"]}
    crossing = sum(1 for h in how.values() if h != "glossary only")
    if installed:
        click.echo(
            f"dictionaries: {len(installed)} in {found['folder']}, "
            f"{crossing} of {len(how)} directions between the languages"
        )
    else:
        click.echo(
            f"dictionaries: none in {found['folder'] or '(no folder)'}: only the glossary's "
            "concepts are searched in other languages"
        )
    for missing in found["missing"]:
        click.echo(f"             {missing['package']} would add {missing['adds']}")
    if found["install"]:
        click.echo(f"             install with: {found['install']}")


def _ocr(found: Mapping[str, Any]) -> None:
    """Whether scans are read, and with what."""
    if not found["enabled"]:
        click.echo("ocr:         off (KB_OCR=0): scanned pages are not read")
    elif not found["engine"]:
        click.echo("ocr:         Tesseract is not installed: scans are recorded as needing OCR")
    else:
        packs = ", ".join(found["packs"]) or "none of the knowledge base's languages"
        plain = (
            " (plain arithmetic: this processor has no AVX2)" if found["plain_arithmetic"] else ""
        )
        click.echo(f"ocr:         {found['engine']}, language packs {packs}{plain}")
    if found["enabled"] and found["missing"]:
        click.echo(f"             missing: {', '.join(found['missing'])}; {found['install']}")
