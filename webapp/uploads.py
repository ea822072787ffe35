"""Uploads in two steps: files are staged and read, the editor sees what was found in each, then
adds them (or discards them).

Staged files wait in ``KB_HOME/staging/<token>/`` with a ``staged.json`` that says what each is.
Reading happens in the extraction workers, under the same limits as indexing, and the text read
goes to the catalog's cache, so the run that follows the confirmation does not read the files
again. A file whose content is already indexed is refused there and then, with the document it
duplicates. Staging folders left unconfirmed for a day are removed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import secrets
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from werkzeug.datastructures import FileStorage

from indexer import (
    EXTRACT_VERSION,
    SUPPORTED_SUFFIXES,
    Analysed,
    Catalog,
    Settings,
    SourceFile,
    WorkerFailure,
    WorkerLimits,
    append_manifest_rows,
    audit_record,
    file_with_content,
    found_values,
    keep_upload_name,
    load_taxonomy,
    run_workers,
    upload_name,
)

#: Staged uploads older than this are removed.
STAGING_SECONDS = 86400.0
_TOKEN_CHARS = frozenset("0123456789abcdef")


#: What reading a staged file found: a file to add, one that cannot be read, a copy of one
#: staged or indexed already, a kind of file the knowledge base does not read.
StagedStatus = Literal["ok", "failed", "duplicate", "unsupported"]


@dataclass
class Staged:
    """One staged file and what reading it found."""

    n: int
    name: str  # as on the editor's computer
    stored: str  # file name in the staging folder
    size: int
    sha256: str
    status: StagedStatus = "ok"
    title: str = ""
    language: str = ""
    pages: int = 0
    code: str = ""
    reason: str = ""
    duplicate_id: str = ""
    duplicate_title: str = ""
    title_given: str = ""  # the upload form's title, for a single file
    #: What was inferred from the file, value by value, with the evidence (`SHOWN_VALUES`).
    found: dict[str, dict[str, Any]] = field(default_factory=dict)


def staging_dir(settings: Settings) -> Path:
    return settings.home / "staging"


def _folder(settings: Settings, token: str) -> Path:
    if len(token) != 32 or not set(token) <= _TOKEN_CHARS:
        raise FileNotFoundError(token)
    return staging_dir(settings) / token


def stage(
    settings: Settings,
    files: list[FileStorage],
    meta: dict[str, str],
    safe_name: Callable[[str], str],
) -> str:
    """Save the files in a new staging folder, read them, and return its token."""
    purge(settings)
    token = secrets.token_hex(16)
    folder = _folder(settings, token)
    folder.mkdir(parents=True)
    staged: list[Staged] = []
    for n, upload in enumerate(files):
        name = Path((upload.filename or "document").replace("\\", "/")).name
        stored = f"{n:03d}-{safe_name(name)}"
        upload.save(str(folder / stored))
        data = (folder / stored).read_bytes()
        item = Staged(n, name, stored, len(data), hashlib.sha256(data).hexdigest())
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            item.status = "unsupported"
        staged.append(item)
    _read(settings, folder, staged, meta)
    _save(folder, staged, meta)
    return token


def _read(settings: Settings, folder: Path, staged: list[Staged], given: dict[str, str]) -> None:
    """Duplicates of indexed documents or of each other; the others read in the workers."""
    seen: dict[str, Staged] = {}
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        for item in staged:
            if item.status != "ok":
                continue
            copy = file_with_content(catalog, item.sha256, ("indexed",))
            if copy is not None:
                item.status = "duplicate"
                item.duplicate_id, item.duplicate_title = copy
            elif item.sha256 in seen:
                item.status, item.duplicate_title = "duplicate", seen[item.sha256].name
            else:
                seen[item.sha256] = item
        todo = {item.n: item for item in staged if item.status == "ok"}
        if not todo:
            return
        results = run_workers(
            ((n, str(folder / item.stored)) for n, item in todo.items()),
            WorkerLimits.from_settings(settings),
            workers=min(settings.workers, len(todo)),
        )
        for n, result in results:
            item = todo[n]
            if isinstance(result, WorkerFailure):
                item.status, item.code, item.reason = "failed", result.code, result.reason
                continue
            analysed: Analysed = result
            written = (folder / item.stored).stat().st_mtime_ns
            source = SourceFile(folder, item.stored, item.size, written, item.sha256)
            item.found = found_values(source, analysed, load_taxonomy(), given)
            item.title = str(item.found["title"]["value"])
            item.language, item.pages = analysed.language, len(analysed.pages)
            catalog.store_extraction(item.sha256, EXTRACT_VERSION, analysed)


def _save(folder: Path, staged: list[Staged], meta: dict[str, str]) -> None:
    data = {"created": time.time(), "meta": meta, "files": [asdict(s) for s in staged]}
    (folder / "staged.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def load(settings: Settings, token: str) -> dict[str, Any]:
    """What was staged under ``token`` (FileNotFoundError when nothing is)."""
    data: dict[str, Any] = json.loads((_folder(settings, token) / "staged.json").read_text("utf-8"))
    data["files"] = [Staged(**f) for f in data["files"]]
    return data


def _added_before(catalog: Catalog, root: Path, item: Staged) -> str | None:
    """What the knowledge base already holds with this file's content, added since it was
    staged (the same file staged twice, both confirmed): a title or an upload's name."""
    copy = file_with_content(catalog, item.sha256, ("indexed", "failed"))
    if copy is not None:
        return copy[1]
    # Confirmed but not indexed yet: in the uploads folder, with its size and content.
    for path in root.rglob("*") if root.is_dir() else ():
        try:
            same_size = path.is_file() and path.stat().st_size == item.size
        except OSError:
            continue
        if same_size and _sha256(path) == item.sha256:
            return (
                upload_name(catalog, str(root.resolve()), path.relative_to(root).as_posix())
                or path.name
            )
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _confirming(settings: Settings) -> Iterator[None]:
    """One confirmation at a time per data folder (every server process), so that two
    confirmations of the same file cannot both find it new."""
    settings.home.mkdir(parents=True, exist_ok=True)
    with (settings.home / "uploads.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def confirm(
    settings: Settings,
    token: str,
    include: set[int],
    titles: dict[int, str],
    who: str,
    values: dict[int, dict[str, str]] | None = None,
) -> tuple[list[Staged], list[Staged]]:
    """Move the chosen files into the uploads folder, with their manifest rows (the upload
    form's values, and each file's values the editor changed in the check step); return them,
    and those refused: a file whose content was added since it was staged (staged twice,
    confirmed twice) is not added again."""
    data = load(settings, token)
    folder = _folder(settings, token)
    root = settings.uploads_dir
    meta = data["meta"]
    added: list[Staged] = []
    refused: list[Staged] = []
    rows = []
    month = datetime.now(UTC).strftime("%Y-%m")
    with _confirming(settings), Catalog(settings.catalog_path, readonly=False) as catalog:
        for item in data["files"]:
            if item.n not in include or item.status in ("duplicate", "unsupported"):
                continue
            before = _added_before(catalog, root, item)
            if before is not None:
                item.status, item.duplicate_title = "duplicate", before
                refused.append(item)
                continue
            rel = f"{month}/{uuid.uuid4().hex[:8]}-{item.stored[4:]}"
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(folder / item.stored), target)
            title = titles.get(item.n, "").strip()
            changed = (values or {}).get(item.n, {})
            rows.append(
                {**meta, **changed, "path": rel, "title": title or changed.get("title", "")}
            )
            keep_upload_name(catalog, str(root.resolve()), rel, item.name)
            audit_record(catalog, who, "upload", rel, title or item.title or item.name)
            added.append(item)
        if rows:
            append_manifest_rows(root, rows)
    discard(settings, token)
    return added, refused


def discard(settings: Settings, token: str) -> None:
    shutil.rmtree(_folder(settings, token), ignore_errors=True)


def purge(settings: Settings, now: float | None = None) -> None:
    """Remove staging folders nobody confirmed within a day."""
    limit = (now or time.time()) - STAGING_SECONDS
    folder = staging_dir(settings)
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        try:
            if child.stat().st_mtime < limit:
                shutil.rmtree(child, ignore_errors=True)
        except OSError:
            continue
