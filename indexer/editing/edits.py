"""Editors' corrections of a document's metadata, kept in the catalog and applied at once.

A correction is stored by content hash (the ``edits`` table): it follows the file through
renames and moves and survives any reindexing, full rebuilds included. It is laid over the
file's manifest row wherever a run describes the file (`metadata.with_edits`), so it takes
precedence over the manifest, the file's own metadata and inference, and a changed correction
changes the file's describe key: the next run describes it again by itself. `save` also re-adds
the document's record right away from its cached text, so the correction is searchable at once.
Values are checked exactly as the manifest's are (`metadata.manifest_problems`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from ..config import Settings
from ..errors import IndexBusy, NotFound
from ..ingest.describe.manifest_file import (
    MANIFEST_COLUMNS,
    ManifestProblem,
    ManifestRow,
    UploadsDialect,
    cell,
    read_manifest,
)
from ..ingest.describe.metadata import manifest_problems, with_edits
from ..ingest.preparing.prepare import Job, prepare
from ..ingest.preparing.workers import EXTRACT_VERSION, Limits
from ..models import SourceFile
from ..store import audit
from ..store import index as store
from ..store.catalog import Catalog
from ..store.catalog_rows import FileRow
from ..store.corrections import corrections, drop_corrections, keep_corrections
from ..text.controls import one_line
from ..text.taxonomy import Taxonomy, load_taxonomy

#: The fields an editor may correct, in the manifest's order.
FIELDS: tuple[str, ...] = MANIFEST_COLUMNS[1:]


#: Fields the form leaves empty while their value is only inferred: a work inferred from the
#: file's path is that path (for an upload, its storage folder and prefix), not a name an
#: editor gave; an editor who types one makes it a correction.
UNSHOWN_WHEN_INFERRED = frozenset({"work"})


def current_fields(file: FileRow) -> dict[str, str]:
    """The values a document has now, as the edit form shows them."""
    shown = {}
    for k in FIELDS:
        value = file.meta.get(k)
        inferred = value is not None and value.source == "inferred"
        shown[k] = "" if inferred and k in UNSHOWN_WHEN_INFERRED else cell(file.value(k))
    return shown


def check(fields: dict[str, str], path: str, taxonomy: Taxonomy) -> list[ManifestProblem]:
    """What is wrong with these values, as the manifest would say it."""
    return manifest_problems(ManifestRow(0, path, fields), taxonomy)


@dataclass
class Saved:
    """The result of `save`: problems (nothing saved), or what changed and whether the index
    already shows it (else the next run does)."""

    problems: list[ManifestProblem] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)
    indexed: bool = False


def save(settings: Settings, file_id: str, submitted: dict[str, str], who: str) -> Saved:
    """Store an editor's values for a document: each value that differs from what the document
    has now becomes a correction; an emptied one gives the field back to the manifest and the
    file. The document is re-added to the index at once when no run is writing it."""
    taxonomy = load_taxonomy()
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        file = catalog.file(file_id)
        if file is None or file.status != "indexed":
            raise NotFound(f"no document {file_id}")
        fields = {k: one_line(submitted.get(k, "")) for k in FIELDS if k in submitted}
        problems = check(fields, file.path, taxonomy)
        if problems:
            return Saved(problems=problems)
        now = current_fields(file)
        changed = {k: v for k, v in fields.items() if v != now[k]}
        if not changed:
            return Saved()
        before = corrections(catalog, file.sha256)
        after = {k: v for k, v in ({**before, **changed}).items() if v}
        with catalog.transaction():
            if after:
                keep_corrections(catalog, file.sha256, after, who)
            else:
                drop_corrections(catalog, file.sha256)
            audit.record(
                catalog,
                who,
                "edit",
                file.id,
                file.value("title") or file.path,
                {k: now[k] for k in changed},
                changed,
            )
        return Saved(changed=changed, indexed=reindex_now(settings, catalog, file, taxonomy))


def manifest_row(settings: Settings, root: str, path: str) -> dict[str, str] | None:
    """A file's row in its folder's manifest, read as a run reads it."""
    folder = Path(root)
    uploads = folder == settings.uploads_dir.resolve()
    return read_manifest(folder, UploadsDialect if uploads else None).row_for(path)


def reindex_now(
    settings: Settings, catalog: Catalog, file: FileRow, taxonomy: Taxonomy | None = None
) -> bool:
    """Describe one indexed document again from its cached text and replace its record.

    False when that cannot happen now (a run holds the data folder, or the text is no longer
    cached): the correction is then applied by the next run, which sees a new describe key.
    """
    if not catalog.has_extraction(file.sha256, EXTRACT_VERSION):
        return False
    taxonomy = taxonomy or load_taxonomy()
    given = manifest_row(settings, file.root, file.path)
    row = with_edits(catalog, file.sha256, file.path, given)
    source = SourceFile(Path(file.root), file.path, file.size, file.mtime_ns, file.sha256)
    limits = Limits.from_settings(settings)
    try:
        with store.run_lock(settings):
            prepared = prepare(Job(source, file.first_seen, row, str(catalog.path)), limits)
            index = store.open_index(settings)
            if index is None:
                return False
            writer = store.BatchWriter(index, catalog, fresh=False)
            try:
                writer.add(prepared.record, then=partial(catalog.save_document_row, prepared.row))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
    except IndexBusy:
        return False
    return True
