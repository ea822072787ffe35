"""Generations of an index written from built segments: a writer killed at any point leaves
the last generation searchable, and writers that commit between each other's batches keep
each other's changes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Term

from indexer.store import index as store
from indexer.store.catalog import Catalog
from tests.indexer.store.test_segment_build import record

ROOT = Path(__file__).resolve().parents[3]


def build(settings, numbers: range) -> Path:
    folder, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=True)
        for n in numbers:
            writer.add(record(n))
        writer.commit()
    return folder


def found(folder: Path, term: str, field: str = "text") -> list[str]:
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        return sorted(hit["id"] for hit in searcher.search(Term(field, term), limit=None))


def doc_count(folder: Path) -> int:
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        return int(searcher.doc_count())


#: Where the writing process is killed: while its segment file is being finished (a part of
#: it on disk), or once the segment is complete but before the generation naming it.
KILL_POINTS = {
    "segment": ("indexer.store.segment_files", "SegmentFileWriter", "finish"),
    "generation": ("indexer.store.generations", "TOC", "write"),
}


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_a_writer_killed_mid_commit_leaves_the_last_generation(settings, point):
    folder = build(settings, range(20))
    module, owner, method = KILL_POINTS[point]
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from whoosh import index as whoosh_index
        import {module} as target
        from indexer.store import index as store
        from indexer.store.catalog import Catalog
        from tests.indexer.store.test_segment_build import record

        def killed(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        setattr(target.{owner}, "{method}", killed)
        ix = whoosh_index.open_dir({str(folder)!r})
        with Catalog(Path({str(settings.catalog_path)!r})) as catalog:
            writer = store.BatchWriter(ix, catalog, fresh=False)
            for n in range(20, 40):
                writer.add(record(n))
            writer.add(record(3, 1))
            writer.delete("doc0005")
            writer.commit()
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert child.returncode == -9, child.stderr
    assert doc_count(folder) == 20
    assert found(folder, "unique3v0") == ["doc0003"]
    assert found(folder, "unique3v1") == []
    assert found(folder, "unique5v0") == ["doc0005"]
    assert found(folder, "unique25v0") == []
    assert any(p.name.startswith(".build-") for p in folder.iterdir())  # the dead one's files

    ix = whoosh_index.open_dir(str(folder))
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=False)
        writer.add(record(3, 1))
        writer.commit()
    assert found(folder, "unique3v1") == ["doc0003"]
    assert doc_count(folder) == 20
    assert not any(p.name.startswith(".build-") for p in folder.iterdir())
    segments = {s.segment_id() for s in whoosh_index.open_dir(str(folder))._segments()}
    on_disk = {p.name.split(".")[0] for p in folder.glob("MAIN_*.seg")}
    assert on_disk == segments  # nothing of the killed writer's left


def test_a_deletion_between_two_batches_of_a_writer_stays(settings):
    """A document deleted by another writer (a file sent to the trash) while a long run is
    between two of its commits stays deleted: the run's next commit, which rewrites its own
    segment, keeps the deletion."""
    folder = build(settings, range(10))
    ix = whoosh_index.open_dir(str(folder))
    with Catalog(settings.catalog_path) as catalog:
        run = store.BatchWriter(ix, catalog, fresh=False, first_commit_postings=1)
        run.add(record(20))  # committed at once (a first small batch)
        assert found(folder, "unique20v0") == ["doc0020"]
        trash = store.BatchWriter(whoosh_index.open_dir(str(folder)), catalog, fresh=False)
        trash.delete("doc0020")
        trash.delete("doc0002")
        trash.commit()
        assert found(folder, "unique20v0") == []
        for n in range(21, 25):
            run.add(record(n))
        run.commit()
    assert found(folder, "unique20v0") == []
    assert found(folder, "unique2v0") == []
    assert found(folder, "unique24v0") == ["doc0024"]
    assert doc_count(folder) == 13


def test_one_generation_at_a_time(settings, monkeypatch):
    """A commit waits for the index's write lock (held here as another writer would)."""
    from indexer.errors import IndexBusy
    from indexer.store import generations

    folder = build(settings, range(3))
    ix = whoosh_index.open_dir(str(folder))
    generation = ix.latest_generation()
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=False)
        writer.add(record(7))
        lock = ix.storage.lock("MAIN_WRITELOCK")
        assert lock.acquire()
        monkeypatch.setattr(generations, "LOCK_WAIT", 0.5)
        try:
            with pytest.raises(IndexBusy):
                writer.commit()
        finally:
            lock.release()
        writer.cancel()
    assert whoosh_index.open_dir(str(folder)).latest_generation() == generation
    assert os.listdir(folder)  # still there, unchanged
    assert doc_count(folder) == 3
