"""One error hierarchy, so callers can tell a user's mistake from a broken file or a busy index."""

from __future__ import annotations


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


class IndexBusy(KbError):
    """Another process holds the writing lock of the data folder."""

    code = "busy"


class QueryError(KbError):
    """The user's query or parameters cannot be understood; the message says how to fix it."""

    code = "bad_query"


class NotFound(KbError):
    code = "not_found"
