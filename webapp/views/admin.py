"""Administration: upload documents (with optional metadata), reindex, see what failed and why.

Uploads are stored under generated names that keep the original name readable — Cyrillic and
Greek letters included, which ``secure_filename`` would erase — in the data folder's
``uploads/`` root, and the metadata given in the form is appended to that folder's manifest, so
the indexer treats it exactly like an editor's spreadsheet. That manifest is written in one
fixed CSV dialect (`indexer.metadata.UploadsDialect`) and read back in the same one: a title
full of quotes and semicolons stays one title.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from indexer.config import Settings
from indexer.extract import SUPPORTED_SUFFIXES
from indexer.metadata import MANIFEST_COLUMNS, MANIFEST_NAME, UploadsDialect
from indexer.schema import FACET_FIELDS
from indexer.status import status_dict

from ..i18n import current_language
from ..jobs import IndexingJobs
from ..render import page, taxonomy
from ..security import admin_access, admin_required

bp = Blueprint("admin", __name__)
MAX_FILES = 200
_manifest_lock = threading.Lock()


def _settings() -> Settings:
    return current_app.extensions["kb_settings"]


def _jobs() -> IndexingJobs:
    return current_app.extensions["kb_jobs"]


def safe_name(filename: str) -> str:
    """A file name safe on any file system that still reads like the original."""
    name = unicodedata.normalize("NFC", Path(filename.replace("\\", "/")).name)
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-._")[:80] or "document"
    suffix = re.sub(r"[^\w.]", "", suffix)[:10]
    return stem + suffix


def save_upload(upload: FileStorage, root: Path) -> str:
    """Store one uploaded file; return its path relative to the uploads root."""
    name = safe_name(upload.filename or "document")
    folder = datetime.now(UTC).strftime("%Y-%m")
    target = root / folder / f"{uuid.uuid4().hex[:8]}-{name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    upload.save(str(target))
    return target.relative_to(root).as_posix()


def append_manifest(root: Path, rows: list[dict[str, str]]) -> None:
    path = root / MANIFEST_NAME
    with _manifest_lock:
        new = not path.exists()
        with path.open("a", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(MANIFEST_COLUMNS), dialect=UploadsDialect)
            if new:
                writer.writeheader()
            for row in rows:
                writer.writerow({k: row.get(k, "") for k in MANIFEST_COLUMNS})


def admin_context() -> dict[str, Any]:
    settings = _settings()
    status = status_dict(settings)
    lang = current_language()
    tax = taxonomy()
    return {
        "signed_in": admin_access().mode == "password" and not g.get("kb_admin_basic"),
        "status": status,
        "job": _jobs().state.to_dict(),
        "supported": sorted(SUPPORTED_SUFFIXES),
        "max_upload_mb": settings.max_upload_mb,
        "choices": {
            "country": [(c, tax.label("country", c, lang)) for c in tax.countries],
            "topic": [(t, tax.label("topic", t, lang)) for t in tax.topics],
            "type": [(t, tax.label("type", t, lang)) for t in tax.types],
        },
    }


@bp.get("/admin")
@admin_required
def index() -> Any:
    return page("admin.html", admin_context())


@bp.post("/admin/upload")
@admin_required
def upload() -> Any:
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(_("Choose at least one file to upload."), "error")
        return redirect(url_for("admin.index"))
    if len(files) > MAX_FILES:
        flash(_("At most %(n)d files at a time.", n=MAX_FILES), "error")
        return redirect(url_for("admin.index"))
    root = _settings().uploads_dir
    meta = {k: request.form.get(k, "").strip() for k in ("title", "year", "organisation", "work")}
    for facet in ("country", "topic"):
        meta[facet] = "; ".join(v for v in request.form.getlist(facet) if v)
    meta["type"] = request.form.get("type", "").strip()
    if meta["year"] and not re.fullmatch(r"(19|20)\d\d", meta["year"]):
        flash(_("The year must have four digits, for example 2023."), "error")
        return redirect(url_for("admin.index"))
    rows, rejected = [], []
    for f in files:
        suffix = Path(f.filename or "").suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            rejected.append(f.filename or "?")
            continue
        rel = save_upload(f, root)
        row = {
            "path": rel,
            **{k: v for k, v in meta.items() if k in FACET_FIELDS or k in ("title", "work")},
        }
        if len(files) > 1:
            row["title"] = ""  # one title for many files would be wrong; let each file say
        rows.append(row)
    if rows:
        append_manifest(root, rows)
        _jobs().start()
        flash(
            _(
                "%(n)d file(s) uploaded; they are being indexed and will be searchable in a "
                "moment.",
                n=len(rows),
            ),
            "ok",
        )
    if rejected:
        flash(
            _("Not uploaded (format not supported): %(names)s", names=", ".join(rejected)), "error"
        )
    return redirect(url_for("admin.index"))


@bp.post("/admin/reindex")
@admin_required
def reindex() -> Any:
    full = request.form.get("full") == "1"
    started = _jobs().start(full=full)
    flash(
        _("Indexing started.")
        if started
        else _("Indexing is running; another run will follow it."),
        "ok",
    )
    return redirect(url_for("admin.index"))
