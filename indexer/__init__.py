"""Indexer of the social-innovation knowledge base: files → text → catalog → Whoosh index.

The public surface is small; everything else is an implementation detail of the pipeline.
"""

from .config import Settings
from .errors import ExtractionError, IndexBusy, KbError, NotFound, QueryError
from .pipeline import RunSummary, run_index
from .search import SearchEngine, SearchRequest

__all__ = [
    "ExtractionError",
    "IndexBusy",
    "KbError",
    "NotFound",
    "QueryError",
    "RunSummary",
    "SearchEngine",
    "SearchRequest",
    "Settings",
    "run_index",
]
