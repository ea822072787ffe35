"""The state of a data folder in one dict: what `kb status` prints and the admin page shows."""

from __future__ import annotations

import sqlite3
from typing import Any

from .config import Settings
from .ingest.extract import ocr
from .search.contract import Building
from .store.catalog import Catalog
from .store.index import current_dir, index_outdated, index_size, layout_is_current
from .store.runlog import last_run, runs
from .translation.freedict import installed_dictionaries

#: At most this many failed files and manifest problems are listed (all are counted).
LISTED = 1000


def status_dict(settings: Settings) -> dict[str, Any]:
    with Catalog(settings.catalog_path) as catalog:
        counts = catalog.counts()
        failed = [
            {"path": r.path, "reason": r.reason or "", "code": r.reason_code or "error"}
            for r in catalog.files(status="failed", limit=LISTED)
        ]
        problems = catalog.problems(limit=LISTED)
        problem_count = catalog.problem_count()
        last = last_run(catalog)
        pages = catalog.page_total()
        copies = duplicates(catalog, LISTED)
    return {
        "home": str(settings.home),
        "corpus": str(settings.corpus),
        "index": str(current_dir(settings) or ""),
        "index_size": index_size(settings),
        "index_outdated": index_outdated(settings),
        "counts": {
            "indexed": counts.get("indexed", 0),
            "failed": counts.get("failed", 0),
            "removed": counts.get("removed", 0),
            "manifest_problems": problem_count,
        },
        "documents": counts.get("indexed", 0),
        "pages": pages,
        "last_run": last,
        "failed": failed,
        "manifest": [
            {"path": p["path"], "line": p["line"], "code": p["code"], "problem": p["message"]}
            for p in problems
        ],
        "duplicates": copies,
        # Which directions the bilingual dictionaries cover, and what installing more adds.
        "dictionaries": installed_dictionaries(settings.dictionaries, settings.cache).status(),
        # Whether scans are read, and what installing Tesseract or its packs would add.
        "ocr": ocr.status(settings.ocr_languages, settings.ocr),
    }


def duplicates(catalog: Catalog, limit: int = LISTED) -> list[dict[str, str]]:
    """Indexed files with the same content as another indexed file (the first one by path
    is the original, the others its copies)."""
    found = [{"path": p, "copy_of": o} for p, o in catalog.copies(limit + 1000)]
    return [c for c in found if c["path"] != c["copy_of"]][:limit]


def building(settings: Settings) -> Building | None:
    """The live run's progress while no index can be searched yet (none has been built, or the
    active one is in an earlier layout); None otherwise.

    `kb serve` answers from its first second, also on a folder never indexed, while the first
    run goes on beside it and commits its documents in batches; until the first batch lands,
    pages and the health check say the knowledge base is being built, with this progress.
    """
    active = current_dir(settings)  # read once: asked on every search
    if active is not None and layout_is_current(active):
        return None
    if not settings.catalog_path.exists():
        return None
    try:
        with Catalog(settings.catalog_path, readonly=True) as catalog:
            live = next((r for r in runs(catalog, limit=3) if r["running"]), None)
    except sqlite3.Error:  # a catalog being created this very moment
        return None
    if live is None:
        return None
    return {
        "phase": live["phase"],
        "done": live["done"],
        "total": live["total"],
        "elapsed": live["elapsed"],
        "remaining": live["remaining"],
    }
