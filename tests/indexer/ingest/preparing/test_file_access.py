"""Files that change between planning and reading: the text is cached under what was read, and a
link re-pointed outside the folder is never read.

The races are made deterministic: the run's own progress event that follows planning (and
precedes every read) changes the files; `open_inside`'s ``after_open`` runs between opening
a file and reading it.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from indexer.ingest.preparing.file_access import FileChanged, OutsideFolder, open_inside
from indexer.ingest.run import run_index
from indexer.outcomes import Event, Progress
from indexer.store.catalog import Catalog
from tests.factories import make_text
from tests.knowledge_bases import hit_paths, search

ORIGINAL = "Minutes of the cooperative assembly in Plovdiv about the granary."
EDITED = "Minutes rewritten after the meeting about the lighthouse in Faro."
SECRET = "Confidential payroll ledger of the treasurer, never to be published."


def _after_planning(change):
    """An observer that calls ``change`` once, when planning is over and nothing was read."""
    done = []

    def observe(event: Event) -> None:
        if isinstance(event, Progress) and event.phase == "indexing" and not done:
            done.append(True)
            change()

    return observe


def test_a_file_saved_during_a_run_never_gives_its_copies_the_edited_text(settings, docs):
    make_text(docs / "a-draft.txt", ORIGINAL)
    make_text(docs / "b-copy.txt", ORIGINAL)

    summary = run_index(
        settings, observers=[_after_planning(lambda: make_text(docs / "a-draft.txt", EDITED))]
    )

    assert summary.failed == 0
    assert hit_paths(search(settings, "lighthouse")) == ["a-draft.txt"]
    assert hit_paths(search(settings, "granary")) == ["b-copy.txt"]
    with Catalog(settings.catalog_path) as catalog:
        for file in catalog.files(status="indexed"):
            text = " ".join(p.text for p in catalog.pages(file.sha256))
            raw = (docs / file.path).read_bytes()
            assert file.sha256 == hashlib.sha256(raw).hexdigest(), file.path
            assert text.split() == raw.decode().split(), file.path
    # A rebuild from the cache keeps each text with its own content.
    run_index(settings, full=True)
    assert hit_paths(search(settings, "lighthouse")) == ["a-draft.txt"]
    assert hit_paths(search(settings, "granary")) == ["b-copy.txt"]


def test_a_link_re_pointed_outside_before_it_is_read_publishes_nothing(settings, docs, tmp_path):
    outside = make_text(tmp_path / "private" / "ledger.txt", SECRET)
    make_text(docs / "x-notes.txt", ORIGINAL)
    link = docs / "a-link.txt"  # planned first: the copy of x-notes.txt that is read
    link.symlink_to(docs / "x-notes.txt")

    def re_point() -> None:
        link.unlink()
        link.symlink_to(outside)

    summary = run_index(settings, observers=[_after_planning(re_point)])

    assert hit_paths(search(settings, "payroll")) == []
    assert hit_paths(search(settings, "granary")) == ["x-notes.txt"]
    assert summary.failed == 1
    with Catalog(settings.catalog_path) as catalog:
        (failed,) = catalog.files(status="failed")
        assert failed.path == "a-link.txt" and "outside the documents folder" in failed.reason
        assert not any(
            "payroll" in p.text for f in catalog.files() for p in catalog.pages(f.sha256)
        )
    run_index(settings, full=True)
    assert hit_paths(search(settings, "payroll")) == []
    assert hit_paths(search(settings, "granary")) == ["x-notes.txt"]


def test_the_file_opened_is_the_file_read_whatever_the_link_says_afterwards(tmp_path):
    root = tmp_path / "docs"
    inside = make_text(root / "inside.txt", ORIGINAL)
    outside = make_text(tmp_path / "outside.txt", SECRET)
    link = root / "link.txt"
    link.symlink_to(inside)

    def re_point() -> None:
        link.unlink()
        link.symlink_to(outside)

    with open_inside(root, "link.txt", after_open=re_point) as opened:
        assert opened.path.read_text() == ORIGINAL
        assert opened.sha256 == hashlib.sha256(ORIGINAL.encode()).hexdigest()
        assert opened.path.suffix == ".txt"
    # Opened now, the link leads outside: refused before a byte is read.
    with pytest.raises(OutsideFolder), open_inside(root, "link.txt"):
        pass


def test_a_file_written_while_it_is_read_is_reported(tmp_path):
    root = tmp_path / "docs"
    path = make_text(root / "growing.txt", ORIGINAL)
    with pytest.raises(FileChanged), open_inside(root, "growing.txt") as opened:
        opened.path.read_text()
        with path.open("a") as fh:
            fh.write(" And one more line.")
    # A file replaced by another one (an editor's usual save) is no change of the file read.
    with open_inside(root, "growing.txt") as opened:
        replacement = root / "growing.txt.new"
        make_text(replacement, EDITED)
        os.replace(replacement, path)
        assert opened.path.read_text().startswith(ORIGINAL)
