"""Indexer of the social-innovation knowledge base: files → text → catalog → Whoosh index.

This module is the package's public face: the names below are what the web app and outside
tools use; everything else is an implementation detail of the folders (``text``, ``ingest``,
``store``, ``search``, ``editing``). Each name is a function, a class or a constant — never a
whole module — and is listed once, in the block the type checker reads: at run time that same
block is read as the table of where each name lives, and a name is imported on first use, so
a process needing one part (an extraction worker needs no search engine, the search engine no
PDF parser) loads only that part.
"""

from __future__ import annotations

import ast
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings
    from .editing.edits import FIELDS as EDITABLE_FIELDS
    from .editing.edits import current_fields
    from .editing.edits import save as save_edits
    from .editing.trash import KEEP_DAYS as TRASH_KEEP_DAYS
    from .editing.trash import delete as move_to_trash
    from .editing.trash import entries as trash_entries
    from .editing.trash import purge as purge_trash
    from .editing.trash import restore as restore_from_trash
    from .errors import (
        ConfigError,
        DataFolderError,
        DiskFull,
        ExtractionError,
        IndexBusy,
        IndexOutdated,
        KbError,
        NotFound,
        PageNotFound,
        QueryError,
        storage_error,
    )
    from .ingest.describe.check import SHOWN as SHOWN_VALUES
    from .ingest.describe.check import changes as value_changes
    from .ingest.describe.check import found_values
    from .ingest.describe.check import problems as value_problems
    from .ingest.describe.manifest_file import append_rows as append_manifest_rows
    from .ingest.describe.titles import infer_title
    from .ingest.extract import SUPPORTED_SUFFIXES, options_from
    from .ingest.extract.pdf.previews import MIMETYPE as PICTURE_MIMETYPE
    from .ingest.extract.pdf.previews import (
        PICTURED,
        THUMBNAIL,
        THUMBNAIL_2X,
        PreviewCache,
        PreviewError,
        page_marks,
    )
    from .ingest.extract.pdf.previews import VIEW as PAGE_VIEW
    from .ingest.extract.pdf.previews import VIEW_2X as PAGE_VIEW_2X
    from .ingest.extract.pdf.previews import WIDTHS as PICTURE_WIDTHS
    from .ingest.preparing.workers import EXTRACT_VERSION
    from .ingest.preparing.workers import Failure as WorkerFailure
    from .ingest.preparing.workers import Limits as WorkerLimits
    from .ingest.preparing.workers import run as run_workers
    from .ingest.run import IndexRun, RunSummary, run_index
    from .ingest.watch import watcher_state
    from .models import Analysed, SourceFile
    from .outcomes import DELETED, Event, Progress
    from .search import MAX_PER_PAGE, SORTS, SearchEngine, SearchRequest
    from .search.contract import EXPORT_FIELDS, Hit, components
    from .search.finding.facets import covers, value_label
    from .search.finding.snapshot import latest_key
    from .search.request import MODES, as_mode, as_sort, year_span
    from .status import building, status_dict
    from .store.audit import entries as audit_entries
    from .store.audit import record as audit_record
    from .store.catalog import Catalog
    from .store.catalog_rows import FileRow
    from .store.index import index_outdated
    from .store.runlog import latest_events
    from .store.runlog import runs as recent_runs
    from .store.schema import FACET_FIELDS
    from .store.uploads import display_name, file_with_content, keep_upload_name, upload_name
    from .text.controls import xml_safe
    from .text.lemmas import use_cache as use_lemma_cache
    from .text.reflow import reflow_markup
    from .text.taxonomy import Taxonomy, load_taxonomy


def _table() -> dict[str, tuple[str, str]]:
    """Public name → (module, attribute), read from the type checker's block above."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    table: dict[str, tuple[str, str]] = {}
    for node in block.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                table[alias.asname or alias.name] = (node.module, alias.name)
    return table


_WHERE: dict[str, tuple[str, str]] = {}


if not TYPE_CHECKING:  # hidden from the type checker, which would take any name as Any

    def __getattr__(name: str) -> Any:
        if not _WHERE:
            _WHERE.update(_table())
        if name not in _WHERE:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module, attribute = _WHERE[name]
        return getattr(import_module(f".{module}", __name__), attribute)

    def __dir__() -> list[str]:
        if not _WHERE:
            _WHERE.update(_table())
        return sorted(set(globals()) | set(_WHERE))
