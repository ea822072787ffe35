"""The title of a document: its own heading first — the largest type on the first page (of a
scan too, from the size of the letters OCR read), the first heading of an office or Markdown
file, a web page's ``<h1>`` — then a title from the file's properties when it means something,
then the first lines of the text; the file's name last, never with the prefix an upload gave
it.

A properties title means nothing when a tool wrote it ("Microsoft Word - draft_v3.docx",
"PowerPoint Presentation", "Document1", "Normal"), when it is the file's name, or a single word
("Report", "output"); a web page's ``<title>`` often names the site ("News | Municipality"),
which is why its heading comes first.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ...models import Analysed, SourceFile, Value

#: What tools write as a title: their own names, templates, numbered new documents.
_JUNK = re.compile(
    r"^(microsoft\s+(word|powerpoint|excel)\b|powerpoint presentation|untitled|unbenannt|"
    r"sans titre|sem título|без заглавие|χωρίς τίτλο|normal|default|template|"
    r"(document|documento|документ|έγγραφο|doc|presentation|apresentação|презентация|"
    r"παρουσίαση|slide|book|workbook)\s*\d*|new document|title|draft|копие)$",
    re.I,
)
_TOOL_PREFIX = re.compile(r"^microsoft\s+\w+\s*-", re.I)
#: File-name shapes: an extension, underscores, or letters and digits run together.
_FILE_NAME = re.compile(r"\.\w{2,4}$|_|^\S*\d\S*$")
#: The prefixes stored files get: the upload's random one in its month's folder
#: ("2024-05/5ef484cc-"), and the staging folder's running number ("003-").
UPLOAD_PREFIX = re.compile(r"^(?:\d{4}-\d{2}/[0-9a-f]{8}-|\d{3}-)")
#: A line that is the title of a document of this kind: a few words, mostly letters.
_MIN_LETTERS, _MAX_WORDS = 8, 30


#: Formats whose text is a sheet's cells: no line of it is a title (the file's name is).
_CELLS = frozenset({"xlsx", "ods"})


def stored_name(path: str) -> str:
    """A file's name as its author gave it: without the prefix an upload stored it under."""
    return PurePosixPath(UPLOAD_PREFIX.sub("", path)).name


def display_name(path: str) -> str:
    """A file's name without its storage prefixes, extension and separators, as a title."""
    stem = stored_name(path)
    stem = PurePosixPath(stem).stem or stem
    return re.sub(r"[_\s]+|(?<=\w)-(?=\w)", " ", stem).strip().capitalize() or stem


def meaningful(title: str | None, source: SourceFile) -> bool:
    """Whether a title from the file's properties says what the document is."""
    if not title:
        return False
    t = " ".join(title.split())
    letters = sum(c.isalpha() for c in t)
    if letters < 4 or _JUNK.match(t) or _TOOL_PREFIX.match(t):
        return False
    if len(t.split()) == 1 or (" " not in t and _FILE_NAME.search(t)):
        return False
    names = {_norm(PurePosixPath(source.path).name), _norm(display_name(source.path))}
    return _norm(t) not in names


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _heading_ok(heading: str | None) -> bool:
    if not heading:
        return False
    letters = sum(c.isalpha() for c in heading)
    return letters >= 4 and not _JUNK.match(heading.strip()) and len(heading.split()) <= 40


def first_lines(analysed: Analysed) -> str | None:
    """The first line that reads like a title, joined with the lines that continue it."""
    for page in analysed.pages[:2]:
        lines = [line.strip() for line in page.text.split("\n")]
        for i, line in enumerate(lines[:15]):
            words = line.split()
            if not (1 <= len(words) <= _MAX_WORDS) or sum(c.isalpha() for c in line) < 4:
                continue
            if " | " in line:  # a table's row: cells, not a title
                continue
            title = line
            for more in lines[i + 1 : i + 3]:
                # A title set over two lines: the next one carries on in lower case.
                if more and more[0].islower():
                    title = f"{title} {more}"
                else:
                    break
            if sum(c.isalpha() for c in title) >= _MIN_LETTERS:
                return title
    return None


def infer_title(source: SourceFile, analysed: Analysed) -> Value:
    embedded = str(analysed.meta.get("title") or "")
    heading = str(analysed.meta.get("heading") or "")
    note = [f"the file's properties say {embedded!r}"] if embedded else []
    if _heading_ok(heading):
        if meaningful(embedded, source) and _norm(embedded) == _norm(heading):
            return Value(embedded, "embedded", ["the same as the document's heading"])
        short = len(str(heading).split()) < 2 and meaningful(embedded, source)
        if not short:
            where = "largest type on the first page" if analysed.format == "pdf" else "heading"
            return Value(" ".join(str(heading).split()), "inferred", [where, *note])
    if meaningful(embedded, source):
        return Value(" ".join(str(embedded).split()), "embedded")
    line = first_lines(analysed) if analysed.format not in _CELLS else None
    if line:
        return Value(line, "inferred", ["first lines of the text", *note])
    return Value(display_name(source.path), "inferred", ["file name"])
