"""What a document's text, embedded metadata and place in the folder say about it, value by
value: its title, year, countries, topics, type, organisations and the work it is a translation
of — each with the evidence it was inferred from, so editors can see why and correct it.

These rules decide what a document is described as when the manifest is silent; when they
change, bump `metadata.DESCRIBE_VERSION` so every document is described again.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

from ...text.keys import Key
from ...text.languages import LANGUAGES
from ..models import Analysed, Page, SourceFile, Value
from .taxonomy import Taxonomy, literal_stream, stream_of

_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint)\s*-|untitled|document\s*\d*$|doc\d*$|presentation\d*$|"
    r"slide\s*\d+$|draft$|title$|new document|копие|документ\d*$|\W*$)",
    re.I,
)
#: A year a report of this kind can be from, standing alone (not part of a longer number).
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
#: A creation time this close to the file's own modification time is when the file was made
#: (exported, saved for an upload), not when the document was written: it dates nothing.
FILE_MADE_DAYS = 2
#: The random prefix the upload form gives stored files ("3f9c01ab-report.pdf"): its hex digits
#: are no year.
_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-")
_LANG_SUFFIX = re.compile(r"^(?P<work>.+?)[_.-](?P<lang>[a-z]{2}(?:-[a-z]{2})?)$")


def _good_title(title: str | None, source: SourceFile) -> bool:
    if not title:
        return False
    t = title.strip()
    stem = PurePosixPath(source.path).stem
    if len(t) < 4 or _JUNK_TITLE.match(t):
        return False
    return t.casefold() not in (stem.casefold(), PurePosixPath(source.path).name.casefold())


def _first_line_title(analysed: Analysed) -> str | None:
    for page in analysed.pages[:2]:
        for line in page.text.split("\n"):
            words = line.split()
            if " | " in line:  # a row of a table or a spreadsheet: cells, not a title
                continue
            if 3 <= len(words) <= 30 and sum(ch.isalpha() for ch in line) > 10:
                return line.strip()
    return None


def infer_title(source: SourceFile, analysed: Analysed) -> Value:
    embedded = analysed.meta.get("title")
    if _good_title(embedded, source):
        return Value(embedded, "embedded")
    heading = analysed.meta.get("heading")
    if _good_title(heading, source):
        evidence = [f"embedded title was {embedded!r}"] if embedded else []
        return Value(heading, "inferred", ["first heading", *evidence])
    line = _first_line_title(analysed)
    if line:
        return Value(line, "inferred", ["first line of text"])
    stem = PurePosixPath(source.path).stem
    return Value(re.sub(r"[_-]+", " ", stem).strip().capitalize(), "inferred", ["file name"])


def _made_with_the_file(created: str, source: SourceFile) -> bool:
    """Whether an embedded creation time is only the moment this file was written."""
    try:
        when = datetime.fromisoformat(created.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    written = datetime.fromtimestamp(source.mtime_ns / 1e9, UTC)
    return abs((written - when).total_seconds()) <= FILE_MADE_DAYS * 86400


def infer_year(source: SourceFile, analysed: Analysed) -> Value | None:
    """The year of the document; None (undated) rather than the date its file was made."""
    this_year = date.today().year
    created = analysed.meta.get("created") or ""
    m = YEAR.search(created)
    if m and int(m.group(1)) <= this_year + 1 and not _made_with_the_file(created, source):
        return Value(int(m.group(1)), "embedded", [f"creation date {created[:10]}"])
    name = PurePosixPath(source.path).name
    m = YEAR.search(_UPLOAD_PREFIX.sub("", name))
    if m:
        return Value(int(m.group(1)), "inferred", [f"file name {name}"])
    for page in analysed.pages[:2]:
        years = [int(y) for y in YEAR.findall(page.text) if int(y) <= this_year + 1]
        if years:
            year = Counter(years).most_common(1)[0][0]
            return Value(year, "inferred", [f"page {page.number} mentions {year}"])
    return None


def infer_countries(
    source: SourceFile, analysed: Analysed, taxonomy: Taxonomy, stream: list[tuple[Key, str]]
) -> Value | None:
    """Countries from the folder name, else from mentions above a threshold."""
    folder = taxonomy.country_of_folder(PurePosixPath(source.path).parts[:-1])
    mentions = taxonomy.country_matcher.count(stream)
    if folder:
        code, part = folder
        evidence = [f"folder {part}/"]
        if code in mentions:
            evidence += mentions[code].evidence(3)
        return Value([code], "inferred", evidence)
    national = {c: m for c, m in mentions.items() if c != "EU" and m.count >= 3}
    total = sum(m.count for m in national.values())
    chosen = (
        sorted(
            (c for c, m in national.items() if m.count / total >= 0.2),
            key=lambda c: -national[c].count,
        )
        if total
        else []
    )
    eu = mentions.get("EU")
    if (
        eu
        and eu.count >= 3
        and (len(chosen) >= 3 or not chosen or eu.count > national[chosen[0]].count)
    ):
        chosen = ["EU", *chosen]
    if not chosen:
        return None
    evidence = [e for c in chosen for e in mentions[c].evidence(2)]
    return Value(chosen, "inferred", evidence)


def infer_topics(taxonomy: Taxonomy, stream: list[tuple[Key, str]]) -> Value | None:
    """Topics whose signal words are frequent enough relative to the document's length."""
    mentions = taxonomy.topic_matcher.count(stream)
    words = max(len(stream), 1)
    threshold = max(3, words * 1.5 / 1000)
    ranked = sorted(mentions.items(), key=lambda kv: -kv[1].count)
    chosen = [(t, m) for t, m in ranked if m.count >= threshold][:5]
    if not chosen:
        return None
    evidence = [f"{t}: {', '.join(m.evidence(3))}" for t, m in chosen]
    return Value([t for t, _ in chosen], "inferred", evidence)


def infer_type(
    source: SourceFile, analysed: Analysed, title: str, taxonomy: Taxonomy
) -> Value | None:
    name = PurePosixPath(source.path).stem.replace("_", " ").replace("-", " ")
    probe = [Page(0, f"{title}\n{name}", analysed.language, analysed.languages)]
    found = taxonomy.type_matcher.count(stream_of(probe, analysed.languages))
    for doc_type in taxonomy.type_order:
        if doc_type in found:
            return Value(
                doc_type, "inferred", [f"title or file name: {found[doc_type].evidence(2)[0]}"]
            )
    return None


def infer_organisations(analysed: Analysed, taxonomy: Taxonomy) -> Value | None:
    pages = analysed.pages[:2] + analysed.pages[-1:]
    found = taxonomy.organisation_matcher.count(literal_stream(pages))
    if not found:
        return None
    names = [n for n, _ in sorted(found.items(), key=lambda kv: -kv[1].count)][:4]
    return Value(names, "inferred", [f"{n} named on the first or last page" for n in names])


def infer_work(source: SourceFile) -> Value | None:
    m = _LANG_SUFFIX.match(PurePosixPath(source.path).stem)
    if m and m.group("lang").split("-")[0] in LANGUAGES:
        parent = PurePosixPath(source.path).parent
        work = str(parent / m.group("work")) if str(parent) != "." else m.group("work")
        return Value(work, "inferred", [f"file name ends in _{m.group('lang')}"])
    return None
