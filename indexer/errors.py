"""One error hierarchy, so callers can tell a user's mistake from a broken file or a busy index."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


class KbError(Exception):
    """Base of every error the knowledge base raises on purpose."""

    code = "error"


class ExtractionError(KbError):
    """A file could not be turned into text; ``str(err)`` is the reason shown to editors."""

    code = "extraction_failed"


class UnsupportedFormat(ExtractionError):
    code = "unsupported"


class EncryptedDocument(ExtractionError):
    code = "encrypted"


class EmptyDocument(ExtractionError):
    code = "empty"


class NeedsOcr(ExtractionError):
    code = "needs_ocr"


class OutsideFolder(ExtractionError):
    """A link that leads out of the documents folder (by the time the file is opened)."""

    code = "outside"


class FileChanged(ExtractionError):
    """A file written to while it was read: read again by the next run."""

    code = "changed"


class FileUnreadable(ExtractionError):
    """A file that cannot be opened (gone, no permission, not a regular file)."""

    code = "unreadable"


class IndexBusy(KbError):
    """Another process holds the writing lock of the data folder."""

    code = "busy"


class IndexOutdated(KbError):
    """The index was written by an earlier version whose layout this one cannot read; the
    catalog still holds every document's text, so `kb index` rebuilds it without re-reading
    the files."""

    code = "index_outdated"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "the index was written by an earlier version of kb and must be rebuilt: "
            "run `kb index` (the documents' text is kept, so no file is read again)"
        )


class DataFolderError(KbError):
    """The data folder cannot be used: missing, unreadable, not writable, or its disk is full."""

    code = "unavailable"


class DiskFull(DataFolderError):
    """No space left where the data folder lives."""

    code = "disk_full"


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def _full(folder: Path) -> bool:
    """Less than a mebibyte free on the file system holding ``folder``."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        st = os.statvfs(folder)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 1024 * 1024


def storage_error(err: BaseException, folder: Path) -> DataFolderError | None:
    """The plain meaning of an OS or SQLite error about the data folder, or None when it is
    something else. Callers say what it means for them (e.g. that the old index still serves).
    """
    text = str(err).lower()
    if (
        (isinstance(err, OSError) and err.errno in _FULL)
        or (isinstance(err, sqlite3.OperationalError) and "full" in text)
        # SQLite reports a journal it cannot grow as an I/O error.
        or (isinstance(err, sqlite3.OperationalError) and "i/o" in text and _full(folder))
    ):
        return DiskFull(f"the disk holding {folder} is full (no space left on device)")
    if isinstance(err, OSError) and err.errno in _NOT_WRITABLE:
        where = err.filename or folder
        return DataFolderError(f"{where} cannot be written ({(err.strerror or 'denied').lower()})")
    if isinstance(err, sqlite3.OperationalError) and ("readonly" in text or "read-only" in text):
        return DataFolderError(f"the catalog in {folder} cannot be written (read-only)")
    if isinstance(err, sqlite3.OperationalError) and "unable to open" in text:
        return DataFolderError(f"the catalog in {folder} cannot be opened")
    return None


class ConfigError(KbError):
    """A setting (an environment variable) has a value that cannot be used."""

    code = "bad_setting"


class QueryError(KbError):
    """The user's query or parameters cannot be understood; the message says how to fix it."""

    code = "bad_query"


class NotFound(KbError):
    code = "not_found"


class PageNotFound(NotFound):
    """A document has no page of that number."""

    code = "no_such_page"
