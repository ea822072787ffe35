"""The audit log: who changed what in the collection, when, and the values before and after.

``who`` is the signed-in administrator (``admin``), a script using HTTP Basic (``admin
(script)``), ``local`` for the password-less administration of a server bound to this computer,
or ``kb`` for the command line.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .catalog import Catalog

#: Entries kept (the oldest go first).
KEEP = 10_000


def record(
    catalog: Catalog,
    who: str,
    action: str,
    target: str,
    title: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """One entry (in the caller's transaction, if there is one)."""
    catalog.db.execute(
        "INSERT INTO audit(at, who, action, target, title, before, after) VALUES (?,?,?,?,?,?,?)",
        (
            time.time(),
            who,
            action,
            target,
            title,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )
    catalog.db.execute("DELETE FROM audit WHERE id <= (SELECT MAX(id) FROM audit) - ?", (KEEP,))


def entries(catalog: Catalog, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """The latest entries, newest first."""
    rows = catalog.db.execute(
        "SELECT * FROM audit ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
    )
    return [
        {
            "id": r["id"],
            "at": r["at"],
            "who": r["who"],
            "action": r["action"],
            "target": r["target"],
            "title": r["title"],
            "before": json.loads(r["before"]) if r["before"] else None,
            "after": json.loads(r["after"]) if r["after"] else None,
        }
        for r in rows
    ]


def deleted(catalog: Catalog, ids: list[str]) -> set[str]:
    """Of the given document ids, those an editor deleted (in the browser or by a script) and
    nobody restored since: the trash may have forgotten them, the log has not."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = catalog.db.execute(
            f"SELECT DISTINCT d.target FROM audit d WHERE d.action = 'delete' AND d.target IN "
            f"({marks}) AND NOT EXISTS (SELECT 1 FROM audit r WHERE r.target = d.target AND "
            "r.action = 'restore' AND r.id > d.id)",
            chunk,
        )
        found.update(r[0] for r in rows)
    return found
