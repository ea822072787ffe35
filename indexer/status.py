"""The state of a data folder in one dict: what `kb status` prints and the admin page shows."""

from __future__ import annotations

from typing import Any

from .catalog import Catalog
from .config import Settings
from .store import current_dir, index_size

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
        last = catalog.last_run()
        pages = catalog.page_total()
    return {
        "home": str(settings.home),
        "corpus": str(settings.corpus),
        "index": str(current_dir(settings) or ""),
        "index_size": index_size(settings),
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
    }
