"""E-mail messages (.eml) with the standard library: the message is its first page (who wrote
to whom, when, about what, then the body), each text attachment or forwarded message a page of
its own.

The subject is the title, the sender the author, the date the date written. The plain-text
body is preferred; a message sent only as HTML is read as a browser shows it. Attachments that
are not text (a PDF, a spreadsheet) are named in a warning: saved into the folder on their own,
they are indexed as documents of their own.
"""

from __future__ import annotations

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from ...errors import EmptyDocument, ExtractionError
from ...models import Extracted, ExtractOptions
from .html import visible_text
from .text import decode_bytes

#: The headers shown at the top of the message's page, in this order.
HEADERS = ("From", "To", "Cc", "Date", "Subject")
#: Attachments read as text.
TEXT_TYPES = frozenset({"text/plain", "text/html", "text/markdown", "text/csv"})


def part_text(part: Message) -> str:
    """A text part's words: decoded by its declared charset (else detected), HTML as shown."""
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    text, _ = decode_bytes(raw, part.get_content_charset())
    if part.get_content_type() == "text/html":
        text, _ = visible_text(text)
    return text.replace("\r\n", "\n").strip()


def message_page(message: Message) -> tuple[str, str]:
    """A message's page (its headers, then its body) and its body alone."""
    lines = [f"{name}: {message[name]}" for name in HEADERS if message.get(name)]
    body = (
        message.get_body(preferencelist=("plain", "html"))
        if isinstance(message, EmailMessage)
        else None
    )
    text = part_text(body) if body is not None else ""
    return "\n".join(lines) + ("\n\n" + text if text else ""), text


def _sender(message: EmailMessage) -> str:
    """The sender as people name them: the display name, else the address."""
    header = message.get("From")
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    if addresses:
        first = addresses[0]
        return first.display_name or first.addr_spec
    return str(header or "").strip()


def extract(path: Path, max_pages: int, options: ExtractOptions | None = None) -> Extracted:
    with path.open("rb") as f:
        message = BytesParser(policy=policy.default).parse(f)
    if not isinstance(message, EmailMessage) or not any(
        message.get(h) for h in ("From", "Subject", "Date", "Message-ID")
    ):
        raise ExtractionError("not an e-mail message: it has no From, Subject or Date")
    first, text = message_page(message)
    pages = [first]
    warnings: list[str] = []
    for attachment in message.iter_attachments():
        name = attachment.get_filename() or attachment.get_content_type()
        kind = attachment.get_content_type()
        if kind in TEXT_TYPES:
            content = part_text(attachment)
            if content:
                pages.append(f"{name}\n\n{content}")
        elif kind == "message/rfc822" and isinstance(inner := attachment.get_content(), Message):
            pages.append(message_page(inner)[0])  # a forwarded message
        else:
            warnings.append(
                f"attachment {name} ({attachment.get_content_type()}) is not read: "
                "save it into the folder to index it"
            )
    if not text and len(pages) == 1:
        raise EmptyDocument("the e-mail has no text in its body or attachments")
    if len(pages) > max_pages:
        warnings.append(f"only the first {max_pages} of {len(pages)} pages were read")
        pages = pages[:max_pages]
    meta: dict[str, str] = {}
    subject = str(message.get("Subject") or "").strip()
    if subject:
        meta["title"] = subject
    sender = _sender(message)
    if sender:
        meta["author"] = sender
    try:
        written = parsedate_to_datetime(str(message["Date"])) if message.get("Date") else None
    except (TypeError, ValueError):
        written = None
    if written is not None:
        meta["created"] = written.isoformat()
    return Extracted(format="eml", pages=pages, meta=meta, warnings=warnings)
