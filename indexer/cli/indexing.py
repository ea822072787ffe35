"""``kb index``, ``kb watch`` and ``kb export-manifest``: bringing folders into the index, once
or as they change, and writing their metadata back out; and how a run's summary is printed."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import Settings
from ..errors import IndexBusy
from ..ingest.run import run_index
from ..outcomes import RunSummary
from ..store.catalog import Catalog
from .output import print_json

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


#: Seconds between two progress lines (``--progress-lines``).
_LINE_SECONDS = 3.0


@click.command("index")
@click.argument("roots", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--full", is_flag=True, help="Rebuild into a new index and swap it in.")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option("--retry-failed", is_flag=True, help="Try files that failed before again.")
@click.option("--strict", is_flag=True, help="Exit with status 3 if any file failed.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--progress-lines",
    is_flag=True,
    help="Without a terminal, print the progress as a line every few seconds.",
)
@click.option(
    "--quiet-busy", is_flag=True, hidden=True, help="Another run already indexing is no error."
)
@click.pass_obj
def index_cmd(  # noqa: PLR0913 - one argument per option
    settings: Settings,
    roots: tuple[Path, ...],
    full: bool,
    workers: int | None,
    retry_failed: bool,
    strict: bool,
    as_json: bool,
    progress_lines: bool,
    quiet_busy: bool,
) -> None:
    """Index ROOT folders (default: $KB_CORPUS and uploads): new, changed, deleted files."""
    bar: ProgressBar[str] | None = None
    interactive = sys.stderr.isatty() and not as_json
    lines = progress_lines and not interactive
    last_line = 0.0

    def progress(done: int, total: int, path: str) -> None:
        nonlocal bar, last_line
        if lines and (done == total or time.monotonic() - last_line >= _LINE_SECONDS):
            last_line = time.monotonic()
            click.echo(f"Indexing: {done} of {total} files", err=True)
        if not interactive:
            return
        if bar is None:
            bar = click.progressbar(
                length=total,
                label="Indexing",
                file=sys.stderr,
                item_show_func=_path_end,
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
    except IndexBusy:
        if not quiet_busy:
            raise
        click.echo("Another run is building the index; its results appear as it goes.")
        return
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        print_json(summary.to_dict())
    else:
        print_summary(summary)
    if strict:
        with Catalog(settings.catalog_path) as catalog:
            failed = catalog.counts().get("failed", 0)
        if failed:
            click.echo(f"kb: {failed} file(s) could not be indexed (see kb status)", err=True)
            sys.exit(3)


def _path_end(path: str | None) -> str | None:
    """The end of the file's path, beside the progress bar."""
    return path and path[-40:]


def print_summary(s: RunSummary) -> None:
    click.echo(summary_line(s))
    _print_lists(s)


def summary_line(s: RunSummary) -> str:
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


@click.command("watch")
@click.argument("roots", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Extraction processes (default: cores)."
)
@click.option(
    "--parent",
    type=int,
    hidden=True,
    help="Stop when this process, which started the watcher, ends (kb serve --watch).",
)
@click.pass_obj
def watch_cmd(
    settings: Settings, roots: tuple[Path, ...], workers: int | None, parent: int | None
) -> None:
    """Index ROOT folders (default: $KB_CORPUS and uploads) now and whenever files in them are
    added, changed, renamed or deleted, once they have settled. Runs until Ctrl+C."""
    import logging

    from ..ingest.watch import follow

    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    folders = list(roots) or settings.default_roots()
    click.echo("Watching " + ", ".join(str(f) for f in folders) + "  (Ctrl+C to stop)")

    def report(summary: RunSummary) -> None:
        if summary.added + summary.updated + summary.removed + summary.renamed + summary.failed:
            click.echo(time.strftime("%H:%M:%S ") + summary_line(summary))

    follow(settings, folders, workers=workers, on_run=report, parent=parent)


@click.command("export-manifest")
@click.argument("root", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here (default: standard output).",
)
@click.pass_obj
def export_manifest_cmd(settings: Settings, root: Path | None, output: Path | None) -> None:
    """Write a manifest.csv of the current metadata (corrections included) of the documents of
    ROOT (default: $KB_CORPUS)."""
    from ..ingest.describe.manifest_file import export_rows, write_csv, write_rows

    folder = (root or settings.corpus).expanduser().resolve()
    with Catalog(settings.catalog_path) as catalog:
        rows = export_rows(catalog, folder)
    if output is None:
        write_csv(sys.stdout, rows)
    else:
        write_rows(output, rows)
        click.echo(f"{len(rows)} document(s) written to {output}", err=True)
