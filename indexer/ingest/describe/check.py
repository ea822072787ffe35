"""What the check step of an upload shows and accepts: the values inferred for a file that is
not added yet, each with the words it was inferred from, and the editor's changes to them,
checked as the correction form's are.

A value the editor leaves as it was found is not written anywhere: the indexer infers it again
from the same text (the upload's storage prefix is never part of it), and a better rule later
improves it. A changed value goes into the uploads folder's manifest row, where it wins over
inference like any editor's value.
"""

from __future__ import annotations

from typing import Any

from ...models import Analysed, SourceFile
from ...text.taxonomy import Taxonomy
from .manifest_file import LIST_SEPARATOR, ManifestProblem, ManifestRow, cell
from .metadata import LISTS, infer, manifest_problems, manifest_values

#: The values the check step shows, in its order.
SHOWN = ("title", "year", "country", "type", "topic", "language", "organisation", "place")

Found = dict[str, dict[str, Any]]


def found_values(
    source: SourceFile, analysed: Analysed, taxonomy: Taxonomy, given: dict[str, str]
) -> Found:
    """Each shown value as the form shows it (a manifest cell), with its source and evidence;
    ``given`` are the values the upload form set for every file (they are shown as given)."""
    manifest, _ = manifest_values(given, taxonomy)
    meta = infer(source, analysed, taxonomy, manifest)
    languages = ", ".join(analysed.languages) or analysed.language
    if "language" in manifest:
        meta["language"] = manifest["language"]
    out: Found = {}
    for name in SHOWN:
        value = meta.get(name)
        if name == "language" and value is None:
            out[name] = {
                "value": analysed.language,
                "source": "inferred",
                "evidence": [f"detected in the text ({languages})"],
            }
        elif value is None:
            out[name] = {"value": "", "source": "inferred", "evidence": []}
        else:
            out[name] = {
                "value": cell(value.value),
                "source": value.source,
                "evidence": list(value.evidence),
            }
    return out


def _same(name: str, a: str, b: str) -> bool:
    if name in (*LISTS, "language"):
        return {x.casefold() for x in LIST_SEPARATOR.split(a) if x} == {
            x.casefold() for x in LIST_SEPARATOR.split(b) if x
        }
    return " ".join(a.split()) == " ".join(b.split())


def changes(found: Found, submitted: dict[str, str]) -> dict[str, str]:
    """The values the editor changed. An emptied value is left to inference, as an empty
    cell of the manifest is."""
    out: dict[str, str] = {}
    for name, value in submitted.items():
        if name in found and value.strip() and not _same(name, value, str(found[name]["value"])):
            # A title is kept as typed (an editor's tab or spacing is theirs to choose).
            out[name] = value.strip() if name == "title" else " ".join(value.split())
    return out


def problems(values: dict[str, str], path: str, taxonomy: Taxonomy) -> list[ManifestProblem]:
    """What is wrong with the editor's values, said as the correction form says it."""
    return manifest_problems(ManifestRow(0, path, values), taxonomy)
