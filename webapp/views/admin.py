"""Administration: upload documents (with optional metadata), reindex, see what failed and why.

An upload happens in two steps (`webapp.uploads`): the files are staged and read, the editor
sees what was found in each (and which are refused as copies of indexed documents), then adds
them or discards them. Scripts send ``confirm=1`` to add at once.

Uploads are stored under generated names that keep the original name readable — Cyrillic and
Greek letters included, which ``secure_filename`` would erase — in the data folder's
``uploads/`` root, and the metadata given in the form is appended to that folder's manifest, so
the indexer treats it exactly like an editor's spreadsheet. That manifest is written in one
fixed CSV dialect (`UploadsDialect` in `indexer/ingest/describe/manifest_file.py`) and read back
in the same one: a title full of quotes and semicolons stays one title.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from indexer import SUPPORTED_SUFFIXES, status_dict

from .. import uploads
from ..i18n import current_language
from ..render import jobs, page, settings, taxonomy, wants_json
from ..runs import human_reason, runs_context
from ..security.access import admin_access, admin_required

bp = Blueprint("admin", __name__)
MAX_FILES = 200


def safe_name(filename: str) -> str:
    """A file name safe on any file system that still reads like the original."""
    name = unicodedata.normalize("NFC", Path(filename.replace("\\", "/")).name)
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-._")[:80] or "document"
    suffix = re.sub(r"[^\w.]", "", suffix)[:10]
    return stem + suffix


def choices() -> dict[str, list[tuple[str, str]]]:
    """The values the forms offer for country, topic and type, with labels in the page's
    language."""
    lang = current_language()
    tax = taxonomy()
    return {
        "country": [(c, tax.label("country", c, lang)) for c in tax.countries],
        "topic": [(t, tax.label("topic", t, lang)) for t in tax.topics],
        "type": [(t, tax.label("type", t, lang)) for t in tax.types],
    }


def admin_context() -> dict[str, Any]:
    config = settings()
    status = status_dict(config)
    return {
        "signed_in": admin_access().mode == "password" and not g.get("kb_admin_basic"),
        "status": status,
        "job": jobs().state.to_dict(),
        "runs": runs_context(config, jobs().state),
        "supported": sorted(SUPPORTED_SUFFIXES),
        "max_upload_mb": config.max_upload_mb,
        "choices": choices(),
    }


@bp.get("/api/admin")
@bp.get("/admin")
@admin_required
def index() -> Any:
    return page("admin.html", admin_context())


@bp.post("/admin/upload")
@admin_required
def upload() -> Any:
    """Stage the files and show what was found in each (``confirm=1``: add them at once)."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        flash(_("Choose at least one file to upload."), "error")
        return redirect(url_for("admin.index"))
    if len(files) > MAX_FILES:
        flash(_("At most %(n)d files at a time.", n=MAX_FILES), "error")
        return redirect(url_for("admin.index"))
    meta = {k: request.form.get(k, "").strip() for k in ("year", "organisation", "work")}
    for facet in ("country", "topic"):
        meta[facet] = "; ".join(v for v in request.form.getlist(facet) if v)
    meta["type"] = request.form.get("type", "").strip()
    if meta["year"] and not re.fullmatch(r"(19|20)\d\d", meta["year"]):
        flash(_("The year must have four digits, for example 2023."), "error")
        return redirect(url_for("admin.index"))
    token = uploads.stage(settings(), files, meta, safe_name)
    title = request.form.get("title", "").strip()
    titles = {0: title} if title and len(files) == 1 else {}
    if request.form.get("confirm") == "1":
        staged = uploads.load(settings(), token)["files"]
        _flash_refused(staged)
        return _confirm(token, {f.n for f in staged}, titles)
    if titles:
        _set_title(token, title)
    if wants_json():
        return preview(token)
    return redirect(url_for("admin.preview", token=token))


def _set_title(token: str, title: str) -> None:
    path = uploads.staging_dir(settings()) / token / "staged.json"
    data = json.loads(path.read_text("utf-8"))
    data["files"][0]["title_given"] = title
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def preview_context(token: str) -> dict[str, Any]:
    try:
        data = uploads.load(settings(), token)
    except (FileNotFoundError, ValueError):
        abort(404)
    files = []
    for item in data["files"]:
        entry = asdict(item)
        if item.status == "failed":
            entry["human"] = human_reason(item.code)
        if item.duplicate_id:
            entry["duplicate_url"] = url_for("documents.document", doc_id=item.duplicate_id)
        files.append(entry)
    return {
        "token": token,
        "files": files,
        "meta": data["meta"],
        "addable": sum(f["status"] in ("ok", "failed") for f in files),
    }


@bp.get("/api/admin/upload/<token>")
@bp.get("/admin/upload/<token>")
@admin_required
def preview(token: str) -> Any:
    return page("preview.html", preview_context(token))


@bp.post("/admin/upload/<token>")
@admin_required
def decide(token: str) -> Any:
    if request.form.get("action") == "discard":
        uploads.discard(settings(), token)
        flash(_("The files were discarded."), "ok")
        return redirect(url_for("admin.index"))
    include = {int(n) for n in request.form.getlist("include") if n.isdigit()}
    titles = {
        int(k[6:]): v for k, v in request.form.items() if k.startswith("title-") and k[6:].isdigit()
    }
    return _confirm(token, include, titles)


def _flash_refused(staged: list[uploads.Staged]) -> None:
    for item in staged:
        if item.status == "duplicate":
            flash(
                _(
                    "%(name)s is already in the knowledge base as %(title)s.",
                    name=item.name,
                    title=item.duplicate_title,
                ),
                "error",
            )
        elif item.status == "unsupported":
            flash(_("Not uploaded (format not supported): %(names)s", names=item.name), "error")


def _confirm(token: str, include: set[int], titles: dict[int, str]) -> Any:
    from .manage import who

    try:
        added, refused = uploads.confirm(settings(), token, include, titles, who())
    except (FileNotFoundError, ValueError):
        abort(404)
    _flash_refused(refused)
    if added:
        jobs().start()
        flash(
            _("%(n)d file(s) uploaded; follow their indexing below.", n=len(added)),
            "ok",
        )
    else:
        flash(_("No file was added."), "error")
    if wants_json():
        return {"added": [f.name for f in added]}
    return redirect(url_for("admin.index") + "#progress")


@bp.post("/admin/reindex")
@admin_required
def reindex() -> Any:
    full = request.form.get("full") == "1"
    started = jobs().start(full=full)
    flash(
        _("Indexing started.")
        if started
        else _("Indexing is running; another run will follow it."),
        "ok",
    )
    return redirect(url_for("admin.index"))
