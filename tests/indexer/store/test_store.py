import itertools

import pytest

from indexer.models import Document, Page, Value
from indexer.store import index as store
from indexer.store.catalog import Catalog
from indexer.store.schema import index_record, postings_of
from indexer.store.storage import MappedStorage, SharedFile


def document(n: int) -> Document:
    words = " ".join(f"term{n}x{k} shared{k % 50}" for k in range(400))
    return Document(
        id=f"d{n}",
        root="/docs",
        path=f"d{n}.txt",
        sha256=f"{n:064d}",
        size=1,
        mtime_ns=1,
        format="txt",
        language="en",
        languages=["en"],
        pages=[Page(1, words, "en", ["en"])],
        meta={"title": Value(f"Document {n}", "manifest")},
    )


@pytest.mark.slow
def test_the_writer_holds_a_bounded_amount_whatever_it_writes(settings):
    """Documents stream through the writer: beyond its pool's size, postings go to disk in
    sorted runs, so the memory a run holds does not grow with the collection."""
    _, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=True, pool_mb=1)
        held = []
        for n in range(60):  # about 80,000 postings, some 7 MB of them by the pool's estimate
            writer.add(index_record(document(n), 0))
            builder = writer.builder
            assert builder is not None
            held.append(builder.postings.size)
        runs = len(builder.runs)
        writer.commit()
    assert max(held) <= 1024 * 1024 + 10_000
    assert runs >= 10
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 60
        assert searcher.doc_frequency("text", "shared7") == 60
        assert searcher.doc_frequency("text", "term12x345") == 1
        assert searcher.doc_frequency("text", "term59x399") == 1


def test_incremental_writes_commit_by_size(settings):
    _, ix = store.create_index(settings)
    records = [index_record(document(n), 0) for n in range(10)]
    with Catalog(settings.catalog_path) as catalog:
        size = postings_of(records[0])
        writer = store.BatchWriter(
            ix, catalog, fresh=False, commit_postings=3 * size, first_commit_postings=3 * size
        )
        done = []
        for n, record in enumerate(records):
            writer.add(record, then=lambda n=n: done.append(n))
            assert done == list(range(n + 1 - (n + 1) % 3))  # the catalog learns at commits
        writer.commit()
    assert writer.commits == 4  # after the 3rd, 6th and 9th document, and the last
    assert done == list(range(10))
    assert ix.doc_count() == 10


def test_batches_start_small_and_grow(settings):
    """The first documents of a run are committed (and so found) after a small batch; each
    batch after it is four times the one before, up to the largest, so a long run commits
    rarely."""
    # After 1, 1+4, then every 6 documents: 11, and the last one.
    assert _visible_commits(settings, range(16), first=1, largest=6) == [1, 5, 11, 16]


def test_a_run_of_known_size_holds_a_short_rest_for_its_last_commit(settings, monkeypatch):
    """Told how many documents its run adds, a writer commits its first batch as always, then
    none until the last once what is left is short: a commit in between copies what the run
    committed before and has every reader open the index again, moments before the end."""
    # The rest after 5 documents (11 of them) is short; after the first one (15) it is not.
    monkeypatch.setattr(store, "SHORT_REST_POSTINGS", 11 * _postings_per_document())
    assert _visible_commits(settings, range(16), first=1, largest=6, expected=16) == [1, 5, 16]
    # Unknown size: batches as before.
    assert _visible_commits(settings, range(16), first=1, largest=6) == [1, 5, 11, 16]
    # However small its documents, a rest of more documents than that is not held.
    monkeypatch.setattr(store, "SHORT_REST_POSTINGS", 1000 * _postings_per_document())
    monkeypatch.setattr(store, "SHORT_REST_DOCUMENTS", 10)
    assert _visible_commits(settings, range(16), first=1, largest=6, expected=16) == [1, 5, 11, 16]


def test_a_held_rest_that_would_take_long_at_the_runs_pace_is_committed_as_it_comes(
    settings, monkeypatch
):
    """Scans read by OCR make a few documents a long wait: once the pace of the documents so
    far says the rest takes longer than `SHORT_REST_SECONDS`, the usual batches resume."""
    monkeypatch.setattr(store, "SHORT_REST_POSTINGS", 1000 * _postings_per_document())
    assert _visible_commits(settings, range(16), first=1, largest=6, expected=16) == [1, 16]
    monkeypatch.setattr(store, "SHORT_REST_SECONDS", 0.0)  # any pace is too slow
    assert _visible_commits(settings, range(16), first=1, largest=6, expected=16) == [1, 5, 11, 16]


def test_a_short_run_is_found_at_its_first_document_and_at_its_end(settings):
    assert _visible_commits(settings, range(12), first=1, largest=2, expected=12) == [1, 12]


def test_a_runs_first_document_is_committed_alone_when_others_follow(settings, monkeypatch):
    """A writer given no first batch commits its run's first document as soon as it is
    written, when it knows that more follow: the first document of a run is found while the
    next ones are prepared, whatever its size. Then the usual first batch; a run of one
    document commits once."""
    monkeypatch.setattr(store, "FIRST_COMMIT_POSTINGS", 3 * _postings_per_document())
    monkeypatch.setattr(store, "SHORT_REST_POSTINGS", 0)  # no rest is held for the end
    assert _visible_commits(settings, range(8), first=None, largest=None, expected=8) == [1, 4, 8]
    assert _visible_commits(settings, range(8), first=None, largest=None) == [
        3,
        8,
    ]  # not told: as before


def test_a_run_of_one_document_commits_once(settings):
    assert _visible_commits(settings, range(1), first=None, largest=None, expected=1) == [1]


def _postings_per_document() -> int:
    return postings_of(index_record(document(0), 0))


def _visible_commits(
    settings, numbers: range, first: int | None, largest: int | None, expected: int | None = None
) -> list[int]:
    """The documents a first index holds after each of its commits, written by a visible
    writer whose batches are ``first`` and at most ``largest`` documents' postings (None: the
    writer's own), told that ``expected`` documents come (None: not told)."""
    new_dir, ix = store.create_index(settings)
    records = [index_record(document(n), 0) for n in numbers]
    size = postings_of(records[0])
    seen: list[int] = []
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(
            ix,
            catalog,
            fresh=True,
            visible=True,
            first_commit_postings=None if first is None else first * size,
            commit_postings=store.COMMIT_POSTINGS if largest is None else largest * size,
            committed=lambda: seen.append(MappedStorage(str(new_dir)).open_index().doc_count()),
            expected=expected,
        )
        for record in records:
            writer.add(record)
        writer.commit()
    return seen


def _segment_names(settings) -> list[str]:
    return [s.segment_id() for s in store.open_index(settings)._segments()]


def test_a_runs_commits_rewrite_no_other_segment_and_its_last_merges_the_small_ones(settings):
    """A commit in the middle of a run replaces the run's own segment and leaves every other
    as it is: merging other segments at every commit took seconds each at a thousand
    documents, and every document after it waited. The run's last commit merges into its
    segment the segments no larger than it, so the index keeps few."""
    new_dir, ix = store.create_index(settings)
    store.activate(settings, new_dir)
    with Catalog(settings.catalog_path) as catalog:
        for numbers in (range(8), range(8, 9)):  # a segment of 8 documents, then one of 1
            writer = store.BatchWriter(ix, catalog, fresh=False)
            for n in numbers:
                writer.add(index_record(document(n), 0))
            writer.commit()
        before = _segment_names(settings)
        assert len(before) == 2
        records = [index_record(document(n), 0) for n in range(9, 16)]
        size = postings_of(records[0])
        seen: list[tuple[int, list[str]]] = []
        writer = store.BatchWriter(
            ix,
            catalog,
            fresh=False,
            first_commit_postings=2 * size,
            commit_postings=2 * size,
            committed=lambda: seen.append(
                (store.open_index(settings).doc_count(), _segment_names(settings))
            ),
        )
        for record in records:
            writer.add(record)
        writer.commit()
    # After the run's 2nd, 4th and 6th document, its own segment beside the two others.
    assert [count for count, _ in seen] == [11, 13, 15, 16]
    for _, names in seen[:-1]:
        assert names[: len(before)] == before
        assert len(names) == len(before) + 1
    assert len(seen[-1][1]) == 1  # the last commit merged the two no larger than the run's
    assert store.open_index(settings).doc_count() == 16
    with store.open_index(settings).searcher() as searcher:
        assert searcher.doc_frequency("text", "shared7") == 16
        assert searcher.doc_frequency("text", "term11x399") == 1


def test_a_long_runs_batches_grow_with_what_it_committed(settings):
    """Each commit copies what the run committed before it into its new segment: with equal
    batches a long run would copy its first documents again at every commit (copying growing
    with the square of the run). Past the largest batch, a batch is at least half of what the
    run committed, so copying stays a bounded share of the run's work."""
    seen = _visible_commits(settings, range(10, 40), first=2, largest=2)
    # Batches of 2 while the run holds at most 4; then half of what it holds: 3, 5, 7; the rest.
    assert seen == [2, 4, 6, 9, 14, 21, 30]
    assert all(b - a >= a / 2 for a, b in itertools.pairwise(seen[2:-1]))


def test_a_writer_that_wrote_nothing_writes_no_generation_whatever_the_segments(settings):
    """A run with nothing to do (the usual run of `kb index` or a watcher) neither commits
    nor merges: readers keep their generation and the run stays a matter of milliseconds."""
    new_dir, ix = store.create_index(settings)
    store.activate(settings, new_dir)
    with Catalog(settings.catalog_path) as catalog:
        for n in range(6):
            writer = store.BatchWriter(ix, catalog, fresh=False)
            writer.add(index_record(document(n), 0))
            writer.commit(final=False)
        generation = store.open_index(settings).latest_generation()
        idle = store.BatchWriter(ix, catalog, fresh=False)
        idle.commit()
    assert idle.commits == 0
    assert store.open_index(settings).latest_generation() == generation
    assert len(_segment_names(settings)) == 6


def test_an_incremental_writer_reads_existing_segments_without_copying_them(settings):
    """Before: Whoosh's compound files copied every segment's postings into the writer's
    memory (an incremental run over 1,500 documents held 186 MB of its own, 109 MB now), so
    the memory of a run grew with the index it added to."""
    new_dir, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=True)
        for n in range(5):
            writer.add(index_record(document(n), 0))
        writer.commit()
    store.activate(settings, new_dir)
    active = store.open_index(settings)
    with active.reader() as reader:
        segment_files = [r._terms._postfile for r, _ in reader.leaf_readers()]
    assert segment_files and all(isinstance(f, SharedFile) for f in segment_files)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(active, catalog, fresh=False)
        writer.add(index_record(document(1), 0))  # replaces a document: reads the segment
        writer.commit()
    assert store.open_index(settings).doc_count() == 5


def test_a_writer_opened_ahead_writes_as_before_and_keeps_what_others_commit(settings):
    """A run opens its writer while the workers start; the documents it writes after are
    committed and replace their old versions, and what another writer (an editor, the trash)
    commits meanwhile stays."""
    _, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        first = store.BatchWriter(ix, catalog, fresh=False)
        for n in (1, 3):
            first.add(index_record(document(n), 0))
        first.commit()
        writer = store.BatchWriter(ix, catalog, fresh=False)
        writer.open()
        other = store.BatchWriter(ix, catalog, fresh=False)
        other.delete("d3")
        other.commit()
        writer.add(index_record(document(1), 0))
        writer.add(index_record(document(2), 0))
        writer.commit()
    assert ix.doc_count() == 2
    with ix.searcher() as searcher:
        assert sorted(d["id"] for d in searcher.documents()) == ["d1", "d2"]


@pytest.mark.slow
def test_a_commit_holds_a_bounded_amount_however_many_runs_it_merges(settings):
    """Before: the commit read each run a few thousand terms at a time, every run at once, so
    its memory grew with the number of runs (34 MB here, for 20 runs of a 1 MB pool; 9 MB
    now, most of it the term dictionary being written)."""
    import tracemalloc

    _, ix = store.create_index(settings)
    records = [index_record(document(n), 0) for n in range(60)]
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=True, pool_mb=1)
        for record in records:
            writer.add(record)
        assert writer.builder is not None
        runs = len(writer.builder.runs)
        del records, record
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            writer.commit()
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
    assert runs >= 15
    assert peak <= 16_000_000
    assert ix.doc_count() == 60
