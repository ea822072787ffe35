"""Metadata of a document: what the editors' manifest says, else what the file says about itself,
else what can be inferred from its text and location — and, for each value, which of the three.

Sources in order: ``manifest.csv`` in the documents folder (editors keep it in a spreadsheet,
read by `manifest_file`) → metadata embedded in the file (PDF info/XMP, DOCX/ODT properties,
HTML <meta>) → inference (`inference`: title from the first heading, year from dates, country
and topics from mentions and folder names). This module checks the manifest's values against
the taxonomy and combines the three into a `Document`.
"""

from __future__ import annotations

import hashlib
import json

from ...models import Analysed, Document, SourceFile, Value
from ...store.catalog import Catalog
from ...store.corrections import corrections
from ...text.taxonomy import Taxonomy
from . import dates, doctype, organisations, places
from .inference import YEAR, infer_topics, infer_work
from .manifest_file import (
    CORRECTED,
    LIST_JOIN,
    LIST_SEPARATOR,
    MANIFEST_COLUMNS,
    ManifestProblem,
    ManifestRow,
)
from .titles import display_name, infer_title
from .version import DESCRIBE_VERSION
from .zones import TEXT, zones

#: Values of these columns are lists.
LISTS = ("country", "topic", "organisation", "place")


def with_edits(
    catalog: Catalog, sha256: str, path: str, row: dict[str, str] | None
) -> dict[str, str] | None:
    """A file's manifest row with the editors' corrections (`editing.edits`) laid over it:
    they take precedence over the manifest, the file's own metadata and inference."""
    edits = corrections(catalog, sha256) if sha256 else {}
    if not edits:
        return row
    return {**(row or {"path": path}), **edits, CORRECTED: LIST_JOIN.join(sorted(edits))}


def manifest_problems(row: ManifestRow, taxonomy: Taxonomy) -> list[ManifestProblem]:
    """What is wrong with the values of one row (unknown countries, topics, types, years)."""
    _, problems = manifest_values(row.values, taxonomy)
    return [ManifestProblem(code, message, row.key, row.line) for code, message in problems]


def describe_key(row: dict[str, str] | None, taxonomy: Taxonomy) -> str:
    """Changes whenever anything that describe() depends on (besides the file) changes."""
    payload = json.dumps([DESCRIBE_VERSION, taxonomy.version, row or {}], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def manifest_values(
    row: dict[str, str], taxonomy: Taxonomy
) -> tuple[dict[str, Value], list[tuple[str, str]]]:
    """The row's values, and its problems as (code, message)."""
    values: dict[str, Value] = {}
    problems: list[tuple[str, str]] = []
    corrected = set(LIST_SEPARATOR.split(row.get(CORRECTED, "")))
    for column in MANIFEST_COLUMNS[1:]:
        raw = row.get(column, "").strip()
        if not raw:
            continue
        if column in LISTS:
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
            m = YEAR.search(raw)
            if m:
                values[column] = Value(int(m.group(1)), "manifest")
            else:
                problems.append(("not-a-year", f"year {raw!r} is not a year"))
        elif column == "language":
            values[column] = Value(LIST_SEPARATOR.split(raw.lower()), "manifest")
        else:
            values[column] = Value(raw, "manifest")
        if column in corrected and column in values:
            values[column].source = "correction"
    return values, problems


def infer(
    source: SourceFile, analysed: Analysed, taxonomy: Taxonomy, given: dict[str, Value]
) -> dict[str, Value]:
    """Every value the manifest does not give (``given``), inferred from the file: what the
    upload's check step shows, and what a document without a manifest row is described as.
    Each rule reads the same zones of the text (`zones`), cut once."""
    meta: dict[str, Value] = {}
    meta["title"] = given.get("title") or infer_title(source, analysed)
    author = str(analysed.meta.get("author") or "")
    parts = zones(
        analysed,
        str(meta["title"].value),
        display_name(source.path),
        "" if dates.template_text(author) else author,
    )
    year = given.get("year") or dates.infer_year(source, analysed, parts)
    if year:
        meta["year"] = year
    wanted = "country" not in given or "place" not in given
    mentions = places.find_places(parts) if wanted else places.PlaceMentions({}, {})
    country = (
        given.get("country")
        or places.country_of_folder(source, taxonomy)
        or places.infer_countries(parts, taxonomy, mentions)
    )
    if country:
        meta["country"] = country
    topic = given.get("topic") or infer_topics(
        taxonomy, [w for z in parts if z.name in TEXT for w in z.stream]
    )
    if topic:
        meta["topic"] = topic
    meta["type"] = given.get("type") or doctype.infer_type(analysed, parts, taxonomy)
    organisation = given.get("organisation") or organisations.infer_organisations(parts, taxonomy)
    if organisation:
        meta["organisation"] = organisation
    place = given.get("place") or places.infer_places(mentions)
    if place:
        meta["place"] = place
    work = given.get("work") or infer_work(source)
    if work:
        meta["work"] = work
    return meta


def describe(
    source: SourceFile,
    analysed: Analysed,
    taxonomy: Taxonomy,
    manifest_row: dict[str, str] | None = None,
) -> Document:
    """Combine manifest, embedded and inferred metadata into a Document."""
    manifest, problems = manifest_values(manifest_row or {}, taxonomy)
    meta = infer(source, analysed, taxonomy, manifest)
    for key in ("author", "subject", "keywords", "description"):
        if analysed.meta.get(key) and not dates.template_text(analysed.meta[key]):
            meta[key] = Value(analysed.meta[key], "embedded")

    language, languages = analysed.language, list(analysed.languages)
    if "language" in manifest:
        given = manifest["language"].value
        language = given[0]
        languages = given + [lang for lang in languages if lang not in given]
        meta["language"] = manifest["language"]

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
