"""Where in a document a word stands, which is what it is worth as evidence: the title and the
top of the first page say what a document is about, when and by whom; the last lines (the
signature, the footer) often say where and when; a word in the body may be a passing mention.

A document is cut once into zones, and every rule that weighs mentions (places, dates,
organisations, type) reads the same zones with the same weights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ...models import Analysed, Page
from ...text.keys import Key
from ...text.taxonomy import stream_of

#: How much a mention counts, by where it is.
WEIGHTS = {"title": 5.0, "name": 3.0, "author": 3.0, "head": 3.0, "tail": 2.0, "body": 1.0}
#: The top of the first page, in characters: a cover, a letterhead, a heading and its date line.
HEAD_CHARS = 500
#: The end of the document: the signature and place of a letter or minutes, a footer.
TAIL_CHARS = 400
#: Names (of places, of organisations) are looked for in this much of the body, the pages
#: after the first page's top: a name that matters is named early, and looking through a
#: long report's every page for names would cost more than the rest of describing it.
NAMES_IN_BODY = 2000
#: Words a zone is described by in the evidence shown to editors.
WHERE = {
    "title": "title",
    "name": "file name",
    "author": "the file's author",
    "head": "first page",
    "tail": "last lines",
    "body": "text",
}
#: The zones that are the document's text (not its title or its file's name).
TEXT = ("head", "body", "tail")


@dataclass(frozen=True)
class Zone:
    name: str  # title | name | head | tail | body
    text: str
    language: str = "und"
    languages: list[str] = field(default_factory=list)

    @property
    def weight(self) -> float:
        return WEIGHTS[self.name]

    @property
    def names_text(self) -> str:
        """The part of the zone where names are looked for (`NAMES_IN_BODY`)."""
        return self.text[:NAMES_IN_BODY] if self.name == "body" else self.text

    @cached_property
    def stream(self) -> list[tuple[Key, str]]:
        """The zone's words as (language-tagged stem, surface) pairs, made once for every
        rule that matches the taxonomy's terms."""
        return stream_of([Page(0, self.text, self.language, self.languages)], self.languages)


def zones(analysed: Analysed, title: str = "", file_name: str = "", author: str = "") -> list[Zone]:
    """The document cut into title, file name, head, body and tail (each character of the
    text in one zone only), with the author its file's properties name (often the
    organisations that wrote it)."""
    texts = [p.text for p in analysed.pages]
    first = texts[0] if texts else ""
    head = first[:HEAD_CHARS]
    if len(first) > HEAD_CHARS and " " in head:
        head = head[: head.rfind(" ")]  # never half a word
    rest = first[len(head) :] + "".join(f"\n\f{t}" for t in texts[1:])
    tail = ""
    if len(rest) > TAIL_CHARS:
        cut = rest.rfind("\n", 0, len(rest) - TAIL_CHARS)
        cut = cut if cut > 0 else len(rest) - TAIL_CHARS
        rest, tail = rest[:cut], rest[cut:]
    else:
        rest, tail = "", rest
    parts = [
        ("title", title),
        ("name", file_name),
        ("author", author),
        ("head", head),
        ("body", rest),
        ("tail", tail),
    ]
    langs = list(analysed.languages)
    return [Zone(n, t, analysed.language, langs) for n, t in parts if t.strip()]
