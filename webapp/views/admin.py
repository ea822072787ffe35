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
from flask_babel import ngettext

from indexer import (
    SHOWN_VALUES,
    SUPPORTED_SUFFIXES,
    status_dict,
    value_changes,
    value_problems,
)

from .. import uploads
from ..i18n import current_language
from ..render import jobs, page, settings, taxonomy, wants_json
from ..runs import human_reason, manifest_reason, runs_context
from ..security.access import admin_access, admin_required, who

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
    for problem in status["manifest"]:
        problem["human"] = manifest_reason(problem["code"], problem["problem"])
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
    data = admin_context()
    return page("admin.html", data, extra=admin_extra(data))


def admin_extra(data: dict[str, Any]) -> dict[str, Any]:
    """What the page says in the interface language where the status speaks English for the
    command line: what installing each missing dictionary adds."""
    status = data["status"]
    found = status["dictionaries"]
    lang, tax = current_language(), taxonomy()
    missing = [
        {
            **m,
            "adds": _(
                "%(one)s → %(other)s (and %(other)s → %(one)s read backwards)",
                one=tax.label("language", m["from"], lang),
                other=tax.label("language", m["to"], lang),
            ),
        }
        for m in found["missing"]
    ]
    return {"status": {**status, "dictionaries": {**found, "missing": missing}}}


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


def _fields(item: uploads.Staged, submitted: dict[str, str]) -> list[dict[str, Any]]:
    """The check step's fields of one file: each inferred value, what the form holds now (the
    editor's value after a refused submission), the words it was inferred from, and for a
    list of choices the options (any value found outside them added)."""
    lang = current_language()
    tax = taxonomy()
    offered = choices()
    fields = []
    for name in SHOWN_VALUES:
        found = item.found.get(name, {"value": "", "source": "inferred", "evidence": []})
        value = submitted.get(name, str(found["value"]))
        field: dict[str, Any] = {**found, "name": name, "value": value, "found": found["value"]}
        if name in ("country", "topic"):
            chosen = [v for v in value.split("; ") if v]
            options = list(offered[name])
            known = {v for v, _ in options}
            options += [(v, tax.label(name, v, lang)) for v in chosen if v not in known]
            field.update(chosen=chosen, options=options)
        elif name == "type":
            field["options"] = offered["type"]
        fields.append(field)
    return fields


def preview_context(
    token: str,
    submitted: dict[int, dict[str, str]] | None = None,
    problems: dict[int, list[str]] | None = None,
) -> dict[str, Any]:
    try:
        data = uploads.load(settings(), token)
    except (FileNotFoundError, ValueError):
        abort(404)
    files = []
    for item in data["files"]:
        entry = asdict(item)
        if item.status == "failed":
            entry["human"] = human_reason(item.code)
        elif item.status == "unsupported":
            entry["human"] = human_reason("unsupported")
        if item.duplicate_id:
            entry["duplicate_url"] = url_for("documents.document", doc_id=item.duplicate_id)
        if item.status == "ok":
            given = dict((submitted or {}).get(item.n, {}))
            if item.title_given and "title" not in given:
                given["title"] = item.title_given
            entry["fields"] = _fields(item, given)
            entry["problems"] = (problems or {}).get(item.n, [])
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
    try:
        staged = uploads.load(settings(), token)["files"]
    except (FileNotFoundError, ValueError):
        abort(404)
    submitted, changed, problems = _checked(staged, include, titles)
    if problems:
        messages = _("Some values were not accepted; see the files marked below.")
        flash(messages, "error")
        return page("preview.html", preview_context(token, submitted, problems), 422)
    return _confirm(token, include, {}, changed)


def _checked(
    staged: list[uploads.Staged], include: set[int], titles: dict[int, str]
) -> tuple[dict[int, dict[str, str]], dict[int, dict[str, str]], dict[int, list[str]]]:
    """The check step's values as submitted, those the editor changed, and what is wrong with
    them (checked as the correction form checks its values)."""
    submitted: dict[int, dict[str, str]] = {}
    changed: dict[int, dict[str, str]] = {}
    problems: dict[int, list[str]] = {}
    form = request.form
    for item in staged:
        if item.status != "ok":
            continue
        values = {
            n: form.get(f"f-{item.n}-{n}", "") for n in SHOWN_VALUES if f"f-{item.n}-{n}" in form
        }
        for name in ("country", "topic"):
            if f"f-{item.n}-{name}" in form:
                values[name] = "; ".join(v for v in form.getlist(f"f-{item.n}-{name}") if v)
        if item.n in titles:
            values["title"] = titles[item.n]
        submitted[item.n] = values
        changed[item.n] = value_changes(item.found, values) if item.found else {}
        if item.title_given and "title" not in changed[item.n] and item.n not in titles:
            changed[item.n]["title"] = item.title_given
        wrong = value_problems(changed[item.n], item.name, taxonomy())
        if wrong and item.n in include:
            problems[item.n] = [p.message for p in wrong]
    return submitted, changed, problems


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


def _confirm(
    token: str,
    include: set[int],
    titles: dict[int, str],
    values: dict[int, dict[str, str]] | None = None,
) -> Any:
    try:
        added, refused = uploads.confirm(settings(), token, include, titles, who(), values)
    except (FileNotFoundError, ValueError):
        abort(404)
    _flash_refused(refused)
    if added:
        jobs().start()
        flash(
            ngettext(
                "%(num)d file uploaded; follow its indexing below.",
                "%(num)d files uploaded; follow their indexing below.",
                len(added),
            ),
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
