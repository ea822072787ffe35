"""Editors' management of the collection: runs followed live, failures and what to do about them,
corrections of metadata, deleting into the trash and restoring, and the audit log.

Every page is a dict rendered as HTML or as its JSON twin (``?format=json``, or the matching
``/api/admin/…`` address). The runs dict (built in `webapp.runs`, with the failure reasons) is
what the admin page's script polls: the page shows the same content without JavaScript, on each
load.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, cast

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _

from indexer import (
    EDITABLE_FIELDS,
    TRASH_KEEP_DAYS,
    Catalog,
    FileRow,
    IndexBusy,
    KbError,
    NotFound,
    audit_entries,
    current_fields,
    display_name,
    move_to_trash,
    purge_trash,
    restore_from_trash,
    save_edits,
    trash_entries,
)

from ..render import jobs, page, settings, wants_json
from ..runs import failure, runs_context
from ..security.access import admin_access, admin_required, who
from .admin import choices

bp = Blueprint("manage", __name__)
#: The largest number SQLite stores as a row id.
_LARGEST_ID = 2**63 - 1


@bp.app_context_processor
def editor_links() -> dict[str, Any]:
    """``can_edit()`` in templates: whether this visitor may correct documents."""

    def can_edit() -> bool:
        access = admin_access()
        if access.mode == "local":
            return access.local_request() and access.token_shown()
        return access.mode == "password" and access.signed_in()

    return {"can_edit": can_edit}


def _catalog() -> Catalog:
    return Catalog(settings().catalog_path)


# Runs -------------------------------------------------------------------------------------------
@bp.get("/api/admin/runs")
@bp.get("/admin/runs")
@admin_required
def runs() -> Any:
    return page("runs.html", runs_context(settings(), jobs().state))


# Tasks ------------------------------------------------------------------------------------------
@bp.get("/api/admin/tasks")
@bp.get("/admin/tasks")
@admin_required
def tasks() -> Any:
    with _catalog() as catalog:
        failures = [failure(catalog, f) for f in catalog.files(status="failed", limit=1000)]
    return page("tasks.html", {"failures": failures})


def _failed_file(catalog: Catalog, file_id: str) -> FileRow:
    file = catalog.file(file_id)
    if file is None or file.status != "failed":
        abort(404)
    return file


@bp.post("/admin/tasks/<file_id>/retry")
@admin_required
def retry(file_id: str) -> Any:
    with _catalog() as catalog:
        file = _failed_file(catalog, file_id)
        name = display_name(catalog, file.root, file.path)
    jobs().start(retry_failed=True)
    flash(_("Trying %(name)s again; the outcome appears below.", name=name), "ok")
    return redirect(url_for("admin.index") + "#progress")


@bp.post("/admin/tasks/<file_id>/remove")
@admin_required
def remove(file_id: str) -> Any:
    return _delete(file_id, url_for("manage.tasks"))


@bp.get("/admin/tasks/<file_id>/file")
@admin_required
def download(file_id: str) -> Any:
    with _catalog() as catalog:
        file = _failed_file(catalog, file_id)
        name = Path(display_name(catalog, file.root, file.path)).name
    root = Path(file.root).resolve()
    path = (root / file.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=name)


# Documents: correct, delete -------------------------------------------------------------------
def _document(catalog: Catalog, doc_id: str) -> FileRow:
    file = catalog.file(doc_id)
    if file is None or file.status != "indexed":
        abort(404)
    return file


def edit_context(file: FileRow, values: dict[str, str], problems: list[str]) -> dict[str, Any]:
    chosen = {k: [v for v in values.get(k, "").split("; ") if v] for k in ("country", "topic")}
    return {
        "id": file.id,
        "path": file.path,
        "values": values,
        "chosen": chosen,
        "problems": problems,
        "choices": choices(),
        "document_url": url_for("documents.document", doc_id=file.id),
    }


@bp.get("/api/admin/documents/<doc_id>")
@bp.get("/admin/documents/<doc_id>/edit")
@admin_required
def edit(doc_id: str) -> Any:
    with _catalog() as catalog:
        file = _document(catalog, doc_id)
    return page("edit.html", edit_context(file, current_fields(file), []))


@bp.post("/admin/documents/<doc_id>/edit")
@admin_required
def save(doc_id: str) -> Any:
    submitted = {k: request.form.get(k, "") for k in EDITABLE_FIELDS if k in request.form}
    for facet in ("country", "topic"):
        if facet in request.form:  # the form always sends the group, scripts only what they set
            submitted[facet] = "; ".join(v for v in request.form.getlist(facet) if v)
    try:
        saved = save_edits(settings(), doc_id, submitted, who())
    except NotFound:
        abort(404)
    if saved.problems:
        with _catalog() as catalog:
            file = _document(catalog, doc_id)
        messages = [p.message for p in saved.problems]
        return page("edit.html", edit_context(file, submitted, messages), 422)
    if not saved.changed:
        flash(_("Nothing was changed."), "ok")
    elif saved.indexed:
        flash(_("Saved. The search shows the new values now."), "ok")
    else:
        jobs().start()
        flash(_("Saved. The search shows the new values after the indexing under way."), "ok")
    if wants_json():
        return {"changed": saved.changed, "indexed": saved.indexed}
    return redirect(url_for("documents.document", doc_id=doc_id))


@bp.get("/api/admin/documents/<doc_id>/delete")
@bp.get("/admin/documents/<doc_id>/delete")
@admin_required
def confirm_delete(doc_id: str) -> Any:
    """The question before a document goes to the trash (a page of its own: it works without
    JavaScript, and a click on the edit page never deletes anything by itself)."""
    with _catalog() as catalog:
        file = _document(catalog, doc_id)
        name = display_name(catalog, file.root, file.path)
    return page(
        "delete.html",
        {
            "id": file.id,
            "title": str(file.value("title") or Path(file.path).name),
            "name": name,
            "days": TRASH_KEEP_DAYS,
            "document_url": url_for("documents.document", doc_id=file.id),
            "edit_url": url_for("manage.edit", doc_id=file.id),
        },
    )


@bp.post("/admin/documents/<doc_id>/delete")
@admin_required
def delete(doc_id: str) -> Any:
    return _delete(doc_id, url_for("manage.trash_page"))


def _delete(file_id: str, then: str) -> Any:
    try:
        entry = move_to_trash(settings(), file_id, who())
    except NotFound:
        abort(404)
    except IndexBusy:
        flash(_("An indexing run is under way; try again when it has finished."), "error")
        return redirect(request.referrer or then)
    said = _(
        "%(title)s was moved to the trash. It can be restored for %(days)d days.",
        title=entry.title,
        days=TRASH_KEEP_DAYS,
    )
    # The message carries its Undo: a form that restores this entry (see base.html). Flask
    # keeps any JSON value as a message; its annotation says only str.
    undo = {"text": said, "undo": url_for("manage.restore", entry_id=entry.id)}
    flash(cast(str, undo), "undo")
    if wants_json():
        return {"deleted": entry.to_dict()}
    return redirect(then)


# Trash ------------------------------------------------------------------------------------------
@bp.get("/api/admin/trash")
@bp.get("/admin/trash")
@admin_required
def trash_page() -> Any:
    with contextlib.suppress(OSError, KbError):  # a read-only data folder still shows it
        purge_trash(settings())
    with _catalog() as catalog:
        entries = [
            e.to_dict() | {"name": display_name(catalog, e.root, e.path)}
            for e in trash_entries(catalog)
        ]
    return page("trash.html", {"entries": entries, "days": TRASH_KEEP_DAYS})


@bp.post("/admin/trash/<int:entry_id>/restore")
@admin_required
def restore(entry_id: int) -> Any:
    if entry_id > _LARGEST_ID:  # no such entry; SQLite could not even look for it
        abort(404)
    try:
        entry = restore_from_trash(settings(), entry_id, who())
    except NotFound:
        abort(404)
    except KbError as err:
        flash(str(err), "error")
        return redirect(url_for("manage.trash_page"))
    jobs().start()
    flash(_("%(title)s was restored and is being indexed again.", title=entry.title), "ok")
    return redirect(url_for("admin.index") + "#progress")


# Audit log --------------------------------------------------------------------------------------
@bp.get("/api/admin/audit")
@bp.get("/admin/audit")
@admin_required
def audit_page() -> Any:
    with _catalog() as catalog:
        entries = audit_entries(catalog, limit=500)
    labels = {
        "edit": _("corrected"),
        "delete": _("deleted"),
        "restore": _("restored"),
        "purge": _("emptied from the trash"),
        "upload": _("added"),
    }
    for e in entries:
        e["label"] = labels.get(e["action"], e["action"])
    return page("audit.html", {"entries": entries})
