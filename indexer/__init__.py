"""Indexer of the social-innovation knowledge base: files → text → catalog → Whoosh index.

This module is the package's public face: the names below are what the web app and outside
tools use; everything else is an implementation detail of the folders (``text``, ``ingest``,
``store``, ``search``, ``editing``). Names are imported on first use, so that a process needing
one part (an extraction worker needs no search engine, the search engine no PDF parser) loads
only that part.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings
    from .editing import edits, trash
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
    from .ingest.describe import check, manifest_file
    from .ingest.describe.titles import infer_title
    from .ingest.extract import SUPPORTED_SUFFIXES, options_from
    from .ingest.extract.pdf import previews
    from .ingest.extract.pdf.previews import PreviewCache, PreviewError
    from .ingest.preparing import workers
    from .ingest.preparing.workers import EXTRACT_VERSION
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
    from .store import audit, runlog
    from .store.catalog import Catalog
    from .store.catalog_rows import FileRow
    from .store.index import index_outdated
    from .store.schema import FACET_FIELDS
    from .store.uploads import display_name, file_with_content, keep_upload_name, upload_name
    from .text import lemmas
    from .text.reflow import reflow_markup
    from .text.taxonomy import Taxonomy, load_taxonomy

#: Public name → the module that holds it (``None`` as the attribute: the module itself).
_WHERE: dict[str, tuple[str, str | None]] = {
    # Configuration and errors
    "Settings": ("config", "Settings"),
    **{
        name: ("errors", name)
        for name in (
            "ConfigError",
            "DataFolderError",
            "DiskFull",
            "ExtractionError",
            "IndexBusy",
            "IndexOutdated",
            "KbError",
            "NotFound",
            "PageNotFound",
            "QueryError",
            "storage_error",
        )
    },
    # Indexing runs
    "IndexRun": ("ingest.run", "IndexRun"),
    "RunSummary": ("ingest.run", "RunSummary"),
    "run_index": ("ingest.run", "run_index"),
    "Event": ("outcomes", "Event"),
    "Progress": ("outcomes", "Progress"),
    "watcher_state": ("ingest.watch", "watcher_state"),
    "EXTRACT_VERSION": ("ingest.preparing.workers", "EXTRACT_VERSION"),
    "workers": ("ingest.preparing.workers", None),
    "runlog": ("store.runlog", None),
    # Documents and their descriptions
    "Analysed": ("models", "Analysed"),
    "SourceFile": ("models", "SourceFile"),
    "SUPPORTED_SUFFIXES": ("ingest.extract", "SUPPORTED_SUFFIXES"),
    "options_from": ("ingest.extract", "options_from"),
    "infer_title": ("ingest.describe.titles", "infer_title"),
    "check": ("ingest.describe.check", None),
    "load_taxonomy": ("text.taxonomy", "load_taxonomy"),
    "Taxonomy": ("text.taxonomy", "Taxonomy"),
    "manifest_file": ("ingest.describe.manifest_file", None),
    "Catalog": ("store.catalog", "Catalog"),
    "FileRow": ("store.catalog_rows", "FileRow"),
    "display_name": ("store.uploads", "display_name"),
    "file_with_content": ("store.uploads", "file_with_content"),
    "keep_upload_name": ("store.uploads", "keep_upload_name"),
    "upload_name": ("store.uploads", "upload_name"),
    "status_dict": ("status", "status_dict"),
    "building": ("status", "building"),
    "index_outdated": ("store.index", "index_outdated"),
    "DELETED": ("outcomes", "DELETED"),
    "audit": ("store.audit", None),
    "edits": ("editing.edits", None),
    "trash": ("editing.trash", None),
    "lemmas": ("text.lemmas", None),
    "reflow_markup": ("text.reflow", "reflow_markup"),
    # Search
    "SearchEngine": ("search", "SearchEngine"),
    "SearchRequest": ("search", "SearchRequest"),
    "SORTS": ("search", "SORTS"),
    "MAX_PER_PAGE": ("search", "MAX_PER_PAGE"),
    "FACET_FIELDS": ("store.schema", "FACET_FIELDS"),
    "EXPORT_FIELDS": ("search.contract", "EXPORT_FIELDS"),
    "Hit": ("search.contract", "Hit"),
    "components": ("search.contract", "components"),
    "covers": ("search.finding.facets", "covers"),
    "value_label": ("search.finding.facets", "value_label"),
    "year_span": ("search.request", "year_span"),
    "latest_key": ("search.finding.snapshot", "latest_key"),
    "previews": ("ingest.extract.pdf.previews", None),
    "PreviewCache": ("ingest.extract.pdf.previews", "PreviewCache"),
    "PreviewError": ("ingest.extract.pdf.previews", "PreviewError"),
    "MODES": ("search.request", "MODES"),
    "as_mode": ("search.request", "as_mode"),
    "as_sort": ("search.request", "as_sort"),
}

__all__ = [
    "DELETED",
    "EXPORT_FIELDS",
    "EXTRACT_VERSION",
    "FACET_FIELDS",
    "MAX_PER_PAGE",
    "MODES",
    "SORTS",
    "SUPPORTED_SUFFIXES",
    "Analysed",
    "Catalog",
    "ConfigError",
    "DataFolderError",
    "DiskFull",
    "Event",
    "ExtractionError",
    "FileRow",
    "Hit",
    "IndexBusy",
    "IndexOutdated",
    "IndexRun",
    "KbError",
    "NotFound",
    "PageNotFound",
    "PreviewCache",
    "PreviewError",
    "Progress",
    "QueryError",
    "RunSummary",
    "SearchEngine",
    "SearchRequest",
    "Settings",
    "SourceFile",
    "Taxonomy",
    "as_mode",
    "as_sort",
    "audit",
    "building",
    "check",
    "components",
    "covers",
    "display_name",
    "edits",
    "file_with_content",
    "index_outdated",
    "infer_title",
    "keep_upload_name",
    "latest_key",
    "lemmas",
    "load_taxonomy",
    "manifest_file",
    "options_from",
    "previews",
    "reflow_markup",
    "run_index",
    "runlog",
    "status_dict",
    "storage_error",
    "trash",
    "upload_name",
    "value_label",
    "watcher_state",
    "workers",
    "year_span",
]


if not TYPE_CHECKING:  # hidden from the type checker, which would take any name as Any

    def __getattr__(name: str) -> Any:
        if name not in _WHERE:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module, attribute = _WHERE[name]
        found = import_module(f".{module}", __name__)
        return found if attribute is None else getattr(found, attribute)
