"""A run that finds nothing changed, seen before any plan is built: it tells what a planned run
tells, and any one input changed (a file, the manifest, a correction, the audit log, a
version, another folder) makes the run plan again and pick the change up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.config import Settings
from indexer.editing import trash
from indexer.ingest import extract
from indexer.ingest.describe import metadata
from indexer.ingest.planning import planner, unchanged
from indexer.ingest.run import run_index
from indexer.outcomes import DELETED, Outcome, Progress, RunSummary
from indexer.store import folder_inputs
from indexer.store.catalog import Catalog
from indexer.store.corrections import keep_corrections
from tests.factories import TEXTS, make_text
from tests.knowledge_bases import hit_paths, kb_index_in_a_new_process, search

MANIFEST = "path,title,country\ncentres.txt,Centres,Atlantis\ngone.txt,Gone,PT\n"


@pytest.fixture
def folder(docs: Path) -> Path:
    """Two documents, one file that is no PDF, one of a kind nobody reads, and a manifest with
    an unknown country and a row without its file."""
    make_text(docs / "centres.txt", TEXTS["en"])
    make_text(docs / "notes" / "noticia.txt", TEXTS["pt"])
    make_text(docs / "broken.pdf", "not a pdf at all")
    make_text(docs / "table.xyz", "a format nobody reads")
    make_text(docs / "manifest.csv", MANIFEST)
    return docs


class Told:
    """One run: its summary, what it told, and whether it built a plan."""

    def __init__(self, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
        built: list[bool] = []
        build = planner.Planner.build

        def watched(self: planner.Planner) -> object:
            built.append(True)
            return build(self)

        events: list[object] = []
        with monkeypatch.context() as patch:
            patch.setattr(planner.Planner, "build", watched)
            self.summary: RunSummary = run_index(settings, observers=[events.append])
        self.planned = bool(built)
        self.outcomes = [e for e in events if isinstance(e, Outcome)]
        self.phases = [e.phase for e in events if isinstance(e, Progress)]

    def counts(self) -> dict[str, object]:
        return {k: v for k, v in self.summary.to_dict().items() if k != "seconds"}


def _forget(settings: Settings, root: Path) -> None:
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        folder_inputs.forget(catalog, [str(root)])


def _title(settings: Settings, root: Path, path: str) -> object:
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(root), path)
    assert row is not None
    return row.value("title")


def test_nothing_changed_tells_what_a_planned_run_tells(settings, folder, monkeypatch):
    first = Told(settings, monkeypatch)
    assert first.planned and first.summary.added == 2 and first.summary.failed == 2
    _forget(settings, folder)
    planned = Told(settings, monkeypatch)
    short = Told(settings, monkeypatch)
    assert planned.planned and not short.planned
    assert short.outcomes == planned.outcomes
    assert short.counts() == planned.counts()
    assert short.phases == planned.phases == ["planning", "indexing", "finished"]
    assert short.summary.unchanged == 4 and short.summary.manifest_problems == 2
    assert {(o.path, o.code, o.repeated) for o in short.outcomes if o.kind == "manifest"} == {
        ("centres.txt", "unknown-value", True),
        ("gone.txt", "no-file", True),
    }
    # The same manifest bytes with a new timestamp are the same input.
    later = os.stat(folder / "manifest.csv").st_mtime + 60
    os.utime(folder / "manifest.csv", (later, later))
    assert not Told(settings, monkeypatch).planned


def test_an_edited_manifest_is_read(settings, folder, monkeypatch):
    run_index(settings)
    make_text(folder / "manifest.csv", MANIFEST.replace("Centres,", "Competence centres,"))
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.redescribed == 1
    assert _title(settings, folder, "centres.txt") == "Competence centres"
    assert not Told(settings, monkeypatch).planned


def test_an_editors_correction_is_read(settings, folder, monkeypatch):
    run_index(settings)
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        row = catalog.file_at(str(folder), "notes/noticia.txt")
        assert row is not None
        keep_corrections(catalog, row.sha256, {"title": "Notícia corrigida"}, "admin")
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.redescribed == 1
    assert _title(settings, folder, "notes/noticia.txt") == "Notícia corrigida"


def test_a_deleted_and_a_new_file_are_seen(settings, folder, monkeypatch):
    run_index(settings)
    (folder / "notes" / "noticia.txt").unlink()
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.removed == 1
    make_text(folder / "notes" / "nota.txt", TEXTS["pt"] + " Uma nota nova sobre Faro.")
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.added == 1
    assert hit_paths(search(settings, "Faro")) == ["notes/nota.txt"]


def test_a_new_timestamp_is_recorded_and_then_trusted(settings, folder, monkeypatch):
    run_index(settings)
    target = folder / "centres.txt"
    later = target.stat().st_mtime + 60
    os.utime(target, (later, later))
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.unchanged == 4
    assert not Told(settings, monkeypatch).planned


def test_other_bytes_of_the_same_size_and_time_are_trusted_as_the_planner_trusts_them(
    settings, folder, monkeypatch
):
    """The walk reads no file whose size and time match the catalog (hashing every file each
    run would cost as much as reading the collection); the short way follows the same rule."""
    run_index(settings)
    target = folder / "centres.txt"
    before = target.stat()
    target.write_bytes(target.read_bytes().upper())
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    short = Told(settings, monkeypatch)
    _forget(settings, folder)
    planned = Told(settings, monkeypatch)
    assert not short.planned and planned.planned
    assert short.counts() == planned.counts() and short.summary.updated == 0


def test_a_new_describing_version_describes_every_document_again(settings, folder, monkeypatch):
    run_index(settings)
    monkeypatch.setattr(unchanged, "DESCRIBE_VERSION", metadata.DESCRIBE_VERSION + 1)
    monkeypatch.setattr(metadata, "DESCRIBE_VERSION", metadata.DESCRIBE_VERSION + 1)
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.redescribed == 2


def test_a_file_deleted_in_the_browser_makes_its_manifest_row_a_note(settings, folder, monkeypatch):
    """The file leaves folder and catalog together, so the walk alone sees nothing: the audit
    log in the fingerprint does."""
    run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(folder), "centres.txt")
    assert row is not None
    trash.delete(settings, row.id, "admin")
    told = Told(settings, monkeypatch)
    assert told.planned
    notes = {(o.path, o.code) for o in told.outcomes if o.kind == "manifest"}
    assert ("centres.txt", DELETED) in notes


def test_a_failed_file_of_a_kind_now_read_is_tried_again(settings, folder, monkeypatch):
    run_index(settings)
    read_now = extract.SUPPORTED_SUFFIXES | {".xyz"}
    monkeypatch.setattr(extract, "SUPPORTED_SUFFIXES", read_now)
    monkeypatch.setattr(planner, "SUPPORTED_SUFFIXES", read_now)
    told = Told(settings, monkeypatch)
    assert told.planned
    assert [o.path for o in told.outcomes if o.kind == "failed"] == ["table.xyz"]


def test_a_vanished_folder_outside_the_run_leaves_the_index(
    settings, folder, tmp_path, monkeypatch
):
    other = tmp_path / "other"
    make_text(other / "extra.txt", TEXTS["en"] + " Kept in another folder.")
    run_index(settings, [folder, other])
    assert not Told(settings.with_(corpus=folder), monkeypatch).planned
    (other / "extra.txt").unlink()
    other.rmdir()
    told = Told(settings.with_(corpus=folder), monkeypatch)
    assert told.planned and told.summary.removed == 1


def test_an_entry_to_refuse_is_planned_every_time(settings, folder, monkeypatch):
    (folder / "elsewhere.txt").symlink_to(folder.parent / "nowhere.txt")
    run_index(settings)
    told = Told(settings, monkeypatch)
    assert told.planned and [o.path for o in told.outcomes if o.kind == "failed"] == [
        "elsewhere.txt"
    ]


def test_a_run_stopped_midway_leaves_no_fingerprint(settings, folder, monkeypatch):
    """A run that may have changed some rows and not others must not let the next run
    trust them: the manifest changed, the run stopped, the manifest changed back."""
    run_index(settings)
    make_text(folder / "manifest.csv", MANIFEST.replace("Centres,", "Other title,"))

    def stop(event: object) -> None:
        if isinstance(event, Progress) and event.phase == "indexing" and event.done == 1:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        run_index(settings.with_(workers=1), observers=[stop])
    with Catalog(settings.catalog_path) as catalog:
        assert folder_inputs.recorded(catalog, str(folder)) is None
    make_text(folder / "manifest.csv", MANIFEST)
    assert Told(settings, monkeypatch).planned
    assert _title(settings, folder, "centres.txt") == "Centres"
    assert not Told(settings, monkeypatch).planned


def test_a_catalog_from_before_the_fingerprints_plans_once(settings, folder, monkeypatch):
    run_index(settings)
    with Catalog(settings.catalog_path, readonly=False) as catalog:
        catalog.db.execute("DROP TABLE folder_inputs")
    told = Told(settings, monkeypatch)
    assert told.planned and told.summary.unchanged == 4
    assert not Told(settings, monkeypatch).planned


#: What only a plan needs: the planner, the describing rules, the manifest's reader, the
#: taxonomy and its matchers, the formats' registry.
_PLANNING = (
    "indexer.ingest.planning.planner",
    "indexer.ingest.describe.metadata",
    "indexer.ingest.describe.manifest_file",
    "indexer.text.taxonomy",
    "indexer.ingest.extract",
)


def test_kb_index_with_nothing_changed_loads_nothing_a_plan_needs(settings, folder):
    """The short way is worth taking only if it stays short: `kb index` in a new process, as
    editors and the folder watcher run it. (A failed file of a kind not read would load the
    formats' registry, to see whether it is read now.)"""
    (folder / "table.xyz").unlink()
    run_index(settings)
    summary, loaded = kb_index_in_a_new_process(settings, _PLANNING)
    assert '"unchanged": 3' in summary and '"manifest_problems": 2' in summary
    assert loaded == "[]"
