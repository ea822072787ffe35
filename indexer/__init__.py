"""Indexer of the social-innovation knowledge base: files → text → catalog → Whoosh index.

The public surface is small; everything else is an implementation detail of the pipeline.
Its names are imported on first use, so that a process needing one part (an extraction worker
needs no search engine, the search engine no PDF parser) loads only that part.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings
    from .errors import ExtractionError, IndexBusy, KbError, NotFound, QueryError
    from .ingest.run import IndexRun, RunSummary, run_index
    from .search import SearchEngine, SearchRequest

_WHERE = {
    "Settings": "config",
    "ExtractionError": "errors",
    "IndexBusy": "errors",
    "KbError": "errors",
    "NotFound": "errors",
    "QueryError": "errors",
    "IndexRun": "ingest.run",
    "RunSummary": "ingest.run",
    "run_index": "ingest.run",
    "SearchEngine": "search",
    "SearchRequest": "search",
}

__all__ = [
    "ExtractionError",
    "IndexBusy",
    "IndexRun",
    "KbError",
    "NotFound",
    "QueryError",
    "RunSummary",
    "SearchEngine",
    "SearchRequest",
    "Settings",
    "run_index",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
