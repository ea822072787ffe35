"""Problems found in the folders' manifests, as the latest run over each folder found them.

A manifest row that names no file, or gives a value the taxonomy does not know, is no reason to
stop a run; it is kept here so ``kb status`` and the admin page can list it until the manifest
is fixed. Folders that left the index take their problems with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..outcomes import DELETED
from .catalog_db import CatalogDatabase


class ManifestProblems(CatalogDatabase):
    """The ``problems`` table, replaced folder by folder at each run."""

    def replace_problems(
        self, root: str, problems: Iterable[tuple[str, int | None, str, str]]
    ) -> None:
        """The problems of one folder's manifest, as ``(path, line, code, message)``."""
        with self.transaction():
            self.db.execute("DELETE FROM problems WHERE root = ?", (root,))
            self.db.executemany(
                "INSERT INTO problems(root, path, line, code, message) VALUES (?,?,?,?,?)",
                ((root, *p) for p in problems),
            )

    _LIVE = (
        f"FROM problems WHERE code != '{DELETED}' AND "
        "root IN (SELECT DISTINCT root FROM files WHERE status != 'removed')"
    )

    def known_problems(self, root: str) -> set[tuple[str, str, str]]:
        """``(path, code, message)`` of each problem the latest run over ``root`` recorded."""
        rows = self.db.execute("SELECT path, code, message FROM problems WHERE root = ?", (root,))
        return {(r[0], r[1], r[2]) for r in rows}

    def recorded_problems(self, root: str) -> list[tuple[str, int | None, str, str]]:
        """The problems the latest run over ``root`` recorded, as ``(path, line, code,
        message)`` in the order it found them."""
        rows = self.db.execute(
            "SELECT path, line, code, message FROM problems WHERE root = ? ORDER BY rowid",
            (root,),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def problems(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Manifest problems of the folders still in the index, in file order."""
        sql = f"SELECT path, line, code, message {self._LIVE} ORDER BY root, line, path"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) for r in self.db.execute(sql)]

    def problem_count(self) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) {self._LIVE}").fetchone()[0])

    def drop_problems(self, root: str) -> None:
        self.db.execute("DELETE FROM problems WHERE root = ?", (root,))
