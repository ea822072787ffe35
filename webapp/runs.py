"""Indexing runs and failed files as editors see them: the live run and its latest outcomes, the
runs before it, and why a file failed in words an editor can act on, under the name the file had
on the editor's computer.

The admin page, the runs page (which the admin page's script polls), the tasks page and the
upload preview all show these, so they are built here once.
"""

from __future__ import annotations

import ast
import re
import sqlite3
import time
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from indexer import (
    DELETED,
    SUPPORTED_SUFFIXES,
    Catalog,
    FileRow,
    Settings,
    display_name,
    latest_events,
    recent_runs,
    watcher_state,
)

from .jobs import JobState


def human_reason(code: str) -> str:
    """What an editor can understand and do, by failure code (the library's words are the
    detail)."""
    reasons: dict[str, str] = {
        "encrypted": _(
            "The file is protected by a password. Save a copy without the password and add "
            "that one."
        ),
        "empty": _("No text was found in the file."),
        "needs_ocr": _(
            "The file holds only pictures of pages and no text; text recognition could not read "
            "them."
        ),
        "unsupported": _(
            "This kind of file cannot be indexed. These kinds are: %(kinds)s.",
            kinds=", ".join(sorted(SUPPORTED_SUFFIXES)),
        ),
        "timeout": _("Reading the file took too long. It may be very large or damaged."),
        "memory": _("Reading the file needed more memory than allowed. It may be damaged."),
        "unreadable": _("The file could not be read from its folder."),
        "outside": _(
            "The file is a link to something outside the documents folder; copy the file in "
            "instead."
        ),
        "broken-link": _("The file is a link whose target no longer exists."),
    }
    otherwise: str = _("The file is damaged or is not a valid document of its kind.")
    return reasons.get(code, otherwise)


_UNKNOWN = re.compile(r"unknown (\w+) (.+)")
_NOT_A_YEAR = re.compile(r"year (.+) is not a year")


def _typed(value: str) -> str:
    """A value the indexer quoted as Python would (``'Atlantis'``), as it was typed."""
    try:
        found = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return found if isinstance(found, str) else value


def manifest_reason(code: str, message: str) -> str:
    """A problem of a manifest row in the interface language, by its code (a code this
    version does not know keeps the indexer's words)."""
    fixed: dict[str, str] = {
        "no-file": _("no such file in the folder"),
        DELETED: _("deleted in the browser; its row in the manifest is no longer needed"),
        "listed-twice": _("listed twice; the later row is used"),
        "no-path-column": _("the first row must name the columns, with “path” among them"),
    }
    said: str = fixed.get(code, message)
    unknown = _UNKNOWN.fullmatch(message)
    year = _NOT_A_YEAR.fullmatch(message)
    if code == "unreadable":
        said = _("the manifest cannot be read: %(detail)s", detail=message)
    elif code == "unknown-value" and unknown:
        fields = {
            "country": _("country"),
            "topic": _("topic"),
            "type": _("document type"),
            "organisation": _("organisation"),
        }
        field = fields.get(unknown.group(1), unknown.group(1))
        said = _("unknown %(field)s “%(value)s”", field=field, value=_typed(unknown.group(2)))
    elif code == "not-a-year" and year:
        said = _("“%(value)s” is not a year", value=_typed(year.group(1)))
    return said


#: Outcomes after which the file is a document a reader can open.
_OPENED = frozenset({"added", "updated", "renamed", "moved", "unchanged", "duplicate"})


def outcome_url(catalog: Catalog, event: dict[str, Any]) -> str | None:
    """Where an outcome leads: the document, or the failed file on the tasks page — as the
    file is now (a document deleted since, or a failure fixed since, is no longer linked)."""
    known = catalog.known(event.get("root", ""), event["path"])
    if known is None:
        return None
    if known.status == "indexed" and event["kind"] in _OPENED:
        return url_for("documents.document", doc_id=known.id)
    if known.status == "failed" and event["kind"] == "failed":
        return url_for("manage.tasks") + f"#task-{known.id}"
    return None


def removal_reason(reason: str) -> str:
    """Why a file left the index, in the interface language."""
    reasons: dict[str, str] = {
        "its files moved to another folder": _("the files of its folder moved to another folder"),
        "not part of the full rebuild": _("its folder was not part of the full rebuild"),
        "the folder no longer exists": _("its folder no longer exists"),
    }
    return reasons.get(reason, reason)


def failure(catalog: Catalog, f: FileRow) -> dict[str, Any]:
    """A failed file as the tasks page lists it."""
    return {
        "id": f.id,
        "name": display_name(catalog, f.root, f.path),
        "code": f.reason_code or "error",
        "reason": human_reason(f.reason_code or "error"),
        "detail": f.reason or "",
        "since": f.updated,
    }


def runs_context(settings: Settings, job: JobState) -> dict[str, Any]:
    """The live run (if any) with its latest outcomes, and the runs before it."""
    with Catalog(settings.catalog_path) as catalog:
        recent = _recent_runs(catalog)
        live = next((r for r in recent if r["running"]), None)
        starting = _starting(job, recent) if live is None else None
        shown = live or starting or (recent[0] if recent else None)
        outcomes = []
        if shown is not None and shown is not starting:
            for e in latest_events(catalog, shown["id"], limit=30):
                e["name"] = display_name(catalog, e.get("root", ""), e["path"])
                e["url"] = outcome_url(catalog, e)
                e.pop("root", None)
                if e["kind"] == "failed":
                    e["human"] = human_reason(e.get("code", ""))
                elif e["kind"] == "manifest":
                    e["human"] = manifest_reason(e.get("code", ""), e.get("reason", ""))
                elif e["kind"] == "removed" and e.get("reason"):
                    e["human"] = removal_reason(e["reason"])
                outcomes.append(e)
        if live is not None and live["current"]:
            live["current"] = display_name(catalog, "", live["current"])
        watching = watcher_state(catalog)
    return {
        "live": live or starting,
        "shown": shown,
        "outcomes": list(reversed(outcomes)),
        "past": [r for r in recent if r is not shown],
        "queued": job.queued,
        "watching": bool(watching),
    }


def _starting(job: JobState, recent: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The run this site has just started but that has not written its first line yet.

    Between a click (Undo, Index now, an upload) and the run's first line in the catalog the
    page would otherwise show the run before as the latest, with its counts: a reader waiting
    for "1 added" would read the old run's."""
    if job.state != "running" or job.started is None:
        return None
    if recent and recent[0]["started"] >= job.started:
        return None  # it has written its line
    return {
        "id": None,
        "source": "browser",
        "running": True,
        "phase": "planning",
        "done": 0,
        "total": 0,
        "current": None,
        "started": job.started,
        "finished": None,
        "elapsed": round(max(0.0, time.time() - job.started), 1),
        "remaining": None,
        "full": job.full,
        "summary": None,
    }


def _recent_runs(catalog: Catalog) -> list[dict[str, Any]]:
    try:
        return recent_runs(catalog, limit=10)
    except sqlite3.OperationalError:  # a catalog no run of this version has written yet
        return []
