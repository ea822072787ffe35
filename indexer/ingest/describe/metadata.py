"""Metadata of a document: what the editors' manifest says, else what the file says about itself,
else what can be inferred from its text and location — and, for each value, which of the three.

Sources in order: ``manifest.csv`` in the documents folder (editors keep it in a spreadsheet) →
metadata embedded in the file (PDF info/XMP, DOCX/ODT properties, HTML <meta>) → inference
(title from the first heading, year from dates, country and topics from mentions and folder names).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from ...text.keys import Key
from ...text.languages import LANGUAGES
from ..extract.text import decode_bytes
from ..models import Analysed, Document, SourceFile, Value
from .taxonomy import Taxonomy, literal_stream, stream_of

#: Bump when inference rules change, so every document is described again on the next run.
DESCRIBE_VERSION = 2
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = (
    "path",
    "title",
    "country",
    "topic",
    "type",
    "year",
    "organisation",
    "language",
    "work",
)
LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")

_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint)\s*-|untitled|document\s*\d*$|doc\d*$|presentation\d*$|"
    r"slide\s*\d+$|draft$|title$|new document|копие|документ\d*$|\W*$)",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
#: A creation time this close to the file's own modification time is when the file was made
#: (exported, saved for an upload), not when the document was written: it dates nothing.
FILE_MADE_DAYS = 2
#: The random prefix the upload form gives stored files ("3f9c01ab-report.pdf"): its hex digits
#: are no year.
_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-")
_LANG_SUFFIX = re.compile(r"^(?P<work>.+?)[_.-](?P<lang>[a-z]{2}(?:-[a-z]{2})?)$")


# ---------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------
class UploadsDialect(csv.excel):
    """The one dialect of the manifest the web app keeps for uploads, written and read back:
    commas, every field in double quotes, a double quote inside a field doubled."""

    quoting = csv.QUOTE_ALL


@dataclass(frozen=True)
class ManifestRow:
    line: int
    key: str  # the relative path it describes, normalised
    values: dict[str, str]


@dataclass(frozen=True)
class ManifestProblem:
    """Something in ``manifest.csv`` that editors must fix, with the row it is on."""

    code: str  # unreadable | no-path-column | listed-twice | unknown-value | not-a-year | no-file
    message: str
    path: str = MANIFEST_NAME
    line: int | None = None

    def __str__(self) -> str:
        where = f"{MANIFEST_NAME} line {self.line}" if self.line else MANIFEST_NAME
        return f"{where}: {self.message}"


@dataclass
class Manifest:
    """Rows of ``manifest.csv`` keyed by relative path, plus problems found while reading it."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def row_for(self, path: str) -> dict[str, str] | None:
        row = self.rows.get(path)
        if row is None:
            row = self.rows.get(path.casefold())
        return row


def _manifest_key(path: str) -> str:
    p = path.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p.lstrip("/")


def _editors_dialect(header: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab: whichever splits the header row into the most known columns.

    Only the header decides. Guessing from the whole file (``csv.Sniffer``) takes a title such
    as ``x';'y';'z`` for a sign that fields are quoted with apostrophes, and then reads every
    row wrongly.
    """

    def known(delimiter: str) -> int:
        names = {n.strip().strip('"').strip().lower() for n in header.split(delimiter)}
        return len(names & set(MANIFEST_COLUMNS))

    delimiter = max((",", ";", "\t"), key=known)
    return type("EditorsDialect", (csv.excel,), {"delimiter": delimiter})


def iter_manifest(
    root: Path, dialect: type[csv.Dialect] | None = None
) -> Iterator[ManifestRow | ManifestProblem]:
    """The rows of ``<root>/manifest.csv`` one by one, and the problems of the file as a whole.

    Editors' files may be UTF-8 (with or without BOM) or any encoding Excel saves, separated by
    commas, semicolons or tabs (``dialect`` fixes the format instead, as for uploads). Whether
    a path is listed twice is for the reader of the rows to tell.
    """
    path = root / MANIFEST_NAME
    if not path.is_file():
        return
    try:
        text, _ = decode_bytes(path.read_bytes())
    except Exception as err:
        yield ManifestProblem("unreadable", f"cannot be read ({err})")
        return
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), dialect=dialect or _editors_dialect(header))
    try:
        fieldnames = reader.fieldnames
        if not fieldnames or "path" not in [f.strip().lower() for f in fieldnames]:
            yield ManifestProblem(
                "no-path-column", "the first row must name the columns, with 'path'", line=1
            )
            return
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            key = _manifest_key(row.get("path", ""))
            if key:
                yield ManifestRow(line, key, row)
    except csv.Error as err:
        yield ManifestProblem("unreadable", f"cannot be read ({err})", line=reader.line_num)


def read_manifest(root: Path, dialect: type[csv.Dialect] | None = None) -> Manifest:
    """The whole manifest in memory (see `iter_manifest`)."""
    manifest = Manifest()
    for item in iter_manifest(root, dialect):
        if isinstance(item, ManifestProblem):
            manifest.problems.append(str(item))
            continue
        if item.key in manifest.rows:
            manifest.problems.append(
                str(
                    ManifestProblem(
                        "listed-twice", f"{item.key} is listed twice", item.key, item.line
                    )
                )
            )
        manifest.rows[item.key] = item.values
        manifest.rows.setdefault(item.key.casefold(), item.values)
    return manifest


def manifest_problems(row: ManifestRow, taxonomy: Taxonomy) -> list[ManifestProblem]:
    """What is wrong with the values of one row (unknown countries, topics, types, years)."""
    _, problems = _manifest_values(row.values, taxonomy)
    return [ManifestProblem(code, message, row.key, row.line) for code, message in problems]


def describe_key(row: dict[str, str] | None, taxonomy: Taxonomy) -> str:
    """Changes whenever anything that describe() depends on (besides the file) changes."""
    payload = json.dumps([DESCRIBE_VERSION, taxonomy.version, row or {}], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# Inference
# ---------------------------------------------------------------------------------------------
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
    m = _YEAR.search(created)
    if m and int(m.group(1)) <= this_year + 1 and not _made_with_the_file(created, source):
        return Value(int(m.group(1)), "embedded", [f"creation date {created[:10]}"])
    name = PurePosixPath(source.path).name
    m = _YEAR.search(_UPLOAD_PREFIX.sub("", name))
    if m:
        return Value(int(m.group(1)), "inferred", [f"file name {name}"])
    for page in analysed.pages[:2]:
        years = [int(y) for y in _YEAR.findall(page.text) if int(y) <= this_year + 1]
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
    from ..models import Page

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


# ---------------------------------------------------------------------------------------------
# describe
# ---------------------------------------------------------------------------------------------
def _manifest_values(
    row: dict[str, str], taxonomy: Taxonomy
) -> tuple[dict[str, Value], list[tuple[str, str]]]:
    """The row's values, and its problems as (code, message)."""
    values: dict[str, Value] = {}
    problems: list[tuple[str, str]] = []
    for column in MANIFEST_COLUMNS[1:]:
        raw = row.get(column, "").strip()
        if not raw:
            continue
        if column in ("country", "topic", "organisation"):
            items = [x for x in LIST_SEPARATOR.split(raw) if x]
            out = []
            for item in items:
                canonical, known = taxonomy.normalise(column, item)
                if not known:
                    problems.append(("unknown-value", f"unknown {column} {item!r}"))
                if canonical not in out:
                    out.append(canonical)
            values[column] = Value(out, "manifest")
        elif column == "type":
            canonical, known = taxonomy.normalise("type", raw)
            if not known:
                problems.append(("unknown-value", f"unknown type {raw!r}"))
            values[column] = Value(canonical, "manifest")
        elif column == "year":
            m = _YEAR.search(raw)
            if m:
                values[column] = Value(int(m.group(1)), "manifest")
            else:
                problems.append(("not-a-year", f"year {raw!r} is not a year"))
        elif column == "language":
            values[column] = Value(LIST_SEPARATOR.split(raw.lower()), "manifest")
        else:
            values[column] = Value(raw, "manifest")
    return values, problems


def describe(
    source: SourceFile,
    analysed: Analysed,
    taxonomy: Taxonomy,
    manifest_row: dict[str, str] | None = None,
) -> Document:
    """Combine manifest, embedded and inferred metadata into a Document."""
    manifest, problems = _manifest_values(manifest_row or {}, taxonomy)
    meta: dict[str, Value] = {}
    # The document's stems for country and topic inference: a pass over every word, made
    # only when the manifest leaves one of the two open.
    stream = (
        stream_of(analysed.pages, analysed.languages)
        if "country" not in manifest or "topic" not in manifest
        else []
    )

    meta["title"] = manifest.get("title") or infer_title(source, analysed)
    year = manifest.get("year") or infer_year(source, analysed)
    if year:
        meta["year"] = year
    country = manifest.get("country") or infer_countries(source, analysed, taxonomy, stream)
    if country:
        meta["country"] = country
    topic = manifest.get("topic") or infer_topics(taxonomy, stream)
    if topic:
        meta["topic"] = topic
    doc_type = manifest.get("type") or infer_type(source, analysed, meta["title"].value, taxonomy)
    meta["type"] = doc_type or Value("other", "inferred", ["no signal in title or file name"])
    organisation = manifest.get("organisation") or infer_organisations(analysed, taxonomy)
    if organisation:
        meta["organisation"] = organisation
    work = manifest.get("work") or infer_work(source)
    if work:
        meta["work"] = work
    for key in ("author", "subject", "keywords", "description"):
        if analysed.meta.get(key):
            meta[key] = Value(analysed.meta[key], "embedded")

    language, languages = analysed.language, list(analysed.languages)
    if "language" in manifest:
        given = manifest["language"].value
        language = given[0]
        languages = given + [lang for lang in languages if lang not in given]
        meta["language"] = Value(given, "manifest")

    return Document(
        id=source.id,
        root=str(source.root),
        path=source.path,
        sha256=source.sha256,
        size=source.size,
        mtime_ns=source.mtime_ns,
        format=analysed.format,
        language=language,
        languages=languages or [language],
        pages=analysed.pages,
        meta=meta,
        warnings=[*analysed.warnings, *(f"manifest: {message}" for _, message in problems)],
    )
