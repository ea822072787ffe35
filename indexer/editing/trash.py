"""Deleting documents into a trash folder, restoring them, and emptying what is too old.

A deleted document's file moves to ``KB_HOME/trash/<entry>/`` with a ``metadata.json`` beside
it (where it came from, its metadata, its manifest row and corrections), and leaves the index
and the catalog at once. For `KEEP_DAYS` days it can be put back where it was (and is indexed
again by the next run); after that `purge` removes it.
An uploaded file's row leaves the uploads manifest with it and comes back on restore, so the
manifest never names a missing file; an editor's own manifest in a documents folder is never
rewritten.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import KbError, NotFound
from ..ingest.describe import manifest_file
from ..store import audit, trashed
from ..store import index as store
from ..store.catalog import Catalog
from ..store.corrections import corrections

KEEP_DAYS = 30
DAY = 86400.0


@dataclass(frozen=True)
class Entry:
    id: int
    file_id: str
    root: str
    path: str
    title: str
    who: str
    deleted: float

    @property
    def expires(self) -> float:
        return self.deleted + KEEP_DAYS * DAY

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file_id": self.file_id,
            "path": self.path,
            "title": self.title,
            "who": self.who,
            "deleted": self.deleted,
            "expires": self.expires,
        }


def trash_dir(settings: Settings) -> Path:
    return settings.home / "trash"


def _is_uploads(settings: Settings, root: str) -> bool:
    return Path(root) == settings.uploads_dir.resolve()


def delete(settings: Settings, file_id: str, who: str) -> Entry:
    """Move a document (indexed or failed) to the trash; it leaves index and catalog at once."""
    with store.run_lock(settings), Catalog(settings.catalog_path, readonly=False) as catalog:
        file = catalog.file(file_id)
        if file is None or file.status not in ("indexed", "failed"):
            raise NotFound(f"no document {file_id}")
        title = str(file.value("title") or Path(file.path).name)
        source = Path(file.root) / file.path
        folder = trash_dir(settings) / f"{time.time_ns()}-{file.id}"
        folder.mkdir(parents=True)
        row = (
            manifest_file.take_row(Path(file.root), file.path)
            if _is_uploads(settings, file.root)
            else None
        )
        stored = folder / Path(file.path).name
        try:
            if source.exists():
                shutil.move(str(source), stored)
        except OSError:
            if row is not None:
                manifest_file.append_rows(Path(file.root), [row])
            shutil.rmtree(folder, ignore_errors=True)
            raise
        meta = {k: v.to_dict() for k, v in file.meta.items()}
        (folder / "metadata.json").write_text(
            json.dumps(
                {
                    "root": file.root,
                    "path": file.path,
                    "sha256": file.sha256,
                    "metadata": meta,
                    "manifest_row": row,
                    "corrections": corrections(catalog, file.sha256),
                },
                ensure_ascii=False,
                indent=2,
            ),
            "utf-8",
        )
        if file.status == "indexed" and (index := store.open_index(settings)) is not None:
            writer = store.BatchWriter(index, catalog, fresh=False)
            writer.delete(file.id, then=partial(catalog.mark_removed, file.id))
            writer.commit()
        else:
            catalog.mark_removed(file.id)
        now = time.time()
        with catalog.transaction():
            number = trashed.add(
                catalog,
                trashed.Trashed(
                    file.id,
                    file.root,
                    file.path,
                    file.sha256,
                    str(stored.relative_to(trash_dir(settings))),
                    title,
                    json.dumps(row, ensure_ascii=False) if row else None,
                    who,
                    now,
                ),
            )
            audit.record(catalog, who, "delete", file.id, title, {"path": file.path}, None)
        return Entry(number, file.id, file.root, file.path, title, who, now)


def entries(catalog: Catalog) -> list[Entry]:
    return [Entry(*r) for r in trashed.listed(catalog)]


def restore(settings: Settings, entry_id: int, who: str) -> Entry:
    """Put a deleted file back where it was (under a new name if that one is taken now).

    The next indexing run adds it again.
    """
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        row = trashed.entry(catalog, entry_id)
        if row is None:
            raise NotFound(f"nothing in the trash with number {entry_id}")
        stored = trash_dir(settings) / row["stored"]
        if not stored.exists():
            raise KbError(f"the file of {row['title']} is no longer in the trash")
        root = Path(row["root"])
        target = _free(root / row["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(stored), target)
        path = target.relative_to(root).as_posix()
        if row["manifest_row"]:
            manifest_file.append_rows(root, [json.loads(row["manifest_row"]) | {"path": path}])
        shutil.rmtree(stored.parent, ignore_errors=True)
        with catalog.transaction():
            trashed.remove(catalog, entry_id)
            after = {"path": path}
            audit.record(catalog, who, "restore", row["file_id"], row["title"], None, after)
        return Entry(
            row["id"], row["file_id"], row["root"], path, row["title"], who, row["deleted"]
        )


def _free(target: Path) -> Path:
    """``target``, or the first ``name (2).ext`` … that no file holds."""
    n = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate


def purge(settings: Settings, now: float | None = None) -> int:
    """Remove entries older than `KEEP_DAYS`; return how many."""
    limit = (now or time.time()) - KEEP_DAYS * DAY
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        old = trashed.older_than(catalog, limit)
        for row in old:
            shutil.rmtree((trash_dir(settings) / row["stored"]).parent, ignore_errors=True)
            with catalog.transaction():
                trashed.remove(catalog, row["id"])
                audit.record(catalog, "kb", "purge", row["file_id"], row["title"])
        return len(old)
