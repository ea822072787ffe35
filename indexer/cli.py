"""The ``kb`` command: index, search, list, status, serve.

Output for people by default, ``--json`` for scripts (the same dicts the web API returns).
Exit status: 0 when the command did its job (a run that recorded broken files still completed),
1 for errors, 2 for bad usage, 3 when ``--strict`` finds failed files.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from .config import Settings
from .errors import IndexBusy, KbError, storage_error
from .ingest.run import RunSummary, run_index
from .search import SORTS, SearchEngine, SearchRequest
from .search.contract import LIST_FIELDS
from .store.catalog import Catalog
from .store.index import current_dir
from .store.schema import FACET_FIELDS
from .store.status import status_dict
from .text import lemmas


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def one_line(err: BaseException, home: Path | None) -> str:
    """What went wrong, in one line a person can act on."""
    if isinstance(err, KbError):
        text = str(err)
    elif (problem := storage_error(err, home or Path("."))) is not None:
        text = str(problem)
    elif isinstance(err, FileExistsError | NotADirectoryError) and err.filename:
        text = f"{err.filename} is a file where a folder is needed"
    elif isinstance(err, OSError) and err.strerror:
        text = f"{err.strerror}: {err.filename}" if err.filename else err.strerror
    elif isinstance(err, sqlite3.Error):
        text = f"the catalog cannot be used: {err}"
    else:
        text = f"unexpected error: {type(err).__name__}: {err} (run with --debug for details)"
    return " ".join(text.split())


class _Kb(click.Group):
    """Every failure of a command is one line on stderr and exit status 1 (130 on Ctrl+C);
    ``kb --debug …`` shows the traceback instead."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            if ctx.params.get("debug"):
                raise
            click.echo("kb: interrupted", err=True)
            ctx.exit(130)
        except Exception as err:
            if ctx.params.get("debug"):
                raise
            settings = (ctx.obj or {}).get("settings")
            click.echo(f"kb: {one_line(err, settings.home if settings else None)}", err=True)
            ctx.exit(1)


@click.group(cls=_Kb, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(path_type=Path), help="Data folder (default: $KB_HOME).")
@click.option("--debug", is_flag=True, help="Show the full traceback when something fails.")
@click.pass_context
def main(ctx: click.Context, home: Path | None, debug: bool) -> None:
    """Knowledge base of the national competence centres for social innovation."""
    ctx.ensure_object(dict)
    settings = Settings.from_env(home=home)
    lemmas.use_cache(settings.cache)
    ctx.obj["settings"] = settings


# index -----------------------------------------------------------------------------------------
@main.command("index")
@click.argument("roots", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--full", is_flag=True, help="Rebuild into a new index and swap it in.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option("--retry-failed", is_flag=True, help="Try files that failed before again.")
@click.option("--strict", is_flag=True, help="Exit with status 3 if any file failed.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def index_cmd(
    ctx: click.Context,
    roots: tuple[Path, ...],
    full: bool,
    workers: int | None,
    retry_failed: bool,
    strict: bool,
    as_json: bool,
) -> None:
    """Index ROOT folders (default: $KB_CORPUS and uploads): new, changed, deleted files."""
    settings = _settings(ctx)
    bar: Any = None
    interactive = sys.stderr.isatty() and not as_json

    def progress(done: int, total: int, path: str) -> None:
        nonlocal bar
        if not interactive:
            return
        if bar is None:
            bar = click.progressbar(
                length=total,
                label="Indexing",
                file=sys.stderr,
                item_show_func=lambda p: p and p[-40:],
            )
            bar.__enter__()
        bar.update(1, path)

    try:
        summary = run_index(
            settings,
            list(roots) or None,
            full=full,
            workers_count=workers,
            retry_failed=retry_failed,
            progress=progress,
        )
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        _print_json(summary.to_dict())
    else:
        _print_summary(summary)
    if strict:
        with Catalog(settings.catalog_path) as catalog:
            failed = catalog.counts().get("failed", 0)
        if failed:
            click.echo(f"kb: {failed} file(s) could not be indexed (see kb status)", err=True)
            sys.exit(3)


def _print_summary(s: RunSummary) -> None:
    click.echo(_summary_line(s))
    _print_lists(s)


def _summary_line(s: RunSummary) -> str:
    parts = [f"{s.added} added", f"{s.updated} updated", f"{s.removed} removed"]
    if s.renamed:
        parts.append(f"{s.renamed} renamed")
    parts += [
        f"{s.failed} failed",
        f"{s.unchanged} unchanged",
        f"{s.pages} pages",
        f"{s.seconds:.2f} s",
    ]
    if s.moved:
        parts.insert(3, f"{s.moved} moved")
    if s.manifest_problems:
        parts.append(f"{s.manifest_problems} manifest problems")
    if s.duplicates:
        parts.append(f"{s.duplicates} duplicates")
    return ("full rebuild: " if s.full else "") + ", ".join(parts)


def _print_lists(s: RunSummary) -> None:
    for failure in s.failures:
        click.echo(f"  failed: {failure['path']}: {failure['reason']}")
    for problem in s.problems:
        line = f" (line {problem['line']})" if problem["line"] else ""
        click.echo(f"  manifest: {problem['path']}{line}: {problem['problem']}")
    for copy in s.copies:
        click.echo(f"  duplicate: {copy['path']} is a copy of {copy['copy_of']}")


# search ----------------------------------------------------------------------------------------
def _facet_option(name: str) -> Any:
    return click.option(
        f"--{name}",
        f"{name}_values",
        multiple=True,
        help=f"Only documents with this {name} (repeat: any of them).",
    )


@main.command("search")
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
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--per-page", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--any", "any_word", is_flag=True, help="Match any word instead of all words.")
@click.option("--no-expand", is_flag=True, help="Do not search concept terms in other languages.")
@click.option("--lang", default="en", show_default=True, help="Language of facet labels.")
@click.option("--json", "as_json", is_flag=True, help="Print the search JSON.")
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: str,
    sort: str,
    page: int,
    per_page: int,
    any_word: bool,
    no_expand: bool,
    lang: str,
    as_json: bool,
    year_from: int | None,
    year_to: int | None,
    **facets: Any,
) -> None:
    """Search the index. Filters combine with OR within a facet and AND across facets."""
    filters = {
        name: list(facets[f"{name}_values"])
        for name in FACET_FIELDS
        if facets.get(f"{name}_values")
    }
    if year_from or year_to:
        filters.setdefault("year", []).append(f"{year_from or ''}-{year_to or ''}")
    request = SearchRequest(
        q=query,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        mode="any" if any_word else "all",
        expand=not no_expand,
    )
    engine = SearchEngine(_settings(ctx))
    try:
        result = engine.search(request, lang=lang)
    finally:
        engine.close()
    if as_json:
        _print_json(result)
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


def _print_results(result: dict[str, Any]) -> None:
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
    if total:
        click.echo("")
        for facet, values in result["facets"].items():
            if values:
                shown = ", ".join(f"{v['label']} ({v['count']})" for v in values[:8])
                click.echo(f"{facet}: {shown}")


# list / status -------------------------------------------------------------------------------
@main.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Every indexed document."""
    engine = SearchEngine(_settings(ctx))
    try:
        docs = [
            {k: d[k] for k in LIST_FIELDS if k != "page_count"} | {"pages": d["page_count"]}
            for d in engine.documents()
        ]
    finally:
        engine.close()
    if as_json:
        _print_json(docs)
        return
    for d in docs:
        click.echo(
            f"{d['id']}  {d['path']}  [{','.join(d['languages'])}] "
            f"{d['type']} {d['year'] or ''} {d['pages']}p  {d['title']}"
        )
    click.echo(f"{len(docs)} document(s)")


@main.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Counts, data folder, index size, last run and files that failed."""
    status = status_dict(_settings(ctx))
    if as_json:
        _print_json(status)
        return
    c = status["counts"]
    click.echo(f"data folder: {status['home']}")
    click.echo(
        f"documents:   {c['indexed']} indexed ({status['pages']} pages), "
        f"{c['failed']} failed, {c['removed']} removed"
    )
    click.echo(f"index:       {status['index_size'] / 1e6:.1f} MB")
    last = status["last_run"]
    if last:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last["finished"]))
        click.echo(
            f"last run:    {when}: {last.get('added', 0)} added, "
            f"{last.get('updated', 0)} updated, {last.get('removed', 0)} removed, "
            f"{last.get('failed', 0)} failed in {last.get('seconds', 0):.2f} s"
        )
    for f in status["failed"]:
        click.echo(f"failed:      {f['path']}: {f['reason']}")
    for m in status["manifest"]:
        line = f" (line {m['line']})" if m["line"] else ""
        click.echo(f"manifest:    {m['path']}{line}: {m['problem']}")
    for d in status["duplicates"]:
        click.echo(f"duplicate:   {d['path']} is a copy of {d['copy_of']}")


# serve -----------------------------------------------------------------------------------------
@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Server processes (default: $KB_SERVE_WORKERS, else one per core).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads per server process.",
)
@click.option(
    "--watch", "watch_folders", is_flag=True, help="Also index changes of the folders (kb watch)."
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    watch_folders: bool,
) -> None:
    """Serve the web app; indexes $KB_CORPUS first when the index is empty."""
    from webapp import secret_key
    from webapp.security.access import AdminAccess
    from webapp.security.hosts import allowed_hosts
    from webapp.server import serve

    # The app decides who may reach the admin pages, and which Host names it answers to,
    # from the address it is bound to.
    settings = _settings(ctx).with_(host=host)
    if current_dir(settings) is None:
        click.echo(f"Index is empty: indexing {settings.corpus} first …")
        try:
            _print_summary(run_index(settings))
        except IndexBusy:
            # Another server or `kb index` is building it: serve now, results appear when done.
            click.echo("Another run is building the index; serving meanwhile.")
    # Decided once, before the server processes start, so that all of them sign sessions with
    # one key even when the data folder is read-only.
    settings = settings.with_(secret_key=secret_key(settings))
    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    click.echo(f"Answering to the names: {', '.join(allowed_hosts(settings))}")
    if host in ("0.0.0.0", "::") and not settings.allowed_hosts:
        click.echo("  other computers use this server's name: list it in KB_ALLOWED_HOSTS")
    mode = AdminAccess(settings, settings.secret_key or "").mode
    click.echo(f"Administration: {_ADMIN_MODES[mode]}")
    watcher = _start_watcher(settings) if watch_folders else None
    try:
        serve(
            settings,
            host=host,
            port=port,
            workers=workers or settings.serve_workers,
            threads=threads,
        )
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.wait(30)


def _start_watcher(settings: Settings) -> subprocess.Popen[bytes]:
    """`kb watch` beside the server, in a process of its own (the server forks its workers; a
    watching thread must not be forked with them)."""
    roots = [str(r) for r in settings.default_roots()]
    click.echo(f"Watching: {', '.join(roots)}")
    command = [sys.executable, "-m", "indexer.cli", "--home", str(settings.home), "watch"]
    return subprocess.Popen([*command, *roots])


# watch -----------------------------------------------------------------------------------------
@main.command("watch")
@click.argument("roots", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.pass_context
def watch_cmd(ctx: click.Context, roots: tuple[Path, ...], workers: int | None) -> None:
    """Index ROOT folders (default: $KB_CORPUS and uploads) now and whenever files in them are
    added, changed, renamed or deleted, once they have settled. Runs until Ctrl+C."""
    import logging

    from .ingest.watch import follow

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    settings = _settings(ctx)
    folders = list(roots) or settings.default_roots()
    click.echo("Watching " + ", ".join(str(f) for f in folders) + "  (Ctrl+C to stop)")

    def report(summary: RunSummary) -> None:
        if summary.added + summary.updated + summary.removed + summary.renamed + summary.failed:
            click.echo(time.strftime("%H:%M:%S ") + _summary_line(summary))

    follow(settings, folders, workers=workers, on_run=report)


# export-manifest -------------------------------------------------------------------------------
@main.command("export-manifest")
@click.argument("root", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here (default: standard output).",
)
@click.pass_context
def export_manifest_cmd(ctx: click.Context, root: Path | None, output: Path | None) -> None:
    """Write a manifest.csv of the current metadata (corrections included) of the documents of
    ROOT (default: $KB_CORPUS)."""
    from .ingest.describe.manifest_file import export_rows, write_csv, write_rows

    settings = _settings(ctx)
    folder = (root or settings.corpus).expanduser().resolve()
    with Catalog(settings.catalog_path) as catalog:
        rows = export_rows(catalog, folder)
    if output is None:
        write_csv(sys.stdout, rows)
    else:
        write_rows(output, rows)
        click.echo(f"{len(rows)} document(s) written to {output}", err=True)


_ADMIN_MODES = {
    "password": "with the password",
    "local": "without a password, from this computer only",
    "closed": "closed (set KB_ADMIN_PASSWORD to open it)",
}


@main.command("hash-password")
def hash_password_cmd() -> None:
    """Print the hash of an administration password, for KB_ADMIN_PASSWORD_HASH.

    Asks for the password twice on a terminal; reads one line from standard input otherwise.
    """
    from webapp.security.access import hash_password

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise KbError("the password is empty")
    click.echo(hash_password(password))


if __name__ == "__main__":
    main()
