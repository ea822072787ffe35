"""An indexing run from start to end: what it adds, updates and removes, how it commits, and
what is left when it fails or is stopped."""

import os
import subprocess
import time

import pytest

from indexer.errors import IndexBusy
from indexer.ingest.run import IndexRun, run_index
from indexer.outcomes import Outcome, Progress
from indexer.search import SearchEngine, SearchRequest
from indexer.store import index as store
from indexer.store.catalog import Catalog
from tests.factories import TEXTS, encrypt_pdf, make_html, make_pdf, make_text, truncate
from tests.knowledge_bases import hit_paths, kb_index_in_a_new_process, search


def test_first_run_indexes_everything(settings, three_docs):
    summary = run_index(settings)
    assert (summary.added, summary.failed, summary.removed) == (3, 0, 0)
    assert summary.pages == 4
    assert hit_paths(search(settings, "competence")) == ["reports/centres_en.pdf"]
    assert hit_paths(search(settings, "предприятията")) == ["bulgaria/konsultacia.docx"]


def test_nothing_changed_is_a_no_op(indexed):
    settings = indexed
    before = store.current_dir(settings)
    summary = run_index(settings)
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 3)
    assert store.current_dir(settings) == before


def test_changed_file_is_updated_by_content_hash(indexed):
    settings, three_docs = indexed, indexed.corpus
    target = three_docs / "portugal" / "noticia.html"
    make_html(
        target, "Notícia", TEXTS["pt"] + " Lisboa recebeu o encontro transnacional.", lang="pt"
    )
    summary = run_index(settings)
    assert (summary.added, summary.updated) == (0, 1)
    assert hit_paths(search(settings, "transnacional")) == ["portugal/noticia.html"]
    # Same bytes, new timestamp: no update, just a new stat.
    os.utime(target, (time.time() + 10, time.time() + 10))
    summary = run_index(settings)
    assert (summary.updated, summary.unchanged) == (0, 3)


def test_deleted_file_is_removed(indexed):
    settings, three_docs = indexed, indexed.corpus
    (three_docs / "bulgaria" / "konsultacia.docx").unlink()
    summary = run_index(settings)
    assert summary.removed == 1
    assert search(settings, "предприятията")["total"] == 0
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 2, "removed": 1}


@pytest.mark.slow
def test_broken_files_are_recorded_and_the_run_goes_on(indexed):
    settings, three_docs = indexed, indexed.corpus
    good = make_pdf(three_docs / "tmp.pdf", [TEXTS["en"]])
    encrypt_pdf(good, three_docs / "locked.pdf", user_password="x")
    truncate(good, three_docs / "broken.pdf", keep=0.3)
    good.unlink()
    make_text(three_docs / "empty.txt", "")
    make_text(three_docs / "notes.rtf", "{\\rtf1}")
    summary = run_index(settings)
    assert summary.failed == 4 and summary.added == 0
    reasons = {f["path"]: f["reason"] for f in summary.failures}
    assert "password" in reasons["locked.pdf"]
    assert "empty" in reasons["empty.txt"]
    assert "RTF" in reasons["notes.rtf"]
    assert reasons["broken.pdf"]
    # Nothing already indexed was lost.
    assert search(settings, "")["total"] == 3
    with Catalog(settings.catalog_path) as catalog:
        failed = {r.path: r.reason_code for r in catalog.files(status="failed")}
    assert failed["locked.pdf"] == "encrypted"
    # A failed file is not retried while unchanged …
    assert run_index(settings).failed == 0
    # … but is when asked to.
    assert run_index(settings, retry_failed=True).failed == 4


def test_full_rebuild_swaps_in_a_new_index(indexed):
    settings = indexed
    old = store.current_dir(settings)
    summary = run_index(settings, full=True)
    new = store.current_dir(settings)
    assert summary.full and new != old
    assert search(settings, "")["total"] == 3
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts() == {"indexed": 3}


@pytest.mark.slow
def test_searcher_sees_new_documents_without_reopening(indexed):
    settings, three_docs = indexed, indexed.corpus
    engine = SearchEngine(settings)
    try:
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 0
        make_text(three_docs / "cyprus" / "nicosia.txt", TEXTS["el"] + " Nicosia meeting.")
        run_index(settings)
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 1
        run_index(settings, full=True)
        assert engine.search(SearchRequest(q="Nicosia"))["total"] == 1
    finally:
        engine.close()


def test_a_crash_mid_run_leaves_the_last_index_working(indexed):
    """The run breaks down (here: an exception) after some of its files were read and written to
    the index: nothing of it is committed but its first document (committed alone, at once),
    the last index and the catalog still agree, and the next run does the rest."""
    settings, three_docs = indexed, indexed.corpus
    for n in range(5):
        make_text(three_docs / f"new{n}.txt", f"{TEXTS['en']} Freshly added number {n}.")
    make_html(three_docs / "portugal" / "noticia.html", "Notícia", "Texto novo sobre Faro.")

    def crash(event) -> None:
        if isinstance(event, Progress) and event.phase == "indexing" and event.done == 4:
            raise RuntimeError("the run broke down")

    with pytest.raises(RuntimeError, match="broke down"):
        run_index(settings.with_(workers=1), observers=[crash])
    assert search(settings, "")["total"] == 4
    assert hit_paths(search(settings, "freshly")) == ["new0.txt"]
    assert hit_paths(search(settings, "Faro")) == []
    assert hit_paths(search(settings, "investidores")) == ["portugal/noticia.html"]  # the old text
    with Catalog(settings.catalog_path) as catalog:
        assert catalog.counts().get("indexed") == 4
    summary = run_index(settings)
    assert (summary.added, summary.updated) == (4, 1)
    assert search(settings, "")["total"] == 8
    assert hit_paths(search(settings, "Faro")) == ["portugal/noticia.html"]


def test_only_one_run_at_a_time(settings, three_docs):
    with store.run_lock(settings), pytest.raises(IndexBusy):
        run_index(settings)


@pytest.mark.slow
def test_an_interrupted_full_rebuild_is_finished_by_the_next_run(settings, three_docs, monkeypatch):
    from indexer.ingest import run as pipeline

    run_index(settings)
    make_text(three_docs / "new.txt", TEXTS["en"] + " Freshly added.")
    monkeypatch.setattr(pipeline, "_BATCH_DOCS", 1)  # commit after every document

    def interrupt_at_the_end(done, total, path):
        if done == total:
            raise KeyboardInterrupt

    # Every document is committed to the new index (and so to the catalog), but the run stops
    # before the new index replaces the old one.
    with pytest.raises(KeyboardInterrupt):
        run_index(settings, full=True, progress=interrupt_at_the_end)
    assert search(settings, "freshly")["total"] == 0  # still the old index
    summary = run_index(settings)
    assert summary.full
    assert hit_paths(search(settings, "freshly")) == ["new.txt"]
    assert search(settings, "")["total"] == 4


@pytest.mark.parametrize("first_run", [True, False])
def test_the_first_documents_are_found_while_the_run_goes_on(
    settings, docs, monkeypatch, first_run
):
    """A run commits a small first batch, then larger ones: its first documents are found
    long before it ends, by a first run (the new index becomes active at its first commit)
    as by a run that adds to an index."""
    monkeypatch.setattr(store, "FIRST_COMMIT_POSTINGS", 1)  # a batch after the first file
    if not first_run:
        make_text(docs / "first.txt", TEXTS["en"])
        run_index(settings)
    for n in range(8):
        make_text(docs / f"note-{n}.txt", f"{TEXTS['pt']} Nota quinze{n}.")
    found_during: list[int] = []

    def look(event: object) -> None:
        if isinstance(event, Outcome) and event.kind == "added" and len(found_during) < 8:
            found_during.append(search(settings, "quinze*")["total"])

    summary = run_index(settings, workers_count=1, observers=[look])
    assert summary.added == 8
    # The first document was found while seven others still waited to be written.
    assert found_during[0] >= 1
    assert found_during == sorted(found_during)
    assert search(settings, "quinze*")["total"] == 8


def test_an_outcome_is_told_only_once_it_is_true(settings, docs, monkeypatch):
    """Whoever is told that a file was added can find it; whoever is told that one failed finds
    it among the failed files (a page showing a run's outcomes links to both at once)."""
    monkeypatch.setattr(store, "FIRST_COMMIT_POSTINGS", 1)
    make_text(docs / "first.txt", TEXTS["en"])
    run_index(settings)
    good = make_pdf(docs / "tmp.pdf", [TEXTS["en"]])
    encrypt_pdf(good, docs / "locked.pdf", user_password="x")
    truncate(good, docs / "broken.pdf", keep=0.3)
    good.unlink()
    for n in range(3):
        make_text(docs / f"note-{n}.txt", f"{TEXTS['pt']} Nota dezasseis{n}.")
    seen: dict[str, bool] = {}

    def look(event: object) -> None:
        if not isinstance(event, Outcome):
            return
        if event.kind == "failed":
            with Catalog(settings.catalog_path) as catalog:
                seen[event.path] = event.path in {r.path for r in catalog.files(status="failed")}
        elif event.kind == "added":
            seen[event.path] = event.path in hit_paths(search(settings, "dezasseis*"))

    summary = run_index(settings, workers_count=1, observers=[look])
    assert (summary.added, summary.failed) == (3, 2)
    assert seen == {
        "locked.pdf": True,
        "broken.pdf": True,
        **{f"note-{n}.txt": True for n in range(3)},
    }


def test_a_full_rebuild_of_a_working_index_is_seen_only_when_done(settings, docs, monkeypatch):
    monkeypatch.setattr(store, "FIRST_COMMIT_POSTINGS", 1)
    for n in range(4):
        make_text(docs / f"note-{n}.txt", f"{TEXTS['pt']} Nota {n}.")
    run_index(settings)
    before = store.current_dir(settings)
    active: list[object] = []

    def look(event: object) -> None:
        if isinstance(event, Outcome):
            active.append(store.current_dir(settings))

    run_index(settings, full=True, observers=[look])
    assert set(active) == {before}
    assert store.current_dir(settings) != before


def test_an_undated_first_file_then_a_dated_one(settings, docs):
    make_text(docs / "undated.txt", "Notes on the competence centre, with no date anywhere.\n")
    run_index(settings)
    make_pdf(docs / "dated.pdf", [TEXTS["en"] + " Adopted in March 2022."])
    run_index(settings)  # a second segment, the first having no year at all
    by_sort = {s: search(settings, "", sort=s) for s in ("newest", "oldest", "title")}
    assert [h["path"] for h in by_sort["newest"]["hits"]] == ["dated.pdf", "undated.txt"]
    assert [h["path"] for h in by_sort["oldest"]["hits"]] == ["dated.pdf", "undated.txt"]
    assert [v["value"] for v in by_sort["title"]["facets"]["year"]] == ["2022", "undated"]


def test_markdown_pages_that_start_with_a_heading_are_kept(settings, docs):
    parts = [
        f"## Part {n}\n\nThe centre reviewed the {word} of this part."
        for n, word in enumerate(["budget", "timeline", "outreach", "evaluation"], start=1)
    ]
    make_text(docs / "plan.md", "# Work plan\n\n" + "\n\f".join(parts))
    summary = run_index(settings)
    assert summary.pages == 4
    hit = search(settings, "outreach")["hits"][0]
    assert hit["pages"] == [3]


def test_every_file_has_one_outcome_and_progress_is_observable(indexed):
    settings, three_docs = indexed, indexed.corpus
    (three_docs / "bulgaria" / "konsultacia.docx").unlink()
    make_text(three_docs / "new.txt", TEXTS["en"] + " A new note.")
    make_text(three_docs / "broken.pdf", "not a pdf at all")
    (three_docs / "copy.txt").write_bytes((three_docs / "new.txt").read_bytes())
    events = []
    summary = run_index(settings, observers=[events.append])
    outcomes = {(e.kind, e.path) for e in events if isinstance(e, Outcome)}
    assert outcomes == {
        ("removed", "bulgaria/konsultacia.docx"),
        ("added", "new.txt"),
        ("added", "copy.txt"),
        ("duplicate", "new.txt"),  # copy.txt comes first
        ("failed", "broken.pdf"),
        ("unchanged", "reports/centres_en.pdf"),
        ("unchanged", "portugal/noticia.html"),
    }
    progress = [e for e in events if isinstance(e, Progress) and e.phase == "indexing"]
    assert [(p.done, p.total) for p in progress if p.current] == [(1, 3), (2, 3), (3, 3)]
    assert {p.current for p in progress if p.current} == {"new.txt", "copy.txt", "broken.pdf"}
    assert isinstance(events[-1], Progress) and events[-1].phase == "finished"
    assert (summary.added, summary.removed, summary.failed, summary.duplicates) == (2, 1, 1, 1)


@pytest.mark.slow
class _SlowMachine:
    """The clock of a machine on which every file takes an hour to settle: it moves on by
    `STEP` seconds as each one is settled, and stands still otherwise. A run handed it sees
    hours pass while it takes a second of real time."""

    STEP = 3600.0

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now

    def settled(self, event: object) -> None:
        if isinstance(event, Progress) and event.phase == "indexing" and event.current:
            self.now += self.STEP


def test_commits_follow_the_amount_written_not_the_clock(settings, docs):
    """However long a run's files take, what it writes decides its commits: thirteen short
    notes are one commit after thirteen hours as after a second (a rule of the kind "commit
    every N seconds", at any N up to thirteen hours, would make more)."""
    make_text(docs / "first.txt", TEXTS["en"])
    run_index(settings)
    generation = store.open_index(settings).latest_generation()
    for n in range(13):
        make_text(docs / f"note-{n}.txt", f"{TEXTS['pt']} Nota {n}.")
    clock = _SlowMachine()
    summary = IndexRun(settings, observers=[clock.settled], clock=clock).run()
    assert summary.added == 13
    assert summary.seconds >= 13 * _SlowMachine.STEP  # the run read the clock it was handed
    # The first document alone, at once; the rest, short, at the end: no commit by the clock.
    assert store.open_index(settings).latest_generation() == generation + 2


def test_spreadsheets_and_emails_are_found_and_opened_at_their_page(settings, docs):
    """A budget's second sheet and an e-mail's attachment are searched like any page; a
    spreadsheet an earlier version could not read is read by the next run unasked."""
    from tests.factories import make_eml, make_xlsx

    make_xlsx(
        docs / "annexes" / "budget.xlsx",
        {"Summary": [["Total", 20500]], "Lines": [["Mentoring of cooperatives", 12500]]},
    )
    make_eml(
        docs / "mail" / "minutes.eml",
        "Minutes of the steering group",
        "The minutes are attached.",
        attachments=[("minutes.txt", "text/plain", b"The steering group met in Plovdiv.")],
    )
    summary = run_index(settings)
    assert summary.added == 2 and summary.failed == 0, summary.failures
    engine = SearchEngine(settings)
    try:
        [sheet] = engine.search(SearchRequest(q="cooperatives", expand=False))["hits"]
        assert sheet["path"] == "annexes/budget.xlsx" and sheet["best_page"] == 2
        [mail] = engine.search(SearchRequest(q="Plovdiv", expand=False))["hits"]
        assert mail["title"] == "Minutes of the steering group" and mail["best_page"] == 2
    finally:
        engine.close()
    with Catalog(settings.catalog_path) as catalog:  # as a version without spreadsheets left it
        catalog.db.execute(
            "UPDATE files SET status = 'failed', reason_code = 'unsupported' WHERE path = ?",
            ("annexes/budget.xlsx",),
        )
        catalog.db.commit()
    run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        row = catalog.file_at(str(docs.resolve()), "annexes/budget.xlsx")
        assert row is not None and row.status == "indexed"


def _children() -> int:
    """Processes this one started that are still running (a run's workers)."""

    found = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(os.getpid())], capture_output=True, text=True
    ).stdout.split()
    return len(found) - 1  # ps itself


def test_a_worker_starts_while_planning_once_a_file_is_to_be_read(settings, three_docs):
    """The first worker's start (a new interpreter and its tables) overlaps with the rest of
    the planning; a run with nothing to read starts none; none is left after a run."""
    at_planned: list[int] = []

    def observe(event):
        if isinstance(event, Progress) and event.phase == "indexing" and not at_planned:
            at_planned.append(_children())  # the plan is done, no file handed out yet

    summary = run_index(settings, observers=[observe])
    assert summary.added == 3
    assert at_planned[0] >= 1
    assert _children() == 0

    seen: list[int] = []
    summary = run_index(settings, observers=[lambda event: seen.append(_children())])
    assert (summary.added, summary.unchanged) == (0, 3)
    assert set(seen) == {0}
    assert _children() == 0


#: What writes the index: Whoosh's index and writing code, NumPy, the schema and its
#: analysers, the segment builder, the workers and what they prepare with.
_WRITING_SIDE = (
    "numpy",
    "whoosh.index",
    "whoosh.fields",
    "indexer.store.schema",
    "indexer.store.segment_build",
    "indexer.store.generations",
    "indexer.text.analysers",
    "indexer.ingest.preparing",
    "indexer.ingest.step_writer",
)


def test_a_run_that_finds_nothing_changed_loads_nothing_that_writes(indexed):
    """`kb index` with nothing to write opens no index and starts no worker, and so never
    imports their code (most of the command's start); a new timestamp on the same bytes is
    still recorded, and a changed file still loads it all."""
    settings, three_docs = indexed, indexed.corpus
    target = three_docs / "portugal" / "noticia.html"
    later = time.time() + 10
    os.utime(target, (later, later))

    def kb_index() -> tuple[str, str]:
        return kb_index_in_a_new_process(settings, _WRITING_SIDE)

    summary, loaded = kb_index()
    assert '"unchanged": 3' in summary and '"updated": 0' in summary
    assert loaded == "[]"
    with Catalog(settings.catalog_path) as catalog:
        known = catalog.known(str(three_docs), "portugal/noticia.html")
    assert known is not None and known.mtime_ns == target.stat().st_mtime_ns

    make_text(three_docs / "note.txt", TEXTS["en"])
    summary, loaded = kb_index()
    assert '"added": 1' in summary
    assert "numpy" in loaded and "indexer.store.segment_build" in loaded
    assert "note.txt" in hit_paths(search(settings, "competence"))
