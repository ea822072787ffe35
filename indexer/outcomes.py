"""What an indexing run reports: one outcome per file, progress, and the summary they add up to.

A run tells whoever observes it (the command line, the web app, the log, a progress page) what
happens to every file as it happens, through one callable that receives events. The summary a
run returns is itself built by counting those events, so it can never disagree with them.

Every file the run looks at ends with exactly one of these outcomes:

``added``      new in the index (or indexed again after it had failed)
``updated``    its content changed and it was indexed again
``renamed``    the same content under a new name in the same folder (not extracted again)
``moved``      the same file, same relative path, in a documents folder that moved
``unchanged``  nothing to do (or only described again: ``redescribed`` is then set)
``removed``    gone from the folder, or its folder is gone, and so out of the index
``failed``     not indexed, with a ``code`` and a ``reason`` an editor can act on

and may also be the subject of notes, which do not change the counts above:

``duplicate``  the same content as another file (``detail`` names it); both are indexed
``manifest``   a problem with the file's row in ``manifest.csv`` (``code``, ``reason``, ``line``),
               ``repeated`` when the run before found it too; the code ``deleted`` is a note,
               not a problem: the row names a document an editor deleted
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

log = logging.getLogger("indexer.run")
log.addHandler(logging.NullHandler())  # the application decides where the log goes

#: The code of a row whose document an editor deleted: kept with the manifest's problems (so a
#: run tells it once) but not one of them — nothing in the manifest needs fixing.
DELETED = "deleted"

FileOutcome = Literal["added", "updated", "renamed", "moved", "unchanged", "removed", "failed"]
Note = Literal["duplicate", "manifest"]
#: Where a run is: what a progress bar and the run's log say ("stopped": the log's word for a
#: run that ended before it finished — interrupted, or its process gone).
Phase = Literal["planning", "indexing", "committing", "finished", "stopped"]
FILE_OUTCOMES: tuple[FileOutcome, ...] = get_args(FileOutcome)
NOTES: tuple[Note, ...] = get_args(Note)


@dataclass(frozen=True)
class Outcome:
    """What happened to one file (or, for ``manifest`` notes, to one manifest row)."""

    kind: FileOutcome | Note
    path: str  # relative to its documents folder
    root: str = ""  # the documents folder (never shown to visitors)
    code: str = ""  # failures and manifest problems: a short, stable code
    reason: str = ""  # a sentence for people
    detail: str = ""  # renamed/moved: where from; duplicate: the other file
    line: int | None = None  # manifest problems: the row's line in the CSV
    pages: int = 0  # pages indexed
    redescribed: bool = False  # unchanged files whose metadata was worked out again
    repeated: bool = False  # manifest notes the run before reported too

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, False)}


@dataclass(frozen=True)
class Progress:
    """How far the run is: ``done`` of ``total`` files to process, and the one just settled."""

    phase: Phase
    done: int
    total: int
    current: str = ""


Event = Outcome | Progress
Observer = Callable[[Event], None]


@dataclass
class RunSummary:
    """The counts of a run's outcomes, its failures and problems listed (as `kb index` shows)."""

    added: int = 0
    updated: int = 0
    renamed: int = 0
    moved: int = 0
    removed: int = 0
    failed: int = 0
    unchanged: int = 0
    redescribed: int = 0
    duplicates: int = 0
    manifest_problems: int = 0
    pages: int = 0
    seconds: float = 0.0
    full: bool = False
    failures: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    copies: list[dict[str, str]] = field(default_factory=list)

    #: At most this many failures and problems are listed (all are counted, and kept in the
    #: catalog for `kb status`): the summary of a run over 100,000 broken files stays small.
    LISTED = 1000

    def __call__(self, event: Event) -> None:
        if not isinstance(event, Outcome):
            return
        if event.kind == "failed":
            self.failed += 1
            if len(self.failures) < self.LISTED:
                self.failures.append({"path": event.path, "reason": event.reason})
        elif event.kind == "manifest":
            if event.code == DELETED:
                return
            self.manifest_problems += 1
            if len(self.problems) < self.LISTED:
                self.problems.append(
                    {"path": event.path, "line": event.line, "code": event.code}
                    | {"problem": event.reason}
                )
        elif event.kind == "duplicate":
            self.duplicates += 1
            if len(self.copies) < self.LISTED:
                self.copies.append({"path": event.path, "copy_of": event.detail})
        elif event.kind in FILE_OUTCOMES:
            setattr(self, event.kind, getattr(self, event.kind) + 1)
            self.redescribed += event.redescribed
            self.pages += event.pages

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def log_event(event: Event) -> None:
    """Python logging of every outcome: failures and manifest problems as warnings."""
    if isinstance(event, Progress):
        if event.phase != "indexing":
            log.debug("%s: %d of %d", event.phase, event.done, event.total)
        return
    if event.kind == "manifest" and (event.repeated or event.code == DELETED):
        log.debug("manifest %s: %s [%s]", event.path, event.reason, event.code)
    elif event.kind in ("failed", "manifest"):
        where = f"{event.path} (line {event.line})" if event.line else event.path
        log.warning("%s %s: %s [%s]", event.kind, where, event.reason, event.code)
    elif event.kind == "unchanged" and not event.redescribed:
        log.debug("unchanged %s", event.path)
    else:
        extra = f" ({event.detail})" if event.detail else ""
        log.info("%s %s%s", event.kind, event.path, extra)
