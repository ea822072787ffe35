"""The per-document half of an indexing run, done in an extraction worker.

Everything that concerns one document alone happens where its file is read, under the file's
limits: extraction (or the text cached in the catalog), metadata, analysis, and the encoding of
its postings. The main process, which alone writes the index and the catalog, only adds the
result, so the writer is never held up by analysis and every core does a share of the work.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...models import Analysed, SourceFile
from ...store.catalog import Catalog
from ...store.catalog_rows import document_row
from ...store.schema import index_record
from ...text.taxonomy import load_taxonomy
from ..describe.metadata import describe, describe_key
from .file_access import open_inside
from .file_text import extract_file
from .workers import EXTRACT_VERSION, Limits


@dataclass(frozen=True)
class Job:
    """One file to make ready for the index."""

    source: SourceFile
    first_seen: float | None  # None: new to the collection, added now
    manifest_row: dict[str, str] | None
    #: Read the text cached in this catalog instead of extracting the file again.
    cached_in: str | None = None


@dataclass
class Prepared:
    """A document ready to be added: its index record and its catalog row."""

    record: dict[str, Any]
    row: tuple[Any, ...]
    pages: int
    #: Text just extracted, for the catalog's cache (None when it came from there).
    extracted: Analysed | None
    #: The content described: the hash of the bytes read (the planner's, when the text came
    #: from the cache). It differs from the planner's when the file changed in between.
    sha256: str


_local = threading.local()


def _catalog(path: str) -> Catalog:
    """The cache's catalog, read-only, opened once per thread.

    A worker process prepares many files on one thread and keeps its connection; the web app
    prepares a corrected document on whichever server thread took the request, and an SQLite
    connection may only be used on the thread that opened it, so each thread has its own.
    """
    opened: dict[str, Catalog] = _local.__dict__.setdefault("catalogs", {})
    found = opened.get(path)
    if found is None:
        found = opened[path] = Catalog(Path(path), readonly=True)
    return found


def prepare(job: Job, limits: Limits) -> Prepared:
    """Extract (or read from the cache), describe and analyse one file.

    A file is read through `file_access.open_inside`: only inside its folder, and described as
    the content actually read, whatever the planner saw earlier.
    """
    source = job.source
    analysed = None
    if job.cached_in:
        analysed = _catalog(job.cached_in).cached(source.sha256, EXTRACT_VERSION)
    extracted = None
    if analysed is None:
        with open_inside(source.root, source.path) as opened:
            analysed = extracted = extract_file(opened.path, limits)
        source = replace(source, sha256=opened.sha256, size=opened.size, mtime_ns=opened.mtime_ns)
    taxonomy = load_taxonomy()
    doc = describe(source, analysed, taxonomy, job.manifest_row)
    return Prepared(
        record=index_record(doc, job.first_seen or time.time()),
        row=document_row(doc, describe_key(job.manifest_row, taxonomy)),
        pages=len(doc.pages),
        extracted=extracted,
        sha256=source.sha256,
    )
